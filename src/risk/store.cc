#include "risk/store.h"

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>
#include <unordered_map>

#include "platform/crypto.h"

namespace rampart::risk {

using nlohmann::json;

namespace {

std::optional<int> OptInt(const db::Row& r, std::size_t i) {
  if (r.IsNull(i)) return std::nullopt;
  return static_cast<int>(r.Int(i));
}

std::optional<std::int64_t> Risk(std::int64_t stored) {
  return stored < 0 ? std::nullopt : std::optional<std::int64_t>(stored);
}

// Runs `sql_head` + "(…), (…)" over `rows` of `width` values each, in statements of 256, 16 and 1
// rows, so that a few statement texts serve every count (each is prepared once per connection).
void ExecRows(db::Tx& tx, std::string_view sql_head, std::string_view sql_tail, std::size_t width,
              const std::vector<db::Value>& values, const std::vector<std::string>& casts = {}) {
  const std::size_t rows = width == 0 ? 0 : values.size() / width;
  std::size_t done = 0;
  for (std::size_t chunk : {std::size_t{256}, std::size_t{16}, std::size_t{1}}) {
    if (rows - done < chunk) continue;
    std::string sql(sql_head);
    for (std::size_t r = 0; r < chunk; ++r) {
      sql += r ? ", (" : "(";
      for (std::size_t c = 0; c < width; ++c) {
        const std::string p = "$" + std::to_string(r * width + c + 1);
        if (c) sql += ", ";
        sql += c < casts.size() && !casts[c].empty() ? "CAST(" + p + " AS " + casts[c] + ")" : p;
      }
      sql += ")";
    }
    sql += sql_tail;
    while (rows - done >= chunk) {
      db::Params params(values.begin() + static_cast<std::ptrdiff_t>(done * width),
                        values.begin() + static_cast<std::ptrdiff_t>((done + chunk) * width));
      tx.Exec(sql, params);
      done += chunk;
    }
  }
}

// ---- analyses ----

constexpr std::string_view kAnalysisColumns =
    "id, organisation_id, name, description, is_current, settings, created_by, created_at, "
    "updated_at, version";

Analysis AnalysisOf(const db::Row& r) {
  Analysis a;
  a.id = r.Text(0);
  a.organisation_id = r.Text(1);
  a.name = r.Text(2);
  a.description = r.Text(3);
  a.current = r.Bool(4);
  std::vector<FieldError> errors;
  auto j = json::parse(r.Text(5), nullptr, false);
  a.settings = ReadSettings(j, DefaultSettings(), errors);
  a.created_by = r.Text(6);
  a.created_at = r.Int(7);
  a.updated_at = r.Int(8);
  a.version = r.Int(9);
  return a;
}

std::string SettingsText(const Settings& s) {
  JsonWriter w;
  WriteSettings(w, s);
  return std::move(w).Take();
}

}  // namespace

void InsertAnalysis(db::Tx& tx, const Analysis& a) {
  tx.Exec(
      "INSERT INTO risk_analyses (id, organisation_id, name, description, is_current, method, "
      "method_version, settings, created_by, created_at, updated_at, version) "
      "VALUES ($1, $2, $3, $4, 0, $5, $6, $7, $8, $9, $10, 1)",
      {a.id, a.organisation_id, a.name, a.description, std::string(Name(a.settings.method)),
       a.settings.method_version, SettingsText(a.settings), a.created_by, a.created_at,
       a.updated_at});
  // Current last, so that the one-current-per-organisation index never sees two.
  if (a.current) MakeCurrent(tx, a.organisation_id, a.id);
}

std::optional<Analysis> FindAnalysis(db::Tx& tx, std::string_view org_id, std::string_view id) {
  auto r = tx.QueryOne("SELECT " + std::string(kAnalysisColumns) +
                           " FROM risk_analyses WHERE id = $1 AND organisation_id = $2",
                       {id, org_id});
  if (!r) return std::nullopt;
  return AnalysisOf(*r);
}

std::vector<Analysis> ListAnalyses(db::Tx& tx, std::string_view org_id) {
  std::vector<Analysis> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kAnalysisColumns) +
                                    " FROM risk_analyses WHERE organisation_id = $1 ORDER BY id",
                                {org_id})) {
    out.push_back(AnalysisOf(r));
  }
  return out;
}

bool UpdateAnalysis(db::Tx& tx, const Analysis& a, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE risk_analyses SET name = $1, description = $2, method = $3, "
             "method_version = $4, settings = $5, updated_at = $6, version = version + 1 "
             "WHERE id = $7 AND version = $8",
             {a.name, a.description, std::string(Name(a.settings.method)),
              a.settings.method_version, SettingsText(a.settings), now, a.id, expected_version}) ==
         1;
}

void MakeCurrent(db::Tx& tx, std::string_view org_id, std::string_view id) {
  tx.Exec("UPDATE risk_analyses SET is_current = 0 WHERE organisation_id = $1 AND is_current = 1",
          {org_id});
  tx.Exec("UPDATE risk_analyses SET is_current = 1 WHERE organisation_id = $1 AND id = $2",
          {org_id, id});
}

bool IsMember(db::Tx& tx, std::string_view org_id, std::string_view user_id) {
  return tx
      .QueryOne("SELECT 1 FROM memberships WHERE organisation_id = $1 AND user_id = $2",
                {org_id, user_id})
      .has_value();
}

// ---- stored shapes ----

std::string RatingsJson(const std::vector<Rating>& ratings) {
  // {"confidentiality": {"reputation": 3}}, keys sorted by the library: equal sets, equal text.
  json j = json::object();
  for (const auto& r : ratings) j[std::string(Name(r.criterion))][r.consequence] = r.value;
  return j.dump();
}

std::vector<Rating> ParseRatings(std::string_view text) {
  std::vector<Rating> out;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [criterion, by_type] : j.items()) {
    auto c = ParseCriterion(criterion);
    if (!c || !by_type.is_object()) continue;
    for (const auto& [type, value] : by_type.items()) {
      if (value.is_number_integer()) out.push_back({*c, type, value.get<int>()});
    }
  }
  return out;
}

std::string OverrideJson(const PerCriterion& impacts) {
  json j = json::object();
  for (Criterion c : kAllCriteria) {
    if (impacts[static_cast<std::size_t>(c)]) {
      j[std::string(Name(c))] = *impacts[static_cast<std::size_t>(c)];
    }
  }
  return j.dump();
}

PerCriterion ParseOverride(std::string_view text) {
  PerCriterion out;
  auto j = json::parse(text, nullptr, false);
  if (!j.is_object()) return out;
  for (const auto& [criterion, value] : j.items()) {
    auto c = ParseCriterion(criterion);
    if (c && value.is_number_integer()) out[static_cast<std::size_t>(*c)] = value.get<int>();
  }
  return out;
}

// ---- assets ----

namespace {

constexpr std::string_view kAssetColumns =
    "id, analysis_id, name, type, description, owner_id, ratings, override_impact, "
    "override_reason, impact_c, impact_i, impact_a, impact_au, criticality, created_at, "
    "updated_at, version";

Asset AssetOf(const db::Row& r) {
  Asset a;
  a.id = r.Text(0);
  a.analysis_id = r.Text(1);
  a.name = r.Text(2);
  a.type = ParseAssetType(r.Text(3)).value_or(AssetType::kOrganisation);
  a.description = r.Text(4);
  a.owner_id = r.OptText(5);
  a.ratings = ParseRatings(r.Text(6));
  a.override_impact = ParseOverride(r.Text(7));
  a.override_reason = r.Text(8);
  for (std::size_t c = 0; c < kCriteria; ++c) a.impact[c] = OptInt(r, 9 + c);
  const auto crit = r.Int(13);
  if (crit >= 0) a.criticality = static_cast<int>(crit);
  a.created_at = r.Int(14);
  a.updated_at = r.Int(15);
  a.version = r.Int(16);
  return a;
}

std::vector<std::string> DependenciesOf(db::Tx& tx, std::string_view asset_id) {
  std::vector<std::string> out;
  for (const auto& r : tx.Query("SELECT depends_on_id FROM risk_dependencies WHERE asset_id = $1 "
                                "ORDER BY depends_on_id",
                                {asset_id})) {
    out.push_back(r.Text(0));
  }
  return out;
}

}  // namespace

void InsertAsset(db::Tx& tx, const Asset& a, Millis now) {
  tx.Exec(
      "INSERT INTO risk_assets (id, analysis_id, name, type, description, owner_id, ratings, "
      "override_impact, override_reason, created_at, updated_at, version) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10, 1)",
      {a.id, a.analysis_id, a.name, std::string(Name(a.type)), a.description, a.owner_id,
       RatingsJson(a.ratings), OverrideJson(a.override_impact), a.override_reason, now});
}

std::optional<Asset> FindAsset(db::Tx& tx, std::string_view analysis_id, std::string_view id) {
  auto r = tx.QueryOne("SELECT " + std::string(kAssetColumns) +
                           " FROM risk_assets WHERE id = $1 AND analysis_id = $2",
                       {id, analysis_id});
  if (!r) return std::nullopt;
  Asset a = AssetOf(*r);
  a.depends_on = DependenciesOf(tx, a.id);
  return a;
}

std::optional<Asset> FindAssetByName(db::Tx& tx, std::string_view analysis_id,
                                     std::string_view name) {
  auto r = tx.QueryOne("SELECT id FROM risk_assets WHERE analysis_id = $1 AND name = $2",
                       {analysis_id, name});
  if (!r) return std::nullopt;
  return FindAsset(tx, analysis_id, r->Text(0));
}

bool UpdateAsset(db::Tx& tx, const Asset& a, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE risk_assets SET name = $1, type = $2, description = $3, owner_id = $4, "
             "ratings = $5, override_impact = $6, override_reason = $7, updated_at = $8, "
             "version = version + 1 WHERE id = $9 AND analysis_id = $10 AND version = $11",
             {a.name, std::string(Name(a.type)), a.description, a.owner_id, RatingsJson(a.ratings),
              OverrideJson(a.override_impact), a.override_reason, now, a.id, a.analysis_id,
              expected_version}) == 1;
}

void SetDependencies(db::Tx& tx, std::string_view analysis_id, std::string_view asset_id,
                     const std::vector<std::string>& depends_on) {
  tx.Exec("DELETE FROM risk_dependencies WHERE asset_id = $1", {asset_id});
  std::vector<db::Value> values;
  for (const auto& d : depends_on) {
    values.emplace_back(analysis_id);
    values.emplace_back(asset_id);
    values.emplace_back(d);
  }
  ExecRows(tx, "INSERT INTO risk_dependencies (analysis_id, asset_id, depends_on_id) VALUES ", "",
           3, values);
}

std::int64_t ScenarioCountOfAsset(db::Tx& tx, std::string_view asset_id) {
  return tx.QueryOne("SELECT count(*) FROM risk_scenarios WHERE asset_id = $1", {asset_id})->Int(0);
}

bool DeleteAsset(db::Tx& tx, std::string_view analysis_id, std::string_view id) {
  if (ScenarioCountOfAsset(tx, id) > 0) return false;
  tx.Exec("DELETE FROM risk_dependencies WHERE asset_id = $1 OR depends_on_id = $1", {id});
  return tx.Exec("DELETE FROM risk_assets WHERE id = $1 AND analysis_id = $2", {id, analysis_id}) ==
         1;
}

std::vector<Asset> ListAssets(db::Tx& tx, std::string_view analysis_id, const AssetFilter& f,
                              const std::optional<AssetCursor>& after, int limit) {
  std::string sql =
      "SELECT " + std::string(kAssetColumns) + " FROM risk_assets WHERE analysis_id = $1";
  db::Params params{analysis_id};
  auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.type) sql += " AND type = " + param(std::string(Name(*f.type)));
  if (f.criticality) sql += " AND criticality = " + param(*f.criticality);
  if (f.owner_id) sql += " AND owner_id = " + param(*f.owner_id);
  // Names are unique in an analysis, so (criticality, name) and name alone order completely.
  if (f.by_criticality) {
    if (after) {
      const auto c = param(after->criticality);
      const auto n = param(after->name);
      sql += " AND (criticality < " + c + " OR (criticality = " + c + " AND name > " + n + "))";
    }
    sql += " ORDER BY criticality DESC, name";
  } else {
    if (after) sql += " AND name > " + param(after->name);
    sql += " ORDER BY name";
  }
  sql += " LIMIT " + param(limit);
  std::vector<Asset> out;
  for (const auto& r : tx.Query(sql, params)) out.push_back(AssetOf(r));
  // The dependencies of the page in one query.
  if (!out.empty()) {
    std::map<std::string, std::size_t> at;
    std::string in;
    db::Params ids;
    for (std::size_t k = 0; k < out.size(); ++k) {
      at[out[k].id] = k;
      ids.emplace_back(out[k].id);
      in += (k ? ", $" : "$") + std::to_string(k + 1);
    }
    for (const auto& r :
         tx.Query("SELECT asset_id, depends_on_id FROM risk_dependencies WHERE asset_id IN (" + in +
                      ") ORDER BY asset_id, depends_on_id",
                  ids)) {
      out[at[r.Text(0)]].depends_on.push_back(r.Text(1));
    }
  }
  return out;
}

std::vector<Asset> AllAssets(db::Tx& tx, std::string_view analysis_id) {
  std::vector<Asset> out;
  std::unordered_map<std::string, std::size_t> at;
  for (const auto& r : tx.Query("SELECT " + std::string(kAssetColumns) +
                                    " FROM risk_assets WHERE analysis_id = $1 ORDER BY id",
                                {analysis_id})) {
    out.push_back(AssetOf(r));
    at[out.back().id] = out.size() - 1;
  }
  for (const auto& r : tx.Query("SELECT asset_id, depends_on_id FROM risk_dependencies "
                                "WHERE analysis_id = $1 ORDER BY asset_id, depends_on_id",
                                {analysis_id})) {
    auto it = at.find(r.Text(0));
    if (it != at.end()) out[it->second].depends_on.push_back(r.Text(1));
  }
  return out;
}

std::vector<std::string> DependentsOf(db::Tx& tx, std::string_view asset_id) {
  std::vector<std::string> out;
  for (const auto& r :
       tx.Query("SELECT asset_id FROM risk_dependencies WHERE depends_on_id = $1 ORDER BY asset_id",
                {asset_id})) {
    out.push_back(r.Text(0));
  }
  return out;
}

// ---- threats and vulnerabilities ----

namespace {

constexpr std::string_view kThreatColumns =
    "id, analysis_id, urn, custom, family, name, description, affects_c, affects_i, affects_a, "
    "affects_au, likelihood, version";

Threat ThreatOf(const db::Row& r) {
  Threat t;
  t.id = r.Text(0);
  t.analysis_id = r.Text(1);
  t.urn = r.Text(2);
  t.custom = r.Bool(3);
  t.family = r.Text(4);
  t.name = r.Text(5);
  t.description = r.Text(6);
  for (std::size_t c = 0; c < kCriteria; ++c) t.affects[c] = r.Bool(7 + c);
  t.likelihood = OptInt(r, 11);
  t.version = r.Int(12);
  return t;
}

constexpr std::string_view kVulnerabilityColumns =
    "id, analysis_id, urn, custom, name, description, qualification, version";

Vulnerability VulnerabilityOf(const db::Row& r) {
  Vulnerability v;
  v.id = r.Text(0);
  v.analysis_id = r.Text(1);
  v.urn = r.Text(2);
  v.custom = r.Bool(3);
  v.name = r.Text(4);
  v.description = r.Text(5);
  v.qualification = OptInt(r, 6);
  v.version = r.Int(7);
  return v;
}

}  // namespace

void InsertThreat(db::Tx& tx, const Threat& t, Millis now) {
  tx.Exec(
      "INSERT INTO risk_threats (id, analysis_id, urn, custom, family, name, description, "
      "affects_c, affects_i, affects_a, affects_au, likelihood, created_at, updated_at, version) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, 1)",
      {t.id, t.analysis_id, t.urn, t.custom, t.family, t.name, t.description, t.affects[0],
       t.affects[1], t.affects[2], t.affects[3], t.likelihood, now});
}

std::optional<Threat> FindThreat(db::Tx& tx, std::string_view analysis_id, std::string_view id) {
  auto r = tx.QueryOne("SELECT " + std::string(kThreatColumns) +
                           " FROM risk_threats WHERE id = $1 AND analysis_id = $2",
                       {id, analysis_id});
  if (!r) return std::nullopt;
  return ThreatOf(*r);
}

std::optional<Threat> FindThreatByUrn(db::Tx& tx, std::string_view analysis_id,
                                      std::string_view urn) {
  auto r = tx.QueryOne("SELECT " + std::string(kThreatColumns) +
                           " FROM risk_threats WHERE analysis_id = $1 AND urn = $2",
                       {analysis_id, urn});
  if (!r) return std::nullopt;
  return ThreatOf(*r);
}

bool UpdateThreat(db::Tx& tx, const Threat& t, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE risk_threats SET name = $1, description = $2, affects_c = $3, "
             "affects_i = $4, affects_a = $5, affects_au = $6, likelihood = $7, updated_at = $8, "
             "version = version + 1 WHERE id = $9 AND analysis_id = $10 AND version = $11",
             {t.name, t.description, t.affects[0], t.affects[1], t.affects[2], t.affects[3],
              t.likelihood, now, t.id, t.analysis_id, expected_version}) == 1;
}

std::vector<Threat> AllThreats(db::Tx& tx, std::string_view analysis_id) {
  std::vector<Threat> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kThreatColumns) +
                                    " FROM risk_threats WHERE analysis_id = $1 ORDER BY urn",
                                {analysis_id})) {
    out.push_back(ThreatOf(r));
  }
  return out;
}

void InsertVulnerability(db::Tx& tx, const Vulnerability& v, Millis now) {
  tx.Exec(
      "INSERT INTO risk_vulnerabilities (id, analysis_id, urn, custom, name, description, "
      "qualification, created_at, updated_at, version) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, 1)",
      {v.id, v.analysis_id, v.urn, v.custom, v.name, v.description, v.qualification, now});
}

std::optional<Vulnerability> FindVulnerability(db::Tx& tx, std::string_view analysis_id,
                                               std::string_view id) {
  auto r = tx.QueryOne("SELECT " + std::string(kVulnerabilityColumns) +
                           " FROM risk_vulnerabilities WHERE id = $1 AND analysis_id = $2",
                       {id, analysis_id});
  if (!r) return std::nullopt;
  return VulnerabilityOf(*r);
}

std::optional<Vulnerability> FindVulnerabilityByUrn(db::Tx& tx, std::string_view analysis_id,
                                                    std::string_view urn) {
  auto r = tx.QueryOne("SELECT " + std::string(kVulnerabilityColumns) +
                           " FROM risk_vulnerabilities WHERE analysis_id = $1 AND urn = $2",
                       {analysis_id, urn});
  if (!r) return std::nullopt;
  return VulnerabilityOf(*r);
}

bool UpdateVulnerability(db::Tx& tx, const Vulnerability& v, std::int64_t expected_version,
                         Millis now) {
  return tx.Exec(
             "UPDATE risk_vulnerabilities SET name = $1, description = $2, qualification = $3, "
             "updated_at = $4, version = version + 1 "
             "WHERE id = $5 AND analysis_id = $6 AND version = $7",
             {v.name, v.description, v.qualification, now, v.id, v.analysis_id,
              expected_version}) == 1;
}

std::vector<Vulnerability> AllVulnerabilities(db::Tx& tx, std::string_view analysis_id) {
  std::vector<Vulnerability> out;
  for (const auto& r :
       tx.Query("SELECT " + std::string(kVulnerabilityColumns) +
                    " FROM risk_vulnerabilities WHERE analysis_id = $1 ORDER BY urn",
                {analysis_id})) {
    out.push_back(VulnerabilityOf(r));
  }
  return out;
}

// ---- scenarios ----

namespace {

constexpr std::string_view kScenarioInsert =
    "INSERT INTO risk_scenarios (id, analysis_id, asset_id, threat_id, vulnerability_id, "
    "description, probability, residual_probability, reduction, controls_in_place, treatment, "
    "owner_id, planned_controls, current_risk, current_level, residual_risk, residual_level, "
    "risk_c, risk_i, risk_a, risk_au, impact_axis, likelihood_axis, residual_likelihood_axis, "
    "created_at, updated_at, version) VALUES ";
constexpr std::size_t kScenarioInsertWidth = 27;

void AppendScenario(std::vector<db::Value>& v, const Scenario& s) {
  v.emplace_back(s.id);
  v.emplace_back(s.analysis_id);
  v.emplace_back(s.asset_id);
  v.emplace_back(s.threat_id);
  v.emplace_back(s.vulnerability_id);
  v.emplace_back(s.description);
  v.emplace_back(s.probability);
  v.emplace_back(s.residual_probability);
  v.emplace_back(s.reduction);
  v.emplace_back(s.controls_in_place);
  v.emplace_back(std::string(Name(s.treatment)));
  v.emplace_back(s.owner_id);
  v.emplace_back(s.planned_controls);
  v.emplace_back(s.score.current.value_or(-1));
  v.emplace_back(s.score.current_level);
  v.emplace_back(s.score.residual.value_or(-1));
  v.emplace_back(s.score.residual_level);
  for (const auto& r : s.score.by_criterion) v.emplace_back(r);
  v.emplace_back(s.score.impact_axis);
  v.emplace_back(s.score.likelihood_axis);
  v.emplace_back(s.score.residual_likelihood_axis);
  v.emplace_back(s.created_at);
  v.emplace_back(s.updated_at);
  v.emplace_back(s.version);
}

// Columns of a scenario joined with its asset, threat and vulnerability.
constexpr std::string_view kScenarioSelect =
    "SELECT s.id, s.analysis_id, s.asset_id, s.threat_id, s.vulnerability_id, s.description, "
    "s.probability, s.residual_probability, s.reduction, s.controls_in_place, s.treatment, "
    "s.owner_id, s.planned_controls, s.current_risk, s.current_level, s.residual_risk, "
    "s.residual_level, s.risk_c, s.risk_i, s.risk_a, s.risk_au, s.impact_axis, "
    "s.likelihood_axis, s.residual_likelihood_axis, s.created_at, s.updated_at, s.version, "
    "a.name, a.type, t.urn, t.name, v.urn, v.name "
    "FROM risk_scenarios s JOIN risk_assets a ON a.id = s.asset_id "
    "JOIN risk_threats t ON t.id = s.threat_id "
    "JOIN risk_vulnerabilities v ON v.id = s.vulnerability_id ";

Scenario ScenarioOf(const db::Row& r) {
  Scenario s;
  s.id = r.Text(0);
  s.analysis_id = r.Text(1);
  s.asset_id = r.Text(2);
  s.threat_id = r.Text(3);
  s.vulnerability_id = r.Text(4);
  s.description = r.Text(5);
  s.probability = OptInt(r, 6);
  s.residual_probability = OptInt(r, 7);
  s.reduction = static_cast<int>(r.Int(8));
  s.controls_in_place = r.Text(9);
  s.treatment = ParseTreatment(r.Text(10)).value_or(Treatment::kNone);
  s.owner_id = r.OptText(11);
  s.planned_controls = r.Text(12);
  s.score.current = Risk(r.Int(13));
  s.score.current_level = r.Text(14);
  s.score.residual = Risk(r.Int(15));
  s.score.residual_level = r.Text(16);
  for (std::size_t c = 0; c < kCriteria; ++c) s.score.by_criterion[c] = r.OptInt(17 + c);
  s.score.impact_axis = OptInt(r, 21);
  s.score.likelihood_axis = OptInt(r, 22);
  s.score.residual_likelihood_axis = OptInt(r, 23);
  s.created_at = r.Int(24);
  s.updated_at = r.Int(25);
  s.version = r.Int(26);
  return s;
}

ScenarioView ViewOf(const db::Row& r) {
  ScenarioView v;
  v.scenario = ScenarioOf(r);
  v.asset_name = r.Text(27);
  v.asset_type = ParseAssetType(r.Text(28)).value_or(AssetType::kOrganisation);
  v.threat_urn = r.Text(29);
  v.threat_name = r.Text(30);
  v.vulnerability_urn = r.Text(31);
  v.vulnerability_name = r.Text(32);
  return v;
}

// Adds each scenario's latest acceptance and whether it went stale, in one query for the page.
void AttachAcceptances(db::Tx& tx, std::vector<ScenarioView>& views) {
  if (views.empty()) return;
  std::map<std::string, std::size_t> at;
  std::string in;
  db::Params ids;
  for (std::size_t k = 0; k < views.size(); ++k) {
    at[views[k].scenario.id] = k;
    ids.emplace_back(views[k].scenario.id);
    in += (k ? ", $" : "$") + std::to_string(k + 1);
  }
  for (const auto& r : tx.Query(
           "SELECT c.id, c.scenario_id, c.accepted_by, u.display_name, c.accepted_at, c.digest, "
           "c.note FROM risk_acceptances c JOIN users u ON u.id = c.accepted_by "
           "WHERE c.scenario_id IN (" +
               in + ") ORDER BY c.accepted_at, c.id",
           ids)) {
    auto& v = views[at[r.Text(1)]];
    v.acceptance =
        Acceptance{r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6)};
  }
  for (auto& v : views) {
    if (v.acceptance) v.acceptance_stale = IsStale(v.acceptance->digest, StateOf(v));
  }
}

}  // namespace

void InsertScenarios(db::Tx& tx, const std::vector<Scenario>& scenarios) {
  std::vector<db::Value> values;
  values.reserve(scenarios.size() * kScenarioInsertWidth);
  for (const auto& s : scenarios) AppendScenario(values, s);
  ExecRows(tx, kScenarioInsert, "", kScenarioInsertWidth, values);
}

void InsertScenario(db::Tx& tx, const Scenario& s) { InsertScenarios(tx, {s}); }

std::optional<ScenarioView> FindScenario(db::Tx& tx, std::string_view analysis_id,
                                         std::string_view id) {
  auto r = tx.QueryOne(std::string(kScenarioSelect) + "WHERE s.id = $1 AND s.analysis_id = $2",
                       {id, analysis_id});
  if (!r) return std::nullopt;
  std::vector<ScenarioView> one{ViewOf(*r)};
  AttachAcceptances(tx, one);
  return std::move(one.front());
}

bool UpdateScenario(db::Tx& tx, const Scenario& s, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE risk_scenarios SET description = $1, probability = $2, "
             "residual_probability = $3, reduction = $4, controls_in_place = $5, treatment = $6, "
             "owner_id = $7, planned_controls = $8, updated_at = $9, version = version + 1 "
             "WHERE id = $10 AND analysis_id = $11 AND version = $12",
             {s.description, s.probability, s.residual_probability, s.reduction,
              s.controls_in_place, std::string(Name(s.treatment)), s.owner_id, s.planned_controls,
              now, s.id, s.analysis_id, expected_version}) == 1;
}

bool DeleteScenario(db::Tx& tx, std::string_view analysis_id, std::string_view id) {
  tx.Exec("DELETE FROM risk_acceptances WHERE scenario_id = $1 AND analysis_id = $2",
          {id, analysis_id});
  tx.Exec(
      "UPDATE risk_recommendations SET scenario_id = NULL WHERE scenario_id = $1 AND "
      "analysis_id = $2",
      {id, analysis_id});
  return tx.Exec("DELETE FROM risk_scenarios WHERE id = $1 AND analysis_id = $2",
                 {id, analysis_id}) == 1;
}

bool ScenarioExists(db::Tx& tx, std::string_view asset_id, std::string_view threat_id,
                    std::string_view vulnerability_id) {
  return tx
      .QueryOne(
          "SELECT 1 FROM risk_scenarios WHERE asset_id = $1 AND threat_id = $2 AND "
          "vulnerability_id = $3",
          {asset_id, threat_id, vulnerability_id})
      .has_value();
}

std::vector<ScenarioView> ListRegister(db::Tx& tx, std::string_view analysis_id,
                                       const RegisterFilter& f,
                                       const std::optional<RegisterCursor>& after, int limit) {
  const std::string risk = f.residual ? "s.residual_risk" : "s.current_risk";
  const std::string level = f.residual ? "s.residual_level" : "s.current_level";
  // With one asset, threat, vulnerability or owner asked for, that key's index finds the few
  // rows to sort; the analysis term is then written so that no index can serve it, or a planner
  // without statistics (SQLite's) walks the analysis-wide risk index instead, row after row.
  const bool by_key = f.asset_id || f.threat_id || f.vulnerability_id || f.owner_id;
  std::string sql = std::string(kScenarioSelect) +
                    (by_key ? "WHERE s.analysis_id || '' = $1" : "WHERE s.analysis_id = $1");
  db::Params params{analysis_id};
  auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.level) sql += " AND " + level + " = " + param(*f.level);
  if (f.asset_id) sql += " AND s.asset_id = " + param(*f.asset_id);
  if (f.threat_id) sql += " AND s.threat_id = " + param(*f.threat_id);
  if (f.vulnerability_id) sql += " AND s.vulnerability_id = " + param(*f.vulnerability_id);
  if (f.owner_id) sql += " AND s.owner_id = " + param(*f.owner_id);
  if (f.owner_name) {
    // A substring match: the person's own wildcards are taken literally.
    std::string pattern = "%";
    for (char c : *f.owner_name) {
      if (c == '%' || c == '_' || c == '\\') pattern += '\\';
      pattern += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
    pattern += '%';
    sql += " AND s.owner_id IN (SELECT id FROM users WHERE lower(display_name) LIKE " +
           param(pattern) + " ESCAPE '\\')";
  }
  if (f.treatment) sql += " AND s.treatment = " + param(std::string(Name(*f.treatment)));
  if (f.impact) sql += " AND s.impact_axis = " + param(*f.impact);
  if (f.likelihood) {
    sql += std::string(f.residual ? " AND s.residual_likelihood_axis = "
                                  : " AND s.likelihood_axis = ") +
           param(*f.likelihood);
  }
  const std::string cmp = f.ascending ? ">" : "<";
  if (after) {
    const auto r = param(after->risk);
    const auto i = param(after->id);
    sql += " AND (" + risk + " " + cmp + " " + r + " OR (" + risk + " = " + r + " AND s.id " + cmp +
           " " + i + "))";
  }
  const std::string dir = f.ascending ? " ASC" : " DESC";
  sql += " ORDER BY " + risk + dir + ", s.id" + dir + " LIMIT " + param(limit);
  std::vector<ScenarioView> out;
  for (const auto& r : tx.Query(sql, params)) out.push_back(ViewOf(r));
  AttachAcceptances(tx, out);
  return out;
}

std::vector<ScenarioView> TopRisks(db::Tx& tx, std::string_view analysis_id, Criterion criterion,
                                   int limit) {
  static constexpr std::string_view kColumn[] = {"s.risk_c", "s.risk_i", "s.risk_a", "s.risk_au"};
  const std::string col(kColumn[static_cast<std::size_t>(criterion)]);
  std::vector<ScenarioView> out;
  for (const auto& r :
       tx.Query(std::string(kScenarioSelect) + "WHERE s.analysis_id = $1 AND " + col +
                    " IS NOT NULL ORDER BY " + col + " DESC, s.current_risk DESC, s.id LIMIT $2",
                {analysis_id, limit})) {
    out.push_back(ViewOf(r));
  }
  AttachAcceptances(tx, out);
  return out;
}

std::vector<Scenario> AllScenarios(db::Tx& tx, std::string_view analysis_id) {
  std::vector<Scenario> out;
  for (const auto& r :
       tx.Query(std::string(kScenarioSelect) + "WHERE s.analysis_id = $1 ORDER BY s.id",
                {analysis_id})) {
    out.push_back(ScenarioOf(r));
  }
  return out;
}

std::vector<HeatCell> HeatMap(db::Tx& tx, std::string_view analysis_id) {
  // One pass over the covering index: each group adds to its current and its residual cell.
  std::map<std::pair<int, int>, HeatCell> cells;
  auto cell = [&](int impact, int likelihood) -> HeatCell& {
    auto& c = cells[{impact, likelihood}];
    c.impact = impact;
    c.likelihood = likelihood;
    return c;
  };
  // Grouped by the index's own leading columns only, so the groups arrive in index order and are
  // summed as they stream past; grouping by the scored/unscored flags too made both stores sort
  // every entry first (three times slower at 50,000 scenarios).
  for (const auto& r :
       tx.Query("SELECT impact_axis, likelihood_axis, residual_likelihood_axis, "
                "sum(CASE WHEN current_risk >= 0 THEN 1 ELSE 0 END), "
                "sum(CASE WHEN residual_risk >= 0 THEN 1 ELSE 0 END) FROM risk_scenarios "
                "WHERE analysis_id = $1 AND impact_axis IS NOT NULL GROUP BY impact_axis, "
                "likelihood_axis, residual_likelihood_axis",
                {analysis_id})) {
    const int impact = static_cast<int>(r.Int(0));
    if (r.Int(3) > 0 && !r.IsNull(1)) cell(impact, static_cast<int>(r.Int(1))).current += r.Int(3);
    if (r.Int(4) > 0 && !r.IsNull(2)) {
      cell(impact, static_cast<int>(r.Int(2))).residual += r.Int(4);
    }
  }
  std::vector<HeatCell> out;
  for (auto& [k, c] : cells) out.push_back(c);
  return out;
}

std::vector<LevelCount> LevelCounts(db::Tx& tx, std::string_view analysis_id) {
  std::map<std::string, LevelCount> by;
  for (const auto& r : tx.Query("SELECT current_level, count(*) FROM risk_scenarios "
                                "WHERE analysis_id = $1 GROUP BY current_level",
                                {analysis_id})) {
    by[r.Text(0)].current = r.Int(1);
  }
  for (const auto& r : tx.Query("SELECT residual_level, count(*) FROM risk_scenarios "
                                "WHERE analysis_id = $1 GROUP BY residual_level",
                                {analysis_id})) {
    by[r.Text(0)].residual = r.Int(1);
  }
  std::vector<LevelCount> out;
  for (auto& [k, c] : by) {
    c.level = k;
    out.push_back(c);
  }
  return out;
}

// ---- acceptances ----

void InsertAcceptance(db::Tx& tx, std::string_view analysis_id, const Acceptance& a) {
  tx.Exec(
      "INSERT INTO risk_acceptances (id, analysis_id, scenario_id, accepted_by, accepted_at, "
      "digest, note) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {a.id, analysis_id, a.scenario_id, a.accepted_by, a.accepted_at, a.digest, a.note});
}

std::vector<Acceptance> AcceptancesOf(db::Tx& tx, std::string_view scenario_id) {
  std::vector<Acceptance> out;
  for (const auto& r : tx.Query(
           "SELECT c.id, c.scenario_id, c.accepted_by, u.display_name, c.accepted_at, c.digest, "
           "c.note FROM risk_acceptances c JOIN users u ON u.id = c.accepted_by "
           "WHERE c.scenario_id = $1 ORDER BY c.accepted_at, c.id",
           {scenario_id})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4), r.Text(5), r.Text(6)});
  }
  return out;
}

AcceptedState StateOf(const ScenarioView& v) {
  const Scenario& s = v.scenario;
  AcceptedState st;
  st.asset_name = v.asset_name;
  st.threat_urn = v.threat_urn;
  st.vulnerability_urn = v.vulnerability_urn;
  st.probability = s.probability;
  st.residual_probability = s.residual_probability;
  st.reduction = s.reduction;
  st.controls_in_place = s.controls_in_place;
  st.treatment = s.treatment;
  st.owner_id = s.owner_id;
  st.planned_controls = s.planned_controls;
  st.current_risk = s.score.current;
  st.residual_risk = s.score.residual;
  st.residual_level = s.score.residual_level;
  return st;
}

// ---- recommendations ----

namespace {

constexpr std::string_view kRecommendationColumns =
    "id, analysis_id, scenario_id, title, description, importance, responsible_id, due_at, "
    "status, created_at, updated_at, version";

Recommendation RecommendationOf(const db::Row& r) {
  Recommendation x;
  x.id = r.Text(0);
  x.analysis_id = r.Text(1);
  x.scenario_id = r.OptText(2);
  x.title = r.Text(3);
  x.description = r.Text(4);
  x.importance = static_cast<int>(r.Int(5));
  x.responsible_id = r.OptText(6);
  x.due_at = r.OptInt(7);
  x.status = ParseRecommendationStatus(r.Text(8)).value_or(RecommendationStatus::kOpen);
  x.created_at = r.Int(9);
  x.updated_at = r.Int(10);
  x.version = r.Int(11);
  return x;
}

}  // namespace

void InsertRecommendation(db::Tx& tx, const Recommendation& x) {
  tx.Exec(
      "INSERT INTO risk_recommendations (id, analysis_id, scenario_id, title, description, "
      "importance, responsible_id, due_at, status, created_at, updated_at, version) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {x.id, x.analysis_id, x.scenario_id, x.title, x.description, x.importance, x.responsible_id,
       x.due_at, std::string(Name(x.status)), x.created_at, x.updated_at, x.version});
}

std::optional<Recommendation> FindRecommendation(db::Tx& tx, std::string_view analysis_id,
                                                 std::string_view id) {
  auto r = tx.QueryOne("SELECT " + std::string(kRecommendationColumns) +
                           " FROM risk_recommendations WHERE id = $1 AND analysis_id = $2",
                       {id, analysis_id});
  if (!r) return std::nullopt;
  return RecommendationOf(*r);
}

bool UpdateRecommendation(db::Tx& tx, const Recommendation& x, std::int64_t expected_version,
                          Millis now) {
  return tx.Exec(
             "UPDATE risk_recommendations SET scenario_id = $1, title = $2, description = $3, "
             "importance = $4, responsible_id = $5, due_at = $6, status = $7, updated_at = $8, "
             "version = version + 1 WHERE id = $9 AND analysis_id = $10 AND version = $11",
             {x.scenario_id, x.title, x.description, x.importance, x.responsible_id, x.due_at,
              std::string(Name(x.status)), now, x.id, x.analysis_id, expected_version}) == 1;
}

std::vector<Recommendation> ListRecommendations(db::Tx& tx, std::string_view analysis_id,
                                                const RecommendationFilter& f,
                                                const std::optional<std::string>& after_id,
                                                int limit) {
  std::string sql = "SELECT " + std::string(kRecommendationColumns) +
                    " FROM risk_recommendations WHERE analysis_id = $1";
  db::Params params{analysis_id};
  auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  if (f.status) sql += " AND status = " + param(std::string(Name(*f.status)));
  if (f.responsible_id) sql += " AND responsible_id = " + param(*f.responsible_id);
  if (f.scenario_id) sql += " AND scenario_id = " + param(*f.scenario_id);
  if (after_id) sql += " AND id > " + param(*after_id);
  sql += " ORDER BY id LIMIT " + param(limit);
  std::vector<Recommendation> out;
  for (const auto& r : tx.Query(sql, params)) out.push_back(RecommendationOf(r));
  return out;
}

void AddHistory(db::Tx& tx, std::string_view recommendation_id, const HistoryEntry& e) {
  tx.Exec(
      "INSERT INTO risk_recommendation_history (id, recommendation_id, at, actor_name, change) "
      "VALUES ($1, $2, $3, $4, $5)",
      {crypto::NewUuid(), recommendation_id, e.at, e.actor_name, e.change});
}

std::vector<HistoryEntry> HistoryOf(db::Tx& tx, std::string_view recommendation_id) {
  std::vector<HistoryEntry> out;
  for (const auto& r : tx.Query("SELECT at, actor_name, change FROM risk_recommendation_history "
                                "WHERE recommendation_id = $1 ORDER BY at, id",
                                {recommendation_id})) {
    out.push_back({r.Int(0), r.Text(1), r.Text(2)});
  }
  return out;
}

// ---- scoring ----

namespace {

// Writes scores back in multi-row statements: one UPDATE … FROM a VALUES list per chunk, with
// casts because PostgreSQL types a VALUES list's parameters as text.
void WriteScores(db::Tx& tx, const std::vector<std::pair<std::string, Score>>& changed) {
  std::vector<db::Value> values;
  values.reserve(changed.size() * 13);
  for (const auto& [id, s] : changed) {
    values.emplace_back(id);
    values.emplace_back(s.current.value_or(-1));
    values.emplace_back(s.current_level);
    values.emplace_back(s.residual.value_or(-1));
    values.emplace_back(s.residual_level);
    for (const auto& r : s.by_criterion) values.emplace_back(r);
    values.emplace_back(s.impact_axis);
    values.emplace_back(s.likelihood_axis);
    values.emplace_back(s.residual_likelihood_axis);
  }
  ExecRows(tx, "WITH v (id, cr, cl, rr, rl, rc, ri, ra, rau, ia, la, rla) AS (VALUES ",
           ") UPDATE risk_scenarios SET current_risk = v.cr, current_level = v.cl, "
           "residual_risk = v.rr, residual_level = v.rl, risk_c = v.rc, risk_i = v.ri, "
           "risk_a = v.ra, risk_au = v.rau, impact_axis = v.ia, likelihood_axis = v.la, "
           "residual_likelihood_axis = v.rla FROM v WHERE risk_scenarios.id = v.id",
           12, values,
           {"TEXT", "BIGINT", "TEXT", "BIGINT", "TEXT", "BIGINT", "BIGINT", "BIGINT", "BIGINT",
            "INTEGER", "INTEGER", "INTEGER"});
}

void WriteImpacts(db::Tx& tx, const std::vector<std::pair<std::string, PerCriterion>>& changed) {
  std::vector<db::Value> values;
  for (const auto& [id, impact] : changed) {
    values.emplace_back(id);
    for (const auto& v : impact) values.emplace_back(v);
    values.emplace_back(CriticalityOf(impact).value_or(-1));
  }
  ExecRows(tx, "WITH v (id, c, i, a, au, k) AS (VALUES ",
           ") UPDATE risk_assets SET impact_c = v.c, impact_i = v.i, impact_a = v.a, "
           "impact_au = v.au, criticality = v.k FROM v WHERE risk_assets.id = v.id",
           6, values, {"TEXT", "INTEGER", "INTEGER", "INTEGER", "INTEGER", "INTEGER"});
}

}  // namespace

RecomputeStats Recompute(db::Tx& tx, const Analysis& analysis) {
  RecomputeStats stats;
  const Settings& s = analysis.settings;
  // Assets, by id, with their dependencies as indices.
  std::vector<std::string> asset_ids;
  std::vector<AssetFacts> facts;
  std::vector<PerCriterion> stored_impact;
  std::unordered_map<std::string, int> asset_at;
  for (const auto& r : tx.Query(
           "SELECT id, type, ratings, override_impact, impact_c, impact_i, impact_a, impact_au "
           "FROM risk_assets WHERE analysis_id = $1",
           {analysis.id})) {
    asset_at[r.Text(0)] = static_cast<int>(asset_ids.size());
    asset_ids.push_back(r.Text(0));
    AssetFacts f;
    auto type = ParseAssetType(r.Text(1));
    f.primary = type && IsPrimary(*type);
    f.own =
        f.primary ? OwnSlots(s, ParseRatings(r.Text(2))) : std::vector<int>(SlotCount(s), kNone);
    f.override_impact = ParseOverride(r.Text(3));
    facts.push_back(std::move(f));
    PerCriterion stored;
    for (std::size_t c = 0; c < kCriteria; ++c) stored[c] = OptInt(r, 4 + c);
    stored_impact.push_back(stored);
  }
  std::vector<std::vector<int>> depends_on(asset_ids.size());
  for (const auto& r :
       tx.Query("SELECT asset_id, depends_on_id FROM risk_dependencies WHERE analysis_id = $1",
                {analysis.id})) {
    auto a = asset_at.find(r.Text(0));
    auto d = asset_at.find(r.Text(1));
    if (a != asset_at.end() && d != asset_at.end()) depends_on[a->second].push_back(d->second);
  }
  std::vector<ThreatFacts> threats;
  std::unordered_map<std::string, int> threat_at;
  for (const auto& r : tx.Query(
           "SELECT id, affects_c, affects_i, affects_a, affects_au, likelihood FROM risk_threats "
           "WHERE analysis_id = $1",
           {analysis.id})) {
    threat_at[r.Text(0)] = static_cast<int>(threats.size());
    ThreatFacts t;
    for (std::size_t c = 0; c < kCriteria; ++c) t.affects[c] = r.Bool(1 + c);
    t.likelihood = r.IsNull(5) ? kNone : static_cast<int>(r.Int(5));
    threats.push_back(t);
  }
  std::vector<int> qualifications;
  std::unordered_map<std::string, int> vuln_at;
  for (const auto& r :
       tx.Query("SELECT id, qualification FROM risk_vulnerabilities WHERE analysis_id = $1",
                {analysis.id})) {
    vuln_at[r.Text(0)] = static_cast<int>(qualifications.size());
    qualifications.push_back(r.IsNull(1) ? kNone : static_cast<int>(r.Int(1)));
  }
  std::vector<std::string> scenario_ids;
  std::vector<ScenarioFacts> scenarios;
  std::vector<Score> stored_scores;
  for (const auto& r : tx.Query(
           "SELECT id, asset_id, threat_id, vulnerability_id, probability, residual_probability, "
           "reduction, current_risk, current_level, residual_risk, residual_level, risk_c, "
           "risk_i, risk_a, risk_au, impact_axis, likelihood_axis, residual_likelihood_axis "
           "FROM risk_scenarios WHERE analysis_id = $1",
           {analysis.id})) {
    ScenarioFacts f;
    f.asset = asset_at.at(r.Text(1));
    f.threat = threat_at.at(r.Text(2));
    f.vulnerability = vuln_at.at(r.Text(3));
    f.probability = r.IsNull(4) ? kNone : static_cast<int>(r.Int(4));
    f.residual_probability = r.IsNull(5) ? kNone : static_cast<int>(r.Int(5));
    f.reduction = static_cast<int>(r.Int(6));
    scenarios.push_back(f);
    scenario_ids.push_back(r.Text(0));
    Score was;
    was.current = Risk(r.Int(7));
    was.current_level = r.Text(8);
    was.residual = Risk(r.Int(9));
    was.residual_level = r.Text(10);
    for (std::size_t c = 0; c < kCriteria; ++c) was.by_criterion[c] = r.OptInt(11 + c);
    was.impact_axis = OptInt(r, 15);
    was.likelihood_axis = OptInt(r, 16);
    was.residual_likelihood_axis = OptInt(r, 17);
    stored_scores.push_back(std::move(was));
  }

  const auto started = std::chrono::steady_clock::now();
  const auto slots = EffectiveSlots(s, facts, depends_on);
  const auto scores = ScoreAll(s, slots, threats, qualifications, scenarios);
  stats.compute_ms =
      std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - started).count();

  std::vector<std::pair<std::string, PerCriterion>> impacts;
  for (std::size_t a = 0; a < asset_ids.size(); ++a) {
    auto now = ImpactsOf(s, slots[a]);
    if (now != stored_impact[a]) impacts.emplace_back(asset_ids[a], now);
  }
  std::vector<std::pair<std::string, Score>> changed;
  for (std::size_t k = 0; k < scenarios.size(); ++k) {
    if (!(scores[k] == stored_scores[k])) changed.emplace_back(scenario_ids[k], scores[k]);
  }
  WriteImpacts(tx, impacts);
  WriteScores(tx, changed);
  stats.assets_changed = static_cast<std::int64_t>(impacts.size());
  stats.scenarios_changed = static_cast<std::int64_t>(changed.size());
  return stats;
}

Score ScoreStored(db::Tx& tx, const Analysis& analysis, const Scenario& sc) {
  const Settings& s = analysis.settings;
  // The asset's effective slots: for a primary asset its own ratings; for a supporting asset the
  // whole analysis decides (inheritance), so take the stored impacts, which Recompute keeps
  // current, and the ratings of the primary assets above it for the operational method.
  auto asset = FindAsset(tx, analysis.id, sc.asset_id);
  auto threat = FindThreat(tx, analysis.id, sc.threat_id);
  auto vuln = FindVulnerability(tx, analysis.id, sc.vulnerability_id);
  if (!asset || !threat || !vuln) return {};
  std::vector<int> slots(SlotCount(s), kNone);
  if (IsPrimary(asset->type)) {
    // A primary asset inherits nothing: its own ratings and overrides are all there is.
    AssetFacts f{true, OwnSlots(s, asset->ratings), asset->override_impact};
    slots = EffectiveSlots(s, {f}, {{}}).front();
  }
  for (Criterion c : kAllCriteria) {
    const auto k = static_cast<std::size_t>(c);
    if (asset->impact[k]) slots[ImpactSlot(s, c)] = *asset->impact[k];
  }
  if (s.method == Method::kOperational && !IsPrimary(asset->type)) {
    // Inherited consequence ratings are not stored: score the whole analysis instead.
    Recompute(tx, analysis);
    auto again = FindScenario(tx, analysis.id, sc.id);
    return again ? again->scenario.score : Score{};
  }
  ThreatFacts t;
  t.affects = threat->affects;
  t.likelihood = threat->likelihood.value_or(kNone);
  ScenarioFacts f;
  f.probability = sc.probability.value_or(kNone);
  f.residual_probability = sc.residual_probability.value_or(kNone);
  f.reduction = sc.reduction;
  return ScoreOne(s, slots, t, vuln->qualification.value_or(kNone), f);
}

void WriteScore(db::Tx& tx, std::string_view scenario_id, const Score& score) {
  WriteScores(tx, {{std::string(scenario_id), score}});
}

std::int64_t RemapValues(db::Tx& tx, const Analysis& analysis, const Settings& from,
                         const Settings& to) {
  std::int64_t changed = 0;
  auto same = [](const Scale& a, const Scale& b) { return a.min == b.min && a.max == b.max; };
  if (!same(from.impact, to.impact)) {
    for (const auto& r :
         tx.Query("SELECT id, ratings, override_impact FROM risk_assets WHERE analysis_id = $1",
                  {analysis.id})) {
      auto ratings = ParseRatings(r.Text(1));
      for (auto& x : ratings) x.value = Remap(x.value, from.impact, to.impact);
      auto over = ParseOverride(r.Text(2));
      for (auto& v : over) {
        if (v) v = Remap(*v, from.impact, to.impact);
      }
      const auto rt = RatingsJson(ratings);
      const auto ot = OverrideJson(over);
      if (rt != r.Text(1) || ot != r.Text(2)) {
        tx.Exec("UPDATE risk_assets SET ratings = $1, override_impact = $2 WHERE id = $3",
                {rt, ot, r.Text(0)});
        ++changed;
      }
    }
  }
  if (!same(from.likelihood, to.likelihood)) {
    for (const auto& r : tx.Query("SELECT id, likelihood FROM risk_threats WHERE analysis_id = $1 "
                                  "AND likelihood IS NOT NULL",
                                  {analysis.id})) {
      const int was = static_cast<int>(r.Int(1));
      const int now = Remap(was, from.likelihood, to.likelihood);
      if (now != was) {
        tx.Exec("UPDATE risk_threats SET likelihood = $1 WHERE id = $2", {now, r.Text(0)});
        ++changed;
      }
    }
  }
  if (!same(from.vulnerability, to.vulnerability)) {
    for (const auto& r :
         tx.Query("SELECT id, qualification FROM risk_vulnerabilities WHERE analysis_id = $1 "
                  "AND qualification IS NOT NULL",
                  {analysis.id})) {
      const int was = static_cast<int>(r.Int(1));
      const int now = Remap(was, from.vulnerability, to.vulnerability);
      if (now != was) {
        tx.Exec("UPDATE risk_vulnerabilities SET qualification = $1 WHERE id = $2",
                {now, r.Text(0)});
        ++changed;
      }
    }
  }
  const bool vuln_changed = !same(from.vulnerability, to.vulnerability);
  const bool prob_changed = !same(from.probability, to.probability);
  if (vuln_changed || prob_changed) {
    std::vector<db::Value> values;
    for (const auto& r :
         tx.Query("SELECT id, probability, residual_probability, reduction FROM risk_scenarios "
                  "WHERE analysis_id = $1",
                  {analysis.id})) {
      std::optional<int> p = OptInt(r, 1), rp = OptInt(r, 2);
      int reduction = static_cast<int>(r.Int(3));
      const auto was = std::tuple(p, rp, reduction);
      if (prob_changed) {
        if (p) p = Remap(*p, from.probability, to.probability);
        if (rp) rp = Remap(*rp, from.probability, to.probability);
      }
      if (vuln_changed) reduction = RemapDelta(reduction, from.vulnerability, to.vulnerability);
      if (std::tuple(p, rp, reduction) == was) continue;
      values.emplace_back(r.Text(0));
      values.emplace_back(p);
      values.emplace_back(rp);
      values.emplace_back(reduction);
      ++changed;
    }
    ExecRows(tx, "WITH v (id, p, rp, red) AS (VALUES ",
             ") UPDATE risk_scenarios SET probability = v.p, residual_probability = v.rp, "
             "reduction = v.red FROM v WHERE risk_scenarios.id = v.id",
             4, values, {"TEXT", "INTEGER", "INTEGER", "INTEGER"});
  }
  return changed;
}

}  // namespace rampart::risk
