// Risk analysis's SQL. Functions run inside the caller's transaction. Updates take the version the
// caller read and return false, changing nothing, when the row has moved on since. Every lookup
// by id is scoped to its analysis (and an analysis to its organisation), so an id of another
// organisation finds nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.h"
#include "risk/model.h"
#include "risk/rules.h"

namespace rampart::risk {

// ---- analyses ----

void InsertAnalysis(db::Tx& tx, const Analysis& a);
std::optional<Analysis> FindAnalysis(db::Tx& tx, std::string_view org_id, std::string_view id);
std::vector<Analysis> ListAnalyses(db::Tx& tx, std::string_view org_id);
bool UpdateAnalysis(db::Tx& tx, const Analysis& a, std::int64_t expected_version, Millis now);
// Makes `id` the organisation's only current analysis.
void MakeCurrent(db::Tx& tx, std::string_view org_id, std::string_view id);

// Whether `user_id` is a person of the organisation (an owner or responsible person must be).
bool IsMember(db::Tx& tx, std::string_view org_id, std::string_view user_id);

// ---- assets ----

void InsertAsset(db::Tx& tx, const Asset& a, Millis now);
std::optional<Asset> FindAsset(db::Tx& tx, std::string_view analysis_id, std::string_view id);
std::optional<Asset> FindAssetByName(db::Tx& tx, std::string_view analysis_id,
                                     std::string_view name);
// Writes the fields people change (not the computed ones) and bumps the version.
bool UpdateAsset(db::Tx& tx, const Asset& a, std::int64_t expected_version, Millis now);
// Replaces what `asset_id` depends on.
void SetDependencies(db::Tx& tx, std::string_view analysis_id, std::string_view asset_id,
                     const std::vector<std::string>& depends_on);
// False when scenarios still use the asset (they must go first); removes its dependencies.
bool DeleteAsset(db::Tx& tx, std::string_view analysis_id, std::string_view id);
std::int64_t ScenarioCountOfAsset(db::Tx& tx, std::string_view asset_id);

struct AssetFilter {
  std::optional<AssetType> type;
  std::optional<int> criticality;  // the class: criticality equal to this
  std::optional<std::string> owner_id;
  bool by_criticality = false;  // order by criticality (highest first), else by name
};
struct AssetCursor {
  std::int64_t criticality = 0;
  std::string name;
  std::string id;
};
std::vector<Asset> ListAssets(db::Tx& tx, std::string_view analysis_id, const AssetFilter& filter,
                              const std::optional<AssetCursor>& after, int limit);
// Every asset with its dependencies, in id order.
std::vector<Asset> AllAssets(db::Tx& tx, std::string_view analysis_id);
// The assets that depend on `asset_id` directly.
std::vector<std::string> DependentsOf(db::Tx& tx, std::string_view asset_id);

// ---- threats and vulnerabilities ----

void InsertThreat(db::Tx& tx, const Threat& t, Millis now);
std::optional<Threat> FindThreat(db::Tx& tx, std::string_view analysis_id, std::string_view id);
std::optional<Threat> FindThreatByUrn(db::Tx& tx, std::string_view analysis_id,
                                      std::string_view urn);
bool UpdateThreat(db::Tx& tx, const Threat& t, std::int64_t expected_version, Millis now);
std::vector<Threat> AllThreats(db::Tx& tx, std::string_view analysis_id);

void InsertVulnerability(db::Tx& tx, const Vulnerability& v, Millis now);
std::optional<Vulnerability> FindVulnerability(db::Tx& tx, std::string_view analysis_id,
                                               std::string_view id);
std::optional<Vulnerability> FindVulnerabilityByUrn(db::Tx& tx, std::string_view analysis_id,
                                                    std::string_view urn);
bool UpdateVulnerability(db::Tx& tx, const Vulnerability& v, std::int64_t expected_version,
                         Millis now);
std::vector<Vulnerability> AllVulnerabilities(db::Tx& tx, std::string_view analysis_id);

// ---- scenarios ----

// Inserts many scenarios in a few multi-row statements (bulk creation, import, demo).
void InsertScenarios(db::Tx& tx, const std::vector<Scenario>& scenarios);
void InsertScenario(db::Tx& tx, const Scenario& s);
// A scenario with what the register shows of its asset, threat and vulnerability, and its latest
// acceptance.
struct ScenarioView {
  Scenario scenario;
  std::string asset_name;
  AssetType asset_type = AssetType::kBusinessProcess;
  std::string threat_urn, threat_name;
  std::string vulnerability_urn, vulnerability_name;
  std::optional<Acceptance> acceptance;
  bool acceptance_stale = false;
};
std::optional<ScenarioView> FindScenario(db::Tx& tx, std::string_view analysis_id,
                                         std::string_view id);
bool UpdateScenario(db::Tx& tx, const Scenario& s, std::int64_t expected_version, Millis now);
bool DeleteScenario(db::Tx& tx, std::string_view analysis_id, std::string_view id);
// Whether the analysis already has this combination.
bool ScenarioExists(db::Tx& tx, std::string_view asset_id, std::string_view threat_id,
                    std::string_view vulnerability_id);

struct RegisterFilter {
  bool residual = false;  // level and sort on the residual risk
  std::optional<std::string> level;
  std::optional<std::string> asset_id;
  std::optional<std::string> threat_id;
  std::optional<std::string> vulnerability_id;
  std::optional<std::string> owner_id;
  // Part of the owner's display name, any case (ASCII letters only on SQLite).
  std::optional<std::string> owner_name;
  std::optional<Treatment> treatment;
  // A cell row or column of the heat map: the impact, and the likelihood (residual when
  // `residual`), as placed on the map's axes.
  std::optional<int> impact;
  std::optional<int> likelihood;
  bool ascending = false;  // by risk, lowest first; default highest first
};
struct RegisterCursor {
  std::int64_t risk = 0;
  std::string id;
};
std::vector<ScenarioView> ListRegister(db::Tx& tx, std::string_view analysis_id,
                                       const RegisterFilter& filter,
                                       const std::optional<RegisterCursor>& after, int limit);
// The `limit` highest current risks on `criterion`.
std::vector<ScenarioView> TopRisks(db::Tx& tx, std::string_view analysis_id, Criterion criterion,
                                   int limit);
// Every scenario, in id order (export).
std::vector<Scenario> AllScenarios(db::Tx& tx, std::string_view analysis_id);

struct HeatCell {
  int impact = 0;
  int likelihood = 0;
  std::int64_t current = 0;
  std::int64_t residual = 0;
};
std::vector<HeatCell> HeatMap(db::Tx& tx, std::string_view analysis_id);
struct LevelCount {
  std::string level;
  std::int64_t current = 0;
  std::int64_t residual = 0;
};
std::vector<LevelCount> LevelCounts(db::Tx& tx, std::string_view analysis_id);

// ---- acceptances ----

void InsertAcceptance(db::Tx& tx, std::string_view analysis_id, const Acceptance& a);
std::vector<Acceptance> AcceptancesOf(db::Tx& tx, std::string_view scenario_id);
// The state an acceptance of the scenario would record now.
AcceptedState StateOf(const ScenarioView& v);

// ---- recommendations ----

void InsertRecommendation(db::Tx& tx, const Recommendation& r);
std::optional<Recommendation> FindRecommendation(db::Tx& tx, std::string_view analysis_id,
                                                 std::string_view id);
bool UpdateRecommendation(db::Tx& tx, const Recommendation& r, std::int64_t expected_version,
                          Millis now);
struct RecommendationFilter {
  std::optional<RecommendationStatus> status;
  std::optional<std::string> responsible_id;
  std::optional<std::string> scenario_id;
};
std::vector<Recommendation> ListRecommendations(db::Tx& tx, std::string_view analysis_id,
                                                const RecommendationFilter& filter,
                                                const std::optional<std::string>& after_id,
                                                int limit);
void AddHistory(db::Tx& tx, std::string_view recommendation_id, const HistoryEntry& e);
std::vector<HistoryEntry> HistoryOf(db::Tx& tx, std::string_view recommendation_id);

// ---- scoring ----

struct RecomputeStats {
  std::int64_t assets_changed = 0;
  std::int64_t scenarios_changed = 0;
  double compute_ms = 0;  // the pure part: inheritance and scoring
};
// Recomputes every asset's impacts and every scenario's score from the stored ratings,
// dependencies, likelihoods and qualifications, and writes back what changed in a few
// multi-row statements.
RecomputeStats Recompute(db::Tx& tx, const Analysis& analysis);
// Scores one scenario from the stored impacts of its asset (after a change to the scenario alone).
Score ScoreStored(db::Tx& tx, const Analysis& analysis, const Scenario& s);
void WriteScore(db::Tx& tx, std::string_view scenario_id, const Score& score);

// Rewrites every stored value on a scale that changed from `from` to `to` (ratings, overrides,
// likelihoods, qualifications, reductions, probabilities), proportionally (rules.h Remap).
// Returns the number of values changed.
std::int64_t RemapValues(db::Tx& tx, const Analysis& analysis, const Settings& from,
                         const Settings& to);

// ---- stored shapes ----

std::string RatingsJson(const std::vector<Rating>& ratings);
std::vector<Rating> ParseRatings(std::string_view json);
std::string OverrideJson(const PerCriterion& impacts);
PerCriterion ParseOverride(std::string_view json);

}  // namespace rampart::risk
