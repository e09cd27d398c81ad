#include "platform/metrics.h"

#include <fmt/format.h>

namespace rampart {

void Metrics::ObserveRequest(const std::string& method, const std::string& route, int status,
                             double seconds) {
  std::lock_guard lock(mu_);
  ++requests_[{method, route, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++h.buckets[i];
  }
  ++h.count;
  h.sum += seconds;
}

namespace {
std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '\\' || c == '"') out.push_back('\\');
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out.push_back(c);
  }
  return out;
}
}  // namespace

std::string Metrics::Render(const http::ServerStats& server, const db::PoolStats& pool) const {
  std::string out;
  std::lock_guard lock(mu_);
  out += "# HELP rampart_http_requests_total HTTP requests answered, by route and status.\n";
  out += "# TYPE rampart_http_requests_total counter\n";
  for (const auto& [key, n] : requests_) {
    const auto& [method, route, status] = key;
    out +=
        fmt::format("rampart_http_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                    Escape(method), Escape(route), status, n);
  }
  out +=
      "# HELP rampart_http_request_duration_seconds Time from a complete request to its "
      "response.\n";
  out += "# TYPE rampart_http_request_duration_seconds histogram\n";
  for (const auto& [route, h] : latency_) {
    for (std::size_t i = 0; i < kBuckets.size(); ++i) {
      out +=
          fmt::format("rampart_http_request_duration_seconds_bucket{{route=\"{}\",le=\"{}\"}} {}\n",
                      Escape(route), kBuckets[i], h.buckets[i]);
    }
    out +=
        fmt::format("rampart_http_request_duration_seconds_bucket{{route=\"{}\",le=\"+Inf\"}} {}\n",
                    Escape(route), h.count);
    out += fmt::format("rampart_http_request_duration_seconds_sum{{route=\"{}\"}} {}\n",
                       Escape(route), h.sum);
    out += fmt::format("rampart_http_request_duration_seconds_count{{route=\"{}\"}} {}\n",
                       Escape(route), h.count);
  }
  out += "# HELP rampart_http_open_connections Connections open now.\n";
  out += "# TYPE rampart_http_open_connections gauge\n";
  out += fmt::format("rampart_http_open_connections {}\n", server.open_connections);
  out += "# HELP rampart_http_connections_total Connections accepted.\n";
  out += "# TYPE rampart_http_connections_total counter\n";
  out += fmt::format("rampart_http_connections_total {}\n", server.accepted_total);
  out +=
      "# HELP rampart_http_connections_rejected_total Connections closed at once because the cap "
      "was reached.\n";
  out += "# TYPE rampart_http_connections_rejected_total counter\n";
  out += fmt::format("rampart_http_connections_rejected_total {}\n", server.rejected_total);
  out += "# HELP rampart_db_pool_connections Database connections open.\n";
  out += "# TYPE rampart_db_pool_connections gauge\n";
  out += fmt::format("rampart_db_pool_connections {}\n", pool.connections);
  out += "# HELP rampart_db_pool_in_use Database connections in use.\n";
  out += "# TYPE rampart_db_pool_in_use gauge\n";
  out += fmt::format("rampart_db_pool_in_use {}\n", pool.in_use);
  out +=
      "# HELP rampart_db_pool_waits_total Times a request waited for a free database connection.\n";
  out += "# TYPE rampart_db_pool_waits_total counter\n";
  out += fmt::format("rampart_db_pool_waits_total {}\n", pool.waits_total);
  return out;
}

}  // namespace rampart
