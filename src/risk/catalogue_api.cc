// GET /api/v1/risk/catalogue: Rampart's built-in threat and vulnerability catalogues, the reference
// data a risk owner picks from when adding threats and vulnerabilities to an analysis. It is the
// same for every organisation, so it is reference data (kReferenceRead), not part of an analysis.
#include <algorithm>
#include <cctype>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/context.h"
#include "platform/json_writer.h"
#include "platform/problem.h"
#include "risk/api.h"
#include "risk/catalogue.h"

namespace rampart::risk {

namespace {

// A search text longer than any entry's name and description together can match nothing; the
// limit keeps a careless client from making every request scan kilobytes per entry.
constexpr std::size_t kMaxQueryLength = 200;

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

// The narrowing the caller asked for. Every field is optional; an absent one narrows nothing.
struct CatalogueFilter {
  bool threats = true;
  bool vulnerabilities = true;
  std::optional<std::string> family;
  std::optional<AssetType> asset_type;
  std::string needle;  // lower case; empty matches everything

  [[nodiscard]] bool Matches(std::string_view urn, std::string_view name,
                             std::string_view description) const {
    if (needle.empty()) return true;
    for (std::string_view field : {urn, name, description}) {
      if (Lower(field).find(needle) != std::string::npos) return true;
    }
    return false;
  }
};

CatalogueFilter ParseFilter(const http::Request& request, const Catalogue& cat) {
  CatalogueFilter f;
  std::vector<FieldError> errors;
  if (auto v = request.QueryParam("kind"); v && !v->empty()) {
    if (*v == "threat") {
      f.vulnerabilities = false;
    } else if (*v == "vulnerability") {
      f.threats = false;
    } else {
      errors.push_back({"kind", "must be threat or vulnerability"});
    }
  }
  if (auto v = request.QueryParam("family"); v && !v->empty()) {
    const auto& fams = cat.Families();
    if (std::none_of(fams.begin(), fams.end(), [&](const ThreatFamily& t) { return t.id == *v; })) {
      errors.push_back({"family", "is not a threat family of the catalogue"});
    }
    f.family = *v;
  }
  if (auto v = request.QueryParam("asset_type"); v && !v->empty()) {
    f.asset_type = ParseAssetType(*v);
    if (!f.asset_type) {
      errors.push_back({"asset_type",
                        "must be business_process, information, hardware, software, network, "
                        "people, site or organisation"});
    }
  }
  if (auto v = request.QueryParam("q"); v && !v->empty()) {
    if (v->size() > kMaxQueryLength) {
      errors.push_back({"q", "must be at most 200 characters"});
    }
    f.needle = Lower(*v);
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return f;
}

bool HasType(const std::vector<AssetType>& types, const std::optional<AssetType>& wanted) {
  return !wanted || std::find(types.begin(), types.end(), *wanted) != types.end();
}

void WriteTypes(JsonWriter& w, const std::vector<AssetType>& types) {
  w.BeginArray();
  for (AssetType t : types) w.String(Name(t));
  w.EndArray();
}

void WriteStrings(JsonWriter& w, const std::vector<std::string>& items) {
  w.BeginArray();
  for (const auto& s : items) w.String(s);
  w.EndArray();
}

void WriteThreat(JsonWriter& w, const CatalogueThreat& t) {
  w.BeginObject()
      .KeyString("urn", t.urn)
      .KeyString("family", t.family)
      .KeyString("name", t.name)
      .KeyString("description", t.description)
      .Key("criteria")
      .BeginObject()
      .KeyBool("confidentiality", t.criteria.confidentiality)
      .KeyBool("integrity", t.criteria.integrity)
      .KeyBool("availability", t.criteria.availability)
      .EndObject()
      .Key("origins");
  WriteStrings(w, t.origins);
  w.Key("asset_types");
  WriteTypes(w, t.asset_types);
  w.EndObject();
}

void WriteVulnerability(JsonWriter& w, const CatalogueVulnerability& v) {
  w.BeginObject()
      .KeyString("urn", v.urn)
      .KeyString("name", v.name)
      .KeyString("description", v.description)
      .Key("asset_types");
  WriteTypes(w, v.asset_types);
  w.Key("threat_urns");
  WriteStrings(w, v.threat_urns);
  w.Key("controls");
  WriteStrings(w, v.controls);
  w.EndObject();
}

// A vulnerability has no family of its own; it belongs to a family when it lets at least one of
// that family's threats happen, which is what someone browsing "physical damage" wants to see.
bool InFamily(const Catalogue& cat, const CatalogueVulnerability& v,
              const std::optional<std::string>& family) {
  if (!family) return true;
  return std::any_of(v.threat_urns.begin(), v.threat_urns.end(), [&](const std::string& urn) {
    const CatalogueThreat* t = cat.FindThreat(urn);
    return t != nullptr && t->family == *family;
  });
}

http::Response GetCatalogue(Context& ctx) {
  const Catalogue& cat = Catalogue::BuiltIn();
  const CatalogueFilter f = ParseFilter(ctx.request, cat);
  JsonWriter w;
  w.BeginObject().KeyString("version", cat.Version()).Key("families").BeginArray();
  // Families and asset types are always listed whole: they are the choices of the filter itself.
  for (const auto& fam : cat.Families()) {
    const auto& threats = cat.Threats();
    const auto n = std::count_if(threats.begin(), threats.end(),
                                 [&](const CatalogueThreat& t) { return t.family == fam.id; });
    w.BeginObject()
        .KeyString("id", fam.id)
        .KeyString("name", fam.name)
        .KeyString("description", fam.description)
        .KeyInt("threats", n)
        .EndObject();
  }
  w.EndArray().Key("asset_types").BeginArray();
  for (AssetType t : kAllAssetTypes) {
    w.BeginObject().KeyString("id", Name(t)).KeyBool("primary", IsPrimary(t)).EndObject();
  }
  w.EndArray().Key("threats").BeginArray();
  if (f.threats) {
    for (const auto& t : cat.Threats()) {
      if (f.family && t.family != *f.family) continue;
      if (!HasType(t.asset_types, f.asset_type)) continue;
      if (!f.Matches(t.urn, t.name, t.description)) continue;
      WriteThreat(w, t);
    }
  }
  w.EndArray().Key("vulnerabilities").BeginArray();
  if (f.vulnerabilities) {
    for (const auto& v : cat.Vulnerabilities()) {
      if (!InFamily(cat, v, f.family)) continue;
      if (!HasType(v.asset_types, f.asset_type)) continue;
      if (!f.Matches(v.urn, v.name, v.description)) continue;
      WriteVulnerability(w, v);
    }
  }
  w.EndArray().EndObject();
  auto res = JsonText(200, std::move(w).Take());
  // The catalogue changes only with the binary; an hour in the browser's cache is safe.
  res.Set("Cache-Control", "private, max-age=3600");
  return res;
}

}  // namespace

void AddCatalogueRoutes(Router& r) {
  r.Add({"GET", "/api/v1/risk/catalogue", Action::kReferenceRead, "", GetCatalogue, kNoBody});
}

}  // namespace rampart::risk
