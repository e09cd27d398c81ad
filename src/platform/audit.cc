#include "platform/audit.h"

#include "platform/crypto.h"
#include "platform/principal.h"

namespace rampart::audit {

namespace {

std::string ChainHash(const Record& r) {
  // A JSON array is an unambiguous encoding of the fields, whatever characters they hold.
  nlohmann::json fields = {
      r.seq,           r.at,          r.actor_id,      r.actor_name,   r.action,
      r.resource_type, r.resource_id, r.before_digest, r.after_digest, r.request_id,
      r.prev_hash};
  return crypto::Sha256Hex(fields.dump());
}

constexpr std::string_view kColumns =
    "seq, at, actor_id, actor_name, action, resource_type, resource_id, before_digest, "
    "after_digest, request_id, prev_hash, hash";

Record FromRow(const db::Row& row) {
  Record r;
  r.seq = row.Int(0);
  r.at = row.Int(1);
  r.actor_id = row.Text(2);
  r.actor_name = row.Text(3);
  r.action = row.Text(4);
  r.resource_type = row.Text(5);
  r.resource_id = row.Text(6);
  r.before_digest = row.Text(7);
  r.after_digest = row.Text(8);
  r.request_id = row.Text(9);
  r.prev_hash = row.Text(10);
  r.hash = row.Text(11);
  return r;
}

}  // namespace

Entry By(const Principal* actor, std::string action, std::string resource_type,
         std::string resource_id, std::string request_id) {
  Entry e;
  e.actor_id = actor != nullptr ? actor->user_id : "";
  e.actor_name = actor != nullptr ? actor->username : "system";
  e.action = std::move(action);
  e.resource_type = std::move(resource_type);
  e.resource_id = std::move(resource_id);
  e.request_id = std::move(request_id);
  return e;
}

std::string Digest(const std::optional<std::string>& state) {
  return state ? crypto::Sha256Hex(*state) : std::string();
}

void Append(db::Tx& tx, const Entry& entry, Millis now) {
  // Taking the head row first serialises appenders (a row lock on PostgreSQL; SQLite has one
  // writer).
  auto head =
      tx.QueryOne("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash", {});
  if (!head) throw std::runtime_error("audit_head is missing: the database was not migrated");
  Record r;
  r.seq = head->Int(0);
  r.prev_hash = head->Text(1);
  r.at = now;
  r.actor_id = entry.actor_id;
  r.actor_name = entry.actor_name;
  r.action = entry.action;
  r.resource_type = entry.resource_type;
  r.resource_id = entry.resource_id;
  r.before_digest = Digest(entry.before);
  r.after_digest = Digest(entry.after);
  r.request_id = entry.request_id;
  r.hash = ChainHash(r);
  tx.Exec(
      "INSERT INTO audit_log (seq, at, actor_id, actor_name, action, resource_type, resource_id, "
      "before_digest, after_digest, request_id, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {r.seq, r.at, r.actor_id, r.actor_name, r.action, r.resource_type, r.resource_id,
       r.before_digest, r.after_digest, r.request_id, r.prev_hash, r.hash});
  tx.Exec("UPDATE audit_head SET hash = $1 WHERE id = 1", {r.hash});
}

std::vector<Record> List(db::Tx& tx, std::int64_t before_seq, int limit) {
  auto rows = tx.Query(std::string("SELECT ") + std::string(kColumns) +
                           " FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2",
                       {before_seq, limit});
  std::vector<Record> out;
  out.reserve(rows.size());
  for (const auto& row : rows) out.push_back(FromRow(row));
  return out;
}

VerifyReport Verify(db::Database& db) {
  VerifyReport report;
  // The head is read first: entries appended while we walk lie beyond it and are left alone.
  auto head = db.Read(
      [](db::Tx& tx) { return tx.QueryOne("SELECT seq, hash FROM audit_head WHERE id = 1", {}); });
  if (!head) {
    report.problem = "the chain's head record is missing";
    return report;
  }
  const std::int64_t head_seq = head->Int(0);
  std::string prev(64, '0');
  std::int64_t expected = 1;
  constexpr int kBatch = 5000;
  std::string sql = std::string("SELECT ") + std::string(kColumns) +
                    " FROM audit_log WHERE seq >= $1 AND seq <= $2 ORDER BY seq LIMIT $3";
  for (;;) {
    auto rows = db.Read([&](db::Tx& tx) { return tx.Query(sql, {expected, head_seq, kBatch}); });
    for (const auto& row : rows) {
      Record r = FromRow(row);
      if (r.seq != expected) {
        report.bad_seq = expected;
        report.problem = "entry " + std::to_string(expected) + " is missing";
        return report;
      }
      if (r.prev_hash != prev) {
        report.bad_seq = r.seq;
        report.problem = "entry " + std::to_string(r.seq) +
                         " does not follow the entry before it (removed or reordered entries)";
        return report;
      }
      if (ChainHash(r) != r.hash) {
        report.bad_seq = r.seq;
        report.problem = "entry " + std::to_string(r.seq) + " was changed after it was written";
        return report;
      }
      prev = r.hash;
      ++expected;
      ++report.entries;
    }
    if (rows.size() < static_cast<std::size_t>(kBatch)) break;
  }
  if (report.entries != head_seq || head->Text(1) != prev) {
    report.bad_seq = report.entries + 1;
    report.problem =
        "the chain ends at entry " + std::to_string(report.entries) + " but its head says " +
        std::to_string(head_seq) +
        (report.entries < head_seq ? " (entries removed from the end)" : " (the head was altered)");
    return report;
  }
  report.ok = true;
  report.head_hash = prev;
  return report;
}

}  // namespace rampart::audit
