// The pure decisions of a risk analysis: settings and their checks, scoring methods, remapping of
// values when a scale changes, criticality and its inheritance along dependencies, cycle detection,
// and the digest that makes an acceptance go stale. No I/O, no clock, no database.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/json_writer.h"
#include "platform/problem.h"
#include "risk/model.h"

namespace rampart::risk {

// ---- names on the wire ----

std::string_view Name(Criterion c);  // "confidentiality", "integrity", "availability", …
std::optional<Criterion> ParseCriterion(std::string_view name);
std::string_view Name(Method m);  // "itv", "matrix", "operational"
std::optional<Method> ParseMethod(std::string_view name);
std::string_view Name(Treatment t);  // "none", "reduce", "accept", "avoid", "share"
std::optional<Treatment> ParseTreatment(std::string_view name);
std::string_view Name(RecommendationStatus s);  // "open", "in_progress", "done", "cancelled"
std::optional<RecommendationStatus> ParseRecommendationStatus(std::string_view name);

// ---- settings ----

// The defaults of a new analysis of `method`: MONARC-like scales (impact 0–4, likelihood 0–4,
// vulnerability 1–5, probability 1–5), the five consequence types, thresholds suited to the
// method's range of values and, for the matrix, a 5×5 grid of low/medium/high.
Settings DefaultSettings(Method method = Method::kItv);
// Thresholds at about a quarter and a half of the largest risk `s` can give.
Thresholds DefaultThresholds(const Settings& s);
// A grid for the settings' probability and impact scales: the cell's share of the largest product
// decides its level (low up to a third, medium up to two thirds).
Matrix DefaultMatrix(const Settings& s);
// The largest risk value the method can give with these scales.
std::int64_t MaxRisk(const Settings& s);

// Every mistake in `s`, each naming its field under `prefix` ("/settings/impact/max").
std::vector<FieldError> CheckSettings(const Settings& s, const std::string& prefix = "/settings");

void WriteSettings(JsonWriter& w, const Settings& s);
// Reads the members present in `j` over `base` (absent members keep base's values); errors name
// their field under `prefix`. Does not run CheckSettings.
Settings ReadSettings(const nlohmann::json& j, const Settings& base,
                      std::vector<FieldError>& errors, const std::string& prefix = "/settings");

// A primary asset's ratings from {"confidentiality": {"reputation": 3, …}, …}: every criterion
// counted by the analysis, every consequence type of the analysis, every value on the impact
// scale (null: not rated). Errors name their member under `prefix`.
std::vector<Rating> ReadRatings(const nlohmann::json& j, const Settings& s,
                                std::vector<FieldError>& errors, const std::string& prefix);
// Overrides per criterion, {"availability": 4}, on the impact scale.
PerCriterion ReadOverride(const nlohmann::json& j, const Settings& s,
                          std::vector<FieldError>& errors, const std::string& prefix);

// Criteria that count in this analysis: authenticity only when switched on.
CriteriaFlags EnabledCriteria(const Settings& s);

// ---- remapping when a scale changes ----

// Maps `v` from `from` onto `to` keeping its place in the range: to.min + round((v − from.min) ×
// (to.max − to.min) / (from.max − from.min)), halves rounded up, clamped into `to`. So 0–4 → 1–5
// maps 2 to 3, and 1–5 → 1–3 maps 4 to 3.
int Remap(int v, const Scale& from, const Scale& to);
// Maps a difference on `from` (a vulnerability reduction) onto `to`, rounded, at least 0.
int RemapDelta(int delta, const Scale& from, const Scale& to);
// Maps the thresholds of `from` onto the range of `to` (same share of the largest risk), so that a
// scale change keeps the proportion of low, medium and high; the method decides the range.
Thresholds RemapThresholds(const Settings& from, const Settings& to);

// ---- criticality ----

// An asset's values as the scoring needs them, in "slots": for each criterion c (in Criterion
// order), slot c × (1 + K) is the impact and slot c × (1 + K) + 1 + k the rating on consequence
// type k, K being the number of consequence types. kNone marks a value not given.
inline constexpr int kNone = -1;
std::size_t SlotCount(const Settings& s);
inline std::size_t ImpactSlot(const Settings& s, Criterion c) {
  return static_cast<std::size_t>(c) * (1 + s.consequences.size());
}

struct AssetFacts {
  bool primary = false;
  std::vector<int> own;  // slots from the asset's own ratings (primary assets), else all kNone
  PerCriterion override_impact;
};
// The slots of a primary asset's ratings (ratings on unknown consequence types or criteria that
// are switched off are ignored; the impact is the largest rating of its criterion).
std::vector<int> OwnSlots(const Settings& s, const std::vector<Rating>& ratings);

// Effective slots of every asset. A primary asset keeps its own; a supporting asset inherits,
// slot by slot, the largest value of every primary asset that depends on it directly or through
// other assets. An override then replaces the impact of its criterion (and, for the operational
// method, that criterion's consequence ratings). `depends_on[a]` lists indices of assets `a`
// depends on; the graph must be acyclic (see FindCycle).
std::vector<std::vector<int>> EffectiveSlots(const Settings& s,
                                             const std::vector<AssetFacts>& assets,
                                             const std::vector<std::vector<int>>& depends_on);
// The impact per criterion out of effective slots, and the criticality: the largest impact.
PerCriterion ImpactsOf(const Settings& s, const std::vector<int>& slots);
std::optional<int> CriticalityOf(const PerCriterion& impacts);

// A cycle in the dependency graph as the path of indices that closes it (first == last), or empty
// when there is none.
std::vector<int> FindCycle(const std::vector<std::vector<int>>& depends_on);

// ---- scoring ----

struct ThreatFacts {
  CriteriaFlags affects{};
  int likelihood = kNone;
};
struct ScenarioFacts {
  int asset = 0;          // index into the slot vectors
  int threat = 0;         // index into the threats
  int vulnerability = 0;  // index into the vulnerabilities' qualifications
  int probability = kNone;
  int residual_probability = kNone;  // kNone: the same as the probability
  int reduction = 0;
};

// The level of a risk value by the thresholds: "low", "medium" or "high".
std::string_view LevelOf(std::int64_t risk, const Thresholds& t);

// Scores one scenario by the analysis's method:
//   itv          per criterion the threat affects (and the analysis counts): I × T × V, the
//   largest;
//                residual with V lowered by the reduction (not below the scale's minimum);
//   matrix       P × I with I the largest impact on the affected criteria, the level from the grid;
//                residual with the residual probability;
//   operational  per consequence type, P × the largest rating on the affected criteria; the
//   largest.
Score ScoreOne(const Settings& s, const std::vector<int>& asset_slots, const ThreatFacts& threat,
               int vulnerability_qualification, const ScenarioFacts& scenario);
// Scores every scenario; a pure function over plain vectors, so a whole analysis is recomputed in
// one pass after any change (50,000 scenarios in a few milliseconds).
std::vector<Score> ScoreAll(const Settings& s, const std::vector<std::vector<int>>& asset_slots,
                            const std::vector<ThreatFacts>& threats,
                            const std::vector<int>& vulnerability_qualifications,
                            const std::vector<ScenarioFacts>& scenarios);

// ---- acceptance ----

// The state of a scenario that management accepts. Names and URNs rather than ids, so that an
// acceptance survives export and import.
struct AcceptedState {
  std::string asset_name;
  std::string threat_urn;
  std::string vulnerability_urn;
  std::optional<int> probability;
  std::optional<int> residual_probability;
  int reduction = 0;
  std::string controls_in_place;
  Treatment treatment = Treatment::kNone;
  std::optional<std::string> owner_id;
  std::string planned_controls;
  std::optional<std::int64_t> current_risk;
  std::optional<std::int64_t> residual_risk;
  std::string residual_level;
};
// SHA-256 (hex) of a canonical text of the state: equal states, equal digests.
std::string AcceptanceDigest(const AcceptedState& state);
// An acceptance is stale when the scenario no longer has the state it was given for.
bool IsStale(std::string_view accepted_digest, const AcceptedState& now);

}  // namespace rampart::risk
