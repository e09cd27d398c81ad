// Incident reporting's decisions, free of I/O: reporting profiles, the legal clocks of each stage,
// and the severity an impact implies. Everything takes the time `now` as an argument.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "incidents/model.h"
#include "platform/policy.h"
#include "platform/problem.h"

namespace rampart::incidents {

// The national default, following NIS2 article 23(4): early warning within 24 hours of becoming
// aware, notification within 72 hours, final report one month after the notification.
ReportingProfile Nis2Default();
// For finance: tighter clocks in the spirit of DORA (initial report within 4 hours, the fuller
// notification within 72 hours, final report one month after it).
ReportingProfile FinanceDoraLike();
// Every profile a sector can report under; FindProfile returns null for an unknown id.
const std::vector<ReportingProfile>& Profiles();
const ReportingProfile* FindProfile(std::string_view id);

// The fields a stage report must carry under `profile` (API names, without the leading '/'):
// what every profile asks for at that stage, and what this one adds.
std::vector<std::string> RequiredFields(const ReportingProfile& profile, Stage stage);

// The fields a sector may add to what a stage requires (`ReportingProfile::also_required`): those
// the stage's report carries beyond what every profile requires of it. Empty for the early warning,
// which stays four fields everywhere.
std::vector<std::string> OptionalFields(Stage stage);

// Whether a sector's own profile stays within the national law: no deadline later than the national
// default's (nor under an hour), no impact threshold higher than the default's, each measure's
// thresholds rising from medium to critical, significance from no higher a severity, cross-border
// incidents rated no lower, and only known fields added to a stage. A sector may be stricter than
// the law, never laxer. Field names are those of the API ("/early_warning_within_hours",
// "/thresholds/users_affected/high", "/also_required/final/1").
std::vector<FieldError> CheckWithinLaw(const ReportingProfile& profile);

// The stage a case waits for next and when it is due: the earliest clock still waiting or
// overdue. Nothing when every asked-for stage is in, or the case is not significant.
struct NextDue {
  Stage stage = Stage::kEarlyWarning;
  Millis due_at = 0;
};
std::optional<NextDue> NextDueOf(const std::vector<StageClock>& clocks);

// "INC-2026-000123".
std::string FormatReference(int year, std::int64_t number);

// ---- routing ----

// What the directory says about the sector a report is filed under.
struct MouTerms {
  std::string regulator_id;
  std::string national_cert_id;
  std::string mode;  // "on_receipt", "after_review", "anonymised"
  int forward_within_hours = 24;
};
struct RoutingFacts {
  std::string reporter_id;
  std::vector<std::string> regulators;      // of the sector
  std::vector<std::string> sector_certs;    // of the sector
  std::vector<MouTerms> mous;               // in force for the sector
  std::vector<std::string> national_certs;  // every national CERT, for sectors without an MOU
};
struct Handover {
  std::string from_org_id;
  std::string to_org_id;
  std::string mode;  // filed, copy, on_receipt, after_review, anonymised, direct
  std::optional<Millis> due_at;
  bool delivered = false;
  bool anonymised = false;
};
struct Routing {
  std::vector<CaseParty> parties;
  std::vector<Handover> handovers;
};
// Where a new report goes. The regulators of the sector get it at once and its CERT a copy. The
// national CERT gets it as each regulator's MOU says: on receipt (in full, at once), after the
// regulator's review (a hand-over waiting in the regulator's inbox, due within the MOU's hours),
// or anonymised (at once, the organisation replaced by sector and size class). Where several
// regulators' MOUs differ, the national CERT holds the case the most open way any of them gives
// at once. A sector without a regulator or MOU reports to the national CERT directly.
Routing RouteReport(const RoutingFacts& facts, Millis now);

// ---- handling ----

// Who moves a case: the CERTs handle it; the reporting organisation may say it is resolved, or
// that it is not after all.
enum class Side : std::uint8_t { kReporter, kCert };
bool MayTransition(CaseState from, CaseState to, Side side);
// Whether a case in state `from` may be merged into a case in state `into`: the one ending is
// still open, the one going on is open or resolved (not itself ended).
bool MayMerge(CaseState from, CaseState into);
// The states a case may move to from `from` by `side`, for the user interface.
std::vector<CaseState> NextStates(CaseState from, Side side);
bool IsOpen(CaseState state);  // not resolved, closed, rejected, duplicate or merged

// ---- law-enforcement requests ----

// A request for incident data from the police or a court is released only when two different
// people of the CERT have approved it; one refusal refuses it.
inline constexpr int kDisclosureApprovals = 2;
enum class DisclosureState : std::uint8_t { kPending, kApproved, kRefused, kReleased };
std::string_view Name(DisclosureState state);
struct DisclosureDecision {
  std::string user_id;
  bool approve = false;
};
// The state the decisions so far give a request not yet released.
DisclosureState StateOfDisclosure(const std::vector<DisclosureDecision>& decisions);

// The clock of every stage the case is asked for, in stage order, as it stands at `now`. The
// final report is due one month after the notification; if the incident is still being handled
// then, a progress report is due at that time instead and the final report one month after the
// incident is resolved. Each intermediate request has a clock of its own.
std::vector<StageClock> Clocks(const ReportingProfile& profile, const CaseTimes& times, Millis now);

// The state of one stage: submitted on time or late, overdue, or waiting.
ClockState StateOf(std::optional<Millis> due_at, std::optional<Millis> submitted_at, Millis now);

struct SeverityDecision {
  Severity severity = Severity::kLow;
  std::string rule;  // which measure decided it, for people: "users_affected 150000 >= 100000"
};
// The highest severity any measure reaches under the profile's thresholds (low when none does).
SeverityDecision AssessSeverity(const ReportingProfile& profile, const Impact& impact);
// Whether reporting is mandatory at this severity (smaller incidents may be reported voluntarily).
bool IsSignificant(const ReportingProfile& profile, Severity severity);

// Times that cannot be: awareness in the future, a report before awareness, resolution before
// awareness. Field names are those of the API ("/aware_at", …).
std::vector<FieldError> CheckTimes(const CaseTimes& times, Millis now);

}  // namespace rampart::incidents
