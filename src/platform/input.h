// Reading a JSON request body with every mistake reported at once.
//
//   Input in(ctx.request);
//   auto name = in.Text("name", {.required = true, .max = 200});
//   auto tier = in.Int("criticality_tier", {.min = 1, .max = 3, .nullable = true});
//   in.Done();  // throws 422 listing every invalid and unknown field
//
// Each accessor records the field as known; Done() also refuses fields nobody asked for, so a
// typo never silently does nothing. Accessors return nullopt when the field is absent, null, or
// invalid; `Has()` tells absent from null for PATCH bodies.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "platform/http.h"
#include "platform/problem.h"

namespace rampart {

struct TextRule {
  bool required = false;
  bool nullable = false;
  std::size_t min = 0;
  std::size_t max = 1000;
  std::initializer_list<std::string_view> one_of = {};
  bool email = false;
  bool slug = false;  // lower-case letters, digits and '-'
  bool uuid = false;
};

struct IntRule {
  bool required = false;
  bool nullable = false;
  std::int64_t min = INT64_MIN;
  std::int64_t max = INT64_MAX;
};

class Input final {
 public:
  // Throws 415 unless the body is JSON, 400 when it does not parse or is not an object.
  explicit Input(const http::Request& request);
  // For tests and nested objects.
  explicit Input(nlohmann::json object, std::string prefix = "");

  [[nodiscard]] bool Has(std::string_view field) const;  // present, even if null
  [[nodiscard]] bool IsNull(std::string_view field) const;

  std::optional<std::string> Text(std::string_view field, const TextRule& rule);
  std::optional<std::int64_t> Int(std::string_view field, const IntRule& rule);
  std::optional<bool> Bool(std::string_view field, bool required = false);
  std::optional<Millis> Time(std::string_view field, bool required = false, bool nullable = false);
  // An array of strings, each checked by `rule` (its `required` applies to the array).
  std::optional<std::vector<std::string>> TextList(std::string_view field, const TextRule& rule,
                                                   std::size_t max_items = 100);

  // An array of objects, each read through an Input of its own whose errors name the element
  // ("/observables/2/value"); pass each to Absorb() once read.
  std::vector<Input> Objects(std::string_view field, std::size_t max_items, bool required = false);
  // An object, read through an Input of its own whose errors name the field ("/thresholds/high");
  // pass it to Absorb() once read. Nullopt when absent or null (or not an object: then an error).
  std::optional<Input> Object(std::string_view field, bool required = false);
  // Takes over `child`'s errors, its unknown fields included.
  void Absorb(Input& child);

  void Fail(std::string_view field, std::string message);
  // Throws 422 when any field was invalid or unknown; otherwise does nothing.
  void Done();

 private:
  const nlohmann::json* Get(std::string_view field, bool required, bool nullable);
  std::optional<std::string> CheckText(std::string_view field, const std::string& s,
                                       const TextRule& rule);
  std::string Pointer(std::string_view field) const { return prefix_ + "/" + std::string(field); }

  nlohmann::json body_;
  std::string prefix_;
  std::set<std::string, std::less<>> known_;
  std::vector<FieldError> errors_;
};

// Parses a JSON body; throws the same errors as Input's constructor.
nlohmann::json ParseJsonBody(const http::Request& request);

}  // namespace rampart
