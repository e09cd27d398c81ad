#include "platform/migrate.h"

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "platform/clock.h"
#include "platform/embedded.h"

namespace rampart {

namespace {

constexpr std::string_view kBootstrap =
    "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT "
    "NULL, applied_at BIGINT NOT NULL, older_binaries_from INTEGER NOT NULL)";

Migration Parse(const EmbeddedFile& file) {
  std::string_view path = file.path;
  auto slash = path.rfind('/');
  std::string_view base = path.substr(slash + 1);
  Migration m;
  auto [ptr, ec] = std::from_chars(base.data(), base.data() + base.size(), m.number);
  if (ec != std::errc() || ptr != base.data() + 4 || base.size() < 10 || base[4] != '_' ||
      m.number <= 0) {
    throw std::logic_error("migration file name must be NNNN_name.sql: " + std::string(path));
  }
  m.name = std::string(base.substr(5, base.size() - 5 - 4));
  m.sql = file.data;
  m.older_binaries_from = m.number;
  constexpr std::string_view kMarker = "-- older-binaries-from: ";
  if (auto pos = m.sql.find(kMarker); pos != std::string_view::npos) {
    auto rest = m.sql.substr(pos + kMarker.size());
    std::from_chars(rest.data(), rest.data() + rest.size(), m.older_binaries_from);
  }
  return m;
}

void Lock(db::Tx& tx) {
  // SQLite's BEGIN IMMEDIATE already holds the only write lock; PostgreSQL needs one of its own.
  if (tx.dialect() == db::Dialect::kPostgres) {
    tx.Query("SELECT pg_advisory_xact_lock(72657)", {});
  }
}

struct State {
  int version = 0;
  int older_binaries_from = 0;
};

State ReadState(db::Tx& tx) {
  auto row = tx.QueryOne(
      "SELECT COALESCE(MAX(version), 0), COALESCE(MAX(older_binaries_from), 0) FROM "
      "schema_migrations",
      {});
  return {static_cast<int>(row->Int(0)), static_cast<int>(row->Int(1))};
}

Result<void> Compatible(const State& s) {
  if (s.older_binaries_from > LatestSchemaVersion()) {
    return Error{"schema_too_new",
                 "the database has schema version " + std::to_string(s.version) +
                     ", which needs a Rampart that knows schema " +
                     std::to_string(s.older_binaries_from) + " or later; this one knows " +
                     std::to_string(LatestSchemaVersion()) + ". Upgrade Rampart."};
  }
  return {};
}

}  // namespace

const std::vector<Migration>& Migrations() {
  static const std::vector<Migration> kAll = [] {
    std::vector<Migration> out;
    for (const auto& f : EmbeddedFiles()) {
      if (f.path.find("/migrations/") != std::string_view::npos && f.path.ends_with(".sql")) {
        out.push_back(Parse(f));
      }
    }
    std::sort(out.begin(), out.end(),
              [](const Migration& a, const Migration& b) { return a.number < b.number; });
    for (std::size_t i = 0; i < out.size(); ++i) {
      if (out[i].number != static_cast<int>(i) + 1) {
        throw std::logic_error("migrations must be numbered 1, 2, 3… without gaps; found " +
                               std::to_string(out[i].number) + " at place " +
                               std::to_string(i + 1));
      }
    }
    return out;
  }();
  return kAll;
}

int LatestSchemaVersion() { return static_cast<int>(Migrations().size()); }

Result<int> CheckSchema(db::Database& db) {
  State s = db.Write([](db::Tx& tx) {
    Lock(tx);
    tx.ExecScript(kBootstrap);
    return ReadState(tx);
  });
  if (auto ok = Compatible(s); !ok) return ok.error();
  return s.version;
}

Result<MigrationReport> Migrate(db::Database& db) {
  MigrationReport report;
  bool first = true;
  for (const auto& m : Migrations()) {
    Result<void> outcome;
    db.Write([&](db::Tx& tx) {
      Lock(tx);
      tx.ExecScript(kBootstrap);
      State s = ReadState(tx);
      if (first) {
        report.from = s.version;
        first = false;
      }
      if (auto ok = Compatible(s); !ok) {
        outcome = ok;
        return;
      }
      if (s.version >= m.number) return;  // applied already, perhaps by another server just now
      tx.ExecScript(m.sql);
      tx.Exec(
          "INSERT INTO schema_migrations (version, name, applied_at, older_binaries_from) "
          "VALUES ($1, $2, $3, $4)",
          {m.number, m.name, NowMillis(), m.older_binaries_from});
    });
    if (!outcome) return outcome.error();
  }
  auto now = CheckSchema(db);
  if (!now) return now.error();
  report.to = *now;
  return report;
}

}  // namespace rampart
