// Prometheus text-format metrics: requests by route and status, a latency histogram per route,
// open connections and the database pool.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <tuple>

#include "platform/db.h"
#include "platform/http_server.h"

namespace rampart {

class Metrics final {
 public:
  // `route` is the route's pattern (never the raw path, so ids do not explode the series).
  void ObserveRequest(const std::string& method, const std::string& route, int status,
                      double seconds);
  [[nodiscard]] std::string Render(const http::ServerStats& server,
                                   const db::PoolStats& pool) const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1,    2.5};
  struct Histogram {
    std::array<std::uint64_t, kBuckets.size()> buckets{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  mutable std::mutex mu_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace rampart
