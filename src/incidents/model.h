// Incident reporting's plain types: stages, reporting profiles and the times of one case.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "platform/clock.h"

namespace rampart::incidents {

inline constexpr Millis kHour = 3'600'000;
inline constexpr Millis kDay = 24 * kHour;

// The reports one incident case collects over time, in the order the law asks for them
// (NIS2 article 23(4)).
enum class Stage : std::uint8_t {
  kEarlyWarning,  // within hours of becoming aware: what happened, malicious?, cross-border?
  kNotification,  // initial assessment: severity, impact, indicators of compromise
  kIntermediate,  // on request of the CERT or the regulator, any number of times
  kFinal,         // detailed description, root cause, mitigations, cross-border impact
  kProgress,      // instead of the final report while the incident is still being handled
};
inline constexpr Stage kAllStages[] = {Stage::kEarlyWarning, Stage::kNotification,
                                       Stage::kIntermediate, Stage::kFinal, Stage::kProgress};
std::string_view Name(Stage stage);  // "early_warning", "notification", …
std::optional<Stage> ParseStage(std::string_view name);

enum class Severity : std::uint8_t { kLow, kMedium, kHigh, kCritical };
std::string_view Name(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);

// Thresholds of one impact measure: the value from which the incident is at least medium, high,
// critical. A measure with no thresholds (all nullopt) never raises the severity.
struct Thresholds {
  std::optional<std::int64_t> medium;
  std::optional<std::int64_t> high;
  std::optional<std::int64_t> critical;
};

// How one sector reports: deadlines, and what makes an incident significant and how severe.
// A regulator sets its sector's profile within the bounds of the national law; the national
// default follows NIS2 article 23.
struct ReportingProfile {
  std::string id;    // "nis2-default", "finance-dora-like", or a sector's own
  std::string name;  // for people
  Millis early_warning_within = 24 * kHour;  // after awareness
  Millis notification_within = 72 * kHour;   // after awareness
  Millis final_within = 30 * kDay;           // after the notification was submitted
  Millis intermediate_within = 7 * kDay;     // after a request, unless the request says otherwise
  Thresholds users_affected;
  Thresholds duration_hours;
  Thresholds financial_loss_eur;
  Thresholds sites_or_regions;
  Severity cross_border_at_least = Severity::kHigh;  // an incident that crosses a border
  Severity significant_from = Severity::kHigh;       // mandatory reporting from this severity
  // Fields the sector asks for at a stage beyond those every profile asks for (API field names).
  std::vector<std::pair<Stage, std::string>> also_required;
};

// What is known of an incident's impact; absent measures are unknown, not zero.
struct Impact {
  std::optional<std::int64_t> users_affected;
  std::optional<std::int64_t> duration_hours;
  std::optional<std::int64_t> financial_loss_eur;
  std::optional<std::int64_t> sites_or_regions;
  bool cross_border = false;
};

struct IntermediateRequest {
  Millis requested_at = 0;
  std::optional<Millis> due_at;  // as the requester set it; else the profile's default
  std::optional<Millis> submitted_at;
};

// The times of one case that the clocks depend on.
struct CaseTimes {
  Millis aware_at = 0;  // when the organisation became aware: every clock starts here
  std::optional<Millis> early_warning_at;
  std::optional<Millis> notification_at;
  std::optional<Millis> final_at;
  std::vector<Millis> progress_at;  // progress reports submitted
  std::optional<Millis> resolved_at;
  std::vector<IntermediateRequest> intermediate;
};

enum class ClockState : std::uint8_t {
  kWaiting,    // not due yet, not submitted
  kOverdue,    // past due, not submitted
  kOnTime,     // submitted by its due time
  kLate,       // submitted after its due time
  kNotNeeded,  // this stage is not (or no longer) asked for
};
std::string_view Name(ClockState state);

struct StageClock {
  Stage stage = Stage::kEarlyWarning;
  std::optional<Millis> due_at;  // nullopt: not yet known (waits for an earlier stage)
  std::optional<Millis> submitted_at;
  ClockState state = ClockState::kWaiting;
};

// Where a case stands in its handling. Submitted → acknowledged → triaged → in progress →
// resolved → closed; rejected, duplicate and merged end a case early.
enum class CaseState : std::uint8_t {
  kSubmitted,
  kAcknowledged,
  kTriaged,
  kInProgress,
  kResolved,
  kClosed,
  kRejected,
  kDuplicate,
  kMerged,
};
inline constexpr CaseState kAllCaseStates[] = {
    CaseState::kSubmitted,  CaseState::kAcknowledged, CaseState::kTriaged,
    CaseState::kInProgress, CaseState::kResolved,     CaseState::kClosed,
    CaseState::kRejected,   CaseState::kDuplicate,    CaseState::kMerged};
std::string_view Name(CaseState state);
std::optional<CaseState> ParseCaseState(std::string_view name);

// The root-cause categories of a final report (ENISA's incident reporting categories).
inline constexpr std::string_view kRootCauses[] = {"system_failure", "human_error",
                                                   "malicious_action", "third_party_failure",
                                                   "natural_phenomenon"};

// One incident case as stored: the early warning's facts, what later stages established, the
// stage times the clocks run from, and its handling.
struct Incident {
  std::string id;
  std::string reference;  // INC-2026-000123
  std::string organisation_id;
  std::string sector_id;
  std::string profile_id;
  std::string title;
  std::string summary;
  Millis aware_at = 0;
  std::optional<Millis> occurred_at;
  std::string suspected_malicious = "unknown";  // yes, no, unknown
  bool may_affect_others = false;
  std::string affects_others_note;
  std::vector<std::string> affected_services;
  bool voluntary = false;
  std::optional<std::string> rsit_class;
  std::optional<std::string> rsit_type;
  std::optional<Severity> severity;
  std::string severity_rule;
  std::optional<bool> significant;
  Impact impact;
  std::optional<std::string> root_cause;
  std::optional<Millis> early_warning_at;
  std::optional<Millis> notification_at;
  std::optional<Millis> final_at;
  std::optional<Millis> resolved_at;
  std::optional<Millis> closed_at;
  std::optional<Millis> next_due_at;
  std::optional<std::string> next_due_stage;
  std::optional<Millis> feedback_due_at;
  std::optional<Millis> feedback_at;
  CaseState state = CaseState::kSubmitted;
  std::optional<std::string> assignee_id;
  std::optional<std::string> duplicate_of;
  std::string filed_by;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

}  // namespace rampart::incidents
