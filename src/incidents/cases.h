// The steps of a case that the API, the demo and the import share, so that a case filed any way
// is routed, numbered, timed and audited the same way. Each runs inside the caller's write
// transaction.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "incidents/model.h"
#include "incidents/profiles.h"
#include "incidents/store.h"
#include "platform/db.h"
#include "platform/principal.h"
#include "platform/problem.h"
#include "sharing/tlp.h"

namespace rampart::incidents {

// Who does it: a person (through the API or the CLI) or the system (the demo).
struct Actor {
  const Principal* principal = nullptr;  // null: the system
  std::string user_id;                   // the person, or the account the system files for
  std::string display_name;
  std::string request_id;
};

// A case's profile: ProfileOf in incidents/profiles.h.

// The clocks as they stand; a case found not significant (and not voluntary) has no stage left
// to wait for, and a voluntary report runs no clock at all.
std::vector<StageClock> ClocksOf(db::Tx& tx, const Incident& incident, Millis now);
// Keeps the case's next-due stage in step with its clocks.
void RefreshNextDue(db::Tx& tx, Incident& incident, Millis now);

// Severity from the impact under the profile, raised to `declared` when that is higher (or to
// the severity declared earlier, which stands until declared otherwise); significance follows.
// The rule says which decided.
void Assess(db::Tx& tx, Incident& incident, std::optional<Severity> declared);

struct NewObservable {
  std::string type;  // machine name, already normalised with `value`
  std::string value;
  sharing::Tlp tlp = sharing::Tlp::kAmber;
  std::string pap = "PAP:AMBER";
  std::string note;
};
// Checks one observable as given and brings it to its stored form in `out`. The errors name the
// fields "type", "value", "tlp" and "pap"; an absent type or value is left to the caller to
// report, and the value is checked only with a known type.
std::vector<FieldError> CheckObservable(std::optional<std::string_view> type,
                                        std::optional<std::string_view> value,
                                        std::optional<std::string_view> tlp,
                                        std::optional<std::string_view> pap, NewObservable& out);

// A value reported in more cases than this is too common to be a lead: no correlation on it.
inline constexpr int kCorrelationCap = 25;

// Adds what the case does not have yet and correlates each new value with other organisations'
// cases (never values that say nothing about an attacker, see IsCorrelatable), recording each
// match on both cases' timelines for the CERTs. Returns how many observables were new.
struct CorrelationMatch {
  std::string other_incident_id;
  std::string type;
  std::string value;
};
int SaveObservables(db::Tx& tx, const Incident& incident, const std::vector<NewObservable>& list,
                    const std::string& by, Millis now,
                    std::vector<CorrelationMatch>* matches = nullptr);

// Files a new case from its early warning. `draft` carries what the reporter said (title,
// awareness, …) and its organisation and sector; this gives it its id, reference, profile,
// clocks and state, routes it to the sector's regulators and CERTs (and the national CERT as the
// MOU says), and records the report, the observables, the timeline entry and the audit entry.
// `report_body` is the early warning as received (JSON). Returns the case as stored.
Incident FileCase(db::Tx& tx, Incident draft, const Actor& actor, const std::string& report_body,
                  const std::vector<NewObservable>& observables, Millis now);

// Adds an entry to the case's timeline. `org` is the organisation the actor acts for.
void Record(db::Tx& tx, const Actor& actor, const Incident& incident,
            std::optional<std::string> org, std::string kind, Visibility visibility,
            std::string text, Millis now, std::string data = "{}");

// The year of a time, for references.
int YearOf(Millis t);

}  // namespace rampart::incidents
