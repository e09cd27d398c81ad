// The request pipeline: what happens to every request between the server and a route handler.
//
//   static files → route match (404/405) → authentication (cookie or bearer token) → CSRF check
//   on unsafe methods → authorization (policy.h, by the route's action and target) → handler →
//   errors mapped to problem+json → security headers → metrics and access log.
#pragma once

#include <memory>
#include <string>

#include "platform/context.h"
#include "platform/http.h"
#include "platform/router.h"
#include "platform/static_files.h"

namespace rampart {

class Pipeline final {
 public:
  Pipeline(const Router& router, Services& services, const StaticFiles& web);

  // Never throws: every failure becomes a response.
  http::Response Handle(http::Request& request);
  [[nodiscard]] std::size_t BodyLimit(std::string_view method, std::string_view path) const;

  static constexpr std::string_view kSessionCookie = "rampart_session";
  static constexpr std::string_view kSecureSessionCookie = "__Host-rampart_session";

 private:
  http::Response Dispatch(http::Request& request, std::string& route_label, std::string& user);
  std::optional<Principal> Authenticate(const http::Request& request);
  void CheckCsrf(const http::Request& request, const Principal* principal) const;

  const Router& router_;
  Services& services_;
  const StaticFiles& web_;
};

// Whether browsers reach us over HTTPS: served with TLS, or behind a proxy whose public origin is
// https://… . Secure deployments get the __Host- cookie, the Secure flag and HSTS.
bool IsSecure(const http::Request& request, const Config& config);
std::string_view SessionCookieName(const http::Request& request, const Config& config);
// The cookie that carries a session, and the one that ends it.
std::string SessionCookie(const http::Request& request, const Config& config,
                          const std::string& token, long max_age_s);
std::string ExpiredSessionCookie(const http::Request& request, const Config& config);
// The client's address: the peer, or, when the peer is a trusted proxy, the nearest address in
// X-Forwarded-For that is not one of the trusted proxies.
std::string ClientAddress(const http::Request& request, const Config& config);

}  // namespace rampart
