#include "platform/periodic.h"

#include <spdlog/spdlog.h>

#include <exception>

namespace rampart {

void PeriodicWorker::RunRound() {
  for (const auto& job : jobs_) {
    try {
      if (int sent = job.run(NowMillis()); sent > 0) spdlog::info("{} sent: {}", job.name, sent);
    } catch (const std::exception& e) {
      spdlog::warn("{} failed, will try again: {}", job.name, e.what());
    }
  }
}

void PeriodicWorker::Start() {
  thread_ = std::thread([this] {
    std::unique_lock lock(mu_);
    while (!stop_) {
      lock.unlock();
      RunRound();
      lock.lock();
      cv_.wait_for(lock, every_, [this] { return stop_; });
    }
  });
}

void PeriodicWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

}  // namespace rampart
