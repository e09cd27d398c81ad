#include "platform/context.h"

#include <charconv>

#include "platform/crypto.h"
#include "platform/problem.h"

namespace rampart {

const std::string& Context::Param(std::string_view name) const {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  throw std::logic_error("route has no parameter " + std::string(name));
}

const std::string& Context::IdParam(std::string_view name, std::string_view what) const {
  const std::string& v = Param(name);
  if (!crypto::IsUuid(v)) throw NotFound(std::string(what));
  return v;
}

const Principal& Context::caller() const {
  if (principal == nullptr) throw Unauthenticated();
  return *principal;
}

http::Response Json(int status, const nlohmann::json& body) {
  http::Response res;
  res.status = status;
  res.Set("Content-Type", "application/json");
  res.body = body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return res;
}

http::Response JsonText(int status, std::string body) {
  http::Response res;
  res.status = status;
  res.Set("Content-Type", "application/json");
  res.body = std::move(body);
  return res;
}

http::Response NoContent() {
  http::Response res;
  res.status = 204;
  return res;
}

void SetETag(http::Response& response, std::int64_t version) {
  response.Set("ETag", "\"" + std::to_string(version) + "\"");
}

std::int64_t RequiredIfMatch(const http::Request& request) {
  auto h = request.Find("If-Match");
  if (!h) throw PreconditionRequired();
  std::string_view v = *h;
  if (v.starts_with("W/")) v.remove_prefix(2);
  if (v.size() < 3 || v.front() != '"' || v.back() != '"') throw PreconditionFailed();
  v = v.substr(1, v.size() - 2);
  std::int64_t version = 0;
  auto [ptr, ec] = std::from_chars(v.data(), v.data() + v.size(), version);
  if (ec != std::errc() || ptr != v.data() + v.size()) throw PreconditionFailed();
  return version;
}

PageRequest ParsePage(const http::Request& request, std::vector<FieldError>* errors) {
  std::vector<FieldError> own;
  std::vector<FieldError>& out = errors != nullptr ? *errors : own;
  PageRequest page;
  if (auto limit = request.QueryParam("limit")) {
    int n = 0;
    auto [ptr, ec] = std::from_chars(limit->data(), limit->data() + limit->size(), n);
    if (ec != std::errc() || ptr != limit->data() + limit->size() || n < 1 || n > 200) {
      out.push_back({"limit", "must be a whole number from 1 to 200"});
    } else {
      page.limit = n;
    }
  }
  if (auto cursor = request.QueryParam("cursor"); cursor && !cursor->empty()) {
    auto raw = crypto::FromBase64Url(*cursor);
    auto parsed = raw ? nlohmann::json::parse(*raw, nullptr, false) : nlohmann::json();
    if (!raw || parsed.is_discarded() || !parsed.is_array()) {
      out.push_back({"cursor", "is not a cursor this server issued"});
    } else {
      page.after = std::move(parsed);
    }
  }
  if (errors == nullptr && !own.empty()) throw InvalidInput(std::move(own));
  return page;
}

std::string EncodeCursor(const nlohmann::json& key) { return crypto::Base64Url(key.dump()); }

}  // namespace rampart
