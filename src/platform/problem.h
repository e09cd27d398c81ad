// HTTP errors as typed exceptions, mapped to RFC 9457 problem+json at one boundary (pipeline.cc).
// Handlers throw them when a request cannot go on; nothing a handler wrote in its transaction is
// kept, because the exception also rolls the transaction back.
#pragma once

#include <exception>
#include <string>
#include <utility>
#include <vector>

#include "platform/http.h"

namespace rampart {

struct FieldError {
  std::string field;  // a JSON Pointer into the body ("/name"), or a query parameter's name
  std::string message;
};

class HttpError final : public std::exception {
 public:
  HttpError(int status, std::string slug, std::string title, std::string detail = {},
            std::vector<FieldError> errors = {})
      : status_(status),
        slug_(std::move(slug)),
        title_(std::move(title)),
        detail_(std::move(detail)),
        errors_(std::move(errors)) {}

  [[nodiscard]] const char* what() const noexcept override { return title_.c_str(); }
  [[nodiscard]] int status() const { return status_; }
  [[nodiscard]] const std::string& slug() const { return slug_; }
  [[nodiscard]] const std::string& title() const { return title_; }
  [[nodiscard]] const std::string& detail() const { return detail_; }
  [[nodiscard]] const std::vector<FieldError>& errors() const { return errors_; }
  [[nodiscard]] const std::vector<http::Header>& headers() const { return headers_; }
  HttpError& WithHeader(std::string name, std::string value) {
    headers_.push_back({std::move(name), std::move(value)});
    return *this;
  }

 private:
  int status_;
  std::string slug_;
  std::string title_;
  std::string detail_;
  std::vector<FieldError> errors_;
  std::vector<http::Header> headers_;
};

// The common ones, so every handler says them the same way.
HttpError BadRequest(std::string detail);
HttpError InvalidInput(std::vector<FieldError> errors);
HttpError InvalidField(std::string field, std::string message);
HttpError Unauthenticated();
HttpError Forbidden(std::string detail = "You may not do this.");
HttpError NotFound(std::string what = "resource");
HttpError Conflict(std::string detail);
HttpError PreconditionFailed();
HttpError PreconditionRequired();
HttpError TooManyRequests(long retry_after_seconds);

// The problem+json response for `error`, with `instance` and `request_id` taken from `request`.
http::Response ProblemResponse(const HttpError& error, const http::Request& request);

}  // namespace rampart
