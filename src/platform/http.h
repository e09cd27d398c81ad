// Plain HTTP request and response types. They carry no Boost types, so that only the server's own
// translation unit includes Beast and Asio.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace rampart::http {

struct Header {
  std::string name;
  std::string value;
};

// Case-insensitive ASCII comparison, as header names require.
bool IEquals(std::string_view a, std::string_view b);

struct Request {
  std::string method;  // upper case, e.g. "GET"
  std::string target;  // as sent: path and query
  std::string path;    // percent-decoded path, without the query
  std::string query;   // raw query string without '?'
  std::vector<Header> headers;
  std::string body;
  std::string remote_address;
  bool tls = false;
  std::string request_id;  // set by the server: a fresh id per request

  // The first header with that name, if any.
  [[nodiscard]] std::optional<std::string_view> Find(std::string_view name) const;
  // The decoded value of a query parameter, if present.
  [[nodiscard]] std::optional<std::string> QueryParam(std::string_view name) const;
  [[nodiscard]] std::optional<std::string> Cookie(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::vector<Header> headers;
  std::string body;

  void Set(std::string_view name, std::string value);  // replaces any header of that name
  void Add(std::string name, std::string value);       // appends (Set-Cookie)
  [[nodiscard]] std::optional<std::string_view> Find(std::string_view name) const;
};

// Splits and percent-decodes; nullopt when the escape is malformed or the path is not absolute.
// Anything from '?' on is ignored. Also nullopt when the decoded path holds a NUL byte or a "." or
// ".." segment (so "%2e%2e" and "..%2f" cannot climb either); '+' stays '+'.
std::optional<std::string> DecodePath(std::string_view raw);
// Lenient decoding for query strings: a malformed escape is kept as it is.
std::string PercentDecode(std::string_view s, bool plus_is_space);
std::string_view ReasonPhrase(int status);

}  // namespace rampart::http
