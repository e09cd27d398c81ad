// A JSON writer that appends to a string: no document tree, one pass. List and detail responses
// use it, because building a tree of maps for every item cost more than the database did.
//
//   JsonWriter w;
//   w.BeginObject().Key("id").String(id).Key("tags").BeginArray().String("a").EndArray().EndObject();
//   std::string body = std::move(w).Take();
//
// The caller keeps keys and values paired and begin/end balanced; the writer places commas and
// escapes strings (which must be UTF-8, as everything Rampart stores is).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rampart {

class JsonWriter final {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  JsonWriter& Key(std::string_view key);
  JsonWriter& String(std::string_view value);
  JsonWriter& Int(std::int64_t value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  JsonWriter& Time(std::int64_t millis);  // RFC 3339 with milliseconds, UTC
  // Already-encoded JSON, placed as one value.
  JsonWriter& Raw(std::string_view json);
  JsonWriter& OptionalString(const std::optional<std::string>& value) {
    return value ? String(*value) : Null();
  }
  JsonWriter& OptionalInt(const std::optional<std::int64_t>& value) {
    return value ? Int(*value) : Null();
  }
  JsonWriter& OptionalTime(const std::optional<std::int64_t>& millis) {
    return millis ? Time(*millis) : Null();
  }

  // A key and its value in one call, so that a long object reads one member a line.
  JsonWriter& KeyString(std::string_view key, std::string_view value) {
    return Key(key).String(value);
  }
  JsonWriter& KeyInt(std::string_view key, std::int64_t value) { return Key(key).Int(value); }
  JsonWriter& KeyBool(std::string_view key, bool value) { return Key(key).Bool(value); }
  JsonWriter& KeyTime(std::string_view key, std::int64_t millis) { return Key(key).Time(millis); }
  JsonWriter& KeyNull(std::string_view key) { return Key(key).Null(); }
  JsonWriter& KeyOptString(std::string_view key, const std::optional<std::string>& value) {
    return Key(key).OptionalString(value);
  }
  JsonWriter& KeyOptInt(std::string_view key, const std::optional<std::int64_t>& value) {
    return Key(key).OptionalInt(value);
  }
  JsonWriter& KeyOptTime(std::string_view key, const std::optional<std::int64_t>& millis) {
    return Key(key).OptionalTime(millis);
  }

  [[nodiscard]] const std::string& str() const { return out_; }
  std::string Take() && { return std::move(out_); }

 private:
  void Separate() {
    if (need_comma_) out_.push_back(',');
  }
  std::string out_;
  bool need_comma_ = false;
};

}  // namespace rampart
