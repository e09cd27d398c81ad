// Numbered, forward-only schema migrations, embedded in the binary from src/*/migrations/.
//
// A migration file is NNNN_name.sql. It may say `-- older-binaries-from: K` when binaries that
// know schema K or later can still use the database after it (an additive change); otherwise only
// binaries that know the migration itself may. The database records the strictest such bound, so
// an older binary refuses a database that a newer one has changed incompatibly.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "platform/db.h"
#include "platform/result.h"

namespace rampart {

struct Migration {
  int number = 0;
  std::string name;
  std::string_view sql;
  int older_binaries_from = 0;
};

// Every embedded migration in order; throws std::logic_error on duplicate or malformed names.
const std::vector<Migration>& Migrations();
int LatestSchemaVersion();

struct MigrationReport {
  int from = 0;  // schema version found
  int to = 0;    // schema version now
};

// Applies what is missing, one transaction per migration, under a lock that makes concurrent
// servers wait for each other. Fails without changes when the database is too new for us.
Result<MigrationReport> Migrate(db::Database& db);

// The current version, and whether this binary may use the database; does not change anything.
Result<int> CheckSchema(db::Database& db);

}  // namespace rampart
