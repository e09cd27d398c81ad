#include "incidents/notices.h"

#include <nlohmann/json.hpp>

#include "incidents/rules.h"
#include "incidents/store.h"
#include "platform/notify.h"

namespace rampart::incidents {

namespace {

const RoleSet kReporterRoles = RoleSet::Of({Role::kReporter, Role::kCiso});
const RoleSet kAnalystRoles = RoleSet::Of({Role::kAnalyst});

std::string SectorName(db::Tx& tx, const Incident& i) {
  auto r = tx.QueryOne("SELECT name FROM sectors WHERE id = $1", {i.sector_id});
  return r ? r->Text(0) : "";
}

notify::Event EventFor(db::Tx& tx, const Incident& i, std::string_view type, std::string_view what,
                       const std::string& actor_id) {
  notify::Event e;
  e.type = std::string(type);
  e.actor_id = actor_id;
  e.subject = i.reference + ": " + std::string(what);
  e.text = std::string(what) + "\n\nCase " + i.reference + " (" + SectorName(tx, i) +
           " sector). Open it in Rampart to read it.";
  e.link = "/incidents/" + i.id;
  e.incident_id = i.id;
  e.payload = nlohmann::json{{"incident_id", i.id},
                             {"reference", i.reference},
                             {"sector_id", i.sector_id},
                             {"state", std::string(Name(i.state))},
                             {"event", std::string(what)}}
                  .dump();
  return e;
}

}  // namespace

void TellParties(db::Tx& tx, const Incident& i, const std::vector<CaseParty>& parties,
                 std::string_view type, std::string_view what, const std::string& actor_id,
                 bool tell_reporter, Millis now) {
  auto e = EventFor(tx, i, type, what, actor_id);  // the same words for every party
  for (const auto& p : parties) {
    if (p.relation == Relation::kReporter && !tell_reporter) continue;
    e.org_id = p.org_id;
    e.roles = p.relation == Relation::kReporter ? kReporterRoles : kAnalystRoles;
    notify::Enqueue(tx, e, now);
  }
}

void TellReporter(db::Tx& tx, const Incident& i, std::string_view type, std::string_view what,
                  const std::string& actor_id, Millis now) {
  auto e = EventFor(tx, i, type, what, actor_id);
  e.org_id = i.organisation_id;
  e.roles = kReporterRoles;
  notify::Enqueue(tx, e, now);
}

void TellCorrelation(db::Tx& tx, const Incident& a, const std::string& other_id,
                     std::string_view type, std::string_view value, Millis now) {
  auto mine = PartiesOf(tx, a.id);
  auto theirs = PartiesOf(tx, other_id);
  std::optional<notify::Event> e;
  for (const auto& p : mine) {
    if (!IsCert(p.relation)) continue;
    bool both = false;
    for (const auto& q : theirs) both |= q.org_id == p.org_id && IsCert(q.relation);
    if (!both) continue;
    if (!e) {
      e = EventFor(tx, a, "incident.correlation",
                   "shares " + std::string(type) + " " + std::string(value) +
                       " with another organisation's case",
                   "");
    }
    e->org_id = p.org_id;
    e->roles = kAnalystRoles;
    notify::Enqueue(tx, *e, now);
  }
}

int SendReminders(db::Database& db, Millis now) {
  return db.Write([&](db::Tx& tx) {
    int sent = 0;
    // Due soon, not yet announced for this due time.
    for (const auto& r :
         tx.Query("SELECT id FROM incidents WHERE next_due_at > $1 AND next_due_at <= $2 AND "
                  "(due_reminded_at IS NULL OR due_reminded_at <> next_due_at) LIMIT 500",
                  {now, now + kDueSoon})) {
      if (tx.Exec("UPDATE incidents SET due_reminded_at = next_due_at WHERE id = $1 AND "
                  "(due_reminded_at IS NULL OR due_reminded_at <> next_due_at)",
                  {r.Text(0)}) != 1) {
        continue;
      }
      auto i = FindIncident(tx, r.Text(0));
      if (!i || !i->next_due_stage) continue;
      TellReporter(
          tx, *i, "incident.stage_due",
          "the " + *i->next_due_stage + " report is due by " + FormatRfc3339(*i->next_due_at), "",
          now);
      ++sent;
    }
    // Overdue, not yet announced for this due time: the reporter and the regulators.
    for (const auto& r :
         tx.Query("SELECT id FROM incidents WHERE next_due_at <= $1 AND "
                  "(overdue_reminded_at IS NULL OR overdue_reminded_at <> next_due_at) LIMIT 500",
                  {now})) {
      if (tx.Exec("UPDATE incidents SET overdue_reminded_at = next_due_at WHERE id = $1 AND "
                  "(overdue_reminded_at IS NULL OR overdue_reminded_at <> next_due_at)",
                  {r.Text(0)}) != 1) {
        continue;
      }
      auto i = FindIncident(tx, r.Text(0));
      if (!i || !i->next_due_stage) continue;
      const std::string what = "the " + *i->next_due_stage + " report is overdue since " +
                               FormatRfc3339(*i->next_due_at);
      TellReporter(tx, *i, "incident.stage_overdue", what, "", now);
      std::vector<CaseParty> regulators;
      for (const auto& p : PartiesOf(tx, i->id)) {
        if (p.relation == Relation::kRegulator) regulators.push_back(p);
      }
      TellParties(tx, *i, regulators, "incident.stage_overdue", what, "", false, now);
      ++sent;
    }
    return sent;
  });
}

void MarkPastDeadlineAnnounced(db::Tx& tx, const std::string& incident_id, Millis now) {
  tx.Exec(
      "UPDATE incidents SET overdue_reminded_at = next_due_at "
      "WHERE id = $1 AND next_due_at <= $2",
      {incident_id, now});
}

}  // namespace rampart::incidents
