// The ENISA Reference Security Incident Taxonomy (RSIT) that incident reports are classified by:
// classes and their types, by machine name, loaded from catalogues/rsit.json (embedded in the
// binary). The data is the standard's; this file only answers questions about it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::incidents {

struct TaxonomyType {
  std::string id;  // machine name, e.g. "c2-server"
  std::string name;
  std::string description;
};

struct TaxonomyClass {
  std::string id;  // machine name, e.g. "malicious-code"
  std::string name;
  std::string description;
  std::vector<TaxonomyType> types;  // in the standard's order
};

class Taxonomy final {
 public:
  // The RSIT, parsed and validated on first use. Throws std::logic_error, naming the entry at
  // fault, if the embedded catalogue is missing or malformed: that is a build error, not input.
  static const Taxonomy& Rsit();

  // Parses and validates a catalogue in the layout of catalogues/rsit.json. Class ids are unique
  // among classes; type ids are unique across the whole taxonomy, so each type names its class.
  // Throws std::logic_error naming the entry at fault.
  static Taxonomy Parse(std::string_view json_text);

  [[nodiscard]] const std::string& Urn() const { return urn_; }
  [[nodiscard]] const std::string& Name() const { return name_; }
  [[nodiscard]] const std::string& Version() const { return version_; }
  [[nodiscard]] const std::string& Source() const { return source_; }
  // Every class, in the standard's order.
  [[nodiscard]] const std::vector<TaxonomyClass>& Classes() const { return classes_; }

  // Nullptr when there is no such class.
  [[nodiscard]] const TaxonomyClass* FindClass(std::string_view cls) const;
  [[nodiscard]] bool HasClass(std::string_view cls) const;
  // True only when `type` exists and belongs to `cls`; a real type under another class is false.
  [[nodiscard]] bool HasType(std::string_view cls, std::string_view type) const;
  // The class a type belongs to; nullopt for an unknown type. The view lives as long as *this.
  [[nodiscard]] std::optional<std::string_view> ClassOfType(std::string_view type) const;

 private:
  Taxonomy() = default;

  std::string urn_, name_, version_, source_;
  std::vector<TaxonomyClass> classes_;
};

// Why a classification given in a report cannot stand: the field at fault (API name) and a message
// for people; nullopt when it can. A class and a type are given together or not at all.
struct ClassificationError {
  std::string field;
  std::string message;
};
std::optional<ClassificationError> CheckClassification(const std::optional<std::string>& cls,
                                                       const std::optional<std::string>& type);

// Whether a classification says "we could not classify this": the types of the RSIT class
// "other" ("other", shown as Uncategorised, and "undetermined"). Their share of reports is a
// data-quality figure. False for anything else, including unknown names.
bool IsDataQualityClass(std::string_view cls, std::string_view type);

}  // namespace rampart::incidents
