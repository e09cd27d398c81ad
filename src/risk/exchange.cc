#include "risk/exchange.h"

#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "platform/crypto.h"
#include "platform/identity.h"
#include "platform/json_writer.h"
#include "risk/catalogue.h"
#include "risk/rules.h"
#include "risk/snapshots.h"
#include "risk/statistics.h"
#include "risk/store.h"

namespace rampart::risk {

using nlohmann::json;

namespace {

// Usernames of the people an analysis names, by id, and back.
std::map<std::string, std::string> Usernames(db::Tx& tx, std::string_view analysis_id) {
  std::map<std::string, std::string> out;
  for (const auto& r :
       tx.Query("SELECT u.id, u.username FROM users u WHERE u.id IN ("
                "SELECT owner_id FROM risk_assets WHERE analysis_id = $1 "
                "UNION SELECT owner_id FROM risk_scenarios WHERE analysis_id = $1 "
                "UNION SELECT responsible_id FROM risk_recommendations WHERE analysis_id = $1 "
                "UNION SELECT accepted_by FROM risk_acceptances WHERE analysis_id = $1)",
                {analysis_id})) {
    out[r.Text(0)] = r.Text(1);
  }
  return out;
}

}  // namespace

std::string ExportAnalysis(db::Tx& tx, const Analysis& an, bool with_snapshots) {
  const auto names = Usernames(tx, an.id);
  auto person = [&](JsonWriter& w, std::string_view key, const std::optional<std::string>& id) {
    w.Key(key);
    if (!id) {
      w.Null();
      return;
    }
    auto it = names.find(*id);
    w.String(it == names.end() ? *id : it->second);
  };
  auto opt_int = [](const std::optional<int>& v) {
    return v ? std::optional<std::int64_t>(*v) : std::nullopt;
  };
  JsonWriter w;
  w.BeginObject()
      .KeyString("format", kExportFormat)
      .KeyInt("format_version", kExportFormatVersion)
      .KeyString("organisation_id", an.organisation_id)
      .Key("analysis")
      .BeginObject()
      .KeyString("id", an.id)
      .KeyString("name", an.name)
      .KeyString("description", an.description)
      .KeyBool("current", an.current)
      .KeyBool("share_statistics", SharesStatistics(tx, an.id))
      .KeyTime("created_at", an.created_at)
      .Key("settings");
  WriteSettings(w, an.settings);
  w.EndObject().Key("assets").BeginArray();
  for (const auto& a : AllAssets(tx, an.id)) {
    w.BeginObject()
        .KeyString("id", a.id)
        .KeyString("name", a.name)
        .KeyString("type", Name(a.type))
        .KeyString("description", a.description);
    person(w, "owner", a.owner_id);
    w.Key("ratings")
        .Raw(RatingsJson(a.ratings))
        .Key("override")
        .BeginObject()
        .Key("impact")
        .Raw(OverrideJson(a.override_impact))
        .KeyString("reason", a.override_reason)
        .EndObject()
        .Key("depends_on")
        .BeginArray();
    for (const auto& d : a.depends_on) w.String(d);
    w.EndArray().KeyTime("created_at", a.created_at).EndObject();
  }
  w.EndArray().Key("threats").BeginArray();
  for (const auto& t : AllThreats(tx, an.id)) {
    w.BeginObject()
        .KeyString("id", t.id)
        .KeyString("urn", t.urn)
        .KeyBool("custom", t.custom)
        .KeyString("family", t.family)
        .KeyString("name", t.name)
        .KeyString("description", t.description)
        .Key("criteria")
        .BeginObject();
    for (Criterion c : kAllCriteria) w.KeyBool(Name(c), t.affects[static_cast<std::size_t>(c)]);
    w.EndObject().KeyOptInt("likelihood", opt_int(t.likelihood)).EndObject();
  }
  w.EndArray().Key("vulnerabilities").BeginArray();
  for (const auto& v : AllVulnerabilities(tx, an.id)) {
    w.BeginObject()
        .KeyString("id", v.id)
        .KeyString("urn", v.urn)
        .KeyBool("custom", v.custom)
        .KeyString("name", v.name)
        .KeyString("description", v.description)
        .KeyOptInt("qualification", opt_int(v.qualification))
        .EndObject();
  }
  w.EndArray().Key("scenarios").BeginArray();
  std::map<std::string, std::vector<Acceptance>> acceptances;
  for (const auto& r : tx.Query(
           "SELECT id, scenario_id, accepted_by, accepted_at, digest, note FROM risk_acceptances "
           "WHERE analysis_id = $1 ORDER BY accepted_at, id",
           {an.id})) {
    acceptances[r.Text(1)].push_back(
        {r.Text(0), r.Text(1), r.Text(2), "", r.Int(3), r.Text(4), r.Text(5)});
  }
  for (const auto& s : AllScenarios(tx, an.id)) {
    w.BeginObject()
        .KeyString("id", s.id)
        .KeyString("asset", s.asset_id)
        .KeyString("threat", s.threat_id)
        .KeyString("vulnerability", s.vulnerability_id)
        .KeyString("description", s.description)
        .KeyOptInt("probability", opt_int(s.probability))
        .KeyOptInt("residual_probability", opt_int(s.residual_probability))
        .KeyInt("reduction", s.reduction)
        .KeyString("controls_in_place", s.controls_in_place)
        .KeyString("treatment", Name(s.treatment));
    person(w, "owner", s.owner_id);
    w.KeyString("planned_controls", s.planned_controls)
        .KeyTime("created_at", s.created_at)
        .Key("acceptances")
        .BeginArray();
    for (const auto& a : acceptances[s.id]) {
      w.BeginObject();
      person(w, "by", a.accepted_by);
      w.KeyTime("at", a.accepted_at)
          .KeyString("digest", a.digest)
          .KeyString("note", a.note)
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().Key("recommendations").BeginArray();
  for (const auto& r : ListRecommendations(tx, an.id, {}, std::nullopt, 1'000'000)) {
    w.BeginObject()
        .KeyString("id", r.id)
        .KeyOptString("scenario", r.scenario_id)
        .KeyString("title", r.title)
        .KeyString("description", r.description)
        .KeyInt("importance", r.importance);
    person(w, "responsible", r.responsible_id);
    w.KeyOptTime("due_at", r.due_at)
        .KeyString("status", Name(r.status))
        .KeyTime("created_at", r.created_at)
        .Key("history")
        .BeginArray();
    for (const auto& h : HistoryOf(tx, r.id)) {
      w.BeginObject()
          .KeyTime("at", h.at)
          .KeyString("actor", h.actor_name)
          .Key("change")
          .Raw(h.change)
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray();
  if (with_snapshots) {
    w.Key("snapshots");
    WriteSnapshotsForExport(w, tx, an.id);
  }
  w.EndObject();
  return std::move(w).Take();
}

namespace {

// Reads one import document, collecting every error with the item it names.
class Checker {
 public:
  Checker(db::Tx& tx, std::string_view org_id, std::vector<FieldError>& errors)
      : tx_(tx), org_(org_id), errors_(errors) {}

  void Fail(std::string at, std::string message) {
    if (errors_.size() < 200) errors_.push_back({std::move(at), std::move(message)});
  }

  const json* Member(const json& obj, std::string_view key, const std::string& at) {
    if (!obj.is_object() || !obj.contains(key)) {
      Fail(at + "/" + std::string(key), "is required");
      return nullptr;
    }
    return &obj.at(std::string(key));
  }

  std::string Text(const json& obj, std::string_view key, const std::string& at, std::size_t max,
                   bool required = true) {
    if (!obj.is_object() || !obj.contains(key) || obj.at(std::string(key)).is_null()) {
      if (required) Fail(at + "/" + std::string(key), "is required");
      return "";
    }
    const auto& v = obj.at(std::string(key));
    if (!v.is_string() || v.get_ref<const std::string&>().size() > max) {
      Fail(at + "/" + std::string(key),
           "must be a text of at most " + std::to_string(max) + " characters");
      return "";
    }
    return v.get<std::string>();
  }

  std::optional<int> OnScale(const json& obj, std::string_view key, const std::string& at,
                             const Scale& s, std::string_view scale_name) {
    if (!obj.is_object() || !obj.contains(key) || obj.at(std::string(key)).is_null()) {
      return std::nullopt;
    }
    const auto& v = obj.at(std::string(key));
    if (!v.is_number_integer() || !s.Contains(v.get<int>())) {
      Fail(at + "/" + std::string(key), "must be on the " + std::string(scale_name) + " scale, " +
                                            std::to_string(s.min) + " to " + std::to_string(s.max));
      return std::nullopt;
    }
    return v.get<int>();
  }

  std::optional<Millis> Time(const json& obj, std::string_view key, const std::string& at,
                             bool required) {
    if (!obj.is_object() || !obj.contains(key) || obj.at(std::string(key)).is_null()) {
      if (required) Fail(at + "/" + std::string(key), "is required");
      return std::nullopt;
    }
    const auto& v = obj.at(std::string(key));
    auto t = v.is_string() ? ParseRfc3339(v.get<std::string>()) : std::nullopt;
    if (!t) Fail(at + "/" + std::string(key), "must be an RFC 3339 time");
    return t;
  }

  // A person named by username; must belong to the organisation unless `any_user` (an acceptance
  // recorded by someone who has since left stays theirs).
  std::optional<std::string> Person(const json& obj, std::string_view key, const std::string& at,
                                    bool any_user = false, bool required = false) {
    auto name = Text(obj, key, at, 200, required);
    if (name.empty()) return std::nullopt;
    auto it = people_.find(name);
    if (it == people_.end()) {
      auto user = identity::FindByName(tx_, name);
      std::optional<std::string> id;
      if (user && (any_user || IsMember(tx_, org_, user->id))) id = user->id;
      it = people_.emplace(name, id).first;
    }
    if (!it->second) {
      Fail(at + "/" + std::string(key), "no such person in this organisation: " + name);
    }
    return it->second;
  }

 private:
  db::Tx& tx_;
  std::string org_;
  std::vector<FieldError>& errors_;
  std::map<std::string, std::optional<std::string>> people_;
};

// A custom URN moves under the importing organisation: urn:rampart:org:<org>:<kind>:<key>.
std::string ReownedUrn(const std::string& urn, std::string_view org_id) {
  const std::string head = "urn:rampart:org:";
  if (urn.rfind(head, 0) != 0) return urn;
  auto rest = urn.find(':', head.size());
  if (rest == std::string::npos) return urn;
  return head + std::string(org_id) + urn.substr(rest);
}

}  // namespace

ImportOutcome ImportAnalysis(db::Tx& tx, const json& doc, std::string_view org_id,
                             std::string_view created_by, Millis now) {
  ImportOutcome out;
  Checker c(tx, org_id, out.errors);
  if (!doc.is_object() || doc.value("format", "") != kExportFormat) {
    c.Fail("/format", "must be \"" + std::string(kExportFormat) + "\"");
    return out;
  }
  if (doc.value("format_version", 0) != kExportFormatVersion) {
    c.Fail("/format_version", "must be " + std::to_string(kExportFormatVersion));
    return out;
  }
  auto list = [&](std::string_view key) -> const json& {
    static const json kEmpty = json::array();
    if (!doc.contains(key)) return kEmpty;
    if (!doc.at(std::string(key)).is_array()) {
      c.Fail("/" + std::string(key), "must be an array");
      return kEmpty;
    }
    return doc.at(std::string(key));
  };

  // The analysis.
  Analysis an;
  an.id = crypto::NewUuid();
  an.organisation_id = std::string(org_id);
  const json* ja = c.Member(doc, "analysis", "");
  if (!ja) return out;
  an.name = c.Text(*ja, "name", "/analysis", 200);
  an.description = c.Text(*ja, "description", "/analysis", 5000, false);
  const bool wants_current = ja->is_object() && ja->value("current", false);
  bool share_statistics = false;
  if (ja->is_object() && ja->contains("share_statistics")) {
    if (!(*ja)["share_statistics"].is_boolean()) {
      c.Fail("/analysis/share_statistics", "must be true or false");
    } else {
      share_statistics = (*ja)["share_statistics"].get<bool>();
    }
  }
  an.created_by = std::string(created_by);
  an.created_at = c.Time(*ja, "created_at", "/analysis", false).value_or(now);
  an.updated_at = now;
  if (const json* js = c.Member(*ja, "settings", "/analysis")) {
    Method m = Method::kItv;
    if (js->is_object() && js->contains("method") && (*js)["method"].is_string()) {
      m = ParseMethod((*js)["method"].get<std::string>()).value_or(Method::kItv);
    }
    an.settings = ReadSettings(*js, DefaultSettings(m), out.errors, "/analysis/settings");
    for (auto& e : CheckSettings(an.settings, "/analysis/settings")) out.errors.push_back(e);
  }
  if (!out.errors.empty()) return out;  // nothing below can be checked without the scales
  const Settings& s = an.settings;

  // Assets: ids are the file's; names unique; ratings on the scales; dependencies resolve and
  // make no cycle.
  std::vector<Asset> assets;
  std::unordered_map<std::string, std::size_t> asset_at;
  std::set<std::string> asset_names;
  const json& ja_assets = list("assets");
  for (std::size_t k = 0; k < ja_assets.size(); ++k) {
    const json& j = ja_assets[k];
    const std::string at = "/assets/" + std::to_string(k);
    Asset a;
    const std::string file_id = c.Text(j, "id", at, 100);
    a.id = crypto::NewUuid();
    a.name = c.Text(j, "name", at, 200);
    if (!a.name.empty() && !asset_names.insert(a.name).second) {
      c.Fail(at + "/name", "another asset has this name: " + a.name);
    }
    auto type = ParseAssetType(c.Text(j, "type", at, 40));
    if (!type) {
      c.Fail(at + "/type", "is not an asset type");
    } else {
      a.type = *type;
    }
    a.description = c.Text(j, "description", at, 5000, false);
    a.owner_id = c.Person(j, "owner", at);
    if (j.is_object() && j.contains("ratings")) {
      a.ratings = ReadRatings(j["ratings"], s, out.errors, at + "/ratings");
      if (!a.ratings.empty() && type && !IsPrimary(*type)) {
        c.Fail(at + "/ratings", "only primary assets are rated");
      }
    }
    if (j.is_object() && j.contains("override") && j["override"].is_object()) {
      const json& o = j["override"];
      if (o.contains("impact")) {
        a.override_impact = ReadOverride(o["impact"], s, out.errors, at + "/override/impact");
      }
      a.override_reason = c.Text(o, "reason", at + "/override", 2000, false);
    }
    a.created_at = c.Time(j, "created_at", at, false).value_or(now);
    if (!file_id.empty() && !asset_at.emplace(file_id, assets.size()).second) {
      c.Fail(at + "/id", "another asset has this id: " + file_id);
    }
    assets.push_back(std::move(a));
  }
  std::vector<std::vector<int>> graph(assets.size());
  for (std::size_t k = 0; k < ja_assets.size(); ++k) {
    const json& j = ja_assets[k];
    if (!j.is_object() || !j.contains("depends_on")) continue;
    const json& deps = j["depends_on"];
    if (!deps.is_array()) {
      c.Fail("/assets/" + std::to_string(k) + "/depends_on", "must be an array of asset ids");
      continue;
    }
    for (std::size_t d = 0; d < deps.size(); ++d) {
      auto it = deps[d].is_string() ? asset_at.find(deps[d].get<std::string>()) : asset_at.end();
      if (it == asset_at.end()) {
        c.Fail("/assets/" + std::to_string(k) + "/depends_on/" + std::to_string(d),
               "no such asset in the file");
        continue;
      }
      assets[k].depends_on.push_back(assets[it->second].id);
      graph[k].push_back(static_cast<int>(it->second));
    }
  }
  if (auto cycle = FindCycle(graph); !cycle.empty()) {
    std::string path;
    for (std::size_t k = 0; k < cycle.size(); ++k) {
      path += (k ? " → " : "") + assets[static_cast<std::size_t>(cycle[k])].name;
    }
    c.Fail("/assets/" + std::to_string(cycle.front()) + "/depends_on",
           "makes a dependency cycle: " + path);
  }

  // Threats and vulnerabilities: URNs unique in the file.
  std::vector<Threat> threats;
  std::unordered_map<std::string, std::size_t> threat_at;
  std::set<std::string> urns;
  const json& jt = list("threats");
  for (std::size_t k = 0; k < jt.size(); ++k) {
    const json& j = jt[k];
    const std::string at = "/threats/" + std::to_string(k);
    Threat t;
    t.id = crypto::NewUuid();
    t.analysis_id = an.id;
    const std::string file_id = c.Text(j, "id", at, 100);
    t.custom = j.is_object() && j.value("custom", false);
    t.urn = c.Text(j, "urn", at, 300);
    if (t.custom) t.urn = ReownedUrn(t.urn, org_id);
    if (!t.urn.empty() && !urns.insert(t.urn).second) {
      c.Fail(at + "/urn", "duplicate URN: " + t.urn);
    }
    if (!t.custom && !t.urn.empty() && !Catalogue::BuiltIn().FindThreat(t.urn)) {
      c.Fail(at + "/urn", "no such threat in the catalogue: " + t.urn);
    }
    t.family = c.Text(j, "family", at, 60, false);
    t.name = c.Text(j, "name", at, 200);
    t.description = c.Text(j, "description", at, 5000, false);
    if (j.is_object() && j.contains("criteria") && j["criteria"].is_object()) {
      for (const auto& [key, v] : j["criteria"].items()) {
        auto cr = ParseCriterion(key);
        if (!cr || !v.is_boolean()) {
          c.Fail(at + "/criteria/" + key, "must be a criterion and true or false");
        } else {
          t.affects[static_cast<std::size_t>(*cr)] = v.get<bool>();
        }
      }
    } else {
      c.Fail(at + "/criteria", "is required");
    }
    t.likelihood = c.OnScale(j, "likelihood", at, s.likelihood, "likelihood");
    if (!file_id.empty() && !threat_at.emplace(file_id, threats.size()).second) {
      c.Fail(at + "/id", "another threat has this id: " + file_id);
    }
    threats.push_back(std::move(t));
  }
  std::vector<Vulnerability> vulns;
  std::unordered_map<std::string, std::size_t> vuln_at;
  urns.clear();
  const json& jv = list("vulnerabilities");
  for (std::size_t k = 0; k < jv.size(); ++k) {
    const json& j = jv[k];
    const std::string at = "/vulnerabilities/" + std::to_string(k);
    Vulnerability v;
    v.id = crypto::NewUuid();
    v.analysis_id = an.id;
    const std::string file_id = c.Text(j, "id", at, 100);
    v.custom = j.is_object() && j.value("custom", false);
    v.urn = c.Text(j, "urn", at, 300);
    if (v.custom) v.urn = ReownedUrn(v.urn, org_id);
    if (!v.urn.empty() && !urns.insert(v.urn).second) {
      c.Fail(at + "/urn", "duplicate URN: " + v.urn);
    }
    if (!v.custom && !v.urn.empty() && !Catalogue::BuiltIn().FindVulnerability(v.urn)) {
      c.Fail(at + "/urn", "no such vulnerability in the catalogue: " + v.urn);
    }
    v.name = c.Text(j, "name", at, 200);
    v.description = c.Text(j, "description", at, 5000, false);
    v.qualification = c.OnScale(j, "qualification", at, s.vulnerability, "vulnerability");
    if (!file_id.empty() && !vuln_at.emplace(file_id, vulns.size()).second) {
      c.Fail(at + "/id", "another vulnerability has this id: " + file_id);
    }
    vulns.push_back(std::move(v));
  }

  // Scenarios and their acceptances.
  std::vector<Scenario> scenarios;
  std::unordered_map<std::string, std::size_t> scenario_at;
  std::set<std::tuple<std::size_t, std::size_t, std::size_t>> combos;
  std::vector<Acceptance> acceptances;
  const json& js = list("scenarios");
  for (std::size_t k = 0; k < js.size(); ++k) {
    const json& j = js[k];
    const std::string at = "/scenarios/" + std::to_string(k);
    Scenario x;
    x.id = crypto::NewUuid();
    x.analysis_id = an.id;
    const std::string file_id = c.Text(j, "id", at, 100);
    auto ref = [&](std::string_view key, const auto& index, std::string_view what) {
      auto id = c.Text(j, key, at, 100);
      auto it = index.find(id);
      if (!id.empty() && it == index.end()) {
        c.Fail(at + "/" + std::string(key), "no such " + std::string(what) + " in the file: " + id);
        return std::optional<std::size_t>();
      }
      return id.empty() ? std::optional<std::size_t>() : std::optional<std::size_t>(it->second);
    };
    auto ai = ref("asset", asset_at, "asset");
    auto ti = ref("threat", threat_at, "threat");
    auto vi = ref("vulnerability", vuln_at, "vulnerability");
    if (ai && ti && vi) {
      x.asset_id = assets[*ai].id;
      x.threat_id = threats[*ti].id;
      x.vulnerability_id = vulns[*vi].id;
      if (!combos.insert({*ai, *ti, *vi}).second) {
        c.Fail(at, "repeats the asset, threat and vulnerability of another scenario");
      }
    }
    x.description = c.Text(j, "description", at, 5000, false);
    x.probability = c.OnScale(j, "probability", at, s.probability, "probability");
    x.residual_probability = c.OnScale(j, "residual_probability", at, s.probability, "probability");
    if (j.is_object() && j.contains("reduction")) {
      const auto& r = j["reduction"];
      const int span = s.vulnerability.max - s.vulnerability.min;
      if (!r.is_number_integer() || r.get<int>() < 0 || r.get<int>() > span) {
        c.Fail(at + "/reduction", "must be a whole number from 0 to " + std::to_string(span));
      } else {
        x.reduction = r.get<int>();
      }
    }
    x.controls_in_place = c.Text(j, "controls_in_place", at, 5000, false);
    auto treatment = ParseTreatment(c.Text(j, "treatment", at, 20, false).empty()
                                        ? "none"
                                        : c.Text(j, "treatment", at, 20, false));
    if (!treatment) {
      c.Fail(at + "/treatment", "must be none, reduce, accept, avoid or share");
    } else {
      x.treatment = *treatment;
    }
    x.owner_id = c.Person(j, "owner", at);
    x.planned_controls = c.Text(j, "planned_controls", at, 5000, false);
    x.created_at = x.updated_at = c.Time(j, "created_at", at, false).value_or(now);
    if (j.is_object() && j.contains("acceptances") && j["acceptances"].is_array()) {
      const auto& ja2 = j["acceptances"];
      for (std::size_t n = 0; n < ja2.size(); ++n) {
        const std::string at2 = at + "/acceptances/" + std::to_string(n);
        Acceptance a;
        a.id = crypto::NewUuid();
        a.scenario_id = x.id;
        a.accepted_by = c.Person(ja2[n], "by", at2, true, true).value_or("");
        a.accepted_at = c.Time(ja2[n], "at", at2, true).value_or(0);
        a.digest = c.Text(ja2[n], "digest", at2, 64);
        if (!a.digest.empty() && a.digest.size() != 64) {
          c.Fail(at2 + "/digest", "must be a SHA-256 digest in hex");
        }
        a.note = c.Text(ja2[n], "note", at2, 5000, false);
        acceptances.push_back(std::move(a));
      }
    }
    if (!file_id.empty() && !scenario_at.emplace(file_id, scenarios.size()).second) {
      c.Fail(at + "/id", "another scenario has this id: " + file_id);
    }
    scenarios.push_back(std::move(x));
  }

  // The action plan.
  std::vector<Recommendation> recs;
  std::vector<std::vector<HistoryEntry>> histories;
  const json& jr = list("recommendations");
  for (std::size_t k = 0; k < jr.size(); ++k) {
    const json& j = jr[k];
    const std::string at = "/recommendations/" + std::to_string(k);
    Recommendation r;
    r.id = crypto::NewUuid();
    r.analysis_id = an.id;
    auto sid = c.Text(j, "scenario", at, 100, false);
    if (!sid.empty()) {
      auto it = scenario_at.find(sid);
      if (it == scenario_at.end()) {
        c.Fail(at + "/scenario", "no such scenario in the file: " + sid);
      } else {
        r.scenario_id = scenarios[it->second].id;
      }
    }
    r.title = c.Text(j, "title", at, 300);
    r.description = c.Text(j, "description", at, 5000, false);
    if (j.is_object() && j.contains("importance")) {
      const auto& v = j["importance"];
      if (!v.is_number_integer() || v.get<int>() < 1 || v.get<int>() > 3) {
        c.Fail(at + "/importance", "must be 1, 2 or 3");
      } else {
        r.importance = v.get<int>();
      }
    }
    r.responsible_id = c.Person(j, "responsible", at);
    r.due_at = c.Time(j, "due_at", at, false);
    auto status = ParseRecommendationStatus(c.Text(j, "status", at, 20));
    if (!status) {
      c.Fail(at + "/status", "must be open, in_progress, done or cancelled");
    } else {
      r.status = *status;
    }
    r.created_at = r.updated_at = c.Time(j, "created_at", at, false).value_or(now);
    std::vector<HistoryEntry> history;
    if (j.is_object() && j.contains("history") && j["history"].is_array()) {
      for (std::size_t n = 0; n < j["history"].size(); ++n) {
        const auto& h = j["history"][n];
        const std::string at2 = at + "/history/" + std::to_string(n);
        HistoryEntry e;
        e.at = c.Time(h, "at", at2, true).value_or(0);
        e.actor_name = c.Text(h, "actor", at2, 200);
        if (!h.is_object() || !h.contains("change") || !h["change"].is_object()) {
          c.Fail(at2 + "/change", "must be an object");
        } else {
          e.change = h["change"].dump();
        }
        history.push_back(std::move(e));
      }
    }
    recs.push_back(std::move(r));
    histories.push_back(std::move(history));
  }
  auto snapshots =
      ReadSnapshotsForImport(doc.contains("snapshots") ? doc["snapshots"] : json(), out.errors);
  if (!out.errors.empty()) return out;

  // All is well: write, then score. On SQLite, a whole analysis touches far more pages than the
  // default cache (2 MiB) holds; spilled pages went to the WAL and were read back again and again.
  // 256 MiB for this transaction, allocated as used, then back to the default.
  const bool sqlite = tx.dialect() == db::Dialect::kSqlite;
  if (sqlite) tx.Exec("PRAGMA cache_size = -262144", {});
  const bool first = ListAnalyses(tx, org_id).empty();
  an.current = wants_current || first;
  InsertAnalysis(tx, an);
  if (an.current) MakeCurrent(tx, org_id, an.id);
  for (auto& a : assets) {
    a.analysis_id = an.id;
    InsertAsset(tx, a, a.created_at);
  }
  for (const auto& a : assets) {
    if (!a.depends_on.empty()) SetDependencies(tx, an.id, a.id, a.depends_on);
  }
  for (const auto& t : threats) InsertThreat(tx, t, now);
  for (const auto& v : vulns) InsertVulnerability(tx, v, now);
  {
    // Scored before they are written, so that each scenario row and its indexes are written once;
    // Recompute below then only fills in the assets' impacts.
    std::vector<AssetFacts> facts;
    for (const auto& a : assets) {
      facts.push_back(
          {IsPrimary(a.type),
           IsPrimary(a.type) ? OwnSlots(s, a.ratings) : std::vector<int>(SlotCount(s), kNone),
           a.override_impact});
    }
    std::unordered_map<std::string, int> asset_index, threat_index, vuln_index;
    for (std::size_t k = 0; k < assets.size(); ++k) asset_index[assets[k].id] = static_cast<int>(k);
    std::vector<ThreatFacts> tf;
    for (std::size_t k = 0; k < threats.size(); ++k) {
      threat_index[threats[k].id] = static_cast<int>(k);
      tf.push_back({threats[k].affects, threats[k].likelihood.value_or(kNone)});
    }
    std::vector<int> qualifications;
    for (std::size_t k = 0; k < vulns.size(); ++k) {
      vuln_index[vulns[k].id] = static_cast<int>(k);
      qualifications.push_back(vulns[k].qualification.value_or(kNone));
    }
    std::vector<ScenarioFacts> sf;
    for (const auto& x : scenarios) {
      sf.push_back({asset_index.at(x.asset_id), threat_index.at(x.threat_id),
                    vuln_index.at(x.vulnerability_id), x.probability.value_or(kNone),
                    x.residual_probability.value_or(kNone), x.reduction});
    }
    const auto scores = ScoreAll(s, EffectiveSlots(s, facts, graph), tf, qualifications, sf);
    for (std::size_t k = 0; k < scenarios.size(); ++k) scenarios[k].score = scores[k];
  }
  InsertScenarios(tx, scenarios);
  for (const auto& a : acceptances) InsertAcceptance(tx, an.id, a);
  for (std::size_t k = 0; k < recs.size(); ++k) {
    InsertRecommendation(tx, recs[k]);
    for (const auto& h : histories[k]) AddHistory(tx, recs[k].id, h);
  }
  Recompute(tx, an);
  if (share_statistics) SetShareStatistics(tx, an.id, true);
  {
    // Snapshots keep matching the analysis's scenarios: the file's ids become the new ones.
    std::unordered_map<std::string, std::string> new_ids;
    for (const auto& [file_id, k] : asset_at) new_ids[file_id] = assets[k].id;
    for (const auto& [file_id, k] : threat_at) new_ids[file_id] = threats[k].id;
    for (const auto& [file_id, k] : vuln_at) new_ids[file_id] = vulns[k].id;
    for (const auto& [file_id, k] : scenario_at) new_ids[file_id] = scenarios[k].id;
    WriteImportedSnapshots(tx, an.id, snapshots, std::move(new_ids), now);
  }
  if (sqlite) tx.Exec("PRAGMA cache_size = -2000", {});
  out.analysis_id = an.id;
  out.assets = static_cast<std::int64_t>(assets.size());
  out.threats = static_cast<std::int64_t>(threats.size());
  out.vulnerabilities = static_cast<std::int64_t>(vulns.size());
  out.scenarios = static_cast<std::int64_t>(scenarios.size());
  out.recommendations = static_cast<std::int64_t>(recs.size());
  out.acceptances = static_cast<std::int64_t>(acceptances.size());
  out.snapshots = static_cast<std::int64_t>(snapshots.size());
  return out;
}

}  // namespace rampart::risk
