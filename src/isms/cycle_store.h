// The cycle's SQL: scope versions, evaluations, findings, improvement actions with their history,
// the links of findings and actions, automated-control results, and certification. Callers run
// these inside their own transaction and have checked the input; every function is scoped to one
// organisation so that an id of another organisation's record finds nothing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "isms/cycle.h"
#include "platform/db.h"

namespace rampart::isms {

// The newest scope, or nullopt when none was recorded.
std::optional<Scope> CurrentScope(db::Tx& tx, const std::string& org_id);
std::vector<Scope> ScopeHistory(db::Tx& tx, const std::string& org_id);  // newest first
// Inserts `s` as version `s.version` (the caller gives current + 1).
void InsertScope(db::Tx& tx, const Scope& s);

void InsertEvaluation(db::Tx& tx, const Evaluation& e);
// Writes the editable fields and the sign-off of `e` if it is still at `expected_version`, and
// increments its version. False when it changed meanwhile.
bool UpdateEvaluation(db::Tx& tx, const Evaluation& e, std::int64_t expected_version);
std::optional<Evaluation> FindEvaluation(db::Tx& tx, const std::string& org_id,
                                         const std::string& id);
// Newest first (by the planned or done date), with the number of findings each raised.
std::vector<Evaluation> ListEvaluations(db::Tx& tx, const std::string& org_id);

// Replaces what a finding or an action is linked to.
void SetLinks(db::Tx& tx, const std::string& owner_kind, const std::string& owner_id,
              const std::vector<Link>& links);
std::vector<Link> LoadLinks(db::Tx& tx, const std::string& owner_kind, const std::string& owner_id);

void InsertFinding(db::Tx& tx, const Finding& f);
bool UpdateFinding(db::Tx& tx, const Finding& f, std::int64_t expected_version);
std::optional<Finding> FindFinding(db::Tx& tx, const std::string& org_id, const std::string& id);
struct FindingFilter {
  std::optional<std::string> status;
  std::optional<std::string> severity;
  std::optional<std::string> evaluation_id;
};
std::vector<Finding> ListFindings(db::Tx& tx, const std::string& org_id, const FindingFilter& f);

void InsertAction(db::Tx& tx, const ImprovementAction& a);
bool UpdateAction(db::Tx& tx, const ImprovementAction& a, std::int64_t expected_version);
std::optional<ImprovementAction> FindAction(db::Tx& tx, const std::string& org_id,
                                            const std::string& id);
struct ActionFilter {
  std::optional<std::string> status;
  std::optional<std::string> level;
  bool overdue_only = false;
  std::optional<std::string> finding_id;
};
// By due date, soonest first.
std::vector<ImprovementAction> ListActions(db::Tx& tx, const std::string& org_id,
                                           const ActionFilter& f, Millis now);
void AppendActionChange(db::Tx& tx, const std::string& action_id, Millis at,
                        const std::string& by_name, const std::string& change);
std::vector<ActionChange> ActionHistory(db::Tx& tx, const std::string& action_id);

// Stores one result unless the organisation's run already holds one for the control; true when
// stored.
bool InsertResult(db::Tx& tx, const std::string& org_id, const AutomatedResult& r);
// The newest results first, at most `limit`.
std::vector<AutomatedResult> ListResults(db::Tx& tx, const std::string& org_id, int limit);

// The organisation's certification; a default one (status none, version 0) when never recorded.
Certification LoadCertification(db::Tx& tx, const std::string& org_id);
// Inserts (version 0) or updates (at `c.version`) and increments the version. False when the row
// changed meanwhile.
bool SaveCertification(db::Tx& tx, const Certification& c);

// Whether `user_id` is a person of the organisation holding the management role.
bool IsManager(db::Tx& tx, const std::string& org_id, const std::string& user_id);

}  // namespace rampart::isms
