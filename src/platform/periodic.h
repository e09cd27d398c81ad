// A thread that runs the platform's periodic jobs, the reminders each domain sends (incident
// stages due or overdue, policy reviews due), about once a minute until stopped. Each job claims
// what it sends in the database, so several servers running the same jobs send each reminder once;
// a job that throws is logged and runs again next round, and does not stop the others.
#pragma once

#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "platform/clock.h"

namespace rampart {

class PeriodicWorker final {
 public:
  struct Job {
    std::string name;                // for the log: "incident reminders"
    std::function<int(Millis)> run;  // called with the time now; returns how many it sent
  };

  explicit PeriodicWorker(std::vector<Job> jobs,
                          std::chrono::milliseconds every = std::chrono::seconds(60))
      : jobs_(std::move(jobs)), every_(every) {}
  ~PeriodicWorker() { Stop(); }
  PeriodicWorker(const PeriodicWorker&) = delete;
  PeriodicWorker& operator=(const PeriodicWorker&) = delete;

  // Runs every job once at once, then once per period.
  void Start();
  // Waits for a round in progress to finish.
  void Stop();

 private:
  void RunRound();

  std::vector<Job> jobs_;
  std::chrono::milliseconds every_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
};

}  // namespace rampart
