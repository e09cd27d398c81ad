// The administrative sub-commands of `rampart`. Each returns the process exit code: 0 on success,
// 1 when the work failed, 2 when the arguments were wrong; messages go to stderr.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "platform/config.h"
#include "platform/db.h"

namespace rampart::cli {

struct Common {
  std::optional<std::string> config_path;
  std::string db;  // overrides the configuration when set
};

// The configuration from file and environment, with --db applied; exits with 2 on an error.
Config LoadConfigOrExit(const Common& common);

struct InitArgs {
  std::string national_cert;
  std::string admin;
  std::string email;
  std::string display_name;
};

struct UserArgs {
  std::string username;
  std::string org;
  std::string roles;
  std::string email;
  std::string display_name;
  bool admin = false;
};

struct TokenArgs {
  std::string username;
  std::string name;
  int days = 90;
};

struct IncidentImportArgs {
  std::string file;    // "-" for standard input
  std::string format;  // jsonl or csv; "" to go by the file's extension
  std::string as;      // the account the cases are filed as
};

struct IncidentGenerateArgs {
  std::int64_t count = 1000;
  std::uint64_t seed = 1;
  std::string format = "jsonl";
};

int Migrate(const Config& config);
int Init(const Config& config, const InitArgs& args);
int Demo(const Config& config);
// Seeds the demo country (directory, a year of incidents, requests for assistance, risk
// analyses) into an empty database and prints what was made and who can sign in. Shared by
// `rampart demo` and `rampart serve --demo`.
void SeedDemoCountry(db::Database& db);
int UserAdd(const Config& config, const UserArgs& args);
int UserPasswd(const Config& config, const UserArgs& args);
int UserDisable(const Config& config, const UserArgs& args);
int TokenCreate(const Config& config, const TokenArgs& args);
int AuditVerify(const Config& config);
int Backup(const Config& config, const std::string& path);
// In cli/incidents.cc.
int IncidentImport(const Config& config, const IncidentImportArgs& args);
int IncidentGenerate(const Config& config, const IncidentGenerateArgs& args);

}  // namespace rampart::cli
