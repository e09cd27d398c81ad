#include "isms/store.h"

#include <map>

namespace rampart::isms {

namespace {

constexpr const char* kSoaColumns =
    "id, organisation_id, framework_urn, framework_ref, framework_revision, created_by, "
    "created_at, updated_at, version, approved";

Soa SoaFromRow(const db::Row& r) {
  Soa s;
  s.id = r.Text(0);
  s.organisation_id = r.Text(1);
  s.framework_urn = r.Text(2);
  s.framework_ref = r.Text(3);
  s.framework_revision = static_cast<int>(r.Int(4));
  s.created_by = r.Text(5);
  s.created_at = r.Int(6);
  s.updated_at = r.Int(7);
  s.version = r.Int(8);
  s.approved = r.Int(9);
  return s;
}

constexpr const char* kEntryColumns =
    "e.soa_id, e.requirement_id, e.position, e.grp, e.title, e.applicable, e.just_legal, "
    "e.just_contractual, e.just_business, e.just_best_practice, e.just_risk, e.justification, "
    "e.status, e.maturity, e.owner_id, COALESCE(u.display_name, ''), e.note, e.updated_by, "
    "e.updated_at, e.version, e.approved_version, "
    "(SELECT count(*) FROM soa_evidence ev WHERE ev.soa_id = e.soa_id AND "
    "ev.requirement_id = e.requirement_id)";
constexpr const char* kEntryFrom = " FROM soa_entries e LEFT JOIN users u ON u.id = e.owner_id ";

Entry EntryFromRow(const db::Row& r) {
  Entry e;
  e.soa_id = r.Text(0);
  e.requirement_id = r.Text(1);
  e.position = r.Int(2);
  e.group = r.Text(3);
  e.title = r.Text(4);
  e.applicable = r.Bool(5);
  e.justification.legal = r.Bool(6);
  e.justification.contractual = r.Bool(7);
  e.justification.business = r.Bool(8);
  e.justification.best_practice = r.Bool(9);
  e.justification.risk_analysis = r.Bool(10);
  e.justification.text = r.Text(11);
  // An unknown word can only come from a newer binary; show the entry as not started.
  e.status = ParseStatus(r.Text(12)).value_or(Status::kNotStarted);
  if (auto m = r.OptInt(13)) e.maturity = static_cast<int>(*m);
  e.owner_id = r.OptText(14);
  e.owner_name = r.Text(15);
  e.note = r.Text(16);
  e.updated_by = r.Text(17);
  e.updated_at = r.Int(18);
  e.version = r.Int(19);
  e.approved_version = r.OptInt(20);
  e.evidence_count = r.Int(21);
  return e;
}

constexpr const char* kEvidenceColumns =
    "id, requirement_id, kind, url, file_sha256, name, media_type, size, description, added_by, "
    "added_by_name, added_at";

Evidence EvidenceFromRow(const db::Row& r) {
  Evidence ev;
  ev.id = r.Text(0);
  ev.kind = r.Text(2);
  ev.url = r.OptText(3);
  ev.sha256 = r.OptText(4);
  ev.name = r.Text(5);
  ev.media_type = r.Text(6);
  ev.size = r.Int(7);
  ev.description = r.Text(8);
  ev.added_by = r.Text(9);
  ev.added_by_name = r.Text(10);
  ev.added_at = r.Int(11);
  return ev;
}

}  // namespace

void CreateSoa(db::Tx& tx, const Soa& soa, const Framework& framework, Millis now) {
  tx.Exec(
      "INSERT INTO soas (id, organisation_id, framework_urn, framework_ref, framework_revision, "
      "created_by, created_at, updated_at, version, approved) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $7, 1, 0)",
      {soa.id, soa.organisation_id, framework.urn, framework.ref, framework.revision,
       soa.created_by, now});
  std::int64_t position = 0;
  for (const auto& q : framework.requirements) {
    ++position;
    if (!q.assessable) continue;
    tx.Exec(
        "INSERT INTO soa_entries (soa_id, requirement_id, position, grp, title, updated_by, "
        "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        {soa.id, q.id, position, q.group, q.title, soa.created_by, now});
  }
}

std::optional<Soa> FindSoa(db::Tx& tx, const std::string& org_id, const std::string& ref) {
  auto row = tx.QueryOne(std::string("SELECT ") + kSoaColumns +
                             " FROM soas WHERE organisation_id = $1 AND framework_ref = $2",
                         {org_id, ref});
  if (!row) return std::nullopt;
  return SoaFromRow(*row);
}

std::vector<Soa> ListSoas(db::Tx& tx, const std::string& org_id) {
  std::vector<Soa> out;
  for (const auto& r : tx.Query(std::string("SELECT ") + kSoaColumns +
                                    " FROM soas WHERE organisation_id = $1 ORDER BY framework_ref",
                                {org_id})) {
    out.push_back(SoaFromRow(r));
  }
  return out;
}

void TouchSoa(db::Tx& tx, const std::string& soa_id, Millis now) {
  tx.Exec("UPDATE soas SET version = version + 1, updated_at = $2 WHERE id = $1", {soa_id, now});
}

std::vector<Entry> ListEntries(db::Tx& tx, const Soa& soa, const EntryFilter& f,
                               std::int64_t after_position, int limit) {
  db::Params params = {soa.id, after_position};
  std::string sql = std::string("SELECT ") + kEntryColumns + kEntryFrom +
                    "WHERE e.soa_id = $1 AND e.position > $2";
  auto add = [&](const std::string& condition, db::Value v) {
    params.push_back(std::move(v));
    std::string p = "$" + std::to_string(params.size());
    std::string c = condition;
    for (auto at = c.find("$?"); at != std::string::npos; at = c.find("$?")) c.replace(at, 2, p);
    sql += " AND " + c;
  };
  if (f.group) add("e.grp = $?", *f.group);
  if (f.status) add("e.status = $?", std::string(Name(*f.status)));
  if (f.applicable) add("e.applicable = $?", *f.applicable ? 1 : 0);
  if (f.owner_id) add("e.owner_id = $?", *f.owner_id);
  if (f.maturity) add("e.maturity = $?", *f.maturity);
  if (f.text) {
    std::string pattern = "%";
    for (char c : *f.text) {
      // LIKE's own characters match themselves: escaped with '!'.
      if (c == '%' || c == '_' || c == '!') pattern.push_back('!');
      pattern.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
    pattern.push_back('%');
    add("lower(e.requirement_id || ' ' || e.title || ' ' || e.justification || ' ' || e.note) "
        "LIKE $? ESCAPE '!'",
        pattern);
  }
  if (f.changed_only && soa.approved > 0) {
    sql += " AND (e.approved_version IS NULL OR e.approved_version <> e.version)";
  } else if (f.changed_only) {
    sql += " AND 1 = 0";
  }
  sql += " ORDER BY e.position LIMIT " + std::to_string(limit);
  std::vector<Entry> out;
  for (const auto& r : tx.Query(sql, params)) out.push_back(EntryFromRow(r));
  return out;
}

std::optional<Entry> LoadEntry(db::Tx& tx, const std::string& soa_id,
                               const std::string& requirement_id) {
  auto row = tx.QueryOne(std::string("SELECT ") + kEntryColumns + kEntryFrom +
                             "WHERE e.soa_id = $1 AND e.requirement_id = $2",
                         {soa_id, requirement_id});
  if (!row) return std::nullopt;
  Entry e = EntryFromRow(*row);
  for (const auto& r : tx.Query(std::string("SELECT ") + kEvidenceColumns +
                                    " FROM soa_evidence WHERE soa_id = $1 AND requirement_id = $2 "
                                    "ORDER BY id",
                                {soa_id, requirement_id})) {
    e.evidence.push_back(EvidenceFromRow(r));
  }
  for (const auto& r : tx.Query("SELECT scenario_id FROM soa_entry_risks WHERE soa_id = $1 AND "
                                "requirement_id = $2 ORDER BY scenario_id",
                                {soa_id, requirement_id})) {
    e.risks.push_back(r.Text(0));
  }
  return e;
}

void ForEachEntry(db::Tx& tx, const std::string& soa_id, int batch,
                  const std::function<void(std::vector<Entry>&)>& each) {
  std::int64_t after = 0;
  for (;;) {
    std::vector<Entry> entries;
    for (const auto& r : tx.Query(std::string("SELECT ") + kEntryColumns + kEntryFrom +
                                      "WHERE e.soa_id = $1 AND e.position > $2 ORDER BY "
                                      "e.position LIMIT " +
                                      std::to_string(batch),
                                  {soa_id, after})) {
      entries.push_back(EntryFromRow(r));
    }
    if (entries.empty()) return;
    const std::int64_t first = entries.front().position;
    const std::int64_t last = entries.back().position;
    std::map<std::string, Entry*> by_id;
    for (auto& e : entries) by_id[e.requirement_id] = &e;
    const std::string in_batch =
        " IN (SELECT requirement_id FROM soa_entries WHERE soa_id = $1 AND position >= $2 AND "
        "position <= $3)";
    for (const auto& r : tx.Query(std::string("SELECT ") + kEvidenceColumns +
                                      " FROM soa_evidence WHERE soa_id = $1 AND requirement_id" +
                                      in_batch + " ORDER BY id",
                                  {soa_id, first, last})) {
      if (auto it = by_id.find(r.Text(1)); it != by_id.end()) {
        it->second->evidence.push_back(EvidenceFromRow(r));
      }
    }
    for (const auto& r :
         tx.Query("SELECT requirement_id, scenario_id FROM soa_entry_risks WHERE soa_id = $1 AND "
                  "requirement_id" +
                      in_batch + " ORDER BY scenario_id",
                  {soa_id, first, last})) {
      if (auto it = by_id.find(r.Text(0)); it != by_id.end()) {
        it->second->risks.push_back(r.Text(1));
      }
    }
    each(entries);
    if (static_cast<int>(entries.size()) < batch) return;
    after = last;
  }
}

bool UpdateEntry(db::Tx& tx, const Entry& e, std::optional<std::int64_t> expected_version,
                 Millis now) {
  const auto& j = e.justification;
  return tx.Exec(
             "UPDATE soa_entries SET applicable = $3, just_legal = $4, just_contractual = $5, "
             "just_business = $6, just_best_practice = $7, just_risk = $8, justification = $9, "
             "status = $10, maturity = $11, owner_id = $12, note = $13, updated_by = $14, "
             "updated_at = $15, version = version + 1 "
             "WHERE soa_id = $1 AND requirement_id = $2 AND ($16 = 0 OR version = $17)",
             {e.soa_id, e.requirement_id, e.applicable, j.legal, j.contractual, j.business,
              j.best_practice, j.risk_analysis, j.text, std::string(Name(e.status)),
              e.maturity ? db::Value(*e.maturity) : db::Value(), e.owner_id, e.note, e.updated_by,
              now, expected_version ? 1 : 0, expected_version.value_or(0)}) == 1;
}

void SetRisks(db::Tx& tx, const std::string& soa_id, const std::string& requirement_id,
              const std::vector<std::string>& scenario_ids) {
  tx.Exec("DELETE FROM soa_entry_risks WHERE soa_id = $1 AND requirement_id = $2",
          {soa_id, requirement_id});
  for (const auto& id : scenario_ids) {
    tx.Exec("INSERT INTO soa_entry_risks (soa_id, requirement_id, scenario_id) VALUES ($1, $2, $3)",
            {soa_id, requirement_id, id});
  }
}

std::vector<std::string> OwnScenarios(db::Tx& tx, const std::string& org_id,
                                      const std::vector<std::string>& ids) {
  std::vector<std::string> out;
  for (const auto& id : ids) {
    if (tx.QueryOne("SELECT 1 FROM risk_scenarios s JOIN risk_analyses a ON a.id = s.analysis_id "
                    "WHERE s.id = $1 AND a.organisation_id = $2 AND a.is_current = 1",
                    {id, org_id})) {
      out.push_back(id);
    }
  }
  return out;
}

void BumpEntry(db::Tx& tx, const std::string& soa_id, const std::string& requirement_id,
               const std::string& by, Millis now) {
  tx.Exec(
      "UPDATE soa_entries SET version = version + 1, updated_by = $3, updated_at = $4 "
      "WHERE soa_id = $1 AND requirement_id = $2",
      {soa_id, requirement_id, by, now});
}

void InsertEvidence(db::Tx& tx, const std::string& soa_id, const std::string& requirement_id,
                    const Evidence& ev) {
  tx.Exec(
      "INSERT INTO soa_evidence (id, soa_id, requirement_id, kind, url, file_sha256, name, "
      "media_type, size, description, added_by, added_by_name, added_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
      {ev.id, soa_id, requirement_id, ev.kind, ev.url, ev.sha256, ev.name, ev.media_type, ev.size,
       ev.description, ev.added_by, ev.added_by_name, ev.added_at});
}

std::optional<Evidence> FindEvidence(db::Tx& tx, const std::string& soa_id,
                                     const std::string& requirement_id, const std::string& id) {
  auto row = tx.QueryOne(std::string("SELECT ") + kEvidenceColumns +
                             " FROM soa_evidence WHERE id = $1 AND soa_id = $2 AND "
                             "requirement_id = $3",
                         {id, soa_id, requirement_id});
  if (!row) return std::nullopt;
  return EvidenceFromRow(*row);
}

void DeleteEvidence(db::Tx& tx, const std::string& id) {
  tx.Exec("DELETE FROM soa_evidence WHERE id = $1", {id});
}

Counts CountEntries(db::Tx& tx, const Soa& soa) {
  Counts c;
  for (const auto& r : tx.Query(
           "SELECT status, applicable, count(*), "
           "sum(CASE WHEN approved_version IS NULL OR approved_version <> version THEN 1 ELSE 0 "
           "END) FROM soa_entries WHERE soa_id = $1 GROUP BY status, applicable",
           {soa.id})) {
    const auto n = r.Int(2);
    if (auto s = ParseStatus(r.Text(0))) c.by_status[static_cast<std::size_t>(*s)] += n;
    c.total += n;
    if (r.Bool(1)) c.applicable += n;
    if (soa.approved > 0) c.changed_since_approval += r.Int(3);
  }
  return c;
}

void InsertVersion(db::Tx& tx, const SoaVersion& v) {
  tx.Exec(
      "INSERT INTO soa_versions (soa_id, number, document, sha256, entries, note, approved_by, "
      "approved_by_name, approved_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {v.soa_id, v.number, v.document, v.sha256, v.entries, v.note, v.approved_by,
       v.approved_by_name, v.approved_at});
}

void MarkApproved(db::Tx& tx, const std::string& soa_id, std::int64_t number) {
  tx.Exec("UPDATE soa_entries SET approved_version = version WHERE soa_id = $1", {soa_id});
  tx.Exec("UPDATE soas SET approved = $2 WHERE id = $1", {soa_id, number});
}

std::vector<SoaVersion> ListVersions(db::Tx& tx, const std::string& soa_id) {
  std::vector<SoaVersion> out;
  for (const auto& r :
       tx.Query("SELECT soa_id, number, sha256, entries, note, approved_by, approved_by_name, "
                "approved_at FROM soa_versions WHERE soa_id = $1 ORDER BY number DESC",
                {soa_id})) {
    SoaVersion v;
    v.soa_id = r.Text(0);
    v.number = r.Int(1);
    v.sha256 = r.Text(2);
    v.entries = r.Int(3);
    v.note = r.Text(4);
    v.approved_by = r.Text(5);
    v.approved_by_name = r.Text(6);
    v.approved_at = r.Int(7);
    out.push_back(std::move(v));
  }
  return out;
}

std::optional<SoaVersion> FindVersion(db::Tx& tx, const std::string& soa_id, std::int64_t number) {
  auto r = tx.QueryOne(
      "SELECT soa_id, number, sha256, entries, note, approved_by, approved_by_name, approved_at, "
      "document FROM soa_versions WHERE soa_id = $1 AND number = $2",
      {soa_id, number});
  if (!r) return std::nullopt;
  SoaVersion v;
  v.soa_id = r->Text(0);
  v.number = r->Int(1);
  v.sha256 = r->Text(2);
  v.entries = r->Int(3);
  v.note = r->Text(4);
  v.approved_by = r->Text(5);
  v.approved_by_name = r->Text(6);
  v.approved_at = r->Int(7);
  v.document = r->Text(8);
  return v;
}

bool IsMember(db::Tx& tx, const std::string& org_id, const std::string& user_id) {
  return tx
      .QueryOne("SELECT 1 FROM memberships WHERE organisation_id = $1 AND user_id = $2",
                {org_id, user_id})
      .has_value();
}

}  // namespace rampart::isms
