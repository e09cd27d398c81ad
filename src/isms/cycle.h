// The continuous-improvement cycle of an organisation's ISMS as plain types, and the pure decisions
// about it: the weighted implementation share, which stage the organisation stands at, what is
// overdue, and a certificate's effective status. No I/O, no clock (callers pass `now`).
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "isms/model.h"
#include "platform/clock.h"

namespace rampart::isms {

// ---- design ----

struct InterestedParty {
  std::string name;
  std::string expectations;
};

struct Scope {
  std::string organisation_id;
  std::int64_t version = 0;
  std::string statement;
  std::vector<InterestedParty> interested_parties;
  std::string boundaries;
  std::string recorded_by;
  std::string recorded_by_name;
  Millis recorded_at = 0;
};

// ---- evaluation and control: the five kinds of the CISO approach ----

inline constexpr std::array<std::string_view, 5> kEvaluationKinds = {
    "internal_audit", "automated", "peer_comparison", "formal_audit", "management_review"};

struct Evaluation {
  std::string id;
  std::string organisation_id;
  std::string kind;
  std::string title;
  std::optional<Millis> planned_for;
  std::optional<Millis> done_at;
  std::string evaluator;
  std::string summary;
  std::string minutes;    // management review
  std::string decisions;  // management review
  std::optional<std::string> chair_id;
  std::string chair_name;  // read with the row
  std::optional<std::string> signed_by;
  std::optional<std::string> signed_by_name;
  std::optional<Millis> signed_at;
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
  std::int64_t findings = 0;  // read with the row
};

// Planned, its date passed, and not done.
[[nodiscard]] bool Overdue(const Evaluation& e, Millis now);

struct Link {
  std::string kind;           // control, policy, risk, finding
  std::string framework_ref;  // for controls
  std::string target;         // requirement id, policy requirement URN, scenario id, finding id
  std::string label;          // read for display; not stored
  bool operator==(const Link& o) const {
    return kind == o.kind && framework_ref == o.framework_ref && target == o.target;
  }
};

inline constexpr std::array<std::string_view, 4> kSeverities = {"low", "medium", "high",
                                                                "critical"};

struct Finding {
  std::string id;
  std::string organisation_id;
  std::optional<std::string> evaluation_id;
  std::string title;
  std::string description;
  std::string severity = "medium";
  std::string status = "open";
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
  std::vector<Link> links;
};

// ---- improvement: the seed's three levels ----

inline constexpr std::array<std::string_view, 3> kActionLevels = {"organisation", "procedures",
                                                                  "tools"};
inline constexpr std::array<std::string_view, 4> kActionStatuses = {"open", "in_progress", "done",
                                                                    "cancelled"};

struct ImprovementAction {
  std::string id;
  std::string organisation_id;
  std::string level;
  std::string title;
  std::string description;
  std::optional<std::string> owner_id;
  std::string owner_name;  // read with the row
  Millis due_at = 0;
  std::string status = "open";
  std::optional<Millis> completed_at;
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
  std::vector<Link> links;
};

struct ActionChange {
  std::int64_t seq = 0;
  Millis at = 0;
  std::string by_name;
  std::string change;  // JSON: {"field": {"before": …, "after": …}, …}
};

// Not finished (open or in progress) and its due date passed.
[[nodiscard]] bool Overdue(const ImprovementAction& a, Millis now);

// A due date is a day: it may fall on the day the action is made, not before.
[[nodiscard]] bool DueBeforeCreation(Millis due_at, Millis created_at);

struct AutomatedResult {
  std::string id;
  std::string run_id;
  std::string control_urn;
  std::string framework_ref;
  std::string requirement_id;
  std::string outcome;  // pass, fail, value
  std::string value;
  std::string tool;
  Millis observed_at = 0;
  std::string posted_by;
  Millis posted_at = 0;
};

// ---- implementation, from the SoA ----

// Applicable SoA entries grouped by status and maturity (maturity -1: not rated).
struct MaturityBucket {
  Status status = Status::kNotStarted;
  int maturity = -1;
  std::int64_t count = 0;
};

struct Implementation {
  std::int64_t applicable = 0;
  std::int64_t implemented = 0;
  std::int64_t partial = 0;
  // Share of applicable controls implemented, partial ones half (per cent, one decimal).
  std::optional<double> implemented_share;
  // The same share weighted by maturity: each control's credit (implemented 1, partial ½) times
  // its maturity over 5. A control whose maturity was never rated counts by its status alone, so an
  // organisation that does not rate maturity is not punished for it. Per cent, one decimal;
  // nullopt when nothing is applicable.
  std::optional<double> weighted_share;
};
[[nodiscard]] Implementation Measure(const std::vector<MaturityBucket>& buckets);

// ---- where the organisation stands ----

enum class Stage : std::uint8_t { kDesign, kImplementation, kEvaluation, kImprovement };
std::string_view Name(Stage s);

struct CycleFacts {
  bool scope_recorded = false;
  std::int64_t applicable_controls = 0;
  std::int64_t implemented_controls = 0;  // implemented or partial
  std::optional<Millis> last_evaluation;  // newest done evaluation of any kind
  std::int64_t open_findings = 0;
  std::int64_t open_actions = 0;
};

// The stage the organisation is at: design until a scope is recorded; implementation until its SoA
// has applicable controls and at least one put in place; evaluation until an evaluation was done
// in the last year; then improvement (acting on findings — the cycle turns from there and comes
// back to evaluation when a year passes without one).
[[nodiscard]] Stage StageOf(const CycleFacts& f, Millis now);

inline constexpr Millis kYear = 365LL * 24 * 3600 * 1000;

// ---- certification ----

struct Certification {
  std::string organisation_id;
  std::string status = "none";  // none, in_progress, certified
  std::string certifier;
  std::string scope;
  std::string certificate_number;
  std::optional<Millis> issued_at;
  std::optional<Millis> expires_at;
  std::string updated_by;
  Millis updated_at = 0;
  std::int64_t version = 0;  // 0: never recorded
};

// What the certification amounts to now: "certified" turns "expired" once its expiry passed.
[[nodiscard]] std::string EffectiveStatus(const Certification& c, Millis now);

}  // namespace rampart::isms
