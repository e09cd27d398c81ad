// The periodic worker: every job runs at start and then each period, one that fails does not stop
// the others, and Stop() returns promptly.
#include "platform/periodic.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>

namespace rampart {
namespace {

TEST(PeriodicWorker, RunsEveryJobEachPeriodAndAFailingJobDoesNotStopTheOthers) {
  std::atomic<int> good = 0;
  std::atomic<int> bad = 0;
  PeriodicWorker worker({{"failing",
                          [&](Millis) -> int {
                            ++bad;
                            throw std::runtime_error("database unavailable");
                          }},
                         {"counting",
                          [&](Millis now) {
                            EXPECT_GT(now, 0);
                            return ++good;
                          }}},
                        std::chrono::milliseconds(5));
  worker.Start();
  for (int i = 0; i < 2000 && good < 3; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  worker.Stop();
  EXPECT_GE(good.load(), 3);
  EXPECT_GE(bad.load(), 3);
  const int after = good;
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  EXPECT_EQ(good.load(), after);  // nothing runs once stopped
}

TEST(PeriodicWorker, StopsAtOnceWhileWaitingForTheNextRound) {
  std::atomic<int> runs = 0;
  PeriodicWorker worker({{"once", [&](Millis) { return ++runs; }}}, std::chrono::hours(1));
  worker.Start();
  for (int i = 0; i < 2000 && runs == 0; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  const auto t0 = std::chrono::steady_clock::now();
  worker.Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(5));
  EXPECT_EQ(runs.load(), 1);
}

}  // namespace
}  // namespace rampart
