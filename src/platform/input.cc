#include "platform/input.h"

#include <algorithm>

#include "platform/crypto.h"

namespace rampart {

nlohmann::json ParseJsonBody(const http::Request& request) {
  auto type = request.Find("Content-Type");
  std::string_view t = type.value_or("");
  t = t.substr(0, t.find(';'));
  while (!t.empty() && t.back() == ' ') t.remove_suffix(1);
  if (!http::IEquals(t, "application/json")) {
    throw HttpError(415, "unsupported-media-type", "Send JSON",
                    "The body must be sent as Content-Type: application/json.");
  }
  auto body = nlohmann::json::parse(request.body, nullptr, false);
  if (body.is_discarded()) {
    throw HttpError(400, "invalid-json", "The body is not valid JSON",
                    "The body could not be parsed as JSON (UTF-8).");
  }
  return body;
}

Input::Input(const http::Request& request) : body_(ParseJsonBody(request)) {
  if (!body_.is_object()) {
    throw HttpError(400, "invalid-json", "The body must be a JSON object",
                    "Send the fields as one JSON object.");
  }
}

Input::Input(nlohmann::json object, std::string prefix)
    : body_(std::move(object)), prefix_(std::move(prefix)) {}

bool Input::Has(std::string_view field) const { return body_.contains(field); }

bool Input::IsNull(std::string_view field) const {
  auto it = body_.find(field);
  return it != body_.end() && it->is_null();
}

void Input::Fail(std::string_view field, std::string message) {
  errors_.push_back({Pointer(field), std::move(message)});
}

const nlohmann::json* Input::Get(std::string_view field, bool required, bool nullable) {
  known_.emplace(field);
  auto it = body_.find(field);
  if (it == body_.end()) {
    if (required) Fail(field, "is required");
    return nullptr;
  }
  if (it->is_null()) {
    if (!nullable) Fail(field, required ? "is required" : "must not be null");
    return nullptr;
  }
  return &*it;
}

namespace {
bool LooksLikeEmail(const std::string& s) {
  auto at = s.find('@');
  if (at == std::string::npos || at == 0 || at != s.rfind('@')) return false;
  auto dot = s.find('.', at);
  if (dot == std::string::npos || dot == at + 1 || dot == s.size() - 1) return false;
  return std::none_of(s.begin(), s.end(), [](char c) {
    return c == ' ' || c == '<' || c == '>' || static_cast<unsigned char>(c) < 0x20;
  });
}
bool IsSlug(const std::string& s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}
// Characters, not bytes, for length limits people understand.
std::size_t CodePoints(const std::string& s) {
  return static_cast<std::size_t>(
      std::count_if(s.begin(), s.end(), [](char c) { return (c & 0xC0) != 0x80; }));
}
}  // namespace

std::optional<std::string> Input::CheckText(std::string_view field, const std::string& s,
                                            const TextRule& rule) {
  std::size_t n = CodePoints(s);
  if (rule.required && n == 0) {
    Fail(field, "must not be empty");
    return std::nullopt;
  }
  if (n < rule.min || n > rule.max) {
    Fail(field, "must be " + std::to_string(rule.min) + " to " + std::to_string(rule.max) +
                    " characters long");
    return std::nullopt;
  }
  if (std::any_of(s.begin(), s.end(), [](char c) { return c == '\0'; })) {
    Fail(field, "must not contain NUL characters");
    return std::nullopt;
  }
  if (rule.one_of.size() > 0 &&
      std::find(rule.one_of.begin(), rule.one_of.end(), s) == rule.one_of.end()) {
    std::string list;
    for (auto v : rule.one_of) list += (list.empty() ? "" : ", ") + std::string(v);
    Fail(field, "must be one of " + list);
    return std::nullopt;
  }
  if (rule.email && !LooksLikeEmail(s)) {
    Fail(field, "must be an e-mail address");
    return std::nullopt;
  }
  if (rule.slug && !IsSlug(s)) {
    Fail(field, "must use only lower-case letters, digits and '-'");
    return std::nullopt;
  }
  if (rule.uuid && !crypto::IsUuid(s)) {
    Fail(field, "must be a UUID");
    return std::nullopt;
  }
  return s;
}

std::optional<std::string> Input::Text(std::string_view field, const TextRule& rule) {
  const auto* v = Get(field, rule.required, rule.nullable);
  if (v == nullptr) return std::nullopt;
  if (!v->is_string()) {
    Fail(field, "must be a string");
    return std::nullopt;
  }
  return CheckText(field, v->get<std::string>(), rule);
}

std::optional<std::int64_t> Input::Int(std::string_view field, const IntRule& rule) {
  const auto* v = Get(field, rule.required, rule.nullable);
  if (v == nullptr) return std::nullopt;
  if (!v->is_number_integer()) {
    Fail(field, "must be a whole number");
    return std::nullopt;
  }
  std::int64_t n = v->is_number_unsigned() && v->get<std::uint64_t>() > INT64_MAX
                       ? INT64_MAX
                       : v->get<std::int64_t>();
  if (n < rule.min || n > rule.max) {
    Fail(field, "must be from " + std::to_string(rule.min) + " to " + std::to_string(rule.max));
    return std::nullopt;
  }
  return n;
}

std::optional<bool> Input::Bool(std::string_view field, bool required) {
  const auto* v = Get(field, required, false);
  if (v == nullptr) return std::nullopt;
  if (!v->is_boolean()) {
    Fail(field, "must be true or false");
    return std::nullopt;
  }
  return v->get<bool>();
}

std::optional<Millis> Input::Time(std::string_view field, bool required, bool nullable) {
  const auto* v = Get(field, required, nullable);
  if (v == nullptr) return std::nullopt;
  std::optional<Millis> t;
  if (v->is_string()) t = ParseRfc3339(v->get<std::string>());
  if (!t) Fail(field, "must be an RFC 3339 time such as 2026-11-23T08:54:00.000Z");
  return t;
}

std::optional<std::vector<std::string>> Input::TextList(std::string_view field,
                                                        const TextRule& rule,
                                                        std::size_t max_items) {
  const auto* v = Get(field, rule.required, rule.nullable);
  if (v == nullptr) return std::nullopt;
  if (!v->is_array() || v->size() > max_items) {
    Fail(field, "must be a list of at most " + std::to_string(max_items) + " strings");
    return std::nullopt;
  }
  std::vector<std::string> out;
  bool ok = true;
  TextRule item = rule;
  item.required = true;
  for (std::size_t i = 0; i < v->size(); ++i) {
    std::string sub = std::string(field) + "/" + std::to_string(i);
    if (!(*v)[i].is_string()) {
      Fail(sub, "must be a string");
      ok = false;
      continue;
    }
    auto s = CheckText(sub, (*v)[i].get<std::string>(), item);
    if (!s) {
      ok = false;
      continue;
    }
    out.push_back(std::move(*s));
  }
  if (!ok) return std::nullopt;
  return out;
}

std::vector<Input> Input::Objects(std::string_view field, std::size_t max_items, bool required) {
  std::vector<Input> out;
  const auto* v = Get(field, required, false);
  if (v == nullptr) return out;
  if (!v->is_array() || v->size() > max_items) {
    Fail(field, "must be a list of at most " + std::to_string(max_items) + " objects");
    return out;
  }
  for (std::size_t k = 0; k < v->size(); ++k) {
    const std::string pointer = Pointer(field) + "/" + std::to_string(k);
    if (!(*v)[k].is_object()) {
      errors_.push_back({pointer, "must be an object"});
      continue;
    }
    out.emplace_back((*v)[k], pointer);
  }
  return out;
}

std::optional<Input> Input::Object(std::string_view field, bool required) {
  const auto* v = Get(field, required, /*nullable=*/!required);
  if (v == nullptr) return std::nullopt;
  if (!v->is_object()) {
    Fail(field, "must be an object");
    return std::nullopt;
  }
  return Input(*v, Pointer(field));
}

void Input::Absorb(Input& child) {
  for (const auto& [key, value] : child.body_.items()) {
    if (child.known_.find(key) == child.known_.end()) {
      child.Fail(key, "is not a field of this resource");
    }
  }
  for (auto& e : child.errors_) errors_.push_back(std::move(e));
  child.errors_.clear();
}

void Input::Done() {
  for (const auto& [key, value] : body_.items()) {
    if (known_.find(key) == known_.end()) Fail(key, "is not a field of this resource");
  }
  if (!errors_.empty()) {
    auto errors = std::move(errors_);
    errors_.clear();
    // Put unknown fields last, so the most useful message comes first.
    std::stable_partition(errors.begin(), errors.end(), [](const FieldError& e) {
      return e.message != "is not a field of this resource";
    });
    throw InvalidInput(std::move(errors));
  }
}

}  // namespace rampart
