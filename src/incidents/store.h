// Incident reporting's SQL. Functions run inside the caller's transaction; updates take the version
// the caller read and return false, changing nothing, when the case has moved on since.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "incidents/compliance.h"
#include "incidents/model.h"
#include "incidents/rules.h"
#include "platform/db.h"
#include "platform/policy.h"

namespace rampart::incidents {

// ---- cases ----

// The next reference of `year` ("INC-2026-000124"); numbers are never given twice.
std::string NextReference(db::Tx& tx, int year);
void InsertIncident(db::Tx& tx, const Incident& incident);
std::optional<Incident> FindIncident(db::Tx& tx, std::string_view id);
std::optional<std::string> FindIncidentIdByReference(db::Tx& tx, std::string_view reference);
// Writes every changeable field of `incident` and bumps its version; false when the stored version
// is not `expected_version`.
bool UpdateIncident(db::Tx& tx, const Incident& incident, std::int64_t expected_version,
                    Millis now);

// ---- who holds a case ----

std::vector<CaseParty> PartiesOf(db::Tx& tx, std::string_view incident_id);
// Adds the party, or changes how it holds the case.
void SetParty(db::Tx& tx, std::string_view incident_id, const CaseParty& party, Millis since);

// What the directory says of the sector a report is filed under, at `now`.
RoutingFacts RoutingFactsFor(db::Tx& tx, std::string_view reporter_id, std::string_view sector_id,
                             Millis now);
// The reporting profile the sector reports under ("nis2-default" when it names none we know).
std::string ProfileOfSector(db::Tx& tx, std::string_view sector_id);

struct StoredHandover {
  std::string id;
  std::string incident_id;
  Handover handover;
  Millis created_at = 0;
  std::optional<Millis> delivered_at;
  std::optional<std::string> delivered_by;
  std::string note;
};
void InsertHandover(db::Tx& tx, std::string_view incident_id, const Handover& handover, Millis now);
std::vector<StoredHandover> HandoversOf(db::Tx& tx, std::string_view incident_id);
std::optional<StoredHandover> FindHandover(db::Tx& tx, std::string_view id);
// Marks the hand-over delivered; false when it already was.
bool DeliverHandover(db::Tx& tx, std::string_view id, std::string_view by, bool anonymised,
                     std::string_view note, Millis now);

// ---- stage reports and requests ----

struct StoredReport {
  std::string id;
  int seq = 0;
  Stage stage = Stage::kEarlyWarning;
  std::string body;  // JSON
  std::optional<Millis> due_at;
  Millis submitted_at = 0;
  std::string submitted_by;
  std::string submitted_by_name;
  std::optional<std::string> request_id;
};
void InsertReport(db::Tx& tx, std::string_view incident_id, const StoredReport& report);
std::vector<StoredReport> ReportsOf(db::Tx& tx, std::string_view incident_id);

struct ReportRequest {
  std::string id;
  std::string incident_id;
  std::string requested_by;
  std::string requested_by_org_id;
  std::string question;
  Millis requested_at = 0;
  Millis due_at = 0;
  std::optional<Millis> answered_at;
};
void InsertRequest(db::Tx& tx, const ReportRequest& request);
std::vector<ReportRequest> RequestsOf(db::Tx& tx, std::string_view incident_id);
bool AnswerRequest(db::Tx& tx, std::string_view request_id, std::string_view incident_id,
                   Millis at);

// The times the clocks of a case run from.
CaseTimes TimesOf(db::Tx& tx, const Incident& incident);

// ---- timeline ----

enum class Visibility : std::uint8_t { kAll, kAuthorities, kCerts };
std::string_view Name(Visibility v);
std::optional<Visibility> ParseVisibility(std::string_view name);
// Whether a party holding the case as `relation` reads entries of `visibility`.
bool Reads(Relation relation, Visibility visibility);

struct Event {
  std::string id;
  std::string incident_id;
  Millis at = 0;
  std::string actor_id;
  std::string actor_name;
  std::optional<std::string> actor_org_id;
  std::string kind;  // filed, report, handover, state, assigned, comment, request, observable
  Visibility visibility = Visibility::kAll;
  std::string text;
  std::string data = "{}";  // JSON object
};
void InsertEvent(db::Tx& tx, const Event& event);
// The entries a reader with these visibilities may see, oldest first.
std::vector<Event> EventsOf(db::Tx& tx, std::string_view incident_id,
                            const std::vector<Visibility>& visible);

// ---- observables ----

struct Observable {
  std::string id;
  std::string incident_id;
  std::string type;
  std::string value;
  std::string tlp;  // STIX marking-definition id
  std::string pap;  // "PAP:AMBER"
  std::string note;
  Millis created_at = 0;
  std::string created_by;
};
// False when the case already has this observable.
bool InsertObservable(db::Tx& tx, const Observable& observable);
std::vector<Observable> ObservablesOf(db::Tx& tx, std::string_view incident_id);

// Other organisations' cases that carry this value, up to `limit`.
std::vector<std::string> CasesWithValue(db::Tx& tx, std::string_view type, std::string_view value,
                                        std::string_view except_organisation_id, int limit);
// Records that two cases share a value, both ways; false when it was known.
bool InsertCorrelation(db::Tx& tx, std::string_view a, std::string_view b, std::string_view type,
                       std::string_view value, Millis now);
struct Correlation {
  std::string other_incident_id;
  std::string other_reference;
  std::string type;
  std::string value;
  Millis found_at = 0;
};
std::vector<Correlation> CorrelationsOf(db::Tx& tx, std::string_view incident_id);

// ---- lists ----

struct IncidentFilter {
  std::string state;            // "" for any; "open" for every open state
  std::string severity;         // "" for any
  std::string sector_id;        // "" for any
  std::string organisation_id;  // "" for any
  std::string rsit_class;       // "" for any
  bool overdue = false;         // a stage is past due now
  std::string assignee_id;      // "" for any
  std::string query;            // in the title, or a reference
  std::optional<Millis> aware_from;  // became aware at or after (the threat profile's drill-down)
  std::optional<Millis> aware_to;    // … and before
};
struct ListedIncident {
  Incident incident;
  std::string organisation_name;
  std::string organisation_short_name;
  std::string organisation_kind;
  std::optional<std::string> organisation_size;
  std::string sector_name;
};
// Cases held by any of `scopes`, newest first, after the case `after_id` (exclusive).
std::vector<ListedIncident> ListIncidents(db::Tx& tx, const std::vector<CaseParty>& scopes,
                                          const IncidentFilter& filter, Millis now,
                                          const std::optional<std::string>& after_id, int limit);
// The parties of each listed case, with one query.
std::vector<std::vector<CaseParty>> PartiesOfMany(db::Tx& tx,
                                                  const std::vector<ListedIncident>& rows);

// The cases held by any of `scopes` that became known in [from, to), each once; the
// organisation is left out of those the caller holds only anonymised.
std::vector<ComplianceCase> ComplianceCases(db::Tx& tx, const std::vector<CaseParty>& scopes,
                                            Millis from, Millis to);

// Hand-overs `org_id` has yet to deliver, the soonest due first.
struct PendingHandover {
  StoredHandover handover;
  std::string reference;
  std::string title;
  std::string sector_name;
  std::string organisation_name;  // the regulator's inbox: it always knows who reported
  std::optional<std::string> severity;
  std::string state;
};
std::vector<PendingHandover> PendingFrom(db::Tx& tx, std::string_view org_id, int limit);

// ---- links between cases ----

// A link as seen from one case. `kind` is the link's meaning from this side: related, repeats
// (this case is a duplicate of the other), repeated_by, merged_into, absorbed.
struct CaseLink {
  std::string related_id;
  std::string related_reference;
  std::string related_title;
  std::string related_state;
  std::string kind;
  std::string note;
  Millis created_at = 0;
};
std::vector<CaseLink> LinksOf(db::Tx& tx, std::string_view incident_id);
// Links `a` to `b` (`kind` from a's side, `back` from b's). Returns false when they were linked
// already (nothing changed).
bool AddLink(db::Tx& tx, std::string_view a, std::string_view b, std::string_view kind,
             std::string_view back, std::string_view note, std::string_view user_id, Millis now);
// Removes a 'related' link both ways; false when there was none. Links made by a merge or a
// duplicate stay: they are the record of why a case ended.
bool RemoveRelatedLink(db::Tx& tx, std::string_view a, std::string_view b);

}  // namespace rampart::incidents
