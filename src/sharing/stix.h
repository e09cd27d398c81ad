// STIX 2.1 without a database: identifiers and timestamps, a streaming splitter for bundles, the
// check of one object (simdjson on-demand), STIX patterns for Rampart's normalised observables,
// and the official TLP 2.0 marking-definition objects. Pure functions and small stateful parsers;
// the store (stix_store.h) and the handlers build on them.
//
// What an import accepts, object by object (anything else is refused with the object's index, id
// and property):
//   * `id` of the form "<type>--<uuid>" whose type is the object's `type`;
//   * `spec_version` "2.1" (cyber observables may leave it out: 2.1 is their default);
//   * the common properties of its kind: `created` and `modified` for domain and relationship
//     objects, `created` for marking definitions, and the properties the specification requires
//     of each type it defines (an indicator's pattern, pattern_type and valid_from, a
//     relationship's relationship_type, source_ref and target_ref, …);
//   * every timestamp RFC 3339 in UTC with a 'Z' ("2026-03-01T10:00:00Z", any fraction);
//   * every `*_ref` an identifier and every `*_refs` an array of identifiers, object_marking_refs
//     naming marking definitions.
// Custom types ("x-…") and custom properties are kept as they came.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "incidents/observables.h"
#include "sharing/tlp.h"

namespace rampart::sharing::stix {

// Microseconds since 1970 of a STIX timestamp ("2026-03-01T10:00:00.123Z"); nullopt unless it is
// RFC 3339 in UTC ending in 'Z'. Digits beyond the microsecond are accepted and ignored.
std::optional<std::int64_t> ParseTimestamp(std::string_view text);
// "2026-03-01T10:00:00.123456Z": TAXII's date_added, always with six fraction digits.
std::string FormatTimestamp(std::int64_t micros);
// The millisecond form STIX producers mostly use ("…:00.123Z").
std::string FormatMillis(std::int64_t millis);

// Whether `id` is "<type>--<uuid>" (and, when `type` is given, of that type).
bool IsIdentifier(std::string_view id, std::string_view type = {});
// The type part of an identifier ("indicator" of "indicator--…").
std::string_view TypeOf(std::string_view id);
// Whether `type` is a STIX type name: 3 to 250 characters of [a-z0-9-], not starting or ending
// with '-', and without "--".
bool IsTypeName(std::string_view type);

// What the store needs of one valid object.
struct ObjectInfo {
  std::string id;
  std::string type;
  std::string spec_version = "2.1";
  std::optional<std::string> created;
  std::optional<std::string> modified;
  std::optional<std::int64_t> version_us;  // modified, else created; none for cyber observables
  bool revoked = false;
  std::optional<Tlp> tlp;  // the strictest TLP marking among object_marking_refs, if any
  std::optional<std::string> external_id;  // attack-pattern: its ATT&CK technique id
  std::optional<std::string> name;
};

// Why an object was refused. `id` is empty when the object has no readable id.
struct ObjectError {
  std::string id;
  std::string property;  // "" when the object as a whole is at fault
  std::string message;   // for people: "is not an RFC 3339 timestamp in UTC ending in Z"
  // "objects[3] (indicator--…): 'valid_from' is not …"
  [[nodiscard]] std::string Describe(std::size_t index) const;
};

struct Checked {
  ObjectInfo info;
  std::optional<ObjectError> error;
  [[nodiscard]] bool ok() const { return !error.has_value(); }
};

// Checks objects one at a time, reusing one simdjson parser (so keep one per thread).
class ObjectChecker final {
 public:
  ObjectChecker();
  ~ObjectChecker();
  ObjectChecker(const ObjectChecker&) = delete;
  ObjectChecker& operator=(const ObjectChecker&) = delete;
  // `json` is one object's text; the checker may grow its capacity (simdjson reads padding bytes
  // past the end), never its contents.
  Checked Check(std::string& json);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// Splits a bundle ({"type": "bundle", "id": …, "objects": [ … ]}) into the texts of its objects as
// bytes arrive, so that a bundle of any size is read with memory of one object. It scans
// strings, escapes and nesting only; each object's own JSON is checked by ObjectChecker.
class BundleScanner final {
 public:
  // Called with each object's text and its index in `objects`; returns false to stop.
  using OnObject = std::function<bool(std::string& text, std::size_t index)>;
  // `envelope`: a TAXII envelope ({"objects": [...]}), which has no "type".
  explicit BundleScanner(std::size_t max_object_bytes = 16u << 20, bool envelope = false);
  // Returns an error for people, or "" to go on. After an error or a stop, feed no more.
  std::string Feed(std::string_view bytes, const OnObject& on_object);
  // After the last bytes: an error when the document is incomplete or not a bundle.
  std::string Finish() const;
  [[nodiscard]] std::size_t objects() const { return count_; }
  [[nodiscard]] bool stopped() const { return stopped_; }

 private:
  std::string Fail(std::string message);
  std::size_t max_object_bytes_;
  bool envelope_;
  std::size_t count_ = 0;
  std::size_t offset_ = 0;  // bytes read so far, for messages
  int depth_ = 0;
  bool started_ = false;
  bool ended_ = false;
  bool in_string_ = false;
  bool escape_ = false;
  bool expect_key_ = false;  // at depth 1, the next string is a key
  bool reading_key_ = false;
  bool reading_type_ = false;
  bool in_objects_ = false;
  bool seen_objects_ = false;
  bool stopped_ = false;
  std::string key_;        // the top-level key being read
  std::string value_key_;  // the top-level key whose value is being read
  std::string type_;       // the bundle's "type"
  std::string element_;    // the object being collected
  std::string error_;
};

// The STIX pattern that matches an observable's normalised value: "[ipv4-addr:value = '…']",
// "[file:hashes.'SHA-256' = '…']", …; nullopt for CVE ids (they become vulnerabilities).
std::optional<std::string> PatternFor(incidents::ObservableType type, std::string_view value);
// The cyber-observable object for a normalised value, with its deterministic id (UUIDv5 in the
// STIX namespace over its identifying properties), as JSON text; nullopt for CVE ids.
std::optional<std::string> ObservableObject(incidents::ObservableType type, std::string_view value,
                                            std::string* id_out);
// A UUIDv5 in the given namespace (for deterministic ids of exported objects).
std::string UuidV5(std::string_view namespace_uuid, std::string_view name);

// The official TLP 2.0 marking-definition object of a label, as JSON text.
std::string MarkingDefinition(Tlp tlp);

}  // namespace rampart::sharing::stix
