// The SQL of the charter and policy documents, the status others read, the review reminders and
// the demo documents.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "isms/policy_docs.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/notify.h"
#include "platform/principal.h"

namespace rampart::isms {

namespace {

constexpr std::string_view kDocColumns =
    "id, organisation_id, kind, form, title, created_by, created_at, updated_at, version, newest, "
    "approved, next_review_at";

PolicyDoc DocFrom(const db::Row& r) {
  PolicyDoc d;
  d.id = r.Text(0);
  d.organisation_id = r.Text(1);
  d.kind = r.Text(2);
  d.form = r.Text(3);
  d.title = r.Text(4);
  d.created_by = r.Text(5);
  d.created_at = r.Int(6);
  d.updated_at = r.Int(7);
  d.version = r.Int(8);
  d.newest = r.Int(9);
  d.approved = r.Int(10);
  d.next_review_at = r.OptInt(11);
  return d;
}

constexpr std::string_view kVersionColumns =
    "document_id, number, note, saved_by, saved_by_name, saved_at, sha256, approved_by, "
    "approved_by_name, approved_at, approval_note, next_review_at";

PolicyVersion VersionFrom(const db::Row& r) {
  PolicyVersion v;
  v.document_id = r.Text(0);
  v.number = r.Int(1);
  v.note = r.Text(2);
  v.saved_by = r.Text(3);
  v.saved_by_name = r.Text(4);
  v.saved_at = r.Int(5);
  v.sha256 = r.OptText(6);
  v.approved_by = r.OptText(7);
  v.approved_by_name = r.OptText(8);
  v.approved_at = r.OptInt(9);
  v.approval_note = r.Text(10);
  v.next_review_at = r.OptInt(11);
  return v;
}

std::vector<std::string> SplitRoles(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

std::string JoinRoles(const std::vector<std::string>& roles) {
  std::string out;
  for (const auto& r : roles) out += (out.empty() ? "" : ",") + r;
  return out;
}

constexpr std::string_view kPublicationColumns =
    "p.id, p.document_id, p.number, p.roles, p.message, p.published_by, p.published_by_name, "
    "p.published_at, (SELECT COUNT(*) FROM policy_acknowledgements a WHERE a.publication_id = "
    "p.id), (SELECT COUNT(*) FROM policy_acknowledgements a WHERE a.publication_id = p.id AND "
    "a.acknowledged_at IS NOT NULL)";

Publication PublicationFrom(const db::Row& r) {
  Publication p;
  p.id = r.Text(0);
  p.document_id = r.Text(1);
  p.number = r.Int(2);
  p.roles = SplitRoles(r.Text(3));
  p.message = r.Text(4);
  p.published_by = r.Text(5);
  p.published_by_name = r.Text(6);
  p.published_at = r.Int(7);
  p.recipients = r.Int(8);
  p.acknowledged = r.Int(9);
  return p;
}

}  // namespace

// ---- facts for the templates ----

OrgFacts ReadOrgFacts(db::Tx& tx, const std::string& org_id) {
  OrgFacts f;
  if (auto r = tx.QueryOne(
          "SELECT name, criticality_tier, size_class FROM organisations WHERE id = $1", {org_id})) {
    f.name = r->Text(0);
    if (auto t = r->OptInt(1)) f.criticality_tier = static_cast<int>(*t);
    f.size_class = r->OptText(2);
  }
  for (const auto& r : tx.Query("SELECT s.name FROM organisation_sectors os JOIN sectors s ON "
                                "s.id = os.sector_id WHERE os.organisation_id = $1 ORDER BY s.name",
                                {org_id})) {
    f.sectors.push_back(r.Text(0));
  }
  for (const auto& r : tx.Query("SELECT u.display_name, m.roles FROM memberships m JOIN users u ON "
                                "u.id = m.user_id WHERE m.organisation_id = $1 AND u.disabled = 0 "
                                "ORDER BY u.display_name",
                                {org_id})) {
    auto roles = RoleSet::Parse(r.Text(1)).value_or(RoleSet());
    if (roles.Has(Role::kCiso)) f.cisos.push_back(r.Text(0));
    if (roles.Has(Role::kManagement)) f.management.push_back(r.Text(0));
  }
  // The current analysis, read only: the five most critical assets and the five highest risks.
  auto analysis = tx.QueryOne(
      "SELECT id FROM risk_analyses WHERE organisation_id = $1 AND is_current = 1", {org_id});
  if (analysis) {
    for (const auto& r :
         tx.Query("SELECT name, criticality FROM risk_assets WHERE analysis_id = $1 AND "
                  "criticality >= 0 ORDER BY criticality DESC, name LIMIT 5",
                  {analysis->Text(0)})) {
      f.assets.push_back(r.Text(0) + " (criticality " + std::to_string(r.Int(1)) + ")");
    }
    for (const auto& r : tx.Query(
             "SELECT a.name, t.name, s.current_level FROM risk_scenarios s JOIN risk_assets a ON "
             "a.id = s.asset_id JOIN risk_threats t ON t.id = s.threat_id WHERE s.analysis_id = $1 "
             "AND s.current_risk >= 0 ORDER BY s.current_risk DESC, a.name, t.name LIMIT 5",
             {analysis->Text(0)})) {
      std::string line = r.Text(1) + " affecting " + r.Text(0);
      if (!r.Text(2).empty()) line += " (" + r.Text(2) + ")";
      f.risks.push_back(std::move(line));
    }
  }
  return f;
}

std::optional<double> MeanMaturity(db::Tx& tx, const std::string& org_id) {
  auto r = tx.QueryOne(
      "SELECT COUNT(e.maturity), SUM(e.maturity) FROM soa_entries e JOIN soas s ON s.id = "
      "e.soa_id WHERE s.organisation_id = $1 AND e.maturity IS NOT NULL",
      {org_id});
  if (!r || r->Int(0) == 0) return std::nullopt;
  return static_cast<double>(r->Int(1)) / static_cast<double>(r->Int(0));
}

// ---- documents and versions ----

void InsertDocument(db::Tx& tx, const PolicyDoc& d) {
  tx.Exec(
      "INSERT INTO policy_documents (id, organisation_id, kind, form, title, created_by, "
      "created_at, updated_at, version, newest, approved, next_review_at) VALUES ($1, $2, $3, $4, "
      "$5, $6, $7, $8, $9, $10, $11, $12)",
      {d.id, d.organisation_id, d.kind, d.form, d.title, d.created_by, d.created_at, d.updated_at,
       d.version, d.newest, d.approved, d.next_review_at});
}

std::optional<PolicyDoc> FindDocument(db::Tx& tx, const std::string& org_id,
                                      const std::string& id) {
  auto r = tx.QueryOne("SELECT " + std::string(kDocColumns) +
                           " FROM policy_documents WHERE id = $1 AND organisation_id = $2",
                       {id, org_id});
  if (!r) return std::nullopt;
  return DocFrom(*r);
}

std::vector<PolicyDoc> ListDocuments(db::Tx& tx, const std::string& org_id) {
  std::vector<PolicyDoc> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kDocColumns) +
                                    " FROM policy_documents WHERE organisation_id = $1 "
                                    "ORDER BY kind, created_at",
                                {org_id})) {
    out.push_back(DocFrom(r));
  }
  return out;
}

bool UpdateDocument(db::Tx& tx, const PolicyDoc& d, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE policy_documents SET newest = $1, approved = $2, next_review_at = $3, "
             "updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
             {d.newest, d.approved, d.next_review_at, now, d.id, expected_version}) == 1;
}

void InsertPolicyVersion(db::Tx& tx, const PolicyVersion& v) {
  tx.Exec(
      "INSERT INTO policy_versions (document_id, number, content, note, saved_by, saved_by_name, "
      "saved_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {v.document_id, v.number, v.content, v.note, v.saved_by, v.saved_by_name, v.saved_at});
}

std::optional<PolicyVersion> FindPolicyVersion(db::Tx& tx, const std::string& doc_id,
                                               std::int64_t number) {
  auto r = tx.QueryOne("SELECT " + std::string(kVersionColumns) +
                           ", content FROM policy_versions WHERE document_id = $1 AND number = $2",
                       {doc_id, number});
  if (!r) return std::nullopt;
  auto v = VersionFrom(*r);
  v.content = r->Text(12);
  return v;
}

std::vector<PolicyVersion> ListPolicyVersions(db::Tx& tx, const std::string& doc_id) {
  std::vector<PolicyVersion> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kVersionColumns) +
                                    " FROM policy_versions WHERE document_id = $1 "
                                    "ORDER BY number DESC",
                                {doc_id})) {
    out.push_back(VersionFrom(r));
  }
  return out;
}

void RecordApproval(db::Tx& tx, const PolicyVersion& v) {
  tx.Exec(
      "UPDATE policy_versions SET sha256 = $1, approved_by = $2, approved_by_name = $3, "
      "approved_at = $4, approval_note = $5, next_review_at = $6 WHERE document_id = $7 AND "
      "number = $8 AND sha256 IS NULL",
      {v.sha256, v.approved_by, v.approved_by_name, v.approved_at, v.approval_note,
       v.next_review_at, v.document_id, v.number});
}

// ---- publication and acknowledgement ----

std::int64_t InsertPublication(db::Tx& tx, const PolicyDoc& doc, Publication& p, Millis now) {
  tx.Exec(
      "INSERT INTO policy_publications (id, document_id, number, roles, message, published_by, "
      "published_by_name, published_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {p.id, p.document_id, p.number, JoinRoles(p.roles), p.message, p.published_by,
       p.published_by_name, p.published_at});
  RoleSet wanted;
  for (const auto& name : p.roles) {
    if (auto r = ParseRole(name)) wanted.Add(*r);
  }
  notify::Event e;
  e.type = "policy.published";
  e.org_id = doc.organisation_id;
  e.subject = doc.title + " (version " + std::to_string(p.number) + ") to acknowledge";
  e.text = doc.title + ", version " + std::to_string(p.number) +
           ", was approved by management and is published to you. Read it and acknowledge it "
           "in Rampart." +
           (p.message.empty() ? "" : "\n\n" + p.message);
  e.link = "/acknowledgements/" + p.id;  // per publication: acknowledging it reads the notice
  std::int64_t reached = 0;
  for (const auto& r : tx.Query("SELECT m.user_id, m.roles FROM memberships m JOIN users u ON "
                                "u.id = m.user_id WHERE m.organisation_id = $1 AND u.disabled = 0 "
                                "ORDER BY m.user_id",
                                {doc.organisation_id})) {
    auto roles = RoleSet::Parse(r.Text(1)).value_or(RoleSet());
    if (!p.roles.empty() && !roles.HasAny(wanted)) continue;
    tx.Exec(
        "INSERT INTO policy_acknowledgements (publication_id, user_id, acknowledged_at) "
        "VALUES ($1, $2, NULL)",
        {p.id, r.Text(0)});
    notify::AddNotification(tx, r.Text(0), e, now);
    ++reached;
  }
  p.recipients = reached;
  return reached;
}

std::vector<Publication> ListPublications(db::Tx& tx, const std::string& doc_id) {
  std::vector<Publication> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kPublicationColumns) +
                                    " FROM policy_publications p WHERE p.document_id = $1 "
                                    "ORDER BY p.published_at DESC, p.id",
                                {doc_id})) {
    out.push_back(PublicationFrom(r));
  }
  return out;
}

std::optional<Publication> FindPublication(db::Tx& tx, const std::string& doc_id,
                                           const std::string& id) {
  auto r = tx.QueryOne("SELECT " + std::string(kPublicationColumns) +
                           " FROM policy_publications p WHERE p.document_id = $1 AND p.id = $2",
                       {doc_id, id});
  if (!r) return std::nullopt;
  return PublicationFrom(*r);
}

std::vector<Acknowledgement> ListAcknowledgements(db::Tx& tx, const std::string& publication_id) {
  std::vector<Acknowledgement> out;
  // Not yet acknowledged first: that is whom the CISO follows up.
  for (const auto& r : tx.Query(
           "SELECT a.user_id, u.display_name, COALESCE(m.roles, ''), a.acknowledged_at FROM "
           "policy_acknowledgements a JOIN users u ON u.id = a.user_id JOIN policy_publications p "
           "ON p.id = a.publication_id JOIN policy_documents d ON d.id = p.document_id LEFT JOIN "
           "memberships m ON m.user_id = a.user_id AND m.organisation_id = d.organisation_id "
           "WHERE a.publication_id = $1 ORDER BY CASE WHEN a.acknowledged_at IS NULL THEN 0 ELSE "
           "1 END, u.display_name, a.user_id",
           {publication_id})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.OptInt(3)});
  }
  return out;
}

namespace {

constexpr std::string_view kToAckSql =
    "SELECT p.id, p.document_id, p.number, p.roles, p.message, p.published_by, "
    "p.published_by_name, p.published_at, 0, 0, d.organisation_id, o.name, d.kind, d.title, "
    "a.acknowledged_at FROM policy_acknowledgements a JOIN policy_publications p ON p.id = "
    "a.publication_id JOIN policy_documents d ON d.id = p.document_id JOIN organisations o ON o.id "
    "= d.organisation_id ";

ToAcknowledge ToAckFrom(const db::Row& r) {
  ToAcknowledge t;
  t.publication = PublicationFrom(r);
  t.organisation_id = r.Text(10);
  t.organisation_name = r.Text(11);
  t.kind = r.Text(12);
  t.title = r.Text(13);
  t.acknowledged_at = r.OptInt(14);
  return t;
}

}  // namespace

std::vector<ToAcknowledge> ListToAcknowledge(db::Tx& tx, const std::string& user_id) {
  std::vector<ToAcknowledge> out;
  // A person who left the organisation is no longer asked: the membership must still exist.
  for (const auto& r :
       tx.Query(std::string(kToAckSql) +
                    "WHERE a.user_id = $1 AND EXISTS (SELECT 1 FROM memberships m WHERE "
                    "m.user_id = a.user_id AND m.organisation_id = d.organisation_id) "
                    "ORDER BY CASE WHEN a.acknowledged_at IS NULL THEN 0 ELSE 1 END, "
                    "p.published_at DESC, p.id LIMIT 200",
                {user_id})) {
    out.push_back(ToAckFrom(r));
  }
  return out;
}

std::optional<ToAcknowledge> FindToAcknowledge(db::Tx& tx, const std::string& user_id,
                                               const std::string& publication_id) {
  auto r = tx.QueryOne(std::string(kToAckSql) +
                           "WHERE a.user_id = $1 AND a.publication_id = $2 AND EXISTS (SELECT 1 "
                           "FROM memberships m WHERE m.user_id = a.user_id AND "
                           "m.organisation_id = d.organisation_id)",
                       {user_id, publication_id});
  if (!r) return std::nullopt;
  return ToAckFrom(*r);
}

bool Acknowledge(db::Tx& tx, const std::string& user_id, const std::string& publication_id,
                 Millis now) {
  if (tx.Exec("UPDATE policy_acknowledgements SET acknowledged_at = $1 WHERE publication_id = $2 "
              "AND user_id = $3 AND acknowledged_at IS NULL",
              {now, publication_id, user_id}) != 1) {
    return false;
  }
  // The notice that asked for it has done its work: it no longer counts as unread.
  tx.Exec(
      "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND event = 'policy.published' "
      "AND link = $3 AND read_at IS NULL",
      {now, user_id, "/acknowledgements/" + publication_id});
  return true;
}

// ---- status ----

PolicyStatus PolicyStatusOf(db::Tx& tx, const std::string& org_id, Millis now) {
  PolicyStatus s;
  for (const auto& r : tx.Query(
           "SELECT d.kind, v.approved_at, d.next_review_at, d.approved FROM policy_documents d "
           "LEFT JOIN policy_versions v ON v.document_id = d.id AND v.number = d.approved "
           "WHERE d.organisation_id = $1 ORDER BY d.kind DESC",
           {org_id})) {
    const std::string kind = r.Text(0);
    if (kind == kPolicy) s.has_policy = true;
    if (kind == kCharter) s.has_charter = true;
    const bool approved = r.Int(3) > 0;
    const auto review = r.OptInt(2);
    // "policy" sorts before "charter" (DESC): a policy in date is the one reported.
    if (approved && review && *review > now && !s.in_date) {
      s.in_date = true;
      s.kind = kind;
      s.approved_at = r.OptInt(1);
      s.next_review_at = review;
    }
  }
  return s;
}

// ---- reminders ----

namespace {

void TellCisos(db::Tx& tx, const std::string& org_id, const std::string& type,
               const std::string& subject, const std::string& text, const std::string& doc_id,
               Millis now) {
  notify::Event e;
  e.type = type;
  e.org_id = org_id;
  e.subject = subject;
  e.text = text;
  e.link = "/policy/" + org_id + "/" + doc_id;
  for (const auto& r : tx.Query("SELECT u.id, u.email, u.display_name, m.roles FROM memberships m "
                                "JOIN users u ON u.id = m.user_id WHERE m.organisation_id = $1 AND "
                                "u.disabled = 0 ORDER BY u.id",
                                {org_id})) {
    auto roles = RoleSet::Parse(r.Text(3)).value_or(RoleSet());
    if (!roles.Has(Role::kCiso)) continue;
    notify::AddNotification(tx, r.Text(0), e, now);
    if (!r.Text(1).empty()) notify::QueueEmail(tx, r.Text(1), r.Text(2), e, now);
  }
}

}  // namespace

int SendPolicyReminders(db::Database& db, Millis now) {
  return db.Write([&](db::Tx& tx) {
    int sent = 0;
    for (const auto& r :
         tx.Query("SELECT id, organisation_id, title, next_review_at FROM policy_documents WHERE "
                  "next_review_at > $1 AND next_review_at <= $2 AND (due_reminded_at IS NULL OR "
                  "due_reminded_at <> next_review_at) ORDER BY id LIMIT 500",
                  {now, now + kReviewDueSoon})) {
      if (tx.Exec("UPDATE policy_documents SET due_reminded_at = next_review_at WHERE id = $1 AND "
                  "(due_reminded_at IS NULL OR due_reminded_at <> next_review_at)",
                  {r.Text(0)}) != 1) {
        continue;
      }
      const std::string when = FormatRfc3339(r.Int(3)).substr(0, 10);
      TellCisos(tx, r.Text(1), "policy.review_due", r.Text(2) + ": review due by " + when,
                r.Text(2) + " is due for its review by " + when +
                    ". Review it, save a new draft if needed and ask management to approve it.",
                r.Text(0), now);
      ++sent;
    }
    for (const auto& r :
         tx.Query("SELECT id, organisation_id, title, next_review_at FROM policy_documents WHERE "
                  "next_review_at <= $1 AND (overdue_reminded_at IS NULL OR overdue_reminded_at "
                  "<> next_review_at) ORDER BY id LIMIT 500",
                  {now})) {
      if (tx.Exec("UPDATE policy_documents SET overdue_reminded_at = next_review_at WHERE id = $1 "
                  "AND (overdue_reminded_at IS NULL OR overdue_reminded_at <> next_review_at)",
                  {r.Text(0)}) != 1) {
        continue;
      }
      const std::string when = FormatRfc3339(r.Int(3)).substr(0, 10);
      TellCisos(tx, r.Text(1), "policy.review_overdue", r.Text(2) + ": review overdue",
                r.Text(2) + " was due for review on " + when +
                    " and is no longer in date. Review it and ask management to approve it.",
                r.Text(0), now);
      ++sent;
    }
    return sent;
  });
}

}  // namespace rampart::isms
