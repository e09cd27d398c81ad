#include "isms/cycle_store.h"

#include <nlohmann/json.hpp>

#include "platform/crypto.h"
#include "platform/principal.h"

namespace rampart::isms {

namespace {

using nlohmann::json;

constexpr int kMaxRows = 1000;

Scope ScopeFromRow(const db::Row& r) {
  Scope s;
  s.organisation_id = r.Text(0);
  s.version = r.Int(1);
  s.statement = r.Text(2);
  for (const auto& p : json::parse(r.Text(3), nullptr, false)) {
    if (!p.is_object()) continue;
    s.interested_parties.push_back(
        {p.value("name", std::string()), p.value("expectations", std::string())});
  }
  s.boundaries = r.Text(4);
  s.recorded_by = r.Text(5);
  s.recorded_by_name = r.Text(6);
  s.recorded_at = r.Int(7);
  return s;
}

constexpr const char* kScopeColumns =
    "organisation_id, version, statement, interested_parties, boundaries, recorded_by, "
    "recorded_by_name, recorded_at";

constexpr const char* kEvaluationColumns =
    "e.id, e.organisation_id, e.kind, e.title, e.planned_for, e.done_at, e.evaluator, e.summary, "
    "e.minutes, e.decisions, e.chair_id, COALESCE(u.display_name, ''), e.signed_by, "
    "e.signed_by_name, e.signed_at, e.created_by, e.created_at, e.updated_at, e.version, "
    "(SELECT count(*) FROM isms_findings f WHERE f.evaluation_id = e.id) "
    "FROM isms_evaluations e LEFT JOIN users u ON u.id = e.chair_id ";

Evaluation EvaluationFromRow(const db::Row& r) {
  Evaluation e;
  e.id = r.Text(0);
  e.organisation_id = r.Text(1);
  e.kind = r.Text(2);
  e.title = r.Text(3);
  e.planned_for = r.OptInt(4);
  e.done_at = r.OptInt(5);
  e.evaluator = r.Text(6);
  e.summary = r.Text(7);
  e.minutes = r.Text(8);
  e.decisions = r.Text(9);
  e.chair_id = r.OptText(10);
  e.chair_name = r.Text(11);
  e.signed_by = r.OptText(12);
  e.signed_by_name = r.OptText(13);
  e.signed_at = r.OptInt(14);
  e.created_by = r.Text(15);
  e.created_at = r.Int(16);
  e.updated_at = r.Int(17);
  e.version = r.Int(18);
  e.findings = r.Int(19);
  return e;
}

constexpr const char* kFindingColumns =
    "id, organisation_id, evaluation_id, title, description, severity, status, created_by, "
    "created_at, updated_at, version FROM isms_findings ";

Finding FindingFromRow(const db::Row& r) {
  Finding f;
  f.id = r.Text(0);
  f.organisation_id = r.Text(1);
  f.evaluation_id = r.OptText(2);
  f.title = r.Text(3);
  f.description = r.Text(4);
  f.severity = r.Text(5);
  f.status = r.Text(6);
  f.created_by = r.Text(7);
  f.created_at = r.Int(8);
  f.updated_at = r.Int(9);
  f.version = r.Int(10);
  return f;
}

constexpr const char* kActionColumns =
    "a.id, a.organisation_id, a.level, a.title, a.description, a.owner_id, "
    "COALESCE(u.display_name, ''), a.due_at, a.status, a.completed_at, a.created_by, "
    "a.created_at, a.updated_at, a.version FROM isms_actions a LEFT JOIN users u ON u.id = "
    "a.owner_id ";

ImprovementAction ActionFromRow(const db::Row& r) {
  ImprovementAction a;
  a.id = r.Text(0);
  a.organisation_id = r.Text(1);
  a.level = r.Text(2);
  a.title = r.Text(3);
  a.description = r.Text(4);
  a.owner_id = r.OptText(5);
  a.owner_name = r.Text(6);
  a.due_at = r.Int(7);
  a.status = r.Text(8);
  a.completed_at = r.OptInt(9);
  a.created_by = r.Text(10);
  a.created_at = r.Int(11);
  a.updated_at = r.Int(12);
  a.version = r.Int(13);
  return a;
}

}  // namespace

std::optional<Scope> CurrentScope(db::Tx& tx, const std::string& org_id) {
  auto r = tx.QueryOne(std::string("SELECT ") + kScopeColumns +
                           " FROM isms_scopes WHERE organisation_id = $1 ORDER BY version DESC "
                           "LIMIT 1",
                       {org_id});
  if (!r) return std::nullopt;
  return ScopeFromRow(*r);
}

std::vector<Scope> ScopeHistory(db::Tx& tx, const std::string& org_id) {
  std::vector<Scope> out;
  for (const auto& r :
       tx.Query(std::string("SELECT ") + kScopeColumns +
                    " FROM isms_scopes WHERE organisation_id = $1 ORDER BY version DESC LIMIT 200",
                {org_id})) {
    out.push_back(ScopeFromRow(r));
  }
  return out;
}

void InsertScope(db::Tx& tx, const Scope& s) {
  json parties = json::array();
  for (const auto& p : s.interested_parties) {
    parties.push_back({{"name", p.name}, {"expectations", p.expectations}});
  }
  tx.Exec(
      "INSERT INTO isms_scopes (organisation_id, version, statement, interested_parties, "
      "boundaries, recorded_by, recorded_by_name, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, "
      "$7, $8)",
      {s.organisation_id, s.version, s.statement, parties.dump(), s.boundaries, s.recorded_by,
       s.recorded_by_name, s.recorded_at});
}

void InsertEvaluation(db::Tx& tx, const Evaluation& e) {
  tx.Exec(
      "INSERT INTO isms_evaluations (id, organisation_id, kind, title, planned_for, done_at, "
      "evaluator, summary, minutes, decisions, chair_id, signed_by, signed_by_name, signed_at, "
      "created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, "
      "$10, $11, $12, $13, $14, $15, $16, $17, 1)",
      {e.id, e.organisation_id, e.kind, e.title, e.planned_for, e.done_at, e.evaluator, e.summary,
       e.minutes, e.decisions, e.chair_id, e.signed_by, e.signed_by_name, e.signed_at, e.created_by,
       e.created_at, e.updated_at});
}

bool UpdateEvaluation(db::Tx& tx, const Evaluation& e, std::int64_t expected_version) {
  return tx.Exec(
             "UPDATE isms_evaluations SET title = $1, planned_for = $2, done_at = $3, "
             "evaluator = $4, summary = $5, minutes = $6, decisions = $7, chair_id = $8, "
             "signed_by = $9, signed_by_name = $10, signed_at = $11, updated_at = $12, "
             "version = version + 1 WHERE id = $13 AND organisation_id = $14 AND version = $15",
             {e.title, e.planned_for, e.done_at, e.evaluator, e.summary, e.minutes, e.decisions,
              e.chair_id, e.signed_by, e.signed_by_name, e.signed_at, e.updated_at, e.id,
              e.organisation_id, expected_version}) == 1;
}

std::optional<Evaluation> FindEvaluation(db::Tx& tx, const std::string& org_id,
                                         const std::string& id) {
  auto r = tx.QueryOne(
      std::string("SELECT ") + kEvaluationColumns + "WHERE e.id = $1 AND e.organisation_id = $2",
      {id, org_id});
  if (!r) return std::nullopt;
  return EvaluationFromRow(*r);
}

std::vector<Evaluation> ListEvaluations(db::Tx& tx, const std::string& org_id) {
  std::vector<Evaluation> out;
  for (const auto& r :
       tx.Query(std::string("SELECT ") + kEvaluationColumns +
                    "WHERE e.organisation_id = $1 ORDER BY COALESCE(e.done_at, e.planned_for) "
                    "DESC, e.id DESC LIMIT " +
                    std::to_string(kMaxRows),
                {org_id})) {
    out.push_back(EvaluationFromRow(r));
  }
  return out;
}

void SetLinks(db::Tx& tx, const std::string& owner_kind, const std::string& owner_id,
              const std::vector<Link>& links) {
  tx.Exec("DELETE FROM isms_links WHERE owner_kind = $1 AND owner_id = $2", {owner_kind, owner_id});
  for (const auto& l : links) {
    tx.Exec(
        "INSERT INTO isms_links (owner_kind, owner_id, kind, framework_ref, target) VALUES ($1, "
        "$2, $3, $4, $5) ON CONFLICT DO NOTHING",
        {owner_kind, owner_id, l.kind, l.framework_ref, l.target});
  }
}

std::vector<Link> LoadLinks(db::Tx& tx, const std::string& owner_kind,
                            const std::string& owner_id) {
  std::vector<Link> out;
  for (const auto& r :
       tx.Query("SELECT kind, framework_ref, target FROM isms_links WHERE owner_kind = $1 AND "
                "owner_id = $2 ORDER BY kind, framework_ref, target",
                {owner_kind, owner_id})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), ""});
  }
  return out;
}

void InsertFinding(db::Tx& tx, const Finding& f) {
  tx.Exec(
      "INSERT INTO isms_findings (id, organisation_id, evaluation_id, title, description, "
      "severity, status, created_by, created_at, updated_at, version) VALUES ($1, $2, $3, $4, $5, "
      "$6, $7, $8, $9, $10, 1)",
      {f.id, f.organisation_id, f.evaluation_id, f.title, f.description, f.severity, f.status,
       f.created_by, f.created_at, f.updated_at});
}

bool UpdateFinding(db::Tx& tx, const Finding& f, std::int64_t expected_version) {
  return tx.Exec(
             "UPDATE isms_findings SET title = $1, description = $2, severity = $3, status = $4, "
             "updated_at = $5, version = version + 1 WHERE id = $6 AND organisation_id = $7 AND "
             "version = $8",
             {f.title, f.description, f.severity, f.status, f.updated_at, f.id, f.organisation_id,
              expected_version}) == 1;
}

std::optional<Finding> FindFinding(db::Tx& tx, const std::string& org_id, const std::string& id) {
  auto r = tx.QueryOne(
      std::string("SELECT ") + kFindingColumns + "WHERE id = $1 AND organisation_id = $2",
      {id, org_id});
  if (!r) return std::nullopt;
  Finding f = FindingFromRow(*r);
  f.links = LoadLinks(tx, "finding", f.id);
  return f;
}

std::vector<Finding> ListFindings(db::Tx& tx, const std::string& org_id,
                                  const FindingFilter& filter) {
  std::string sql = std::string("SELECT ") + kFindingColumns + "WHERE organisation_id = $1";
  db::Params params{org_id};
  auto add = [&](const char* column, const std::optional<std::string>& v) {
    if (!v) return;
    params.emplace_back(*v);
    sql += std::string(" AND ") + column + " = $" + std::to_string(params.size());
  };
  add("status", filter.status);
  add("severity", filter.severity);
  add("evaluation_id", filter.evaluation_id);
  sql += " ORDER BY created_at DESC, id DESC LIMIT " + std::to_string(kMaxRows);
  std::vector<Finding> out;
  for (const auto& r : tx.Query(sql, params)) {
    out.push_back(FindingFromRow(r));
    out.back().links = LoadLinks(tx, "finding", out.back().id);
  }
  return out;
}

void InsertAction(db::Tx& tx, const ImprovementAction& a) {
  tx.Exec(
      "INSERT INTO isms_actions (id, organisation_id, level, title, description, owner_id, "
      "due_at, status, completed_at, created_by, created_at, updated_at, version) VALUES ($1, $2, "
      "$3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 1)",
      {a.id, a.organisation_id, a.level, a.title, a.description, a.owner_id, a.due_at, a.status,
       a.completed_at, a.created_by, a.created_at, a.updated_at});
}

bool UpdateAction(db::Tx& tx, const ImprovementAction& a, std::int64_t expected_version) {
  return tx.Exec(
             "UPDATE isms_actions SET level = $1, title = $2, description = $3, owner_id = $4, "
             "due_at = $5, status = $6, completed_at = $7, updated_at = $8, version = version + "
             "1 WHERE id = $9 AND organisation_id = $10 AND version = $11",
             {a.level, a.title, a.description, a.owner_id, a.due_at, a.status, a.completed_at,
              a.updated_at, a.id, a.organisation_id, expected_version}) == 1;
}

std::optional<ImprovementAction> FindAction(db::Tx& tx, const std::string& org_id,
                                            const std::string& id) {
  auto r = tx.QueryOne(
      std::string("SELECT ") + kActionColumns + "WHERE a.id = $1 AND a.organisation_id = $2",
      {id, org_id});
  if (!r) return std::nullopt;
  ImprovementAction a = ActionFromRow(*r);
  a.links = LoadLinks(tx, "action", a.id);
  return a;
}

std::vector<ImprovementAction> ListActions(db::Tx& tx, const std::string& org_id,
                                           const ActionFilter& filter, Millis now) {
  std::string sql = std::string("SELECT ") + kActionColumns + "WHERE a.organisation_id = $1";
  db::Params params{org_id};
  if (filter.status) {
    params.emplace_back(*filter.status);
    sql += " AND a.status = $" + std::to_string(params.size());
  }
  if (filter.level) {
    params.emplace_back(*filter.level);
    sql += " AND a.level = $" + std::to_string(params.size());
  }
  if (filter.overdue_only) {
    params.emplace_back(now);
    sql +=
        " AND a.status IN ('open', 'in_progress') AND a.due_at < $" + std::to_string(params.size());
  }
  if (filter.finding_id) {
    params.emplace_back(*filter.finding_id);
    sql +=
        " AND EXISTS (SELECT 1 FROM isms_links l WHERE l.owner_kind = 'action' AND l.owner_id = "
        "a.id AND l.kind = 'finding' AND l.target = $" +
        std::to_string(params.size()) + ")";
  }
  sql += " ORDER BY a.due_at, a.id LIMIT " + std::to_string(kMaxRows);
  std::vector<ImprovementAction> out;
  for (const auto& r : tx.Query(sql, params)) {
    out.push_back(ActionFromRow(r));
    out.back().links = LoadLinks(tx, "action", out.back().id);
  }
  return out;
}

void AppendActionChange(db::Tx& tx, const std::string& action_id, Millis at,
                        const std::string& by_name, const std::string& change) {
  auto r = tx.QueryOne("SELECT COALESCE(MAX(seq), 0) FROM isms_action_history WHERE action_id = $1",
                       {action_id});
  const std::int64_t seq = (r ? r->Int(0) : 0) + 1;
  tx.Exec(
      "INSERT INTO isms_action_history (action_id, seq, at, by_name, change) VALUES ($1, $2, $3, "
      "$4, $5)",
      {action_id, seq, at, by_name, change});
}

std::vector<ActionChange> ActionHistory(db::Tx& tx, const std::string& action_id) {
  std::vector<ActionChange> out;
  for (const auto& r : tx.Query(
           "SELECT seq, at, by_name, change FROM isms_action_history WHERE action_id = $1 ORDER "
           "BY seq",
           {action_id})) {
    out.push_back({r.Int(0), r.Int(1), r.Text(2), r.Text(3)});
  }
  return out;
}

bool InsertResult(db::Tx& tx, const std::string& org_id, const AutomatedResult& x) {
  return tx.Exec(
             "INSERT INTO isms_automated_results (id, organisation_id, run_id, control_urn, "
             "framework_ref, requirement_id, outcome, value, tool, observed_at, posted_by, "
             "posted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT "
             "DO NOTHING",
             {x.id, org_id, x.run_id, x.control_urn, x.framework_ref, x.requirement_id, x.outcome,
              x.value, x.tool, x.observed_at, x.posted_by, x.posted_at}) == 1;
}

std::vector<AutomatedResult> ListResults(db::Tx& tx, const std::string& org_id, int limit) {
  std::vector<AutomatedResult> out;
  for (const auto& r : tx.Query(
           "SELECT id, run_id, control_urn, framework_ref, requirement_id, outcome, value, tool, "
           "observed_at, posted_by, posted_at FROM isms_automated_results WHERE organisation_id "
           "= $1 ORDER BY observed_at DESC, control_urn LIMIT $2",
           {org_id, static_cast<std::int64_t>(limit)})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                   r.Text(7), r.Int(8), r.Text(9), r.Int(10)});
  }
  return out;
}

Certification LoadCertification(db::Tx& tx, const std::string& org_id) {
  Certification c;
  c.organisation_id = org_id;
  auto r = tx.QueryOne(
      "SELECT status, certifier, scope, certificate_number, issued_at, expires_at, updated_by, "
      "updated_at, version FROM isms_certifications WHERE organisation_id = $1",
      {org_id});
  if (!r) return c;
  c.status = r->Text(0);
  c.certifier = r->Text(1);
  c.scope = r->Text(2);
  c.certificate_number = r->Text(3);
  c.issued_at = r->OptInt(4);
  c.expires_at = r->OptInt(5);
  c.updated_by = r->Text(6);
  c.updated_at = r->Int(7);
  c.version = r->Int(8);
  return c;
}

bool SaveCertification(db::Tx& tx, const Certification& c) {
  if (c.version == 0) {
    return tx.Exec(
               "INSERT INTO isms_certifications (organisation_id, status, certifier, scope, "
               "certificate_number, issued_at, expires_at, updated_by, updated_at, version) "
               "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1) ON CONFLICT DO NOTHING",
               {c.organisation_id, c.status, c.certifier, c.scope, c.certificate_number,
                c.issued_at, c.expires_at, c.updated_by, c.updated_at}) == 1;
  }
  return tx.Exec(
             "UPDATE isms_certifications SET status = $1, certifier = $2, scope = $3, "
             "certificate_number = $4, issued_at = $5, expires_at = $6, updated_by = $7, "
             "updated_at = $8, version = version + 1 WHERE organisation_id = $9 AND version = $10",
             {c.status, c.certifier, c.scope, c.certificate_number, c.issued_at, c.expires_at,
              c.updated_by, c.updated_at, c.organisation_id, c.version}) == 1;
}

bool IsManager(db::Tx& tx, const std::string& org_id, const std::string& user_id) {
  auto r = tx.QueryOne(
      "SELECT m.roles FROM memberships m JOIN users u ON u.id = m.user_id WHERE "
      "m.organisation_id = $1 AND m.user_id = $2 AND u.disabled = 0",
      {org_id, user_id});
  if (!r) return false;
  auto roles = RoleSet::Parse(r->Text(0));
  return roles && roles->Has(Role::kManagement);
}

}  // namespace rampart::isms
