// Who hears of what happens to a case: the in-app notifications, e-mails and webhooks each step
// of the API queues (platform/notify.h), and the reminders of stages due soon or overdue. What
// leaves by e-mail names the case by its reference and sector only, never the organisation.
#pragma once

#include <string>
#include <vector>

#include "incidents/model.h"
#include "platform/db.h"
#include "platform/policy.h"

namespace rampart::incidents {

// Tells the parties of a case, except the reporting organisation unless `tell_reporter`, and
// except the organisations in `skip`, that `type` happened; `actor_id` is not told of their own
// doing. Runs inside the write transaction of the change.
void TellParties(db::Tx& tx, const Incident& incident, const std::vector<CaseParty>& parties,
                 std::string_view type, std::string_view what, const std::string& actor_id,
                 bool tell_reporter, Millis now);
// Tells only the reporting organisation's reporters.
void TellReporter(db::Tx& tx, const Incident& incident, std::string_view type,
                  std::string_view what, const std::string& actor_id, Millis now);
// Tells the CERTs holding both cases that they share a value.
void TellCorrelation(db::Tx& tx, const Incident& a, const std::string& other_id,
                     std::string_view type, std::string_view value, Millis now);

// Reminders: a stage due within `kDueSoon` is announced once to the reporting organisation; an
// overdue stage once more to it and to the sector's regulators. Each reminder is claimed with a
// conditional update, so several app servers send it once. Returns how many were sent.
inline constexpr Millis kDueSoon = 2 * kHour;
int SendReminders(db::Database& db, Millis now);
// Records a deadline of this case that had already passed at `now` as announced. For cases brought
// in as history (an import, the demo's past year): a stage that was late before Rampart knew of the
// case is not news to e-mail anyone about, and an import of years of records must not flood the
// outbox. The compliance figures and the case still show the stage as late.
void MarkPastDeadlineAnnounced(db::Tx& tx, const std::string& incident_id, Millis now);

}  // namespace rampart::incidents
