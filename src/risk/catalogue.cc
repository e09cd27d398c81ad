#include "risk/catalogue.h"

#include <algorithm>
#include <array>
#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <utility>

#include "platform/embedded.h"

namespace rampart::risk {
namespace {

constexpr std::string_view kThreatsPath = "catalogues/risk-threats.json";
constexpr std::string_view kVulnerabilitiesPath = "catalogues/risk-vulnerabilities.json";
constexpr std::string_view kThreatPrefix = "urn:rampart:risk:threat:";
constexpr std::string_view kVulnerabilityPrefix = "urn:rampart:risk:vulnerability:";

constexpr std::array<std::pair<AssetType, std::string_view>, 8> kAssetTypeNames{{
    {AssetType::kBusinessProcess, "business_process"},
    {AssetType::kInformation, "information"},
    {AssetType::kHardware, "hardware"},
    {AssetType::kSoftware, "software"},
    {AssetType::kNetwork, "network"},
    {AssetType::kPeople, "people"},
    {AssetType::kSite, "site"},
    {AssetType::kOrganisation, "organisation"},
}};

constexpr std::array<std::string_view, 3> kOrigins{"deliberate", "accidental", "environmental"};

// The number of controls in each theme of ISO/IEC 27002:2022: 5 organisational (37), 6 people (8),
// 7 physical (14), 8 technological (34). A control id outside these ranges is a typo, or one from
// the 2013 edition, and would send the reader to the wrong control.
constexpr std::array<std::pair<int, int>, 4> kControlThemes{{{5, 37}, {6, 8}, {7, 14}, {8, 34}}};

[[noreturn]] void Fail(const std::string& where, const std::string& what) {
  throw std::logic_error("risk catalogue: " + where + ": " + what);
}

// The string member `key` of `j`, which must be present and non-empty.
std::string Text(const nlohmann::json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string() || it->get_ref<const std::string&>().empty()) {
    Fail(where, std::string("\"") + key + "\" must be a non-empty string");
  }
  return it->get<std::string>();
}

const nlohmann::json& List(const nlohmann::json& j, const char* key, const std::string& where) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_array() || it->empty()) {
    Fail(where, std::string("\"") + key + "\" must be a non-empty list");
  }
  return *it;
}

// A non-empty list of distinct non-empty strings.
std::vector<std::string> Strings(const nlohmann::json& j, const char* key,
                                 const std::string& where) {
  std::vector<std::string> out;
  for (const auto& item : List(j, key, where)) {
    if (!item.is_string() || item.get_ref<const std::string&>().empty()) {
      Fail(where, std::string("\"") + key + "\" must hold non-empty strings");
    }
    auto s = item.get<std::string>();
    if (std::find(out.begin(), out.end(), s) != out.end()) {
      Fail(where, std::string("\"") + key + "\" names \"" + s + "\" twice");
    }
    out.push_back(std::move(s));
  }
  return out;
}

bool IsSlug(std::string_view s) {
  if (s.empty() || s.front() == '-' || s.back() == '-') return false;
  return std::all_of(s.begin(), s.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-';
  });
}

bool IsFamilyId(std::string_view s) {
  if (s.empty()) return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || c == '_'; });
}

// "5.15" → true when theme 5 has a 15th control.
bool IsControlId(std::string_view s) {
  auto dot = s.find('.');
  if (dot == std::string_view::npos || dot == 0 || dot + 1 == s.size()) return false;
  auto number = [](std::string_view digits) {
    if (digits.size() > 2 || digits.front() == '0') return -1;
    int n = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return -1;
      n = n * 10 + (c - '0');
    }
    return n;
  };
  int theme = number(s.substr(0, dot));
  int control = number(s.substr(dot + 1));
  for (auto [t, count] : kControlThemes) {
    if (t == theme) return control >= 1 && control <= count;
  }
  return false;
}

// The entry's URN, checked to be `prefix` followed by a slug.
std::string Urn(const nlohmann::json& j, std::string_view prefix, const std::string& where) {
  auto urn = Text(j, "urn", where);
  if (!urn.starts_with(prefix) || !IsSlug(std::string_view(urn).substr(prefix.size()))) {
    Fail(where, "urn \"" + urn + "\" is not " + std::string(prefix) + "<slug [a-z0-9-]+>");
  }
  return urn;
}

std::vector<AssetType> AssetTypes(const nlohmann::json& j, const std::string& where) {
  std::vector<AssetType> out;
  for (const auto& name : Strings(j, "asset_types", where)) {
    auto type = ParseAssetType(name);
    if (!type) Fail(where, "unknown asset type \"" + name + "\"");
    out.push_back(*type);
  }
  return out;
}

Criteria ParseCriteria(const nlohmann::json& j, const std::string& where) {
  auto it = j.find("criteria");
  if (it == j.end() || !it->is_object()) Fail(where, "\"criteria\" must be an object");
  auto flag = [&](const char* key) {
    auto f = it->find(key);
    if (f == it->end() || !f->is_boolean()) {
      Fail(where, std::string("criterion \"") + key + "\" must be true or false");
    }
    return f->get<bool>();
  };
  Criteria c{.confidentiality = flag("confidentiality"),
             .integrity = flag("integrity"),
             .availability = flag("availability")};
  if (!c.confidentiality && !c.integrity && !c.availability) {
    Fail(where, "affects no criterion (confidentiality, integrity or availability)");
  }
  return c;
}

bool BearsOn(const CatalogueThreat& threat, AssetType type) {
  return std::find(threat.asset_types.begin(), threat.asset_types.end(), type) !=
         threat.asset_types.end();
}

// A file's root object with its identifying members; returns its version.
std::string Header(const nlohmann::json& root, const std::string& file) {
  if (root.is_discarded() || !root.is_object()) Fail(file, "not a JSON object");
  Text(root, "urn", file);
  Text(root, "name", file);
  Text(root, "source", file);
  return Text(root, "version", file);
}

}  // namespace

std::string_view Name(AssetType type) {
  for (auto [t, name] : kAssetTypeNames) {
    if (t == type) return name;
  }
  return "unknown";
}

std::optional<AssetType> ParseAssetType(std::string_view name) {
  for (auto [t, n] : kAssetTypeNames) {
    if (n == name) return t;
  }
  return std::nullopt;
}

bool IsPrimary(AssetType type) {
  return type == AssetType::kBusinessProcess || type == AssetType::kInformation;
}

Catalogue Catalogue::Parse(std::string_view threats_json, std::string_view vulnerabilities_json) {
  auto troot = nlohmann::json::parse(threats_json, nullptr, /*allow_exceptions=*/false);
  auto vroot = nlohmann::json::parse(vulnerabilities_json, nullptr, /*allow_exceptions=*/false);
  Catalogue cat;
  cat.version_ = Header(troot, "threats file");
  // One version for the pair: a vulnerability file from another release may name threats that
  // have since been renamed, and scenarios record a single catalogue version.
  if (auto v = Header(vroot, "vulnerabilities file"); v != cat.version_) {
    Fail("vulnerabilities file",
         "version \"" + v + "\" differs from the threats file's \"" + cat.version_ + "\"");
  }

  std::set<std::string, std::less<>> family_ids;
  for (const auto& jf : List(troot, "families", "threats file")) {
    std::string where = "family #" + std::to_string(cat.families_.size() + 1);
    if (!jf.is_object()) Fail(where, "not an object");
    ThreatFamily f{.id = Text(jf, "id", where)};
    where = "family \"" + f.id + "\"";
    if (!IsFamilyId(f.id)) Fail(where, "id is not a machine name [a-z_]+");
    if (!family_ids.insert(f.id).second) Fail(where, "duplicate family id");
    f.name = Text(jf, "name", where);
    f.description = Text(jf, "description", where);
    cat.families_.push_back(std::move(f));
  }

  // URNs are unique over both files, so a URN alone identifies an entry wherever it is stored.
  std::set<std::string, std::less<>> urns;
  for (const auto& jt : List(troot, "threats", "threats file")) {
    std::string where = "threat #" + std::to_string(cat.threats_.size() + 1);
    if (!jt.is_object()) Fail(where, "not an object");
    CatalogueThreat t{.urn = Urn(jt, kThreatPrefix, where)};
    where = "threat \"" + t.urn + "\"";
    if (!urns.insert(t.urn).second) Fail(where, "duplicate urn");
    t.family = Text(jt, "family", where);
    if (!family_ids.contains(t.family)) Fail(where, "unknown family \"" + t.family + "\"");
    t.name = Text(jt, "name", where);
    t.description = Text(jt, "description", where);
    t.criteria = ParseCriteria(jt, where);
    t.origins = Strings(jt, "origins", where);
    for (const auto& o : t.origins) {
      if (std::find(kOrigins.begin(), kOrigins.end(), o) == kOrigins.end()) {
        Fail(where, "unknown origin \"" + o + "\" (deliberate, accidental or environmental)");
      }
    }
    t.asset_types = AssetTypes(jt, where);
    cat.threats_.push_back(std::move(t));
  }

  for (const auto& jv : List(vroot, "vulnerabilities", "vulnerabilities file")) {
    std::string where = "vulnerability #" + std::to_string(cat.vulnerabilities_.size() + 1);
    if (!jv.is_object()) Fail(where, "not an object");
    CatalogueVulnerability v{.urn = Urn(jv, kVulnerabilityPrefix, where)};
    where = "vulnerability \"" + v.urn + "\"";
    if (!urns.insert(v.urn).second) Fail(where, "duplicate urn");
    v.name = Text(jv, "name", where);
    v.description = Text(jv, "description", where);
    v.asset_types = AssetTypes(jv, where);
    v.threat_urns = Strings(jv, "threats", where);
    std::vector<const CatalogueThreat*> threats;
    for (const auto& urn : v.threat_urns) {
      const auto* t = cat.FindThreat(urn);
      if (t == nullptr) Fail(where, "names threat \"" + urn + "\", which is not in the catalogue");
      threats.push_back(t);
    }
    // Suggestions pair a vulnerability with its threats per asset type; an asset type none of its
    // threats bears on would be a claim the catalogue never acts on, so it is a data error.
    for (AssetType type : v.asset_types) {
      if (std::none_of(threats.begin(), threats.end(),
                       [&](const CatalogueThreat* t) { return BearsOn(*t, type); })) {
        Fail(where,
             "none of its threats bears on its asset type \"" + std::string(Name(type)) + "\"");
      }
    }
    v.controls = Strings(jv, "controls", where);
    for (const auto& c : v.controls) {
      if (!IsControlId(c)) Fail(where, "\"" + c + "\" is not an ISO/IEC 27002:2022 control id");
    }
    cat.vulnerabilities_.push_back(std::move(v));
  }
  return cat;
}

const Catalogue& Catalogue::BuiltIn() {
  static const Catalogue kBuiltIn = [] {
    std::optional<std::string_view> threats, vulnerabilities;
    for (const auto& f : EmbeddedFiles()) {
      if (f.path == kThreatsPath) threats = f.data;
      if (f.path == kVulnerabilitiesPath) vulnerabilities = f.data;
    }
    if (!threats) Fail(std::string(kThreatsPath), "not embedded in the binary");
    if (!vulnerabilities) Fail(std::string(kVulnerabilitiesPath), "not embedded in the binary");
    return Parse(*threats, *vulnerabilities);
  }();
  return kBuiltIn;
}

const CatalogueThreat* Catalogue::FindThreat(std::string_view urn) const {
  for (const auto& t : threats_) {
    if (t.urn == urn) return &t;
  }
  return nullptr;
}

const CatalogueVulnerability* Catalogue::FindVulnerability(std::string_view urn) const {
  for (const auto& v : vulnerabilities_) {
    if (v.urn == urn) return &v;
  }
  return nullptr;
}

std::vector<Catalogue::Pair> Catalogue::Suggestions(AssetType type) const {
  std::vector<Pair> out;
  for (const auto& v : vulnerabilities_) {
    if (std::find(v.asset_types.begin(), v.asset_types.end(), type) == v.asset_types.end()) {
      continue;
    }
    // Threats in catalogue order, not in the order the vulnerability happens to list them, so
    // that suggestions read the same way as the catalogue itself.
    for (const auto& t : threats_) {
      if (!BearsOn(t, type)) continue;
      if (std::find(v.threat_urns.begin(), v.threat_urns.end(), t.urn) != v.threat_urns.end()) {
        out.push_back(Pair{.threat = &t, .vulnerability = &v});
      }
    }
  }
  return out;
}

}  // namespace rampart::risk
