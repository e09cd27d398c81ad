// The audit log: every write appends who, when, what, and digests of the resource before and
// after, inside the same transaction as the write. Entries form a SHA-256 hash chain anchored in
// audit_head, so Verify() finds any edited, removed, inserted or reordered entry.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"

namespace rampart {
struct Principal;
}

namespace rampart::audit {

struct Entry {
  std::string actor_id;    // "" for the system (CLI, migrations, demo)
  std::string actor_name;  // username, or "system"
  std::string action;      // "organisation.update", "session.create", …
  std::string resource_type;
  std::string resource_id;
  // The resource's state as the API shows it (JSON text, written in a fixed key order, so equal
  // states have equal digests); nullopt when it did not exist before, or no longer exists after.
  std::optional<std::string> before;
  std::optional<std::string> after;
  std::string request_id;
};

// An entry by the given person (or by the system when `actor` is null).
Entry By(const Principal* actor, std::string action, std::string resource_type,
         std::string resource_id, std::string request_id = "");

// Appends inside the caller's write transaction. Serialised by the row lock on audit_head.
void Append(db::Tx& tx, const Entry& entry, Millis now);

// SHA-256 hex of the state's text; "" for nullopt.
std::string Digest(const std::optional<std::string>& state);

struct Record {
  std::int64_t seq = 0;
  Millis at = 0;
  std::string actor_id, actor_name, action, resource_type, resource_id;
  std::string before_digest, after_digest, request_id, prev_hash, hash;
};

std::vector<Record> List(db::Tx& tx, std::int64_t before_seq, int limit);

struct VerifyReport {
  bool ok = false;
  std::int64_t entries = 0;
  std::int64_t bad_seq = 0;  // the first entry at fault, when not ok
  std::string problem;       // what is wrong, for people
  std::string head_hash;     // the newest entry's hash: keep it outside the database to anchor
                             // the chain, since whoever can write the database can rewrite it
};

// Walks the whole chain in order. Reads in batches, so memory stays flat.
VerifyReport Verify(db::Database& db);

}  // namespace rampart::audit
