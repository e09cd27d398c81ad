#include "risk/api.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "risk/catalogue.h"
#include "risk/exchange.h"
#include "risk/register_export.h"
#include "risk/rules.h"
#include "risk/statistics.h"
#include "risk/store.h"

namespace rampart::risk {

namespace {

using nlohmann::json;

constexpr std::string_view kBase = "/api/v1/organisations/{id}/risk";
constexpr std::string_view kAnalysis = "/api/v1/organisations/{id}/risk/analyses/{analysis_id}";

std::string Route(std::string_view base, std::string_view tail) {
  return std::string(base) + std::string(tail);
}

// ---- writing ----

std::string LabelOf(const Scale& s, const std::optional<int>& v) {
  if (!v) return "";
  const int k = *v - s.min;
  if (k < 0 || k >= static_cast<int>(s.labels.size())) return std::to_string(*v);
  return s.labels[static_cast<std::size_t>(k)];
}

void WritePerCriterion(JsonWriter& w, const PerCriterion& v, const Settings& s) {
  w.BeginObject();
  for (Criterion c : kAllCriteria) {
    if (c == Criterion::kAuthenticity && !s.authenticity) continue;
    w.Key(Name(c)).OptionalInt(v[static_cast<std::size_t>(c)]
                                   ? std::optional<std::int64_t>(*v[static_cast<std::size_t>(c)])
                                   : std::nullopt);
  }
  w.EndObject();
}

void WriteAnalysis(JsonWriter& w, db::Tx& tx, const Analysis& a) {
  auto count = [&](std::string_view table) {
    return tx
        .QueryOne("SELECT count(*) FROM " + std::string(table) + " WHERE analysis_id = $1", {a.id})
        ->Int(0);
  };
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("organisation_id", a.organisation_id)
      .KeyString("name", a.name)
      .KeyString("description", a.description)
      .KeyBool("current", a.current)
      .KeyBool("share_statistics", SharesStatistics(tx, a.id))
      .KeyString("method", Name(a.settings.method))
      .KeyInt("method_version", a.settings.method_version)
      .Key("settings");
  WriteSettings(w, a.settings);
  w.Key("counts")
      .BeginObject()
      .KeyInt("assets", count("risk_assets"))
      .KeyInt("threats", count("risk_threats"))
      .KeyInt("vulnerabilities", count("risk_vulnerabilities"))
      .KeyInt("scenarios", count("risk_scenarios"))
      .KeyInt("recommendations", count("risk_recommendations"))
      .EndObject()
      .KeyTime("created_at", a.created_at)
      .KeyTime("updated_at", a.updated_at)
      .KeyInt("version", a.version)
      .EndObject();
}

// The analysis without its counts: the audit log's state.
std::string AnalysisState(const Analysis& a) {
  JsonWriter w;
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("name", a.name)
      .KeyString("description", a.description)
      .KeyBool("current", a.current)
      .Key("settings");
  WriteSettings(w, a.settings);
  w.KeyInt("version", a.version).EndObject();
  return std::move(w).Take();
}

void WriteAsset(JsonWriter& w, const Asset& a, const Settings& s) {
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("analysis_id", a.analysis_id)
      .KeyString("name", a.name)
      .KeyString("type", Name(a.type))
      .KeyBool("primary", IsPrimary(a.type))
      .KeyString("description", a.description)
      .KeyOptString("owner_id", a.owner_id)
      .Key("ratings")
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
  w.EndArray().Key("impact");
  WritePerCriterion(w, a.impact, s);
  bool overridden = false;
  for (const auto& v : a.override_impact) overridden = overridden || v.has_value();
  w.Key("criticality")
      .OptionalInt(a.criticality ? std::optional<std::int64_t>(*a.criticality) : std::nullopt)
      .KeyOptString("criticality_label",
                    a.criticality ? std::optional(LabelOf(s.impact, a.criticality)) : std::nullopt)
      .KeyString("criticality_source", overridden          ? "override"
                                       : IsPrimary(a.type) ? "ratings"
                                                           : "inherited")
      .KeyTime("created_at", a.created_at)
      .KeyTime("updated_at", a.updated_at)
      .KeyInt("version", a.version)
      .EndObject();
}

std::string AssetJson(const Asset& a, const Settings& s) {
  JsonWriter w;
  WriteAsset(w, a, s);
  return std::move(w).Take();
}

void WriteCriteria(JsonWriter& w, const CriteriaFlags& f) {
  w.BeginObject();
  for (Criterion c : kAllCriteria) w.KeyBool(Name(c), f[static_cast<std::size_t>(c)]);
  w.EndObject();
}

void WriteThreat(JsonWriter& w, const Threat& t) {
  w.BeginObject()
      .KeyString("id", t.id)
      .KeyString("urn", t.urn)
      .KeyBool("custom", t.custom)
      .KeyString("family", t.family)
      .KeyString("name", t.name)
      .KeyString("description", t.description)
      .Key("criteria");
  WriteCriteria(w, t.affects);
  w.KeyOptInt("likelihood",
              t.likelihood ? std::optional<std::int64_t>(*t.likelihood) : std::nullopt)
      .KeyInt("version", t.version)
      .EndObject();
}

std::string ThreatJson(const Threat& t) {
  JsonWriter w;
  WriteThreat(w, t);
  return std::move(w).Take();
}

void WriteVulnerability(JsonWriter& w, const Vulnerability& v) {
  w.BeginObject()
      .KeyString("id", v.id)
      .KeyString("urn", v.urn)
      .KeyBool("custom", v.custom)
      .KeyString("name", v.name)
      .KeyString("description", v.description)
      .KeyOptInt("qualification",
                 v.qualification ? std::optional<std::int64_t>(*v.qualification) : std::nullopt)
      .KeyInt("version", v.version)
      .EndObject();
}

std::string VulnerabilityJson(const Vulnerability& v) {
  JsonWriter w;
  WriteVulnerability(w, v);
  return std::move(w).Take();
}

std::optional<std::int64_t> Opt(const std::optional<int>& v) {
  return v ? std::optional<std::int64_t>(*v) : std::nullopt;
}

void WriteScenario(JsonWriter& w, const ScenarioView& v) {
  const Scenario& s = v.scenario;
  auto level = [](const std::string& l) {
    return l.empty() ? std::nullopt : std::optional<std::string>(l);
  };
  w.BeginObject()
      .KeyString("id", s.id)
      .KeyString("analysis_id", s.analysis_id)
      .Key("asset")
      .BeginObject()
      .KeyString("id", s.asset_id)
      .KeyString("name", v.asset_name)
      .KeyString("type", Name(v.asset_type))
      .EndObject()
      .Key("threat")
      .BeginObject()
      .KeyString("id", s.threat_id)
      .KeyString("urn", v.threat_urn)
      .KeyString("name", v.threat_name)
      .EndObject()
      .Key("vulnerability")
      .BeginObject()
      .KeyString("id", s.vulnerability_id)
      .KeyString("urn", v.vulnerability_urn)
      .KeyString("name", v.vulnerability_name)
      .EndObject()
      .KeyString("description", s.description)
      .KeyOptInt("probability", Opt(s.probability))
      .KeyOptInt("residual_probability", Opt(s.residual_probability))
      .KeyInt("reduction", s.reduction)
      .KeyString("controls_in_place", s.controls_in_place)
      .KeyString("treatment", Name(s.treatment))
      .KeyOptString("owner_id", s.owner_id)
      .KeyString("planned_controls", s.planned_controls)
      .Key("current")
      .BeginObject()
      .KeyOptInt("risk", s.score.current)
      .KeyOptString("level", level(s.score.current_level))
      .EndObject()
      .Key("residual")
      .BeginObject()
      .KeyOptInt("risk", s.score.residual)
      .KeyOptString("level", level(s.score.residual_level))
      .EndObject()
      .Key("by_criterion")
      .BeginObject();
  for (Criterion c : kAllCriteria) {
    w.KeyOptInt(Name(c), s.score.by_criterion[static_cast<std::size_t>(c)]);
  }
  w.EndObject().Key("acceptance");
  if (v.acceptance) {
    const auto& a = *v.acceptance;
    w.BeginObject()
        .KeyString("id", a.id)
        .KeyString("accepted_by", a.accepted_by)
        .KeyString("accepted_by_name", a.accepted_by_name)
        .KeyTime("accepted_at", a.accepted_at)
        .KeyString("digest", a.digest)
        .KeyString("note", a.note)
        .KeyBool("stale", v.acceptance_stale)
        .EndObject();
  } else {
    w.Null();
  }
  w.KeyTime("created_at", s.created_at)
      .KeyTime("updated_at", s.updated_at)
      .KeyInt("version", s.version)
      .EndObject();
}

std::string ScenarioJson(const ScenarioView& v) {
  JsonWriter w;
  WriteScenario(w, v);
  return std::move(w).Take();
}

void WriteRecommendation(JsonWriter& w, const Recommendation& r,
                         const std::vector<HistoryEntry>* history) {
  w.BeginObject()
      .KeyString("id", r.id)
      .KeyString("analysis_id", r.analysis_id)
      .KeyOptString("scenario_id", r.scenario_id)
      .KeyString("title", r.title)
      .KeyString("description", r.description)
      .KeyInt("importance", r.importance)
      .KeyOptString("responsible_id", r.responsible_id)
      .KeyOptTime("due_at", r.due_at)
      .KeyString("status", Name(r.status))
      .KeyTime("created_at", r.created_at)
      .KeyTime("updated_at", r.updated_at)
      .KeyInt("version", r.version);
  if (history) {
    w.Key("history").BeginArray();
    for (const auto& h : *history) {
      w.BeginObject()
          .KeyTime("at", h.at)
          .KeyString("actor", h.actor_name)
          .Key("change")
          .Raw(h.change)
          .EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

std::string RecommendationJson(const Recommendation& r,
                               const std::vector<HistoryEntry>* history = nullptr) {
  JsonWriter w;
  WriteRecommendation(w, r, history);
  return std::move(w).Take();
}

http::Response Resource(int status, std::string body, std::int64_t version) {
  auto res = JsonText(status, std::move(body));
  SetETag(res, version);
  return res;
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, std::string type, std::string id,
           std::optional<std::string> before, std::optional<std::string> after, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), std::move(type), std::move(id),
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = std::move(after);
  audit::Append(tx, e, now);
}

// ---- reading ----

// The analysis named by the path, of the organisation named by the path; 404 otherwise.
Analysis LoadAnalysis(db::Tx& tx, const Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("analysis_id", "risk analysis");
  auto a = FindAnalysis(tx, org, id);
  if (!a) throw NotFound("risk analysis");
  return *a;
}

// The body as JSON, and an Input over it without the members read by hand (nested objects).
struct Body {
  json raw;
  Input in;
};
Body ReadBody(const Context& ctx, std::initializer_list<std::string_view> by_hand) {
  json raw = ParseJsonBody(ctx.request);
  json rest = raw;
  for (auto k : by_hand) rest.erase(std::string(k));
  return {std::move(raw), Input(std::move(rest))};
}

std::optional<std::string> PersonField(db::Tx& tx, Input& in, std::string_view field,
                                       const std::string& org_id, bool present_only = true) {
  if (present_only && !in.Has(field)) return std::nullopt;
  auto v = in.Text(field, {.nullable = true, .uuid = true});
  if (v && !IsMember(tx, org_id, *v)) {
    in.Fail(field, "is not a person of this organisation");
    return std::nullopt;
  }
  return v;
}

std::optional<int> ScaleField(Input& in, std::string_view field, const Scale& s) {
  auto v = in.Int(field, {.nullable = true, .min = s.min, .max = s.max});
  return v ? std::optional<int>(static_cast<int>(*v)) : std::nullopt;
}

// ---- analyses ----

http::Response ListAnalysesRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& a : ListAnalyses(tx, org)) WriteAnalysis(w, tx, a);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response AnalysisResponse(const Context& ctx, const std::string& id, int status) {
  const auto& org = ctx.IdParam("id", "organisation");
  return ctx.db().Read([&](db::Tx& tx) {
    auto a = FindAnalysis(tx, org, id);
    if (!a) throw NotFound("risk analysis");
    JsonWriter w;
    WriteAnalysis(w, tx, *a);
    return Resource(status, std::move(w).Take(), a->version);
  });
}

http::Response GetAnalysis(Context& ctx) {
  return AnalysisResponse(ctx, ctx.IdParam("analysis_id", "risk analysis"), 200);
}

http::Response CreateAnalysis(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  auto body = ReadBody(ctx, {"settings"});
  Input& in = body.in;
  Analysis a;
  a.id = crypto::NewUuid();
  a.organisation_id = org;
  if (auto v = in.Text("name", {.required = true, .min = 1, .max = 200})) a.name = *v;
  if (auto v = in.Text("description", {.max = 5000})) a.description = *v;
  auto method = in.Text("method", {.one_of = {"itv", "matrix", "operational"}});
  auto current = in.Bool("current");
  std::vector<FieldError> errors;
  a.settings = DefaultSettings(method ? *ParseMethod(*method) : Method::kItv);
  if (body.raw.contains("settings")) {
    const bool gave_thresholds =
        body.raw["settings"].is_object() && body.raw["settings"].contains("thresholds");
    const bool gave_matrix =
        body.raw["settings"].is_object() && body.raw["settings"].contains("matrix");
    a.settings = ReadSettings(body.raw["settings"], a.settings, errors);
    if (!gave_thresholds) a.settings.thresholds = DefaultThresholds(a.settings);
    if (!gave_matrix) a.settings.matrix = DefaultMatrix(a.settings);
    if (method && Name(a.settings.method) != *method) {
      errors.push_back({"/settings/method", "differs from method"});
    }
  }
  for (auto& e : CheckSettings(a.settings)) errors.push_back(std::move(e));
  for (auto& e : errors) in.Fail(e.field.substr(1), e.message);
  in.Done();
  const Millis now = NowMillis();
  a.created_by = ctx.caller().user_id;
  a.created_at = a.updated_at = now;
  ctx.db().Write([&](db::Tx& tx) {
    // The first analysis of an organisation is its current one.
    const bool first = ListAnalyses(tx, org).empty();
    a.current = first || current.value_or(false);
    InsertAnalysis(tx, a);
    if (a.current) MakeCurrent(tx, org, a.id);
    Audit(tx, ctx, "risk.analysis.create", "risk_analysis", a.id, std::nullopt, AnalysisState(a),
          now);
  });
  auto res = AnalysisResponse(ctx, a.id, 201);
  res.Set("Location", "/api/v1/organisations/" + org + "/risk/analyses/" + a.id);
  return res;
}

bool SameScale(const Scale& a, const Scale& b) { return a.min == b.min && a.max == b.max; }

http::Response PatchAnalysis(Context& ctx) {
  auto version = RequiredIfMatch(ctx.request);
  auto body = ReadBody(ctx, {"settings"});
  Input& in = body.in;
  const Millis now = NowMillis();
  std::string id;
  ctx.db().Write([&](db::Tx& tx) {
    Analysis a = LoadAnalysis(tx, ctx);
    id = a.id;
    const Analysis before = a;
    if (auto v = in.Text("name", {.min = 1, .max = 200})) a.name = *v;
    if (auto v = in.Text("description", {.max = 5000})) a.description = *v;
    auto current = in.Bool("current");
    if (current && !*current) in.Fail("current", "can only be set: make another analysis current");
    std::vector<FieldError> errors;
    if (body.raw.contains("settings")) {
      const json& js = body.raw["settings"];
      a.settings = ReadSettings(js, a.settings, errors);
      const Settings& old = before.settings;
      const bool rescaled = !SameScale(old.impact, a.settings.impact) ||
                            !SameScale(old.likelihood, a.settings.likelihood) ||
                            !SameScale(old.vulnerability, a.settings.vulnerability) ||
                            !SameScale(old.probability, a.settings.probability);
      const bool gave = js.is_object();
      if (gave && !js.contains("thresholds")) {
        if (a.settings.method != old.method) {
          a.settings.thresholds = DefaultThresholds(a.settings);
        } else if (rescaled) {
          a.settings.thresholds = RemapThresholds(old, a.settings);
        }
      }
      if (gave && !js.contains("matrix") &&
          (static_cast<int>(a.settings.matrix.cells.size()) != a.settings.probability.Levels() ||
           (!a.settings.matrix.cells.empty() &&
            static_cast<int>(a.settings.matrix.cells[0].size()) != a.settings.impact.Levels()))) {
        a.settings.matrix = DefaultMatrix(a.settings);
      }
      for (auto& e : CheckSettings(a.settings)) errors.push_back(std::move(e));
    }
    for (auto& e : errors) in.Fail(e.field.substr(1), e.message);
    in.Done();
    if (!UpdateAnalysis(tx, a, version, now)) throw PreconditionFailed();
    a.version = version + 1;
    if (current && *current && !a.current) {
      MakeCurrent(tx, a.organisation_id, a.id);
      a.current = true;
    }
    const Settings& old = before.settings;
    const bool rescaled = !SameScale(old.impact, a.settings.impact) ||
                          !SameScale(old.likelihood, a.settings.likelihood) ||
                          !SameScale(old.vulnerability, a.settings.vulnerability) ||
                          !SameScale(old.probability, a.settings.probability);
    if (rescaled) {
      // A scale change after scoring does not lock the analysis: every stored value moves to the
      // same place on the new scale, and the change is in the audit log with the count.
      const auto remapped = RemapValues(tx, a, old, a.settings);
      json note = {{"values_remapped", remapped}};
      Audit(tx, ctx, "risk.analysis.rescale", "risk_analysis", a.id, AnalysisState(before),
            note.dump(), now);
    }
    auto stats = Recompute(tx, a);
    (void)stats;
    Audit(tx, ctx, "risk.analysis.update", "risk_analysis", a.id, AnalysisState(before),
          AnalysisState(a), now);
  });
  return AnalysisResponse(ctx, id, 200);
}

// ---- assets ----

// Refuses a dependency graph with a cycle, naming it: "Payment service → Core server → Payment
// service".
void CheckNoCycle(db::Tx& tx, const Analysis& a, const Asset& changed, Input& in) {
  auto assets = AllAssets(tx, a.id);
  bool found = false;
  for (auto& x : assets) {
    if (x.id == changed.id) {
      x.depends_on = changed.depends_on;
      found = true;
    }
  }
  if (!found) assets.push_back(changed);
  std::map<std::string, int> at;
  for (std::size_t k = 0; k < assets.size(); ++k) at[assets[k].id] = static_cast<int>(k);
  std::vector<std::vector<int>> graph(assets.size());
  for (std::size_t k = 0; k < assets.size(); ++k) {
    for (const auto& d : assets[k].depends_on) {
      auto it = at.find(d);
      if (it != at.end()) graph[k].push_back(it->second);
    }
  }
  auto cycle = FindCycle(graph);
  if (cycle.empty()) return;
  std::string path;
  for (std::size_t k = 0; k < cycle.size(); ++k) {
    path += (k ? " → " : "") + assets[static_cast<std::size_t>(cycle[k])].name;
  }
  in.Fail("depends_on", "would make a dependency cycle: " + path);
}

// Reads the fields of an asset; `create` requires name and type.
void ReadAsset(db::Tx& tx, Body& body, const Analysis& an, Asset& a, bool create) {
  Input& in = body.in;
  if (auto v = in.Text("name", {.required = create, .min = 1, .max = 200})) a.name = *v;
  if (auto v =
          in.Text("type", {.required = create,
                           .one_of = {"business_process", "information", "hardware", "software",
                                      "network", "people", "site", "organisation"}})) {
    a.type = *ParseAssetType(*v);
  }
  if (auto v = in.Text("description", {.max = 5000})) a.description = *v;
  if (in.Has("owner_id")) a.owner_id = PersonField(tx, in, "owner_id", an.organisation_id);
  std::vector<FieldError> errors;
  if (body.raw.contains("ratings"))
    a.ratings = ReadRatings(body.raw["ratings"], an.settings, errors, "/ratings");
  if (!IsPrimary(a.type) && !a.ratings.empty()) {
    errors.push_back({"/ratings", "only primary assets are rated; supporting assets inherit"});
  }
  if (body.raw.contains("override")) {
    const json& o = body.raw["override"];
    if (!o.is_object()) {
      errors.push_back({"/override", "must be an object with impact and reason"});
    } else {
      for (const auto& [k, v] : o.items()) {
        if (k != "impact" && k != "reason") {
          errors.push_back({"/override/" + k, "is not a field of this object"});
        }
      }
      a.override_impact = o.contains("impact")
                              ? ReadOverride(o["impact"], an.settings, errors, "/override/impact")
                              : PerCriterion{};
      a.override_reason = o.contains("reason") && o["reason"].is_string()
                              ? o["reason"].get<std::string>()
                              : std::string();
      if (a.override_reason.size() > 2000) {
        errors.push_back({"/override/reason", "must be at most 2000 characters"});
      }
    }
  }
  bool overridden = false;
  for (const auto& v : a.override_impact) overridden = overridden || v.has_value();
  if (overridden && a.override_reason.empty()) {
    errors.push_back({"/override/reason", "must say why the criticality is overridden"});
  }
  if (!overridden) a.override_reason.clear();
  if (auto deps = in.TextList("depends_on", {.uuid = true}, 500)) {
    std::set<std::string> seen;
    a.depends_on.clear();
    for (std::size_t k = 0; k < deps->size(); ++k) {
      const auto& d = (*deps)[k];
      if (d == a.id) {
        in.Fail("depends_on/" + std::to_string(k), "an asset cannot depend on itself");
      } else if (!FindAsset(tx, an.id, d)) {
        in.Fail("depends_on/" + std::to_string(k), "no such asset in this analysis");
      } else if (seen.insert(d).second) {
        a.depends_on.push_back(d);
      }
    }
  }
  if (!a.name.empty()) {
    auto same = FindAssetByName(tx, an.id, a.name);
    if (same && same->id != a.id) in.Fail("name", "another asset of this analysis has this name");
  }
  for (auto& e : errors) in.Fail(e.field.substr(1), e.message);
}

http::Response AssetResponse(const Context& ctx, const std::string& analysis_id,
                             const std::string& id, int status) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto a = FindAsset(tx, analysis_id, id);
    if (!a) throw NotFound("asset");
    return Resource(status, AssetJson(*a, an.settings), a->version);
  });
}

http::Response CreateAsset(Context& ctx) {
  auto body = ReadBody(ctx, {"ratings", "override"});
  const Millis now = NowMillis();
  Asset a;
  a.id = crypto::NewUuid();
  std::string analysis_id;
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    analysis_id = an.id;
    a.analysis_id = an.id;
    ReadAsset(tx, body, an, a, true);
    CheckNoCycle(tx, an, a, body.in);
    body.in.Done();
    InsertAsset(tx, a, now);
    SetDependencies(tx, an.id, a.id, a.depends_on);
    Recompute(tx, an);
    auto saved = FindAsset(tx, an.id, a.id);
    Audit(tx, ctx, "risk.asset.create", "risk_asset", a.id, std::nullopt,
          AssetJson(*saved, an.settings), now);
  });
  auto res = AssetResponse(ctx, analysis_id, a.id, 201);
  res.Set("Location", ctx.request.path + "/" + a.id);
  return res;
}

http::Response GetAsset(Context& ctx) {
  const auto& id = ctx.IdParam("asset_id", "asset");
  return AssetResponse(ctx, ctx.IdParam("analysis_id", "risk analysis"), id, 200);
}

http::Response PatchAsset(Context& ctx) {
  const auto& id = ctx.IdParam("asset_id", "asset");
  auto version = RequiredIfMatch(ctx.request);
  auto body = ReadBody(ctx, {"ratings", "override"});
  const Millis now = NowMillis();
  std::string analysis_id;
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    analysis_id = an.id;
    auto a = FindAsset(tx, an.id, id);
    if (!a) throw NotFound("asset");
    const auto before = AssetJson(*a, an.settings);
    const auto deps_before = a->depends_on;
    ReadAsset(tx, body, an, *a, false);
    if (a->depends_on != deps_before) CheckNoCycle(tx, an, *a, body.in);
    body.in.Done();
    if (!UpdateAsset(tx, *a, version, now)) throw PreconditionFailed();
    if (a->depends_on != deps_before) SetDependencies(tx, an.id, a->id, a->depends_on);
    Recompute(tx, an);
    auto saved = FindAsset(tx, an.id, id);
    Audit(tx, ctx, "risk.asset.update", "risk_asset", id, before, AssetJson(*saved, an.settings),
          now);
  });
  return AssetResponse(ctx, analysis_id, id, 200);
}

http::Response DeleteAssetRoute(Context& ctx) {
  const auto& id = ctx.IdParam("asset_id", "asset");
  auto version = RequiredIfMatch(ctx.request);
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto a = FindAsset(tx, an.id, id);
    if (!a) throw NotFound("asset");
    if (a->version != version) throw PreconditionFailed();
    if (auto n = ScenarioCountOfAsset(tx, id); n > 0) {
      throw Conflict("The asset is used by " + std::to_string(n) +
                     " scenarios; delete them first.");
    }
    DeleteAsset(tx, an.id, id);
    Recompute(tx, an);
    Audit(tx, ctx, "risk.asset.delete", "risk_asset", id, AssetJson(*a, an.settings), std::nullopt,
          now);
  });
  return NoContent();
}

http::Response ListAssetsRoute(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  AssetFilter f;
  if (auto t = ctx.request.QueryParam("type"); t && !t->empty()) {
    f.type = ParseAssetType(*t);
    if (!f.type) errors.push_back({"type", "is not an asset type"});
  }
  if (auto c = ctx.request.QueryParam("criticality"); c && !c->empty()) {
    try {
      f.criticality = std::stoi(std::string(*c));
    } catch (...) {
      errors.push_back({"criticality", "must be a whole number"});
    }
  }
  if (auto o = ctx.request.QueryParam("owner"); o && !o->empty()) {
    if (!crypto::IsUuid(*o)) errors.push_back({"owner", "must be a person's id"});
    f.owner_id = std::string(*o);
  }
  if (auto s = ctx.request.QueryParam("sort"); s && !s->empty()) {
    if (*s == "criticality") {
      f.by_criticality = true;
    } else if (*s != "name") {
      errors.push_back({"sort", "must be name or criticality"});
    }
  }
  std::optional<AssetCursor> after;
  if (page.after) {
    const auto& c = *page.after;
    if (c.size() != 3 || !c[0].is_number_integer() || !c[1].is_string() || !c[2].is_string()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after =
          AssetCursor{c[0].get<std::int64_t>(), c[1].get<std::string>(), c[2].get<std::string>()};
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto rows = ListAssets(tx, an.id, f, after, page.limit + 1);
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.resize(static_cast<std::size_t>(page.limit));
      const auto& last = rows.back();
      next = EncodeCursor(json::array({last.criticality.value_or(-1), last.name, last.id}));
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& a : rows) WriteAsset(w, a, an.settings);
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response Classification(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    JsonWriter w;
    w.BeginObject().Key("classes").BeginArray();
    // One class per level of the impact scale, highest first, then the assets not yet rated.
    std::map<std::int64_t, std::map<std::string, std::int64_t>> counts;
    for (const auto& r :
         tx.Query("SELECT criticality, type, count(*) FROM risk_assets WHERE analysis_id = $1 "
                  "GROUP BY criticality, type",
                  {an.id})) {
      counts[r.Int(0)][r.Text(1)] = r.Int(2);
    }
    auto write_class = [&](std::int64_t level) {
      std::int64_t total = 0;
      for (const auto& [t, n] : counts[level]) total += n;
      w.BeginObject();
      if (level < 0) {
        w.KeyNull("criticality").KeyNull("label");
      } else {
        w.KeyInt("criticality", level)
            .KeyString("label", LabelOf(an.settings.impact, static_cast<int>(level)));
      }
      w.KeyInt("count", total).Key("by_type").BeginObject();
      for (const auto& [t, n] : counts[level]) w.KeyInt(t, n);
      w.EndObject().EndObject();
    };
    for (int level = an.settings.impact.max; level >= an.settings.impact.min; --level) {
      write_class(level);
    }
    write_class(-1);
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// ---- threats and vulnerabilities ----

// The URN of an organisation's own entry: urn:rampart:org:<organisation id>:<kind>:<key>.
std::string CustomUrn(const std::string& org, std::string_view kind, const std::string& key) {
  return "urn:rampart:org:" + org + ":" + std::string(kind) + ":" + key;
}

CriteriaFlags ReadCriteria(const json& j, std::vector<FieldError>& errors) {
  CriteriaFlags f{};
  if (!j.is_object()) {
    errors.push_back({"/criteria", "must be an object of criteria and true or false"});
    return f;
  }
  for (const auto& [k, v] : j.items()) {
    auto c = ParseCriterion(k);
    if (!c) {
      errors.push_back({"/criteria/" + k, "is not a criterion"});
    } else if (!v.is_boolean()) {
      errors.push_back({"/criteria/" + k, "must be true or false"});
    } else {
      f[static_cast<std::size_t>(*c)] = v.get<bool>();
    }
  }
  return f;
}

Threat ThreatFromCatalogue(const CatalogueThreat& c, const std::string& analysis_id) {
  Threat t;
  t.id = crypto::NewUuid();
  t.analysis_id = analysis_id;
  t.urn = c.urn;
  t.family = c.family;
  t.name = c.name;
  t.description = c.description;
  t.affects = {c.criteria.confidentiality, c.criteria.integrity, c.criteria.availability, false};
  return t;
}

Vulnerability VulnerabilityFromCatalogue(const CatalogueVulnerability& c,
                                         const std::string& analysis_id) {
  Vulnerability v;
  v.id = crypto::NewUuid();
  v.analysis_id = analysis_id;
  v.urn = c.urn;
  v.name = c.name;
  v.description = c.description;
  return v;
}

http::Response ListThreats(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& t : AllThreats(tx, an.id)) WriteThreat(w, t);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CreateThreat(Context& ctx) {
  auto body = ReadBody(ctx, {"criteria"});
  Input& in = body.in;
  const Millis now = NowMillis();
  Threat t;
  auto out = ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto urn = in.Text("urn", {.max = 300});
    auto key = in.Text("key", {.max = 40, .slug = true});
    auto name = in.Text("name", {.max = 200});
    auto description = in.Text("description", {.max = 5000});
    auto family = in.Text("family", {.max = 60});
    t.likelihood = ScaleField(in, "likelihood", an.settings.likelihood);
    std::vector<FieldError> errors;
    if (urn && key) {
      in.Fail("key", "give either the urn of a catalogue threat or a key for your own, not both");
    } else if (urn) {
      const auto* c = Catalogue::BuiltIn().FindThreat(*urn);
      if (!c) {
        in.Fail("urn", "no such threat in the catalogue: " + *urn);
      } else {
        Threat from = ThreatFromCatalogue(*c, an.id);
        from.likelihood = t.likelihood;
        t = from;
      }
      if (body.raw.contains("criteria") || name || description || family) {
        in.Fail("urn", "a catalogue threat keeps its name, description and criteria");
      }
    } else if (key) {
      t.id = crypto::NewUuid();
      t.analysis_id = an.id;
      t.custom = true;
      t.urn = CustomUrn(an.organisation_id, "threat", *key);
      if (!name || name->empty()) in.Fail("name", "is required for your own threat");
      t.name = name.value_or("");
      t.description = description.value_or("");
      t.family = family.value_or("");
      if (body.raw.contains("criteria")) t.affects = ReadCriteria(body.raw["criteria"], errors);
      if (std::none_of(t.affects.begin(), t.affects.end(), [](bool b) { return b; })) {
        errors.push_back({"/criteria", "must name at least one criterion the threat affects"});
      }
    } else {
      in.Fail("urn", "give the urn of a catalogue threat, or a key and name for your own");
    }
    for (auto& e : errors) in.Fail(e.field.substr(1), e.message);
    if (!t.urn.empty() && FindThreatByUrn(tx, an.id, t.urn)) {
      in.Fail(urn ? "urn" : "key", "is already in this analysis: " + t.urn);
    }
    in.Done();
    InsertThreat(tx, t, now);
    Audit(tx, ctx, "risk.threat.create", "risk_threat", t.id, std::nullopt, ThreatJson(t), now);
    return *FindThreat(tx, an.id, t.id);
  });
  auto res = Resource(201, ThreatJson(out), out.version);
  res.Set("Location", ctx.request.path + "/" + out.id);
  return res;
}

http::Response PatchThreat(Context& ctx) {
  const auto& id = ctx.IdParam("threat_id", "threat");
  auto version = RequiredIfMatch(ctx.request);
  auto body = ReadBody(ctx, {"criteria"});
  Input& in = body.in;
  const Millis now = NowMillis();
  auto out = ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto t = FindThreat(tx, an.id, id);
    if (!t) throw NotFound("threat");
    const auto before = ThreatJson(*t);
    if (in.Has("likelihood")) t->likelihood = ScaleField(in, "likelihood", an.settings.likelihood);
    auto name = in.Text("name", {.min = 1, .max = 200});
    auto description = in.Text("description", {.max = 5000});
    std::vector<FieldError> errors;
    if (!t->custom && (name || description || body.raw.contains("criteria"))) {
      in.Fail("name", "a catalogue threat keeps its name, description and criteria");
    } else {
      if (name) t->name = *name;
      if (description) t->description = *description;
      if (body.raw.contains("criteria")) {
        t->affects = ReadCriteria(body.raw["criteria"], errors);
        if (std::none_of(t->affects.begin(), t->affects.end(), [](bool b) { return b; })) {
          errors.push_back({"/criteria", "must name at least one criterion the threat affects"});
        }
      }
    }
    for (auto& e : errors) in.Fail(e.field.substr(1), e.message);
    in.Done();
    if (!UpdateThreat(tx, *t, version, now)) throw PreconditionFailed();
    Recompute(tx, an);
    auto saved = *FindThreat(tx, an.id, id);
    Audit(tx, ctx, "risk.threat.update", "risk_threat", id, before, ThreatJson(saved), now);
    return saved;
  });
  return Resource(200, ThreatJson(out), out.version);
}

http::Response ListVulnerabilities(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& v : AllVulnerabilities(tx, an.id)) WriteVulnerability(w, v);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CreateVulnerabilityRoute(Context& ctx) {
  Input in(ctx.request);
  const Millis now = NowMillis();
  auto out = ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto urn = in.Text("urn", {.max = 300});
    auto key = in.Text("key", {.max = 40, .slug = true});
    auto name = in.Text("name", {.max = 200});
    auto description = in.Text("description", {.max = 5000});
    auto q = ScaleField(in, "qualification", an.settings.vulnerability);
    Vulnerability v;
    if (urn && key) {
      in.Fail("key", "give either the urn of a catalogue vulnerability or a key, not both");
    } else if (urn) {
      const auto* c = Catalogue::BuiltIn().FindVulnerability(*urn);
      if (!c) {
        in.Fail("urn", "no such vulnerability in the catalogue: " + *urn);
      } else {
        v = VulnerabilityFromCatalogue(*c, an.id);
      }
      if (name || description) {
        in.Fail("urn", "a catalogue vulnerability keeps its name and description");
      }
    } else if (key) {
      v.id = crypto::NewUuid();
      v.analysis_id = an.id;
      v.custom = true;
      v.urn = CustomUrn(an.organisation_id, "vulnerability", *key);
      if (!name || name->empty()) in.Fail("name", "is required for your own vulnerability");
      v.name = name.value_or("");
      v.description = description.value_or("");
    } else {
      in.Fail("urn", "give the urn of a catalogue vulnerability, or a key and name for your own");
    }
    v.qualification = q;
    if (!v.urn.empty() && FindVulnerabilityByUrn(tx, an.id, v.urn)) {
      in.Fail(urn ? "urn" : "key", "is already in this analysis: " + v.urn);
    }
    in.Done();
    InsertVulnerability(tx, v, now);
    Audit(tx, ctx, "risk.vulnerability.create", "risk_vulnerability", v.id, std::nullopt,
          VulnerabilityJson(v), now);
    return *FindVulnerability(tx, an.id, v.id);
  });
  auto res = Resource(201, VulnerabilityJson(out), out.version);
  res.Set("Location", ctx.request.path + "/" + out.id);
  return res;
}

http::Response PatchVulnerability(Context& ctx) {
  const auto& id = ctx.IdParam("vulnerability_id", "vulnerability");
  auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  const Millis now = NowMillis();
  auto out = ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto v = FindVulnerability(tx, an.id, id);
    if (!v) throw NotFound("vulnerability");
    const auto before = VulnerabilityJson(*v);
    if (in.Has("qualification")) {
      v->qualification = ScaleField(in, "qualification", an.settings.vulnerability);
    }
    auto name = in.Text("name", {.min = 1, .max = 200});
    auto description = in.Text("description", {.max = 5000});
    if (!v->custom && (name || description)) {
      in.Fail("name", "a catalogue vulnerability keeps its name and description");
    } else {
      if (name) v->name = *name;
      if (description) v->description = *description;
    }
    in.Done();
    if (!UpdateVulnerability(tx, *v, version, now)) throw PreconditionFailed();
    Recompute(tx, an);
    auto saved = *FindVulnerability(tx, an.id, id);
    Audit(tx, ctx, "risk.vulnerability.update", "risk_vulnerability", id, before,
          VulnerabilityJson(saved), now);
    return saved;
  });
  return Resource(200, VulnerabilityJson(out), out.version);
}

// ---- scenarios ----

// The analysis's threat named by `threat_id`, or by `threat_urn` (a catalogue threat not yet in
// the analysis is taken in); nullopt with the field failed otherwise.
std::optional<Threat> ResolveThreat(db::Tx& tx, const Analysis& an, Input& in, Millis now) {
  auto id = in.Text("threat_id", {.uuid = true});
  auto urn = in.Text("threat_urn", {.max = 300});
  if (id) {
    auto t = FindThreat(tx, an.id, *id);
    if (!t) in.Fail("threat_id", "no such threat in this analysis");
    return t;
  }
  if (urn) {
    if (auto t = FindThreatByUrn(tx, an.id, *urn)) return t;
    const auto* c = Catalogue::BuiltIn().FindThreat(*urn);
    if (!c) {
      in.Fail("threat_urn", "no such threat in the catalogue or this analysis: " + *urn);
      return std::nullopt;
    }
    Threat t = ThreatFromCatalogue(*c, an.id);
    InsertThreat(tx, t, now);
    return t;
  }
  in.Fail("threat_id", "give threat_id or threat_urn");
  return std::nullopt;
}

std::optional<Vulnerability> ResolveVulnerability(db::Tx& tx, const Analysis& an, Input& in,
                                                  Millis now) {
  auto id = in.Text("vulnerability_id", {.uuid = true});
  auto urn = in.Text("vulnerability_urn", {.max = 300});
  if (id) {
    auto v = FindVulnerability(tx, an.id, *id);
    if (!v) in.Fail("vulnerability_id", "no such vulnerability in this analysis");
    return v;
  }
  if (urn) {
    if (auto v = FindVulnerabilityByUrn(tx, an.id, *urn)) return v;
    const auto* c = Catalogue::BuiltIn().FindVulnerability(*urn);
    if (!c) {
      in.Fail("vulnerability_urn",
              "no such vulnerability in the catalogue or this analysis: " + *urn);
      return std::nullopt;
    }
    Vulnerability v = VulnerabilityFromCatalogue(*c, an.id);
    InsertVulnerability(tx, v, now);
    return v;
  }
  in.Fail("vulnerability_id", "give vulnerability_id or vulnerability_urn");
  return std::nullopt;
}

// The fields people set on a scenario, on create and edit.
void ReadScenarioFields(db::Tx& tx, Input& in, const Analysis& an, Scenario& s) {
  const Settings& st = an.settings;
  if (auto v = in.Text("description", {.max = 5000})) s.description = *v;
  if (in.Has("probability")) s.probability = ScaleField(in, "probability", st.probability);
  if (in.Has("residual_probability")) {
    s.residual_probability = ScaleField(in, "residual_probability", st.probability);
  }
  if (auto v =
          in.Int("reduction", {.min = 0, .max = st.vulnerability.max - st.vulnerability.min})) {
    s.reduction = static_cast<int>(*v);
  }
  if (auto v = in.Text("controls_in_place", {.max = 5000})) s.controls_in_place = *v;
  if (auto v = in.Text("treatment", {.one_of = {"none", "reduce", "accept", "avoid", "share"}})) {
    s.treatment = *ParseTreatment(*v);
  }
  if (in.Has("owner_id")) s.owner_id = PersonField(tx, in, "owner_id", an.organisation_id);
  if (auto v = in.Text("planned_controls", {.max = 5000})) s.planned_controls = *v;
}

http::Response ScenarioResponse(const Context& ctx, const std::string& analysis_id,
                                const std::string& id, int status) {
  return ctx.db().Read([&](db::Tx& tx) {
    LoadAnalysis(tx, ctx);
    auto v = FindScenario(tx, analysis_id, id);
    if (!v) throw NotFound("scenario");
    return Resource(status, ScenarioJson(*v), v->scenario.version);
  });
}

http::Response CreateScenario(Context& ctx) {
  Input in(ctx.request);
  const Millis now = NowMillis();
  Scenario s;
  s.id = crypto::NewUuid();
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    s.analysis_id = an.id;
    auto asset_id = in.Text("asset_id", {.required = true, .uuid = true});
    if (asset_id) {
      if (!FindAsset(tx, an.id, *asset_id)) {
        in.Fail("asset_id", "no such asset in this analysis");
      } else {
        s.asset_id = *asset_id;
      }
    }
    auto t = ResolveThreat(tx, an, in, now);
    auto v = ResolveVulnerability(tx, an, in, now);
    ReadScenarioFields(tx, in, an, s);
    if (t && v && !s.asset_id.empty() && ScenarioExists(tx, s.asset_id, t->id, v->id)) {
      in.Fail("asset_id", "this asset already has a scenario with this threat and vulnerability");
    }
    in.Done();
    s.threat_id = t->id;
    s.vulnerability_id = v->id;
    s.created_at = s.updated_at = now;
    s.score = ScoreStored(tx, an, s);
    InsertScenario(tx, s);
    auto saved = FindScenario(tx, an.id, s.id);
    Audit(tx, ctx, "risk.scenario.create", "risk_scenario", s.id, std::nullopt,
          ScenarioJson(*saved), now);
  });
  auto res = ScenarioResponse(ctx, s.analysis_id, s.id, 201);
  res.Set("Location", ctx.request.path + "/" + s.id);
  return res;
}

// Scenarios for chosen assets from the catalogue's suggestions: each (threat, vulnerability) pair
// that applies to the asset's type, skipping the combinations the analysis already has.
http::Response CreateSuggestedScenarios(Context& ctx) {
  Input in(ctx.request);
  auto ids = in.TextList("asset_ids", {.required = true, .uuid = true}, 1000);
  const Millis now = NowMillis();
  std::int64_t created = 0, skipped = 0;
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    std::vector<Asset> assets;
    for (std::size_t k = 0; ids && k < ids->size(); ++k) {
      auto a = FindAsset(tx, an.id, (*ids)[k]);
      if (!a) {
        in.Fail("asset_ids/" + std::to_string(k), "no such asset in this analysis");
      } else {
        assets.push_back(std::move(*a));
      }
    }
    in.Done();
    std::map<std::string, std::string> threat_ids, vuln_ids;  // URN → id in the analysis
    for (const auto& t : AllThreats(tx, an.id)) threat_ids[t.urn] = t.id;
    for (const auto& v : AllVulnerabilities(tx, an.id)) vuln_ids[v.urn] = v.id;
    std::set<std::tuple<std::string, std::string, std::string>> existing;
    for (const auto& r :
         tx.Query("SELECT asset_id, threat_id, vulnerability_id FROM risk_scenarios "
                  "WHERE analysis_id = $1",
                  {an.id})) {
      existing.insert({r.Text(0), r.Text(1), r.Text(2)});
    }
    std::vector<Scenario> batch;
    for (const auto& a : assets) {
      for (const auto& pair : Catalogue::BuiltIn().Suggestions(a.type)) {
        auto& tid = threat_ids[pair.threat->urn];
        if (tid.empty()) {
          Threat t = ThreatFromCatalogue(*pair.threat, an.id);
          InsertThreat(tx, t, now);
          tid = t.id;
        }
        auto& vid = vuln_ids[pair.vulnerability->urn];
        if (vid.empty()) {
          Vulnerability v = VulnerabilityFromCatalogue(*pair.vulnerability, an.id);
          InsertVulnerability(tx, v, now);
          vid = v.id;
        }
        if (!existing.insert({a.id, tid, vid}).second) {
          ++skipped;
          continue;
        }
        Scenario s;
        s.id = crypto::NewUuid();
        s.analysis_id = an.id;
        s.asset_id = a.id;
        s.threat_id = tid;
        s.vulnerability_id = vid;
        s.created_at = s.updated_at = now;
        batch.push_back(std::move(s));
      }
    }
    InsertScenarios(tx, batch);
    Recompute(tx, an);
    created = static_cast<std::int64_t>(batch.size());
    json note = {{"assets", ids ? ids->size() : 0}, {"created", created}, {"skipped", skipped}};
    Audit(tx, ctx, "risk.scenario.suggest", "risk_analysis", an.id, std::nullopt, note.dump(), now);
  });
  JsonWriter w;
  w.BeginObject().KeyInt("created", created).KeyInt("skipped", skipped).EndObject();
  return JsonText(201, std::move(w).Take());
}

http::Response GetScenario(Context& ctx) {
  const auto& id = ctx.IdParam("scenario_id", "scenario");
  return ScenarioResponse(ctx, ctx.IdParam("analysis_id", "risk analysis"), id, 200);
}

http::Response PatchScenario(Context& ctx) {
  const auto& id = ctx.IdParam("scenario_id", "scenario");
  auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  const Millis now = NowMillis();
  std::string analysis_id;
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    analysis_id = an.id;
    auto v = FindScenario(tx, an.id, id);
    if (!v) throw NotFound("scenario");
    const auto before = ScenarioJson(*v);
    Scenario& s = v->scenario;
    ReadScenarioFields(tx, in, an, s);
    in.Done();
    if (!UpdateScenario(tx, s, version, now)) throw PreconditionFailed();
    WriteScore(tx, s.id, ScoreStored(tx, an, s));
    auto saved = FindScenario(tx, an.id, id);
    Audit(tx, ctx, "risk.scenario.update", "risk_scenario", id, before, ScenarioJson(*saved), now);
  });
  return ScenarioResponse(ctx, analysis_id, id, 200);
}

http::Response DeleteScenarioRoute(Context& ctx) {
  const auto& id = ctx.IdParam("scenario_id", "scenario");
  auto version = RequiredIfMatch(ctx.request);
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto v = FindScenario(tx, an.id, id);
    if (!v) throw NotFound("scenario");
    if (v->scenario.version != version) throw PreconditionFailed();
    DeleteScenario(tx, an.id, id);
    Audit(tx, ctx, "risk.scenario.delete", "risk_scenario", id, ScenarioJson(*v), std::nullopt,
          now);
  });
  return NoContent();
}

http::Response AcceptScenario(Context& ctx) {
  const auto& id = ctx.IdParam("scenario_id", "scenario");
  Input in(ctx.request);
  auto note = in.Text("note", {.max = 5000});
  in.Done();
  const Millis now = NowMillis();
  std::string analysis_id;
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    analysis_id = an.id;
    auto v = FindScenario(tx, an.id, id);
    if (!v) throw NotFound("scenario");
    if (!v->scenario.score.residual) {
      throw Conflict("The scenario is not scored yet: there is no residual risk to accept.");
    }
    Acceptance a;
    a.id = crypto::NewUuid();
    a.scenario_id = id;
    a.accepted_by = ctx.caller().user_id;
    a.accepted_at = now;
    a.digest = AcceptanceDigest(StateOf(*v));
    a.note = note.value_or("");
    InsertAcceptance(tx, an.id, a);
    json state = {{"scenario_id", id},
                  {"digest", a.digest},
                  {"residual_risk", *v->scenario.score.residual},
                  {"residual_level", v->scenario.score.residual_level},
                  {"note", a.note}};
    Audit(tx, ctx, "risk.scenario.accept", "risk_acceptance", a.id, std::nullopt, state.dump(),
          now);
  });
  return ScenarioResponse(ctx, analysis_id, id, 201);
}

http::Response ListScenarios(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  // The same filters as the register's CSV and XLSX exports (register_export.h).
  RegisterFilter f = ParseRegisterFilter(ctx.request, errors);
  std::optional<RegisterCursor> after;
  if (page.after) {
    const auto& c = *page.after;
    if (c.size() != 2 || !c[0].is_number_integer() || !c[1].is_string()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after = RegisterCursor{c[0].get<std::int64_t>(), c[1].get<std::string>()};
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto rows = ListRegister(tx, an.id, f, after, page.limit + 1);
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.resize(static_cast<std::size_t>(page.limit));
      const auto& s = rows.back().scenario.score;
      const auto risk = (f.residual ? s.residual : s.current).value_or(-1);
      next = EncodeCursor(json::array({risk, rows.back().scenario.id}));
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& v : rows) WriteScenario(w, v);
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response GetHeatMap(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    JsonWriter w;
    w.BeginObject()
        .KeyString("method", Name(an.settings.method))
        .KeyString("impact_axis", "impact")
        .KeyString("likelihood_axis", an.settings.method == Method::kItv
                                          ? "threat likelihood × vulnerability"
                                          : "probability")
        .Key("cells")
        .BeginArray();
    for (const auto& c : HeatMap(tx, an.id)) {
      w.BeginObject()
          .KeyInt("impact", c.impact)
          .KeyInt("likelihood", c.likelihood)
          .KeyInt("current", c.current)
          .KeyInt("residual", c.residual)
          .EndObject();
    }
    w.EndArray().Key("levels").BeginArray();
    for (const auto& l : LevelCounts(tx, an.id)) {
      w.BeginObject()
          .KeyOptString("level", l.level.empty() ? std::nullopt : std::optional(l.level))
          .KeyInt("current", l.current)
          .KeyInt("residual", l.residual)
          .EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response GetTopRisks(Context& ctx) {
  int limit = 10;
  if (auto v = ctx.request.QueryParam("limit"); v && !v->empty()) {
    try {
      limit = std::stoi(std::string(*v));
    } catch (...) {
      limit = 0;
    }
    if (limit < 1 || limit > 50) throw InvalidField("limit", "must be a whole number from 1 to 50");
  }
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    const auto enabled = EnabledCriteria(an.settings);
    JsonWriter w;
    w.BeginObject();
    for (Criterion c : kAllCriteria) {
      if (!enabled[static_cast<std::size_t>(c)]) continue;
      w.Key(Name(c)).BeginArray();
      for (const auto& v : TopRisks(tx, an.id, c, limit)) WriteScenario(w, v);
      w.EndArray();
    }
    w.EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// ---- recommendations ----

void ReadRecommendation(db::Tx& tx, Input& in, const Analysis& an, Recommendation& r, bool create) {
  if (auto v = in.Text("title", {.required = create, .min = 1, .max = 300})) r.title = *v;
  if (auto v = in.Text("description", {.max = 5000})) r.description = *v;
  if (auto v = in.Int("importance", {.min = 1, .max = 3})) r.importance = static_cast<int>(*v);
  if (in.Has("responsible_id")) {
    r.responsible_id = PersonField(tx, in, "responsible_id", an.organisation_id);
  }
  if (in.Has("due_at")) r.due_at = in.Time("due_at", false, true);
  if (auto v = in.Text("status", {.one_of = {"open", "in_progress", "done", "cancelled"}})) {
    r.status = *ParseRecommendationStatus(*v);
  }
  if (in.Has("scenario_id")) {
    r.scenario_id = in.Text("scenario_id", {.nullable = true, .uuid = true});
    if (r.scenario_id && !FindScenario(tx, an.id, *r.scenario_id)) {
      in.Fail("scenario_id", "no such scenario in this analysis");
    }
  }
}

std::string ChangeOf(const Recommendation& r) {
  JsonWriter w;
  WriteRecommendation(w, r, nullptr);
  return std::move(w).Take();
}

http::Response RecommendationResponse(const Context& ctx, const std::string& analysis_id,
                                      const std::string& id, int status) {
  return ctx.db().Read([&](db::Tx& tx) {
    LoadAnalysis(tx, ctx);
    auto r = FindRecommendation(tx, analysis_id, id);
    if (!r) throw NotFound("recommendation");
    auto history = HistoryOf(tx, id);
    return Resource(status, RecommendationJson(*r, &history), r->version);
  });
}

http::Response CreateRecommendation(Context& ctx) {
  Input in(ctx.request);
  const Millis now = NowMillis();
  Recommendation r;
  r.id = crypto::NewUuid();
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    r.analysis_id = an.id;
    ReadRecommendation(tx, in, an, r, true);
    in.Done();
    r.created_at = r.updated_at = now;
    InsertRecommendation(tx, r);
    AddHistory(tx, r.id, {now, ctx.caller().display_name, ChangeOf(r)});
    Audit(tx, ctx, "risk.recommendation.create", "risk_recommendation", r.id, std::nullopt,
          ChangeOf(r), now);
  });
  auto res = RecommendationResponse(ctx, r.analysis_id, r.id, 201);
  res.Set("Location", ctx.request.path + "/" + r.id);
  return res;
}

http::Response GetRecommendation(Context& ctx) {
  const auto& id = ctx.IdParam("recommendation_id", "recommendation");
  return RecommendationResponse(ctx, ctx.IdParam("analysis_id", "risk analysis"), id, 200);
}

http::Response PatchRecommendation(Context& ctx) {
  const auto& id = ctx.IdParam("recommendation_id", "recommendation");
  auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  const Millis now = NowMillis();
  std::string analysis_id;
  ctx.db().Write([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    analysis_id = an.id;
    auto r = FindRecommendation(tx, an.id, id);
    if (!r) throw NotFound("recommendation");
    const auto before = ChangeOf(*r);
    ReadRecommendation(tx, in, an, *r, false);
    in.Done();
    if (!UpdateRecommendation(tx, *r, version, now)) throw PreconditionFailed();
    r->version = version + 1;
    r->updated_at = now;
    AddHistory(tx, id, {now, ctx.caller().display_name, ChangeOf(*r)});
    Audit(tx, ctx, "risk.recommendation.update", "risk_recommendation", id, before, ChangeOf(*r),
          now);
  });
  return RecommendationResponse(ctx, analysis_id, id, 200);
}

http::Response ListRecommendationsRoute(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  RecommendationFilter f;
  if (auto v = ctx.request.QueryParam("status"); v && !v->empty()) {
    f.status = ParseRecommendationStatus(*v);
    if (!f.status) errors.push_back({"status", "must be open, in_progress, done or cancelled"});
  }
  if (auto v = ctx.request.QueryParam("responsible"); v && !v->empty()) {
    if (!crypto::IsUuid(*v)) errors.push_back({"responsible", "must be a person's id"});
    f.responsible_id = std::string(*v);
  }
  if (auto v = ctx.request.QueryParam("scenario"); v && !v->empty()) {
    if (!crypto::IsUuid(*v)) errors.push_back({"scenario", "must be a scenario's id"});
    f.scenario_id = std::string(*v);
  }
  std::optional<std::string> after;
  if (page.after) {
    const auto& c = *page.after;
    if (c.size() != 1 || !c[0].is_string()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after = c[0].get<std::string>();
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto rows = ListRecommendations(tx, an.id, f, after, page.limit + 1);
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.resize(static_cast<std::size_t>(page.limit));
      next = EncodeCursor(json::array({rows.back().id}));
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& r : rows) WriteRecommendation(w, r, nullptr);
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// ---- export and import ----

http::Response ExportRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Analysis an = LoadAnalysis(tx, ctx);
    auto res = JsonText(200, ExportAnalysis(tx, an));
    res.Set("Content-Disposition", "attachment; filename=\"risk-analysis-" + an.id + ".json\"");
    return res;
  });
}

http::Response ImportRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  json doc = ParseJsonBody(ctx.request);
  const Millis now = NowMillis();
  auto out = ctx.db().Write([&](db::Tx& tx) {
    auto o = ImportAnalysis(tx, doc, org, ctx.caller().user_id, now);
    if (!o.errors.empty()) throw InvalidInput(o.errors);
    json note = {{"assets", o.assets},
                 {"threats", o.threats},
                 {"vulnerabilities", o.vulnerabilities},
                 {"scenarios", o.scenarios},
                 {"recommendations", o.recommendations},
                 {"acceptances", o.acceptances}};
    Audit(tx, ctx, "risk.analysis.import", "risk_analysis", o.analysis_id, std::nullopt,
          note.dump(), now);
    return o;
  });
  auto res = AnalysisResponse(ctx, out.analysis_id, 201);
  res.Set("Location", "/api/v1/organisations/" + org + "/risk/analyses/" + out.analysis_id);
  return res;
}

}  // namespace

void AddRoutes(Router& r) {
  const std::string a(kAnalysis);
  auto add = [&](std::string method, std::string path, Action action, RouteHandler h,
                 std::size_t limit) {
    r.Add({std::move(method), std::move(path), action, "id", std::move(h), limit});
  };
  AddCatalogueRoutes(r);
  AddSnapshotRoutes(r);
  add("GET", Route(kBase, "/analyses"), Action::kRiskRead, ListAnalysesRoute, kNoBody);
  add("POST", Route(kBase, "/analyses"), Action::kRiskWrite, CreateAnalysis, 64 * 1024);
  add("POST", Route(kBase, "/imports"), Action::kRiskWrite, ImportRoute, 64 * 1024 * 1024);
  add("GET", a, Action::kRiskRead, GetAnalysis, kNoBody);
  add("PATCH", a, Action::kRiskWrite, PatchAnalysis, 64 * 1024);
  add("GET", a + "/export", Action::kRiskRead, ExportRoute, kNoBody);
  add("GET", a + "/classification", Action::kRiskRead, Classification, kNoBody);
  add("GET", a + "/assets", Action::kRiskRead, ListAssetsRoute, kNoBody);
  add("POST", a + "/assets", Action::kRiskWrite, CreateAsset, 64 * 1024);
  add("GET", a + "/assets/{asset_id}", Action::kRiskRead, GetAsset, kNoBody);
  add("PATCH", a + "/assets/{asset_id}", Action::kRiskWrite, PatchAsset, 64 * 1024);
  add("DELETE", a + "/assets/{asset_id}", Action::kRiskWrite, DeleteAssetRoute, kNoBody);
  add("GET", a + "/threats", Action::kRiskRead, ListThreats, kNoBody);
  add("POST", a + "/threats", Action::kRiskWrite, CreateThreat, 16 * 1024);
  add("PATCH", a + "/threats/{threat_id}", Action::kRiskWrite, PatchThreat, 16 * 1024);
  add("GET", a + "/vulnerabilities", Action::kRiskRead, ListVulnerabilities, kNoBody);
  add("POST", a + "/vulnerabilities", Action::kRiskWrite, CreateVulnerabilityRoute, 16 * 1024);
  add("PATCH", a + "/vulnerabilities/{vulnerability_id}", Action::kRiskWrite, PatchVulnerability,
      16 * 1024);
  add("GET", a + "/scenarios", Action::kRiskRead, ListScenarios, kNoBody);
  add("POST", a + "/scenarios", Action::kRiskWrite, CreateScenario, 32 * 1024);
  add("POST", a + "/scenarios/suggested", Action::kRiskWrite, CreateSuggestedScenarios, 64 * 1024);
  add("GET", a + "/scenarios/{scenario_id}", Action::kRiskRead, GetScenario, kNoBody);
  add("PATCH", a + "/scenarios/{scenario_id}", Action::kRiskWrite, PatchScenario, 32 * 1024);
  add("DELETE", a + "/scenarios/{scenario_id}", Action::kRiskWrite, DeleteScenarioRoute, kNoBody);
  add("POST", a + "/scenarios/{scenario_id}/acceptances", Action::kRiskAccept, AcceptScenario,
      16 * 1024);
  add("GET", a + "/heatmap", Action::kRiskRead, GetHeatMap, kNoBody);
  add("GET", a + "/top", Action::kRiskRead, GetTopRisks, kNoBody);
  add("GET", a + "/recommendations", Action::kRiskRead, ListRecommendationsRoute, kNoBody);
  add("POST", a + "/recommendations", Action::kRiskWrite, CreateRecommendation, 32 * 1024);
  add("GET", a + "/recommendations/{recommendation_id}", Action::kRiskRead, GetRecommendation,
      kNoBody);
  add("PATCH", a + "/recommendations/{recommendation_id}", Action::kRiskWrite, PatchRecommendation,
      32 * 1024);
}

}  // namespace rampart::risk
