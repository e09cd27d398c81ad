#include "cli/commands.h"

#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "directory/demo.h"
#include "directory/store.h"
#include "incidents/assistance.h"
#include "incidents/demo.h"
#include "isms/demo.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/identity.h"
#include "platform/migrate.h"
#include "risk/demo.h"
#include "sharing/demo.h"

namespace rampart::cli {

namespace {

int Fail(const std::string& message, int code = 1) {
  std::fprintf(stderr, "rampart: %s\n", message.c_str());
  return code;
}

// Opens the database and brings its schema up to date; nullptr (after a message) on failure.
std::unique_ptr<db::Database> OpenMigrated(const Config& config) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  auto migrated = rampart::Migrate(*db);
  if (!migrated) {
    Fail(migrated.error().message);
    return nullptr;
  }
  return db;
}

// A password from RAMPART_PASSWORD, or the first line of standard input (prompting on a terminal).
std::optional<std::string> ReadPassword(const std::string& username) {
  if (const char* env = std::getenv("RAMPART_PASSWORD")) return std::string(env);
  if (isatty(STDIN_FILENO)) std::fprintf(stderr, "Password for %s: ", username.c_str());
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

std::optional<std::string> CheckedPassword(const std::string& username) {
  auto password = ReadPassword(username);
  if (!password) {
    Fail("no password given: set RAMPART_PASSWORD or write it on standard input", 2);
    return std::nullopt;
  }
  if (auto ok = auth::CheckPasswordPolicy(*password, username); !ok) {
    Fail("the password " + ok.error().message, 2);
    return std::nullopt;
  }
  return password;
}

}  // namespace

Config LoadConfigOrExit(const Common& common) {
  auto config = LoadConfig(common.config_path);
  if (!config) {
    Fail(config.error().message, 2);
    std::exit(2);
  }
  Config c = config.value();
  if (!common.db.empty()) c.db = common.db;
  return c;
}

int Migrate(const Config& config) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  auto report = rampart::Migrate(*db);
  if (!report) return Fail(report.error().message);
  std::printf("schema version %d (was %d)\n", report->to, report->from);
  return 0;
}

int Init(const Config& config, const InitArgs& args) {
  if (!identity::ValidUsername(args.admin)) {
    return Fail("--admin must use a-z, 0-9, '.', '_' or '-', 3 to 64 characters", 2);
  }
  auto password = CheckedPassword(args.admin);
  if (!password) return 2;
  auto db = OpenMigrated(config);
  if (!db) return 1;
  std::string hash = auth::HashPassword(*password);
  return db->Write([&](db::Tx& tx) {
    if (tx.QueryOne("SELECT 1 FROM organisations WHERE kind = 'national_cert'", {})) {
      return Fail("this database already has a national CERT; use 'rampart user add' instead");
    }
    Millis now = NowMillis();
    int sectors = directory::SeedDefaultSectors(tx);
    directory::Organisation cert;
    cert.id = crypto::NewUuid();
    cert.name = args.national_cert;
    cert.kind = OrgKind::kNationalCert;
    cert.created_at = cert.updated_at = now;
    directory::InsertOrganisation(tx, cert);
    auto user =
        identity::Insert(tx,
                         {args.admin, args.display_name.empty() ? args.admin : args.display_name,
                          args.email, hash, true},
                         now);
    directory::AddMembership(tx, user.id, cert.id, RoleSet::Of({Role::kOrgAdmin, Role::kAnalyst}),
                             now);
    auto e = audit::By(nullptr, "platform.init", "organisation", cert.id);
    e.after = nlohmann::json{{"national_cert", cert.name}, {"admin", args.admin}}.dump();
    audit::Append(tx, e, now);
    std::printf("Created %d sectors, the national CERT '%s' and administrator '%s'.\n", sectors,
                cert.name.c_str(), args.admin.c_str());
    return 0;
  });
}

void SeedDemoCountry(db::Database& db) {
  const Millis now = NowMillis();
  auto sum = directory::SeedDemo(db);
  auto cases = incidents::SeedDemoIncidents(db, now);
  const int requests = incidents::SeedDemoAssistance(db, now);
  auto analyses = risk::SeedDemoAnalyses(db, now);
  isms::SeedDemoSoas(db, now);
  sharing::SeedDemoAdvisories(db, now);
  std::printf(
      "Demo data created: %d sectors, %d organisations, %d people, %d MOUs, %d incidents (%d open, "
      "%d overdue), %d requests for assistance, %d risk analyses (%d assets, %d scenarios).\n",
      sum.sectors, sum.organisations, sum.people, sum.mous, cases.incidents, cases.open,
      cases.overdue, requests, analyses.analyses, analyses.assets, analyses.scenarios);
  std::printf("Sign in with any of these (password for all: %s):\n",
              std::string(directory::kDemoPassword).c_str());
  for (const auto& a : sum.accounts) std::printf("  %-20s %s\n", a.username.c_str(), a.who.c_str());
  std::fflush(stdout);
}

int Demo(const Config& config) {
  auto db = OpenMigrated(config);
  if (!db) return 1;
  SeedDemoCountry(*db);
  return 0;
}

int UserAdd(const Config& config, const UserArgs& args) {
  if (!identity::ValidUsername(args.username)) {
    return Fail("the username must use a-z, 0-9, '.', '_' or '-', 3 to 64 characters", 2);
  }
  auto roles = RoleSet::Parse(args.roles);
  if (!roles || roles->empty()) {
    return Fail(
        "--roles must be a comma-separated list of: org_admin, ciso, risk_owner, "
        "reporter, analyst, auditor, management, viewer",
        2);
  }
  auto password = CheckedPassword(args.username);
  if (!password) return 2;
  auto db = OpenMigrated(config);
  if (!db) return 1;
  std::string hash = auth::HashPassword(*password);
  return db->Write([&](db::Tx& tx) {
    auto org = tx.QueryOne("SELECT id FROM organisations WHERE id = $1 OR name = $1", {args.org});
    if (!org) return Fail("no organisation with id or name '" + args.org + "'", 2);
    if (identity::FindByName(tx, args.username)) {
      return Fail("the username '" + args.username + "' is taken", 2);
    }
    Millis now = NowMillis();
    auto user = identity::Insert(
        tx,
        {args.username, args.display_name.empty() ? args.username : args.display_name, args.email,
         hash, args.admin},
        now);
    directory::AddMembership(tx, user.id, org->Text(0), *roles, now);
    auto e = audit::By(nullptr, "person.create", "user", user.id);
    e.after = nlohmann::json{{"username", args.username}, {"roles", roles->Names()}}.dump();
    audit::Append(tx, e, now);
    std::printf("Added %s (%s).\n", args.username.c_str(), user.id.c_str());
    return 0;
  });
}

int UserPasswd(const Config& config, const UserArgs& args) {
  auto password = CheckedPassword(args.username);
  if (!password) return 2;
  auto db = OpenMigrated(config);
  if (!db) return 1;
  std::string hash = auth::HashPassword(*password);
  return db->Write([&](db::Tx& tx) {
    auto user = identity::FindByName(tx, args.username);
    if (!user) return Fail("no person with username '" + args.username + "'", 2);
    Millis now = NowMillis();
    auth::SetPassword(tx, user->id, hash, now);
    audit::Append(tx, audit::By(nullptr, "user.password_reset", "user", user->id), now);
    std::printf("Password set for %s; their sessions and API tokens were ended.\n",
                args.username.c_str());
    return 0;
  });
}

int UserDisable(const Config& config, const UserArgs& args) {
  auto db = OpenMigrated(config);
  if (!db) return 1;
  return db->Write([&](db::Tx& tx) {
    auto user = identity::FindByName(tx, args.username);
    if (!user) return Fail("no person with username '" + args.username + "'", 2);
    Millis now = NowMillis();
    tx.Exec("UPDATE users SET disabled = 1, updated_at = $1, version = version + 1 WHERE id = $2",
            {now, user->id});
    auth::EndAccess(tx, user->id, now);
    audit::Append(tx, audit::By(nullptr, "user.disable", "user", user->id), now);
    std::printf("Disabled %s.\n", args.username.c_str());
    return 0;
  });
}

int TokenCreate(const Config& config, const TokenArgs& args) {
  auto db = OpenMigrated(config);
  if (!db) return 1;
  return db->Write([&](db::Tx& tx) {
    auto user = identity::FindByName(tx, args.username);
    if (!user) return Fail("no person with username '" + args.username + "'", 2);
    Millis now = NowMillis();
    auto t = auth::CreateToken(tx, user->id, args.name, now, now + args.days * 86'400'000LL);
    audit::Append(tx, audit::By(nullptr, "token.create", "api_token", t.id), now);
    std::printf("%s\n", t.secret.c_str());
    std::fprintf(stderr, "Token '%s' for %s, valid %d days. It is shown only now.\n",
                 args.name.c_str(), args.username.c_str(), args.days);
    return 0;
  });
}

int AuditVerify(const Config& config) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  auto schema = CheckSchema(*db);
  if (!schema) return Fail(schema.error().message);
  auto report = audit::Verify(*db);
  if (!report.ok) {
    return Fail("audit log is NOT intact: " + report.problem + " (after " +
                std::to_string(report.entries) + " good entries)");
  }
  std::printf("audit log intact: %lld entries, hash chain verified\nhead: %lld %s\n",
              static_cast<long long>(report.entries), static_cast<long long>(report.entries),
              report.head_hash.c_str());
  return 0;
}

int Backup(const Config& config, const std::string& path) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  db->Backup(path);
  std::printf("Backup written to %s\n", path.c_str());
  return 0;
}

}  // namespace rampart::cli
