#include "incidents/store.h"

#include <map>
#include <nlohmann/json.hpp>

#include "platform/crypto.h"
#include "profile/rollup.h"

namespace rampart::incidents {

namespace {

constexpr std::string_view kIncidentColumns =
    "i.id, i.reference, i.organisation_id, i.sector_id, i.profile_id, i.title, i.summary, "
    "i.aware_at, i.occurred_at, i.suspected_malicious, i.may_affect_others, "
    "i.affects_others_note, i.affected_services, i.voluntary, i.rsit_class, i.rsit_type, "
    "i.severity, i.severity_rule, i.significant, i.users_affected, i.duration_hours, "
    "i.financial_loss_eur, i.sites_or_regions, i.cross_border, i.root_cause, i.early_warning_at, "
    "i.notification_at, i.final_at, i.resolved_at, i.closed_at, i.next_due_at, i.next_due_stage, "
    "i.feedback_due_at, i.feedback_at, i.state, i.assignee_id, i.duplicate_of, i.filed_by, "
    "i.version, i.created_at, i.updated_at";
constexpr std::size_t kIncidentColumnCount = 41;

std::vector<std::string> ParseList(const std::string& text) {
  std::vector<std::string> out;
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string ListText(const std::vector<std::string>& list) { return nlohmann::json(list).dump(); }

Incident IncidentFromRow(const db::Row& r) {
  Incident i;
  i.id = r.Text(0);
  i.reference = r.Text(1);
  i.organisation_id = r.Text(2);
  i.sector_id = r.Text(3);
  i.profile_id = r.Text(4);
  i.title = r.Text(5);
  i.summary = r.Text(6);
  i.aware_at = r.Int(7);
  i.occurred_at = r.OptInt(8);
  i.suspected_malicious = r.Text(9);
  i.may_affect_others = r.Bool(10);
  i.affects_others_note = r.Text(11);
  i.affected_services = ParseList(r.Text(12));
  i.voluntary = r.Bool(13);
  i.rsit_class = r.OptText(14);
  i.rsit_type = r.OptText(15);
  if (auto s = r.OptText(16)) i.severity = ParseSeverity(*s);
  i.severity_rule = r.Text(17);
  if (auto s = r.OptInt(18)) i.significant = *s != 0;
  i.impact.users_affected = r.OptInt(19);
  i.impact.duration_hours = r.OptInt(20);
  i.impact.financial_loss_eur = r.OptInt(21);
  i.impact.sites_or_regions = r.OptInt(22);
  i.impact.cross_border = r.Bool(23);
  i.root_cause = r.OptText(24);
  i.early_warning_at = r.OptInt(25);
  i.notification_at = r.OptInt(26);
  i.final_at = r.OptInt(27);
  i.resolved_at = r.OptInt(28);
  i.closed_at = r.OptInt(29);
  i.next_due_at = r.OptInt(30);
  i.next_due_stage = r.OptText(31);
  i.feedback_due_at = r.OptInt(32);
  i.feedback_at = r.OptInt(33);
  i.state = ParseCaseState(r.Text(34)).value_or(CaseState::kSubmitted);
  i.assignee_id = r.OptText(35);
  i.duplicate_of = r.OptText(36);
  i.filed_by = r.Text(37);
  i.version = r.Int(38);
  i.created_at = r.Int(39);
  i.updated_at = r.Int(40);
  return i;
}

db::Value OptSeverity(const std::optional<Severity>& s) {
  if (!s) return nullptr;
  return std::string(Name(*s));
}

db::Value OptBool(const std::optional<bool>& b) {
  if (!b) return nullptr;
  return *b;
}

// The columns a write changes, in the order of kWritable and its parameters.
db::Params WritableParams(const Incident& i) {
  return {i.title,
          i.summary,
          i.occurred_at,
          i.suspected_malicious,
          i.may_affect_others,
          i.affects_others_note,
          ListText(i.affected_services),
          i.voluntary,
          i.rsit_class,
          i.rsit_type,
          OptSeverity(i.severity),
          i.severity_rule,
          OptBool(i.significant),
          i.impact.users_affected,
          i.impact.duration_hours,
          i.impact.financial_loss_eur,
          i.impact.sites_or_regions,
          i.impact.cross_border,
          i.root_cause,
          i.early_warning_at,
          i.notification_at,
          i.final_at,
          i.resolved_at,
          i.closed_at,
          i.next_due_at,
          i.next_due_stage,
          i.feedback_due_at,
          i.feedback_at,
          std::string(Name(i.state)),
          i.assignee_id,
          i.duplicate_of};
}

constexpr std::string_view kWritable[] = {"title",
                                          "summary",
                                          "occurred_at",
                                          "suspected_malicious",
                                          "may_affect_others",
                                          "affects_others_note",
                                          "affected_services",
                                          "voluntary",
                                          "rsit_class",
                                          "rsit_type",
                                          "severity",
                                          "severity_rule",
                                          "significant",
                                          "users_affected",
                                          "duration_hours",
                                          "financial_loss_eur",
                                          "sites_or_regions",
                                          "cross_border",
                                          "root_cause",
                                          "early_warning_at",
                                          "notification_at",
                                          "final_at",
                                          "resolved_at",
                                          "closed_at",
                                          "next_due_at",
                                          "next_due_stage",
                                          "feedback_due_at",
                                          "feedback_at",
                                          "state",
                                          "assignee_id",
                                          "duplicate_of"};

std::string Placeholders(std::size_t first, std::size_t count) {
  std::string out;
  for (std::size_t k = 0; k < count; ++k) {
    if (k) out += ", ";
    out += "$" + std::to_string(first + k);
  }
  return out;
}

// The parties' rows a caller may read through: "(p.organisation_id = $1 AND p.relation IN ($2,
// $3)) OR …", one group per organisation, its values appended to `params`.
std::string ScopeCondition(const std::vector<CaseParty>& scopes, db::Params& params,
                           std::size_t* organisations = nullptr) {
  std::map<std::string, std::vector<Relation>> by_org;
  for (const auto& s : scopes) by_org[s.org_id].push_back(s.relation);
  auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::string sql;
  for (const auto& [org, relations] : by_org) {
    if (!sql.empty()) sql += " OR ";
    sql += "(p.organisation_id = " + param(org) + " AND p.relation IN (";
    for (std::size_t k = 0; k < relations.size(); ++k) {
      sql += (k ? ", " : "") + param(std::string(Name(relations[k])));
    }
    sql += "))";
  }
  if (organisations != nullptr) *organisations = by_org.size();
  return sql;
}

constexpr std::string_view kVisibilityNames[] = {"all", "authorities", "certs"};

}  // namespace

std::string_view Name(Visibility v) { return kVisibilityNames[static_cast<int>(v)]; }

std::optional<Visibility> ParseVisibility(std::string_view name) {
  for (int k = 0; k < 3; ++k) {
    if (kVisibilityNames[k] == name) return static_cast<Visibility>(k);
  }
  return std::nullopt;
}

bool Reads(Relation relation, Visibility visibility) {
  switch (visibility) {
    case Visibility::kAll:
      return true;
    case Visibility::kAuthorities:
      return relation != Relation::kReporter;
    case Visibility::kCerts:
      return IsCert(relation);
  }
  return false;
}

std::string NextReference(db::Tx& tx, int year) {
  auto r = tx.QueryOne(
      "INSERT INTO incident_counters (year, last) VALUES ($1, 1) "
      "ON CONFLICT (year) DO UPDATE SET last = incident_counters.last + 1 RETURNING last",
      {year});
  return FormatReference(year, r->Int(0));
}

void InsertIncident(db::Tx& tx, const Incident& i) {
  std::string sql =
      "INSERT INTO incidents (id, reference, organisation_id, sector_id, profile_id, filed_by, "
      "version, created_at, updated_at";
  for (auto c : kWritable) sql += ", " + std::string(c);
  sql += ", aware_at) VALUES (" + Placeholders(1, 9 + std::size(kWritable) + 1) + ")";
  db::Params params = {i.id,       i.reference, i.organisation_id, i.sector_id, i.profile_id,
                       i.filed_by, i.version,   i.created_at,      i.updated_at};
  for (auto& p : WritableParams(i)) params.push_back(std::move(p));
  params.emplace_back(i.aware_at);
  tx.Exec(sql, params);
  profile::Apply(tx, std::nullopt, i);
}

std::optional<Incident> FindIncident(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT " + std::string(kIncidentColumns) + " FROM incidents i WHERE i.id = $1", {id});
  if (!r) return std::nullopt;
  return IncidentFromRow(*r);
}

std::optional<std::string> FindIncidentIdByReference(db::Tx& tx, std::string_view reference) {
  auto r = tx.QueryOne("SELECT id FROM incidents WHERE reference = $1", {reference});
  if (!r) return std::nullopt;
  return r->Text(0);
}

bool UpdateIncident(db::Tx& tx, const Incident& i, std::int64_t expected_version, Millis now) {
  std::string sql = "UPDATE incidents SET ";
  std::size_t n = 1;
  for (auto c : kWritable) sql += std::string(c) + " = $" + std::to_string(n++) + ", ";
  sql += "aware_at = $" + std::to_string(n) + ", version = version + 1, updated_at = $" +
         std::to_string(n + 1) + " WHERE id = $" + std::to_string(n + 2) + " AND version = $" +
         std::to_string(n + 3);
  db::Params params = WritableParams(i);
  params.emplace_back(i.aware_at);
  params.emplace_back(now);
  params.emplace_back(i.id);
  params.emplace_back(expected_version);
  // The threat profile's roll-ups move with the incident, in this transaction.
  std::optional<Incident> before = profile::LoadForProfile(tx, i.id);
  if (tx.Exec(sql, params) != 1) return false;
  profile::Apply(tx, before, i);
  return true;
}

std::vector<CaseParty> PartiesOf(db::Tx& tx, std::string_view incident_id) {
  std::vector<CaseParty> out;
  for (const auto& r : tx.Query("SELECT organisation_id, relation FROM incident_parties "
                                "WHERE incident_id = $1 ORDER BY since, organisation_id",
                                {incident_id})) {
    if (auto rel = ParseRelation(r.Text(1))) out.push_back({r.Text(0), *rel});
  }
  return out;
}

void SetParty(db::Tx& tx, std::string_view incident_id, const CaseParty& party, Millis since) {
  tx.Exec(
      "INSERT INTO incident_parties (incident_id, organisation_id, relation, since) "
      "VALUES ($1, $2, $3, $4) ON CONFLICT (incident_id, organisation_id) "
      "DO UPDATE SET relation = excluded.relation",
      {incident_id, party.org_id, std::string(Name(party.relation)), since});
}

RoutingFacts RoutingFactsFor(db::Tx& tx, std::string_view reporter_id, std::string_view sector_id,
                             Millis now) {
  RoutingFacts f;
  f.reporter_id = std::string(reporter_id);
  for (const auto& r :
       tx.Query("SELECT o.id, o.kind FROM organisations o JOIN organisation_sectors os "
                "ON os.organisation_id = o.id WHERE os.sector_id = $1 "
                "AND o.kind IN ('regulator', 'sector_cert') AND o.id <> $2 ORDER BY o.id",
                {sector_id, reporter_id})) {
    (r.Text(1) == "regulator" ? f.regulators : f.sector_certs).push_back(r.Text(0));
  }
  for (const auto& r :
       tx.Query("SELECT regulator_id, national_cert_id, forwarding_mode, forward_within_hours "
                "FROM mous WHERE sector_id = $1 AND effective_from <= $2 "
                "AND (effective_to IS NULL OR effective_to > $2) ORDER BY regulator_id",
                {sector_id, now})) {
    f.mous.push_back({r.Text(0), r.Text(1), r.Text(2), static_cast<int>(r.Int(3))});
  }
  for (const auto& r :
       tx.Query("SELECT id FROM organisations WHERE kind = 'national_cert' ORDER BY id", {})) {
    f.national_certs.push_back(r.Text(0));
  }
  return f;
}

std::string ProfileOfSector(db::Tx& tx, std::string_view sector_id) {
  auto r = tx.QueryOne("SELECT reporting_profile FROM sectors WHERE id = $1", {sector_id});
  // A built-in profile or one of the sector's own versions (which CheckWithinLaw admitted).
  if (r && (FindProfile(r->Text(0)) != nullptr || r->Text(0).starts_with("sector-"))) {
    return r->Text(0);
  }
  return "nis2-default";
}

namespace {
constexpr std::string_view kHandoverColumns =
    "id, incident_id, from_org_id, to_org_id, mode, created_at, due_at, delivered_at, "
    "delivered_by, anonymised, note";

StoredHandover HandoverFromRow(const db::Row& r) {
  StoredHandover h;
  h.id = r.Text(0);
  h.incident_id = r.Text(1);
  h.handover.from_org_id = r.Text(2);
  h.handover.to_org_id = r.Text(3);
  h.handover.mode = r.Text(4);
  h.created_at = r.Int(5);
  h.handover.due_at = r.OptInt(6);
  h.delivered_at = r.OptInt(7);
  h.handover.delivered = h.delivered_at.has_value();
  h.delivered_by = r.OptText(8);
  h.handover.anonymised = r.Bool(9);
  h.note = r.Text(10);
  return h;
}
}  // namespace

void InsertHandover(db::Tx& tx, std::string_view incident_id, const Handover& h, Millis now) {
  std::optional<Millis> delivered;
  if (h.delivered) delivered = now;
  tx.Exec(
      "INSERT INTO incident_handovers (id, incident_id, from_org_id, to_org_id, mode, created_at, "
      "due_at, delivered_at, anonymised) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {crypto::NewUuid(), incident_id, h.from_org_id, h.to_org_id, h.mode, now, h.due_at, delivered,
       h.anonymised});
}

std::vector<StoredHandover> HandoversOf(db::Tx& tx, std::string_view incident_id) {
  std::vector<StoredHandover> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kHandoverColumns) +
                                    " FROM incident_handovers WHERE incident_id = $1 ORDER BY id",
                                {incident_id})) {
    out.push_back(HandoverFromRow(r));
  }
  return out;
}

std::optional<StoredHandover> FindHandover(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT " + std::string(kHandoverColumns) + " FROM incident_handovers WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return HandoverFromRow(*r);
}

bool DeliverHandover(db::Tx& tx, std::string_view id, std::string_view by, bool anonymised,
                     std::string_view note, Millis now) {
  return tx.Exec(
             "UPDATE incident_handovers SET delivered_at = $1, delivered_by = $2, "
             "anonymised = $3, note = $4 WHERE id = $5 AND delivered_at IS NULL",
             {now, by, anonymised, note, id}) == 1;
}

void InsertReport(db::Tx& tx, std::string_view incident_id, const StoredReport& r) {
  tx.Exec(
      "INSERT INTO incident_reports (id, incident_id, seq, stage, body, due_at, submitted_at, "
      "submitted_by, request_id) VALUES ($1, $2, (SELECT COALESCE(MAX(seq), 0) + 1 FROM "
      "incident_reports WHERE incident_id = $2), $3, $4, $5, $6, $7, $8)",
      {r.id, incident_id, std::string(Name(r.stage)), r.body, r.due_at, r.submitted_at,
       r.submitted_by, r.request_id});
}

std::vector<StoredReport> ReportsOf(db::Tx& tx, std::string_view incident_id) {
  std::vector<StoredReport> out;
  for (const auto& r : tx.Query(
           "SELECT r.id, r.seq, r.stage, r.body, r.due_at, r.submitted_at, r.submitted_by, "
           "COALESCE(u.display_name, ''), r.request_id FROM incident_reports r "
           "LEFT JOIN users u ON u.id = r.submitted_by WHERE r.incident_id = $1 ORDER BY r.seq",
           {incident_id})) {
    StoredReport s;
    s.id = r.Text(0);
    s.seq = static_cast<int>(r.Int(1));
    s.stage = ParseStage(r.Text(2)).value_or(Stage::kIntermediate);
    s.body = r.Text(3);
    s.due_at = r.OptInt(4);
    s.submitted_at = r.Int(5);
    s.submitted_by = r.Text(6);
    s.submitted_by_name = r.Text(7);
    s.request_id = r.OptText(8);
    out.push_back(std::move(s));
  }
  return out;
}

void InsertRequest(db::Tx& tx, const ReportRequest& q) {
  tx.Exec(
      "INSERT INTO incident_requests (id, incident_id, requested_by, requested_by_org_id, "
      "question, requested_at, due_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {q.id, q.incident_id, q.requested_by, q.requested_by_org_id, q.question, q.requested_at,
       q.due_at});
}

std::vector<ReportRequest> RequestsOf(db::Tx& tx, std::string_view incident_id) {
  std::vector<ReportRequest> out;
  for (const auto& r : tx.Query(
           "SELECT id, incident_id, requested_by, requested_by_org_id, question, requested_at, "
           "due_at, answered_at FROM incident_requests WHERE incident_id = $1 "
           "ORDER BY requested_at, id",
           {incident_id})) {
    out.push_back(
        {r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Int(5), r.Int(6), r.OptInt(7)});
  }
  return out;
}

bool AnswerRequest(db::Tx& tx, std::string_view request_id, std::string_view incident_id,
                   Millis at) {
  return tx.Exec(
             "UPDATE incident_requests SET answered_at = $1 WHERE id = $2 AND "
             "incident_id = $3 AND answered_at IS NULL",
             {at, request_id, incident_id}) == 1;
}

CaseTimes TimesOf(db::Tx& tx, const Incident& i) {
  CaseTimes t;
  t.aware_at = i.aware_at;
  t.early_warning_at = i.early_warning_at;
  t.notification_at = i.notification_at;
  t.final_at = i.final_at;
  t.resolved_at = i.resolved_at;
  for (const auto& r :
       tx.Query("SELECT submitted_at FROM incident_reports WHERE incident_id = $1 AND "
                "stage = 'progress' ORDER BY submitted_at",
                {i.id})) {
    t.progress_at.push_back(r.Int(0));
  }
  for (const auto& q : RequestsOf(tx, i.id)) {
    t.intermediate.push_back({q.requested_at, q.due_at, q.answered_at});
  }
  return t;
}

void InsertEvent(db::Tx& tx, const Event& e) {
  tx.Exec(
      "INSERT INTO incident_events (id, incident_id, at, actor_id, actor_name, actor_org_id, kind, "
      "visibility, text, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
      {e.id.empty() ? crypto::NewUuid() : e.id, e.incident_id, e.at, e.actor_id, e.actor_name,
       e.actor_org_id, e.kind, std::string(Name(e.visibility)), e.text, e.data});
}

std::vector<Event> EventsOf(db::Tx& tx, std::string_view incident_id,
                            const std::vector<Visibility>& visible) {
  std::vector<Event> out;
  if (visible.empty()) return out;
  std::string sql =
      "SELECT id, incident_id, at, actor_id, actor_name, actor_org_id, kind, visibility, text, "
      "data FROM incident_events WHERE incident_id = $1 AND visibility IN (" +
      Placeholders(2, visible.size()) + ") ORDER BY id";
  db::Params params = {incident_id};
  for (auto v : visible) params.emplace_back(std::string(Name(v)));
  for (const auto& r : tx.Query(sql, params)) {
    Event e;
    e.id = r.Text(0);
    e.incident_id = r.Text(1);
    e.at = r.Int(2);
    e.actor_id = r.Text(3);
    e.actor_name = r.Text(4);
    e.actor_org_id = r.OptText(5);
    e.kind = r.Text(6);
    e.visibility = ParseVisibility(r.Text(7)).value_or(Visibility::kCerts);
    e.text = r.Text(8);
    e.data = r.Text(9);
    out.push_back(std::move(e));
  }
  return out;
}

bool InsertObservable(db::Tx& tx, const Observable& o) {
  return tx.Exec(
             "INSERT INTO incident_observables (id, incident_id, type, value, tlp, pap, note, "
             "created_at, created_by) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
             "ON CONFLICT (incident_id, type, value) DO NOTHING",
             {o.id, o.incident_id, o.type, o.value, o.tlp, o.pap, o.note, o.created_at,
              o.created_by}) == 1;
}

std::vector<Observable> ObservablesOf(db::Tx& tx, std::string_view incident_id) {
  std::vector<Observable> out;
  for (const auto& r : tx.Query("SELECT id, incident_id, type, value, tlp, pap, note, created_at, "
                                "created_by FROM incident_observables WHERE incident_id = $1 "
                                "ORDER BY type, value",
                                {incident_id})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                   r.Int(7), r.Text(8)});
  }
  return out;
}

std::vector<std::string> CasesWithValue(db::Tx& tx, std::string_view type, std::string_view value,
                                        std::string_view except_organisation_id, int limit) {
  std::vector<std::string> out;
  for (const auto& r :
       tx.Query("SELECT o.incident_id FROM incident_observables o JOIN incidents i ON i.id = "
                "o.incident_id WHERE o.type = $1 AND o.value = $2 AND i.organisation_id <> $3 "
                "ORDER BY o.incident_id LIMIT $4",
                {type, value, except_organisation_id, limit})) {
    out.push_back(r.Text(0));
  }
  return out;
}

bool InsertCorrelation(db::Tx& tx, std::string_view a, std::string_view b, std::string_view type,
                       std::string_view value, Millis now) {
  constexpr std::string_view kSql =
      "INSERT INTO incident_correlations (incident_id, other_incident_id, type, value, found_at) "
      "VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING";
  const bool added = tx.Exec(kSql, {a, b, type, value, now}) == 1;
  tx.Exec(kSql, {b, a, type, value, now});
  return added;
}

std::vector<Correlation> CorrelationsOf(db::Tx& tx, std::string_view incident_id) {
  std::vector<Correlation> out;
  for (const auto& r :
       tx.Query("SELECT c.other_incident_id, i.reference, c.type, c.value, c.found_at FROM "
                "incident_correlations c JOIN incidents i ON i.id = c.other_incident_id "
                "WHERE c.incident_id = $1 ORDER BY c.found_at, c.other_incident_id",
                {incident_id})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Int(4)});
  }
  return out;
}

std::vector<ListedIncident> ListIncidents(db::Tx& tx, const std::vector<CaseParty>& scopes,
                                          const IncidentFilter& filter, Millis now,
                                          const std::optional<std::string>& after_id, int limit) {
  std::vector<ListedIncident> out;
  if (scopes.empty()) return out;
  db::Params params;
  auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  std::vector<CaseParty> kept;
  for (const auto& s : scopes) {
    // Filtering an anonymised case by organisation would name the organisation.
    if (!filter.organisation_id.empty() && s.relation == Relation::kNationalCertAnonymised) {
      continue;
    }
    kept.push_back(s);
  }
  if (kept.empty()) return out;
  std::size_t organisations = 0;
  const std::string scope_sql = ScopeCondition(kept, params, &organisations);

  std::string where;
  auto add = [&](const std::string& condition) { where += " AND " + condition; };
  if (filter.state == "open") {
    add("i.state IN ('submitted', 'acknowledged', 'triaged', 'in_progress')");
  } else if (!filter.state.empty()) {
    add("i.state = " + param(filter.state));
  }
  if (!filter.severity.empty()) add("i.severity = " + param(filter.severity));
  if (!filter.sector_id.empty()) add("i.sector_id = " + param(filter.sector_id));
  if (!filter.organisation_id.empty()) add("i.organisation_id = " + param(filter.organisation_id));
  if (!filter.rsit_class.empty()) add("i.rsit_class = " + param(filter.rsit_class));
  if (filter.overdue) add("i.next_due_at < " + param(now));
  if (filter.aware_from) add("i.aware_at >= " + param(*filter.aware_from));
  if (filter.aware_to) add("i.aware_at < " + param(*filter.aware_to));
  if (!filter.assignee_id.empty()) add("i.assignee_id = " + param(filter.assignee_id));
  if (!filter.query.empty()) {
    std::string like = "%";
    for (char c : filter.query) {
      if (c == '%' || c == '_' || c == '\\') like += '\\';
      like += c;
    }
    like += "%";
    add("(i.reference = " + param(filter.query) + " OR LOWER(i.title) LIKE LOWER(" + param(like) +
        ") ESCAPE '\\')");
  }
  if (after_id) add("i.id < " + param(*after_id));

  const std::string columns =
      std::string(kIncidentColumns) + ", o.name, o.short_name, o.kind, o.size_class, s.name";
  std::string sql;
  if (organisations == 1) {
    // One organisation (nearly every caller): walk its parties' index newest first.
    sql = "SELECT " + columns +
          " FROM incident_parties p JOIN incidents i ON i.id = p.incident_id "
          "JOIN organisations o ON o.id = i.organisation_id JOIN sectors s ON s.id = i.sector_id "
          "WHERE (" +
          scope_sql + ")" + where + " ORDER BY p.incident_id DESC LIMIT " + param(limit);
  } else {
    sql = "SELECT " + columns +
          " FROM incidents i JOIN organisations o ON o.id = i.organisation_id "
          "JOIN sectors s ON s.id = i.sector_id WHERE EXISTS (SELECT 1 FROM incident_parties p "
          "WHERE p.incident_id = i.id AND (" +
          scope_sql + "))" + where + " ORDER BY i.id DESC LIMIT " + param(limit);
  }
  for (const auto& r : tx.Query(sql, params)) {
    ListedIncident l;
    l.incident = IncidentFromRow(r);
    l.organisation_name = r.Text(kIncidentColumnCount);
    l.organisation_short_name = r.Text(kIncidentColumnCount + 1);
    l.organisation_kind = r.Text(kIncidentColumnCount + 2);
    l.organisation_size = r.OptText(kIncidentColumnCount + 3);
    l.sector_name = r.Text(kIncidentColumnCount + 4);
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<std::vector<CaseParty>> PartiesOfMany(db::Tx& tx,
                                                  const std::vector<ListedIncident>& rows) {
  std::vector<std::vector<CaseParty>> out(rows.size());
  if (rows.empty()) return out;
  std::map<std::string, std::size_t> index;
  db::Params params;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    index[rows[k].incident.id] = k;
    params.emplace_back(rows[k].incident.id);
  }
  for (const auto& r : tx.Query("SELECT incident_id, organisation_id, relation FROM "
                                "incident_parties WHERE incident_id IN (" +
                                    Placeholders(1, rows.size()) + ")",
                                params)) {
    auto rel = ParseRelation(r.Text(2));
    if (rel) out[index[r.Text(0)]].push_back({r.Text(1), *rel});
  }
  return out;
}

std::vector<ComplianceCase> ComplianceCases(db::Tx& tx, const std::vector<CaseParty>& scopes,
                                            Millis from, Millis to) {
  std::vector<ComplianceCase> out;
  if (scopes.empty()) return out;
  db::Params params = {from, to};
  const std::string scope_sql = ScopeCondition(scopes, params);
  // Each case once, with its most open relation: anonymised sorts after the others.
  std::map<std::string, std::size_t> seen;
  for (const auto& r : tx.Query(
           "SELECT i.id, i.organisation_id, o.name, i.sector_id, s.name, i.profile_id, i.aware_at, "
           "i.early_warning_at, i.notification_at, i.final_at, i.resolved_at, i.next_due_at, "
           "i.significant, i.voluntary, i.state, p.relation FROM incident_parties p "
           "JOIN incidents i ON i.id = p.incident_id JOIN organisations o ON o.id = "
           "i.organisation_id JOIN sectors s ON s.id = i.sector_id WHERE i.aware_at >= $1 AND "
           "i.aware_at < $2 AND (" +
               scope_sql + ") ORDER BY i.id, p.relation",
           params)) {
    const bool anonymised = r.Text(15) == "national_cert_anonymised";
    auto [it, fresh] = seen.emplace(r.Text(0), out.size());
    if (!fresh) {
      if (!anonymised) {
        out[it->second].organisation_id = r.Text(1);
        out[it->second].organisation_name = r.Text(2);
      }
      continue;
    }
    ComplianceCase c;
    if (!anonymised) {
      c.organisation_id = r.Text(1);
      c.organisation_name = r.Text(2);
    }
    c.sector_id = r.Text(3);
    c.sector_name = r.Text(4);
    c.profile_id = r.Text(5);
    c.aware_at = r.Int(6);
    c.early_warning_at = r.OptInt(7);
    c.notification_at = r.OptInt(8);
    c.final_at = r.OptInt(9);
    c.resolved_at = r.OptInt(10);
    c.next_due_at = r.OptInt(11);
    const auto state = r.Text(14);
    const bool ended = state == "rejected" || state == "duplicate" || state == "merged";
    c.mandatory = !ended && !r.Bool(13) && r.OptInt(12).value_or(1) != 0;
    out.push_back(std::move(c));
  }
  return out;
}

std::vector<PendingHandover> PendingFrom(db::Tx& tx, std::string_view org_id, int limit) {
  std::vector<PendingHandover> out;
  std::string cols;
  for (std::string_view c : {"id", "incident_id", "from_org_id", "to_org_id", "mode", "created_at",
                             "due_at", "delivered_at", "delivered_by", "anonymised", "note"}) {
    cols += (cols.empty() ? "h." : ", h.") + std::string(c);
  }
  for (const auto& r :
       tx.Query("SELECT " + cols +
                    ", i.reference, i.title, s.name, o.name, i.severity, i.state FROM "
                    "incident_handovers h JOIN incidents i ON i.id = h.incident_id "
                    "JOIN sectors s ON s.id = i.sector_id "
                    "JOIN organisations o ON o.id = i.organisation_id "
                    "WHERE h.from_org_id = $1 AND h.delivered_at IS NULL ORDER BY h.due_at, h.id "
                    "LIMIT $2",
                {org_id, limit})) {
    out.push_back({HandoverFromRow(r), r.Text(11), r.Text(12), r.Text(13), r.Text(14),
                   r.OptText(15), r.Text(16)});
  }
  return out;
}

std::vector<CaseLink> LinksOf(db::Tx& tx, std::string_view incident_id) {
  std::vector<CaseLink> out;
  for (const auto& r : tx.Query(
           "SELECT l.related_id, i.reference, i.title, i.state, l.kind, l.note, l.created_at "
           "FROM incident_links l JOIN incidents i ON i.id = l.related_id "
           "WHERE l.incident_id = $1 ORDER BY l.created_at, l.related_id",
           {incident_id})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Int(6)});
  }
  return out;
}

bool AddLink(db::Tx& tx, std::string_view a, std::string_view b, std::string_view kind,
             std::string_view back, std::string_view note, std::string_view user_id, Millis now) {
  if (tx.QueryOne("SELECT 1 FROM incident_links WHERE incident_id = $1 AND related_id = $2",
                  {a, b})) {
    return false;
  }
  const std::string_view sql =
      "INSERT INTO incident_links (incident_id, related_id, kind, note, created_by, created_at) "
      "VALUES ($1, $2, $3, $4, $5, $6)";
  tx.Exec(sql, {a, b, kind, note, user_id, now});
  tx.Exec(sql, {b, a, back, note, user_id, now});
  return true;
}

bool RemoveRelatedLink(db::Tx& tx, std::string_view a, std::string_view b) {
  return tx.Exec("DELETE FROM incident_links WHERE kind = 'related' AND "
                 "((incident_id = $1 AND related_id = $2) OR (incident_id = $2 AND related_id = $1))",
                 {a, b}) > 0;
}

}  // namespace rampart::incidents
