#include "platform/pipeline.h"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/metrics.h"
#include "platform/problem.h"

namespace rampart {

namespace {

bool IsUnsafe(std::string_view method) {
  return method != "GET" && method != "HEAD" && method != "OPTIONS";
}

void AddSecurityHeaders(http::Response& res, bool tls) {
  // A handler may set a stricter policy of its own: stored files are served sandboxed.
  if (!res.Find("Content-Security-Policy")) {
    res.Set("Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; frame-ancestors 'none'; "
            "base-uri 'none'; form-action 'self'");
  }
  res.Set("X-Content-Type-Options", "nosniff");
  res.Set("X-Frame-Options", "DENY");
  res.Set("Referrer-Policy", "no-referrer");
  res.Set("Cross-Origin-Opener-Policy", "same-origin");
  res.Set("Cross-Origin-Resource-Policy", "same-origin");
  res.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()");
  if (tls) res.Set("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  if (!res.Find("Cache-Control")) res.Set("Cache-Control", "no-store");
}

std::string JsonEscape(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') {
      out.push_back('\\');
      out.push_back(c);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += "?";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace

Pipeline::Pipeline(const Router& router, Services& services, const StaticFiles& web)
    : router_(router), services_(services), web_(web) {}

std::size_t Pipeline::BodyLimit(std::string_view method, std::string_view path) const {
  path = path.substr(0, path.find('?'));
  if (auto m = router_.Find(method, path); m.route != nullptr) {
    return m.route->body_is_file ? static_cast<std::size_t>(services_.config.max_file_bytes)
                                 : m.route->body_limit;
  }
  return router_.BodyLimit(method, path);  // no route: what the router reads for a 404 or 405
}

std::optional<Principal> Pipeline::Authenticate(const http::Request& request) {
  Millis now = NowMillis();
  if (auto authz = request.Find("Authorization")) {
    std::string_view v = *authz;
    if (v.size() > 7 && http::IEquals(v.substr(0, 7), "Bearer ")) {
      auto p = auth::TokenPrincipal(services_.db, v.substr(7), now);
      if (!p) throw Unauthenticated();  // a wrong token is an error, never anonymous access
      return p;
    }
    // HTTP Basic, for TAXII clients only: any user name (or the person's e-mail), the API token
    // as the password; the same token check as Bearer. Not on the rest of the API: a browser that
    // was once given Basic credentials sends them with every request, cross-site ones included,
    // which would bypass the CSRF check that only cookie sessions need.
    if (v.size() > 6 && http::IEquals(v.substr(0, 6), "Basic ") &&
        request.path.starts_with("/taxii2/")) {
      std::string b64;
      for (char c : v.substr(6)) {
        if (c != '=' && c != ' ') b64.push_back(c == '+' ? '-' : c == '/' ? '_' : c);
      }
      auto pair = crypto::FromBase64Url(b64);
      auto colon = pair ? pair->find(':') : std::string::npos;
      auto p =
          colon == std::string::npos
              ? std::nullopt
              : auth::TokenPrincipal(services_.db, std::string_view(*pair).substr(colon + 1), now);
      if (!p) throw Unauthenticated();
      return p;
    }
    throw HttpError(401, "unauthenticated", "Unsupported authorization",
                    "Use 'Authorization: Bearer <API token>'.");
  }
  auto token = request.Cookie(SessionCookieName(request, services_.config));
  if (!token) return std::nullopt;
  return auth::SessionPrincipal(services_.db, *token, now,
                                services_.config.session_idle_minutes * 60'000LL);
}

void Pipeline::CheckCsrf(const http::Request& request, const Principal* principal) const {
  if (!IsUnsafe(request.method)) return;
  if (principal != nullptr && principal->via == Principal::Via::kToken) return;
  // Browsers say where a request comes from; anything but our own origin is refused outright.
  if (auto site = request.Find("Sec-Fetch-Site"); site && *site == "cross-site") {
    throw HttpError(403, "csrf", "Cross-site request refused",
                    "This request came from another site.");
  }
  // "null" comes from sandboxed frames, data: pages and cross-origin redirects: never from us.
  if (auto origin = request.Find("Origin")) {
    std::string expected = services_.config.public_origin;
    bool same = false;
    if (!expected.empty()) {
      same = *origin == expected;
    } else if (auto host = request.Find("Host")) {
      same = *origin ==
             (IsSecure(request, services_.config) ? "https://" : "http://") + std::string(*host);
    }
    if (!same) {
      throw HttpError(403, "csrf", "Cross-origin request refused",
                      "The Origin of this request is not this server.");
    }
  }
  if (principal == nullptr) return;  // signing in: there is no session to protect yet
  auto token = request.Find("X-CSRF-Token");
  if (!token || !crypto::Equal(*token, principal->csrf_token)) {
    throw HttpError(403, "csrf", "CSRF token missing or wrong",
                    "Send the session's csrf_token in the X-CSRF-Token header.");
  }
}

http::Response Pipeline::Dispatch(http::Request& request, std::string& route_label,
                                  std::string& user) {
  auto match = router_.Find(request.method, request.path);
  if (match.route == nullptr) {
    if ((request.method == "GET" || request.method == "HEAD") && match.allowed.empty()) {
      if (auto res = web_.Serve(request)) {
        route_label = "static";
        return *res;
      }
    }
    route_label = "unmatched";
    if (match.allowed.empty()) throw NotFound("route");
    std::string allow;
    for (const auto& m : match.allowed) allow += (allow.empty() ? "" : ", ") + m;
    HttpError e(405, "method-not-allowed", "Method not allowed",
                "This resource accepts " + allow + ".");
    e.WithHeader("Allow", allow);
    throw e;
  }
  const Route& route = *match.route;
  route_label = route.pattern;
  std::optional<Principal> principal;
  if (route.action != Action::kPublic || request.Find("Authorization") ||
      request.Cookie(SessionCookieName(request, services_.config))) {
    principal = Authenticate(request);
  }
  const Principal* who = principal ? &*principal : nullptr;
  if (who != nullptr) user = who->username;
  CheckCsrf(request, who);
  Target target;
  if (!route.target_org_param.empty()) {
    for (const auto& [k, v] : match.params) {
      if (k == route.target_org_param) target.org_id = v;
    }
  }
  switch (Decide(who, route.action, target)) {
    case Decision::kAllow:
      break;
    case Decision::kUnauthenticated:
      throw Unauthenticated();
    case Decision::kForbidden:
      throw Forbidden();
  }
  Context ctx{request, match.params, who, services_};
  return route.handler(ctx);
}

http::Response Pipeline::Handle(http::Request& request) {
  auto start = std::chrono::steady_clock::now();
  request.remote_address = ClientAddress(request, services_.config);
  std::string route_label;
  std::string user;
  http::Response res;
  try {
    res = Dispatch(request, route_label, user);
  } catch (const HttpError& e) {
    res = ProblemResponse(e, request);
  } catch (const db::DbError& e) {
    using Kind = db::DbError::Kind;
    switch (e.kind()) {
      case Kind::kUnique:
        res = ProblemResponse(Conflict("Another resource already has that name or key."), request);
        break;
      case Kind::kForeignKey:
        res = ProblemResponse(Conflict("The change refers to something that does not exist, or "
                                       "something else still refers to it."),
                              request);
        break;
      case Kind::kUnavailable:
      case Kind::kSerialization:
        res = ProblemResponse(
            HttpError(503, "unavailable", "The database is unavailable", "Try again in a moment.")
                .WithHeader("Retry-After", "1"),
            request);
        break;
      default:
        spdlog::error("request {}: database error: {}", request.request_id, e.what());
        res = ProblemResponse(HttpError(500, "internal", "Internal error",
                                        "The error was logged with this request's id."),
                              request);
    }
  } catch (const std::exception& e) {
    spdlog::error("request {}: {}", request.request_id, e.what());
    res = ProblemResponse(HttpError(500, "internal", "Internal error",
                                    "The error was logged with this request's id."),
                          request);
  }
  AddSecurityHeaders(res, IsSecure(request, services_.config));
  res.Set("X-Request-Id", request.request_id);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // Methods are a closed set in the metrics, so invented ones cannot grow the series.
  static constexpr std::string_view kMethods[] = {"GET",   "HEAD",   "POST",   "PUT",
                                                  "PATCH", "DELETE", "OPTIONS"};
  bool known =
      std::find(std::begin(kMethods), std::end(kMethods), request.method) != std::end(kMethods);
  services_.metrics.ObserveRequest(known ? request.method : "OTHER", route_label, res.status,
                                   seconds);
  if (services_.config.access_log) {
    // The path only: query strings may carry cursors or search words, never secrets, but stay out.
    static const auto access =
        spdlog::get("access") ? spdlog::get("access") : spdlog::default_logger();
    access->info(
        R"({{"type":"access","request_id":"{}","remote":"{}","method":"{}","path":"{}","route":"{}","status":{},"ms":{:.3f},"bytes":{},"user":"{}"}})",
        request.request_id, JsonEscape(request.remote_address), JsonEscape(request.method),
        JsonEscape(request.path), JsonEscape(route_label), res.status, seconds * 1000,
        res.body.size(), JsonEscape(user));
  }
  return res;
}

bool IsSecure(const http::Request& request, const Config& config) {
  return request.tls || config.public_origin.starts_with("https://");
}

std::string_view SessionCookieName(const http::Request& request, const Config& config) {
  return IsSecure(request, config) ? Pipeline::kSecureSessionCookie : Pipeline::kSessionCookie;
}

std::string SessionCookie(const http::Request& request, const Config& config,
                          const std::string& token, long max_age_s) {
  std::string cookie = std::string(SessionCookieName(request, config)) + "=" + token +
                       "; Path=/; HttpOnly; SameSite=Lax; Max-Age=" + std::to_string(max_age_s);
  if (IsSecure(request, config)) cookie += "; Secure";
  return cookie;
}

std::string ExpiredSessionCookie(const http::Request& request, const Config& config) {
  return SessionCookie(request, config, "", 0);
}

std::string ClientAddress(const http::Request& request, const Config& config) {
  auto trusted = [&](std::string_view addr) {
    std::string_view list = config.trusted_proxies;
    while (!list.empty()) {
      auto comma = list.find(',');
      auto item = list.substr(0, comma);
      while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
      while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
      if (!item.empty() && item == addr) return true;
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
    return false;
  };
  if (!trusted(request.remote_address)) return request.remote_address;
  auto forwarded = request.Find("X-Forwarded-For");
  if (!forwarded) return request.remote_address;
  // Walk from the right: each proxy appends the address it received from.
  std::string_view list = *forwarded;
  while (!list.empty()) {
    auto comma = list.rfind(',');
    std::string_view item = comma == std::string_view::npos ? list : list.substr(comma + 1);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty() && !trusted(item)) return std::string(item.substr(0, 64));
    if (comma == std::string_view::npos) break;
    list = list.substr(0, comma);
  }
  return request.remote_address;
}

}  // namespace rampart
