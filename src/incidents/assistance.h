// Requests for assistance: an organisation asks the CERT of one of its sectors, or the national
// CERT, for help (incident response, forensics, malware analysis, …), with or without one of its
// incident cases, and the CERT handles the request like a case: a reference, a state, an
// assignee, a conversation with notes the asking organisation never reads, a timeline.
//
// A request has two parties, fixed when it is made: the asking organisation (held as
// Relation::kReporter) and the CERT asked (kSectorCert or kNationalCert). The policy decides every
// action on a request from them alone (Action::kAssistanceRead, kAssistanceWrite,
// kAssistanceHandle), as it does for cases; a request one may not read answers 404.
//
// The file holds the domain's plain types and pure rules first (no I/O), then its SQL, which runs
// inside the caller's transaction. The HTTP handlers are in assistance_api.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "incidents/rules.h"
#include "platform/clock.h"
#include "platform/db.h"
#include "platform/policy.h"
#include "platform/router.h"

namespace rampart::incidents {

// ---- model ----

enum class AssistanceKind : std::uint8_t {
  kIncidentResponse,
  kForensics,
  kMalwareAnalysis,
  kVulnerabilityHandling,
  kAdvice,
  kOther,
};
inline constexpr AssistanceKind kAllAssistanceKinds[] = {
    AssistanceKind::kIncidentResponse, AssistanceKind::kForensics,
    AssistanceKind::kMalwareAnalysis,  AssistanceKind::kVulnerabilityHandling,
    AssistanceKind::kAdvice,           AssistanceKind::kOther};
std::string_view Name(AssistanceKind kind);  // "incident_response", …
std::optional<AssistanceKind> ParseAssistanceKind(std::string_view name);

enum class Urgency : std::uint8_t { kLow, kMedium, kHigh, kCritical };
inline constexpr Urgency kAllUrgencies[] = {Urgency::kLow, Urgency::kMedium, Urgency::kHigh,
                                            Urgency::kCritical};
std::string_view Name(Urgency urgency);
std::optional<Urgency> ParseUrgency(std::string_view name);

// Open → accepted → in progress ⇄ waiting for the requester → resolved → closed. The CERT may
// decline an open request (with a reason); the asking organisation may withdraw it while nobody
// has taken it up. Declined, withdrawn and closed requests are over.
enum class AssistanceState : std::uint8_t {
  kOpen,
  kAccepted,
  kInProgress,
  kWaitingForRequester,
  kResolved,
  kClosed,
  kDeclined,
  kWithdrawn,
};
inline constexpr AssistanceState kAllAssistanceStates[] = {
    AssistanceState::kOpen,       AssistanceState::kAccepted,
    AssistanceState::kInProgress, AssistanceState::kWaitingForRequester,
    AssistanceState::kResolved,   AssistanceState::kClosed,
    AssistanceState::kDeclined,   AssistanceState::kWithdrawn};
std::string_view Name(AssistanceState state);
std::optional<AssistanceState> ParseAssistanceState(std::string_view name);

struct AssistanceRequest {
  std::string id;
  std::string reference;  // AST-2026-000042
  std::string asking_org_id;
  std::string cert_org_id;
  Relation cert_relation = Relation::kSectorCert;  // kSectorCert or kNationalCert
  std::optional<std::string> incident_id;
  AssistanceKind kind = AssistanceKind::kOther;
  Urgency urgency = Urgency::kMedium;
  std::string title;
  std::string description;
  std::string contact;  // how to reach the requester out of band (a phone, a shift desk)
  AssistanceState state = AssistanceState::kOpen;
  std::string state_reason;
  std::optional<std::string> assignee_id;
  std::string requested_by;
  Millis respond_by = 0;
  std::optional<Millis> responded_at;
  std::optional<Millis> resolved_at;
  std::optional<Millis> closed_at;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// The request's two parties, for the policy.
std::vector<CaseParty> PartiesOf(const AssistanceRequest& request);

// ---- rules (pure) ----

// "AST-2026-000042".
std::string FormatAssistanceReference(int year, std::int64_t number);

// How soon the CERT should first answer a request of this urgency: critical 2 hours, high 8,
// medium 2 days, low 5 days. Targets of a service, not of the law.
Millis ResponseTarget(Urgency urgency);
// Whether the first answer is late now: nothing answered, still open, past respond_by.
bool ResponseOverdue(const AssistanceRequest& request, Millis now);

// Whether `side` may move a request from `from` to `to`. The CERT accepts, declines, works,
// waits for the requester, resolves, reopens a resolved request and closes it; the asking
// organisation withdraws an open request, and confirms (closes) or reopens a resolved one.
bool MayMoveAssistance(AssistanceState from, AssistanceState to, Side side);
std::vector<AssistanceState> NextAssistanceStates(AssistanceState from, Side side);
// Not resolved, closed, declined or withdrawn.
bool IsOpen(AssistanceState state);
// Whether a move to `to` must say why (declining does: the requester is owed a reason).
bool NeedsReason(AssistanceState to);
// The state a message of `side` leaves the request in: the requester's answer to a request
// waiting for it puts it back in progress; anything else leaves it as it is.
AssistanceState AfterMessage(AssistanceState state, Side side);
// The request after the move, with its times: resolved_at, closed_at, the first response. A
// resolved request reopened loses its resolved_at.
void ApplyMove(AssistanceRequest& request, AssistanceState to, Side side, Millis now);

// ---- store ----

// The next reference of `year`; numbers are never given twice (reference_counters, series AST).
std::string NextAssistanceReference(db::Tx& tx, int year);
void InsertAssistance(db::Tx& tx, const AssistanceRequest& request);
std::optional<AssistanceRequest> FindAssistance(db::Tx& tx, std::string_view id);
// Writes the changeable fields and bumps the version; false, changing nothing, when the stored
// version is not `expected_version`.
bool UpdateAssistance(db::Tx& tx, const AssistanceRequest& request, std::int64_t expected_version,
                      Millis now);
// The request's state for the audit log (JSON text in a fixed key order).
std::string AuditState(const AssistanceRequest& request);

struct AssistanceEvent {
  std::string id;
  std::string request_id;
  Millis at = 0;
  std::string actor_id;  // "" for the system
  std::string actor_name;
  std::optional<std::string> actor_org_id;
  std::string side = "system";  // requester, cert, system
  std::string kind;             // filed, message, note, state, assigned
  bool internal = false;        // the CERT's alone: never shown to the asking organisation
  std::string text;
  std::string data = "{}";  // JSON object
};
void InsertAssistanceEvent(db::Tx& tx, const AssistanceEvent& event);
// Oldest first; the internal ones only with `with_internal`.
std::vector<AssistanceEvent> AssistanceEventsOf(db::Tx& tx, std::string_view request_id,
                                                bool with_internal);

struct AssistanceFilter {
  std::string state;        // "" any; "open" every open state; or one state
  std::string urgency;      // "" any
  std::string kind;         // "" any
  std::string side;         // "" either; "asking": requests one's organisations made; "asked"
  std::string assignee_id;  // "" any
  std::string query;        // in the title, or a reference
};
struct ListedAssistance {
  AssistanceRequest request;
  std::string asking_org_name;
  std::string cert_org_name;
  std::optional<std::string> assignee_name;
  std::optional<std::string> incident_reference;
};
// Requests held by any of `scopes` (as ReadableScopes gives them), newest first, after the request
// `after_id` (exclusive).
std::vector<ListedAssistance> ListAssistance(db::Tx& tx, const std::vector<CaseParty>& scopes,
                                             const AssistanceFilter& filter,
                                             const std::optional<std::string>& after_id, int limit);

// The CERTs `org_id` may ask: the sector CERTs of its sectors, then the national CERT(s).
struct AskableCert {
  std::string id;
  std::string name;
  std::string short_name;
  Relation relation = Relation::kSectorCert;
};
std::vector<AskableCert> CertsToAsk(db::Tx& tx, std::string_view org_id);

// ---- demo and routes ----

// A dozen requests of the demo country's organisations to their CERTs, in every state, with their
// conversations; linked to one of the asker's cases where the CERT holds one (so call it after
// SeedDemoIncidents). The same every time for the same `now` and directory. Needs the demo
// directory. Returns how many requests were made.
int SeedDemoAssistance(db::Database& db, Millis now);

// POST /api/v1/organisations/{id}/assistance, GET …/assistance/certs, GET /api/v1/assistance,
// GET /api/v1/assistance/{id} and its messages, transitions and assignment.
void AddAssistanceRoutes(Router& router);

}  // namespace rampart::incidents
