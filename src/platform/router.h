// The route table: method and path template → action, target, body limit and handler.
// It is data the rest of the system reads: the pipeline authorises by it, the OpenAPI test
// compares the document with it, and the access test walks it.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "platform/http.h"
#include "platform/policy.h"

namespace rampart {

struct Context;
using RouteHandler = std::function<http::Response(Context&)>;

struct Route {
  std::string method;   // "GET", "POST", …
  std::string pattern;  // "/api/v1/organisations/{id}/people"; a {name} matches one segment
  Action action = Action::kPublic;
  // The path parameter that names the organisation the action is performed on; empty when the
  // action is not about one organisation.
  std::string target_org_param;
  RouteHandler handler;
  std::size_t body_limit = 64 * 1024;
  // The body is one uploaded file: its limit is the configured max_file_bytes (Config), which the
  // pipeline applies instead of body_limit.
  bool body_is_file = false;
};

// The body limit of a route that takes no body: small, so that a client sending "{}" out of habit
// is still answered, and nothing larger is read.
inline constexpr std::size_t kNoBody = 1024;

using PathParams = std::vector<std::pair<std::string, std::string>>;

class Router final {
 public:
  void Add(Route route);

  struct Match {
    const Route* route = nullptr;  // null: see `allowed`
    PathParams params;
    std::vector<std::string>
        allowed;  // methods for this path when `route` is null (405); empty → 404
  };
  [[nodiscard]] Match Find(std::string_view method, std::string_view path) const;
  [[nodiscard]] std::size_t BodyLimit(std::string_view method, std::string_view path) const;
  [[nodiscard]] const std::vector<Route>& routes() const { return routes_; }

 private:
  struct Compiled {
    std::vector<std::string> segments;  // "{id}" marks a parameter
  };
  static bool MatchSegments(const Compiled& c, std::string_view path, PathParams* params);
  std::vector<Route> routes_;
  std::vector<Compiled> compiled_;
};

}  // namespace rampart
