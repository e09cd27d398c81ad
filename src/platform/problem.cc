#include "platform/problem.h"

#include <nlohmann/json.hpp>

namespace rampart {

HttpError BadRequest(std::string detail) {
  return {400, "bad-request", "The request is malformed", std::move(detail)};
}
HttpError InvalidInput(std::vector<FieldError> errors) {
  std::string detail = errors.size() == 1 ? errors[0].field + ": " + errors[0].message
                                          : std::to_string(errors.size()) + " fields are invalid";
  return {422, "invalid-input", "The request is not valid", std::move(detail), std::move(errors)};
}
HttpError InvalidField(std::string field, std::string message) {
  return InvalidInput({{std::move(field), std::move(message)}});
}
HttpError Unauthenticated() {
  return {401, "unauthenticated", "Sign-in required",
          "Sign in, or send an API token as 'Authorization: Bearer …'."};
}
HttpError Forbidden(std::string detail) {
  return {403, "forbidden", "Not allowed", std::move(detail)};
}
HttpError NotFound(std::string what) {
  return {404, "not-found", "Not found", "No such " + what + "."};
}
HttpError Conflict(std::string detail) {
  return {409, "conflict", "Conflict with the current state", std::move(detail)};
}
HttpError PreconditionFailed() {
  return {
      412, "precondition-failed", "The resource has changed",
      "Someone changed this resource since you read it; reload it and apply your change again."};
}
HttpError PreconditionRequired() {
  return {428, "precondition-required", "If-Match is required",
          "Send the resource's ETag in If-Match so that no one's change is overwritten unseen."};
}
HttpError TooManyRequests(long retry_after_seconds) {
  HttpError e{429, "too-many-requests", "Too many attempts",
              "Try again in " + std::to_string(retry_after_seconds) + " seconds."};
  e.WithHeader("Retry-After", std::to_string(retry_after_seconds));
  return e;
}

http::Response ProblemResponse(const HttpError& error, const http::Request& request) {
  nlohmann::json body = {
      {"type", "urn:rampart:problem:" + error.slug()},
      {"title", error.title()},
      {"status", error.status()},
      {"instance", request.path},
  };
  if (!error.detail().empty()) body["detail"] = error.detail();
  if (!request.request_id.empty()) body["request_id"] = request.request_id;
  if (!error.errors().empty()) {
    auto& list = body["errors"] = nlohmann::json::array();
    for (const auto& fe : error.errors())
      list.push_back({{"field", fe.field}, {"message", fe.message}});
  }
  http::Response res;
  res.status = error.status();
  res.Set("Content-Type", "application/problem+json");
  for (const auto& h : error.headers()) res.Add(h.name, h.value);
  res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

}  // namespace rampart
