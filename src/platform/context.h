// What a route handler gets: the request, its path parameters, the caller, and the services.
// Also the small helpers every handler uses to answer in the API's conventions.
#pragma once

#include <cstdint>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "platform/config.h"
#include "platform/db.h"
#include "platform/http.h"
#include "platform/http_server.h"
#include "platform/principal.h"
#include "platform/problem.h"
#include "platform/router.h"

namespace rampart {

class Metrics;

struct Services {
  db::Database& db;
  const Config& config;
  Metrics& metrics;
  std::function<http::ServerStats()> server_stats = [] { return http::ServerStats{}; };
};

struct Context {
  const http::Request& request;
  const PathParams& params;
  const Principal* principal;  // null for an anonymous caller (public routes only)
  Services& services;

  // The path parameter `name`; the router guarantees it exists for the matched route.
  [[nodiscard]] const std::string& Param(std::string_view name) const;
  // A path parameter that must be a UUID; 404 otherwise (an id that cannot exist names nothing).
  [[nodiscard]] const std::string& IdParam(std::string_view name, std::string_view what) const;
  // The caller; throws 401 when anonymous (a public route that needs one asks explicitly).
  [[nodiscard]] const Principal& caller() const;
  [[nodiscard]] db::Database& db() const { return services.db; }
};

http::Response Json(int status, const nlohmann::json& body);
// A response whose body is already JSON text (from a JsonWriter).
http::Response JsonText(int status, std::string body);
http::Response NoContent();
// Sets a strong ETag carrying the resource's version.
void SetETag(http::Response& response, std::int64_t version);
// The version named by If-Match; 428 when absent, 412 when it cannot be a version of ours.
std::int64_t RequiredIfMatch(const http::Request& request);

// Cursor pagination: `limit` (1–200, default 50) and an opaque cursor carrying the sort key of the
// last item shown. Invalid values are a 422 naming the parameter.
struct PageRequest {
  int limit = 50;
  std::optional<nlohmann::json> after;  // the decoded cursor, as the list put it
};
// With `errors`, problems are added there for the caller to report with its own; otherwise thrown.
PageRequest ParsePage(const http::Request& request, std::vector<FieldError>* errors = nullptr);
std::string EncodeCursor(const nlohmann::json& key);

}  // namespace rampart
