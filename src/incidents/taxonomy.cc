#include "incidents/taxonomy.h"

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>

#include "platform/embedded.h"

namespace rampart::incidents {
namespace {

constexpr std::string_view kRsitPath = "catalogues/rsit.json";

[[noreturn]] void Fail(const std::string& where, const std::string& what) {
  throw std::logic_error("taxonomy: " + where + ": " + what);
}

bool IsMachineName(std::string_view s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

// The string member `key` of `j`, which must be present and non-empty.
std::string Text(const nlohmann::json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    Fail(where, std::string("\"") + key + "\" must be a non-empty string");
  }
  return it->get<std::string>();
}

// A class or type entry's id, checked to be a machine name.
std::string Id(const nlohmann::json& j, const std::string& where) {
  auto id = Text(j, "id", where);
  if (!IsMachineName(id)) Fail(where, "id \"" + id + "\" is not a machine name [a-z0-9-]+");
  return id;
}

const nlohmann::json& List(const nlohmann::json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array() || it->empty()) {
    Fail(where, std::string("\"") + key + "\" must be a non-empty list");
  }
  return *it;
}

}  // namespace

Taxonomy Taxonomy::Parse(std::string_view json_text) {
  auto root = nlohmann::json::parse(json_text, nullptr, /*allow_exceptions=*/false);
  if (root.is_discarded() || !root.is_object()) Fail("file", "not a JSON object");

  Taxonomy t;
  t.urn_ = Text(root, "urn", "file");
  t.name_ = Text(root, "name", "file");
  t.version_ = Text(root, "version", "file");
  t.source_ = Text(root, "source", "file");

  std::set<std::string, std::less<>> class_ids, type_ids;
  for (const auto& jc : List(root, "classes", "file")) {
    std::string where = "class #" + std::to_string(t.classes_.size() + 1);
    if (!jc.is_object()) Fail(where, "not an object");
    TaxonomyClass c{.id = Id(jc, where)};
    where = "class \"" + c.id + "\"";
    if (!class_ids.insert(c.id).second) Fail(where, "duplicate class id");
    c.name = Text(jc, "name", where);
    c.description = Text(jc, "description", where);
    for (const auto& jt : List(jc, "types", where)) {
      std::string twhere = where + " type #" + std::to_string(c.types.size() + 1);
      if (!jt.is_object()) Fail(twhere, "not an object");
      TaxonomyType ty{.id = Id(jt, twhere)};
      twhere = where + " type \"" + ty.id + "\"";
      if (!type_ids.insert(ty.id).second) Fail(twhere, "duplicate type id");
      ty.name = Text(jt, "name", twhere);
      ty.description = Text(jt, "description", twhere);
      c.types.push_back(std::move(ty));
    }
    t.classes_.push_back(std::move(c));
  }
  return t;
}

const Taxonomy& Taxonomy::Rsit() {
  static const Taxonomy kRsit = [] {
    for (const auto& f : EmbeddedFiles()) {
      if (f.path == kRsitPath) return Parse(f.data);
    }
    Fail(std::string(kRsitPath), "not embedded in the binary");
  }();
  return kRsit;
}

const TaxonomyClass* Taxonomy::FindClass(std::string_view cls) const {
  for (const auto& c : classes_) {
    if (c.id == cls) return &c;
  }
  return nullptr;
}

bool Taxonomy::HasClass(std::string_view cls) const { return FindClass(cls) != nullptr; }

bool Taxonomy::HasType(std::string_view cls, std::string_view type) const {
  const auto* c = FindClass(cls);
  if (c == nullptr) return false;
  for (const auto& t : c->types) {
    if (t.id == type) return true;
  }
  return false;
}

std::optional<std::string_view> Taxonomy::ClassOfType(std::string_view type) const {
  for (const auto& c : classes_) {
    for (const auto& t : c.types) {
      if (t.id == type) return std::string_view(c.id);
    }
  }
  return std::nullopt;
}

bool IsDataQualityClass(std::string_view cls, std::string_view type) {
  return cls == "other" && Taxonomy::Rsit().HasType(cls, type);
}

std::optional<ClassificationError> CheckClassification(const std::optional<std::string>& cls,
                                                       const std::optional<std::string>& type) {
  if (!cls && !type) return std::nullopt;
  if (!cls || !type) {
    return ClassificationError{cls ? "rsit_type" : "rsit_class",
                               "is required with the other classification field"};
  }
  const Taxonomy& t = Taxonomy::Rsit();
  if (!t.HasClass(*cls)) {
    return ClassificationError{
        "rsit_class", "is not a class of the ENISA taxonomy (see /api/v1/taxonomies/rsit)"};
  }
  if (!t.HasType(*cls, *type)) {
    return ClassificationError{"rsit_type", "is not a type of the class " + *cls};
  }
  return std::nullopt;
}

}  // namespace rampart::incidents
