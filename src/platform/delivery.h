// The delivery worker: sends what notify::Enqueue() put in the outbox, after the write that put it
// there has committed.
//
// Every app server runs one. A worker claims due messages with one UPDATE that sets its claim
// token and a lease (claimed_until); only rows that are pending and unclaimed (or whose lease ran
// out, because their server died) change, so two servers never hold the same message at once. It
// sends outside any transaction and records the outcome only while its claim still stands. A
// failed attempt is tried again later (notify::RetryDelay), up to notify::kMaxAttempts.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "platform/clock.h"
#include "platform/config.h"
#include "platform/db.h"
#include "platform/outbound.h"

namespace rampart::notify {

class DeliveryWorker final {
 public:
  // Messages claimed at once, and how long a claim lasts: longer than a batch can take
  // (10 × the 60 s SMTP limit).
  static constexpr int kBatch = 10;
  static constexpr Millis kLease = 15LL * 60'000;
  // Sent, skipped and failed messages are deleted after this long.
  static constexpr Millis kKeep = 30LL * 24 * 3'600'000;

  // `transport` is outbound::CurlTransport(config) in the server, a fake in tests. `db` and
  // `config` must outlive the worker.
  DeliveryWorker(db::Database& db, const Config& config,
                 std::unique_ptr<outbound::Transport> transport);
  ~DeliveryWorker();
  DeliveryWorker(const DeliveryWorker&) = delete;
  DeliveryWorker& operator=(const DeliveryWorker&) = delete;

  // Starts a thread that sends what is due about every second, and sweeps old messages hourly.
  void Start();
  // Ends transfers under way (their messages stay due and the attempt is not counted), then
  // joins the thread. Idempotent.
  void Stop();

  // One pass at `now`: claims up to kBatch due messages, sends them one after the other, records
  // each outcome. Returns how many it claimed. The thread calls it; tests call it directly.
  int RunOnce(Millis now);
  // Deletes messages that left the pending state more than kKeep before `now`; returns how many.
  std::int64_t Sweep(Millis now);

 private:
  struct Claimed;
  void Loop();
  outbound::Outcome Send(const Claimed& m, Millis now);
  void Record(const Claimed& m, const std::string& token, const outbound::Outcome& outcome,
              Millis now);

  db::Database& db_;
  const Config& config_;
  std::unique_ptr<outbound::Transport> transport_;
  std::mutex mu_;
  std::condition_variable wake_;
  bool stopping_ = false;  // guarded by mu_
  std::atomic<bool> stop_requested_{false};
  std::thread thread_;
};

// The text of a notification e-mail: the event's text, the link into the application (absolute
// when `public_origin` is set), and a line saying the message is automatic.
std::string EmailText(std::string_view text, std::string_view link, std::string_view public_origin);

}  // namespace rampart::notify
