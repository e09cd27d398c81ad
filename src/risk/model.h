// Plain types of a risk analysis: its settings (method, scales, thresholds, criteria, consequence
// types), and the stored shapes of assets, threats, vulnerabilities, scenarios, recommendations and
// acceptances. No behaviour here: decisions are in rules.h, SQL in store.h.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "risk/catalogue.h"

namespace rampart::risk {

// The security criteria an asset is rated on and a threat affects. Authenticity is rated only
// where the analysis switches it on.
enum class Criterion : std::uint8_t { kConfidentiality, kIntegrity, kAvailability, kAuthenticity };
inline constexpr std::size_t kCriteria = 4;
inline constexpr Criterion kAllCriteria[kCriteria] = {
    Criterion::kConfidentiality, Criterion::kIntegrity, Criterion::kAvailability,
    Criterion::kAuthenticity};

// One optional value per criterion, indexed by Criterion.
using PerCriterion = std::array<std::optional<int>, kCriteria>;
using CriteriaFlags = std::array<bool, kCriteria>;

enum class Method : std::uint8_t {
  kItv,          // MONARC-style: per criterion impact × threat likelihood × vulnerability
  kMatrix,       // probability × impact looked up in a grid of named levels
  kOperational,  // probability × impact per consequence type, the maximum taken
};
// The version of each method's rules recorded with an analysis: raise it when a method's
// arithmetic changes, so an old analysis says which rules scored it.
inline constexpr int kMethodVersion = 1;

enum class Treatment : std::uint8_t { kNone, kReduce, kAccept, kAvoid, kShare };

// A rating scale: whole numbers from `min` to `max`, each with a label (labels[v - min]).
struct Scale {
  int min = 0;
  int max = 4;
  std::vector<std::string> labels;

  [[nodiscard]] bool Contains(int v) const { return v >= min && v <= max; }
  [[nodiscard]] int Levels() const { return max - min + 1; }
};

// A risk value up to `low_max` is low, up to `medium_max` medium, above it high.
struct Thresholds {
  std::int64_t low_max = 20;
  std::int64_t medium_max = 50;
};

// The grid of the matrix method: cells[p - probability.min][i - impact.min] is an index into
// `levels`, which go from the least to the most serious.
struct Matrix {
  std::vector<std::string> levels;
  std::vector<std::vector<int>> cells;
};

struct ConsequenceType {
  std::string key;  // "reputation", "operations", … (lower-case slug)
  std::string name;
};

struct Settings {
  Method method = Method::kItv;
  int method_version = kMethodVersion;
  Scale impact;         // an asset's consequence ratings and impacts
  Scale likelihood;     // a threat's likelihood (itv)
  Scale vulnerability;  // a vulnerability's qualification (itv)
  Scale probability;    // a scenario's probability (matrix, operational)
  Thresholds thresholds;
  bool authenticity = false;
  std::vector<ConsequenceType> consequences;
  Matrix matrix;
};

struct Analysis {
  std::string id;
  std::string organisation_id;
  std::string name;
  std::string description;
  bool current = false;
  Settings settings;
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
};

// A rating: how bad losing `criterion` of a primary asset is for one consequence type.
struct Rating {
  Criterion criterion = Criterion::kConfidentiality;
  std::string consequence;
  int value = 0;
};

struct Asset {
  std::string id;
  std::string analysis_id;
  std::string name;
  AssetType type = AssetType::kBusinessProcess;
  std::string description;
  std::optional<std::string> owner_id;
  std::vector<Rating> ratings;   // primary assets only
  PerCriterion override_impact;  // set by people, with a reason
  std::string override_reason;
  std::vector<std::string> depends_on;  // ids of assets of the same analysis
  // Computed by rules.h on every change: the impact per criterion (own, inherited or overridden)
  // and the criticality (the largest of them).
  PerCriterion impact;
  std::optional<int> criticality;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
};

struct Threat {
  std::string id;
  std::string analysis_id;
  std::string urn;
  bool custom = false;  // the organisation's own, not from the catalogue
  std::string family;
  std::string name;
  std::string description;
  CriteriaFlags affects{};
  std::optional<int> likelihood;
  std::int64_t version = 1;
};

struct Vulnerability {
  std::string id;
  std::string analysis_id;
  std::string urn;
  bool custom = false;
  std::string name;
  std::string description;
  std::optional<int> qualification;
  std::int64_t version = 1;
};

// What a scoring method gives a scenario. A risk is unscored (nullopt) while any input is missing.
struct Score {
  std::optional<std::int64_t> current;
  std::optional<std::int64_t> residual;
  std::string current_level;  // "" when unscored
  std::string residual_level;
  std::array<std::optional<std::int64_t>, kCriteria> by_criterion{};  // current, per criterion
  std::optional<int> impact_axis;                                     // the heat map's columns
  std::optional<int> likelihood_axis;                                 // and rows, current
  std::optional<int> residual_likelihood_axis;                        // and residual

  bool operator==(const Score&) const = default;
};

struct Scenario {
  std::string id;
  std::string analysis_id;
  std::string asset_id;
  std::string threat_id;
  std::string vulnerability_id;
  std::string description;
  std::optional<int> probability;           // matrix, operational
  std::optional<int> residual_probability;  // matrix, operational
  int reduction = 0;  // itv: how much the controls in place lower the vulnerability
  std::string controls_in_place;
  Treatment treatment = Treatment::kNone;
  std::optional<std::string> owner_id;
  std::string planned_controls;
  Score score;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
};

struct Acceptance {
  std::string id;
  std::string scenario_id;
  std::string accepted_by;       // user id
  std::string accepted_by_name;  // display name
  Millis accepted_at = 0;
  std::string digest;  // AcceptanceDigest() of the scenario as accepted
  std::string note;
};

enum class RecommendationStatus : std::uint8_t { kOpen, kInProgress, kDone, kCancelled };

struct Recommendation {
  std::string id;
  std::string analysis_id;
  std::optional<std::string> scenario_id;
  std::string title;
  std::string description;
  int importance = 2;  // 1 (low) to 3 (high)
  std::optional<std::string> responsible_id;
  std::optional<Millis> due_at;
  RecommendationStatus status = RecommendationStatus::kOpen;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
};

struct HistoryEntry {
  Millis at = 0;
  std::string actor_name;
  std::string change;  // JSON object: the fields as they became
};

}  // namespace rampart::risk
