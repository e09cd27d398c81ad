// The `rampart` command: serve the application, and administer it from the shell.
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

#include "cli/commands.h"
#include "cli/profile.h"
#include "cli/risk.h"
#include "cli/soa.h"
#include "cli/stix.h"
#include "cli/serve.h"
#include "platform/config.h"

int main(int argc, char** argv) {
  using rampart::cli::Common;
  CLI::App app{"Rampart: protecting a country's critical information infrastructure"};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string(RAMPART_VERSION));

  Common common;
  auto add_common = [&](CLI::App* sub) {
    sub->add_option("--config", common.config_path, "TOML configuration file");
    sub->add_option("--db", common.db, "sqlite:PATH or postgresql://USER@HOST/DB");
  };

  auto* serve = app.add_subcommand("serve", "Run the web application and the API");
  add_common(serve);
  std::string listen, web_root;
  bool demo = false;
  serve->add_option("--listen", listen, "HOST:PORT to listen on (default 127.0.0.1:8080)");
  serve->add_option("--web-root", web_root, "Folder of the built browser application");
  serve->add_flag("--demo", demo, "Create the demo country when the directory is empty");

  auto* migrate = app.add_subcommand("migrate", "Apply database migrations");
  add_common(migrate);

  auto* init = app.add_subcommand(
      "init", "Create the default sectors, the national CERT and its first administrator");
  add_common(init);
  rampart::cli::InitArgs init_args;
  init->add_option("--national-cert", init_args.national_cert, "Name of the national CERT")
      ->required();
  init->add_option("--admin", init_args.admin, "Username of the first administrator")->required();
  init->add_option("--email", init_args.email, "E-mail of the first administrator")->required();
  init->add_option("--name", init_args.display_name, "Display name of the first administrator");

  auto* demo_cmd = app.add_subcommand("demo", "Fill an empty database with the demo country");
  add_common(demo_cmd);

  auto* user = app.add_subcommand("user", "Manage people's accounts");
  user->require_subcommand(1);
  rampart::cli::UserArgs user_args;
  auto* user_add = user->add_subcommand("add", "Add a person to an organisation");
  add_common(user_add);
  user_add->add_option("username", user_args.username)->required();
  user_add->add_option("--org", user_args.org, "Organisation id or exact name")->required();
  user_add->add_option("--roles", user_args.roles, "Comma-separated roles, e.g. ciso,org_admin")
      ->required();
  user_add->add_option("--email", user_args.email)->required();
  user_add->add_option("--name", user_args.display_name);
  user_add->add_flag("--admin", user_args.admin, "Also a platform administrator");
  auto* user_passwd = user->add_subcommand("passwd", "Set a person's password (read from stdin)");
  add_common(user_passwd);
  user_passwd->add_option("username", user_args.username)->required();
  auto* user_disable = user->add_subcommand("disable", "Disable an account and end its sessions");
  add_common(user_disable);
  user_disable->add_option("username", user_args.username)->required();

  auto* token = app.add_subcommand("token", "Manage API tokens");
  token->require_subcommand(1);
  rampart::cli::TokenArgs token_args;
  auto* token_create = token->add_subcommand("create", "Create an API token for a person");
  add_common(token_create);
  token_create->add_option("username", token_args.username)->required();
  token_create->add_option("--name", token_args.name, "What the token is for")->required();
  token_create->add_option("--days", token_args.days, "Days until it expires (1-366)")
      ->check(CLI::Range(1, 366));

  auto* audit = app.add_subcommand("audit", "The audit log");
  audit->require_subcommand(1);
  auto* audit_verify = audit->add_subcommand("verify", "Check the hash chain of the audit log");
  add_common(audit_verify);

  auto* backup = app.add_subcommand("backup", "Copy the database while it is in use");
  add_common(backup);
  std::string backup_path;
  backup->add_option("path", backup_path, "Where to write the copy (must not exist)")->required();

  auto* incident = app.add_subcommand("incident", "Incident cases in bulk");
  incident->require_subcommand(1);
  rampart::cli::IncidentImportArgs import_args;
  auto* incident_import = incident->add_subcommand(
      "import",
      "File incidents from JSON lines or CSV, all or none (see docs/api.md, command line)");
  add_common(incident_import);
  incident_import->add_option("file", import_args.file, "The file, or - for standard input")
      ->required();
  incident_import->add_option("--format", import_args.format, "jsonl or csv (default: extension)")
      ->check(CLI::IsMember({"jsonl", "csv"}));
  incident_import->add_option("--as", import_args.as, "Username of the account filing them")
      ->required();
  rampart::cli::IncidentGenerateArgs generate_args;
  auto* incident_generate = incident->add_subcommand(
      "generate", "Write synthetic import records of the directory's organisations to stdout");
  add_common(incident_generate);
  incident_generate->add_option("--count", generate_args.count, "How many records")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  incident_generate->add_option("--seed", generate_args.seed, "The same seed, the same records");
  incident_generate->add_option("--format", generate_args.format, "jsonl or csv")
      ->check(CLI::IsMember({"jsonl", "csv"}));

  auto* risk = app.add_subcommand("risk", "Risk analyses as JSON documents");
  risk->require_subcommand(1);
  rampart::cli::RiskExportArgs risk_export_args;
  auto* risk_export =
      risk->add_subcommand("export", "Write a whole risk analysis as JSON to standard output");
  add_common(risk_export);
  risk_export->add_option("--org", risk_export_args.org, "Organisation id or exact name")
      ->required();
  risk_export->add_option("--analysis", risk_export_args.analysis,
                          "Analysis id (default: the organisation's current one)");
  rampart::cli::RiskImportArgs risk_import_args;
  auto* risk_import = risk->add_subcommand(
      "import", "Add a risk analysis from an exported JSON document, all or nothing");
  add_common(risk_import);
  risk_import->add_option("file", risk_import_args.file, "The file, or - for standard input")
      ->required();
  risk_import->add_option("--as", risk_import_args.as, "Username of the person importing")
      ->required();
  risk_import->add_option("--org", risk_import_args.org,
                          "Organisation id or exact name (default: the one in the file)");

  auto* soa = app.add_subcommand("soa", "Statements of Applicability");
  soa->require_subcommand(1);
  rampart::cli::SoaExportArgs soa_export_args;
  auto* soa_export = soa->add_subcommand("export", "Write a Statement of Applicability");
  add_common(soa_export);
  soa_export->add_option("--org", soa_export_args.org, "Organisation id, short name or name")
      ->required();
  soa_export->add_option("--framework", soa_export_args.framework, "Framework ref")->required();
  soa_export->add_option("--format", soa_export_args.format, "xlsx, html or json")
      ->check(CLI::IsMember({"xlsx", "html", "json"}));
  soa_export->add_option("--out", soa_export_args.out, "File to write (default: standard output)");

  auto run_stix = rampart::cli::AddStixCommands(app, add_common);

  auto* profile = app.add_subcommand("profile", "The national threat profile");
  profile->require_subcommand(1);
  bool profile_repair = false;
  auto* profile_verify = profile->add_subcommand(
      "verify", "Recompute the threat profile's roll-ups from the incidents and compare");
  add_common(profile_verify);
  profile_verify->add_flag("--repair", profile_repair,
                           "Replace the roll-ups by the recomputed figures when they differ");

  CLI11_PARSE(app, argc, argv);

  auto config = rampart::cli::LoadConfigOrExit(common);
  try {
    if (serve->parsed()) {
      if (!listen.empty()) config.listen = listen;
      if (!web_root.empty()) config.web_root = web_root;
      return rampart::Serve({config, demo, argv[0]});
    }
    if (migrate->parsed()) return rampart::cli::Migrate(config);
    if (init->parsed()) return rampart::cli::Init(config, init_args);
    if (demo_cmd->parsed()) return rampart::cli::Demo(config);
    if (user_add->parsed()) return rampart::cli::UserAdd(config, user_args);
    if (user_passwd->parsed()) return rampart::cli::UserPasswd(config, user_args);
    if (user_disable->parsed()) return rampart::cli::UserDisable(config, user_args);
    if (token_create->parsed()) return rampart::cli::TokenCreate(config, token_args);
    if (audit_verify->parsed()) return rampart::cli::AuditVerify(config);
    if (backup->parsed()) return rampart::cli::Backup(config, backup_path);
    if (incident_import->parsed()) return rampart::cli::IncidentImport(config, import_args);
    if (incident_generate->parsed()) return rampart::cli::IncidentGenerate(config, generate_args);
    if (profile_verify->parsed()) return rampart::cli::ProfileVerify(config, profile_repair);
    if (risk_export->parsed()) return rampart::cli::RiskExport(config, risk_export_args);
    if (risk_import->parsed()) return rampart::cli::RiskImport(config, risk_import_args);
    if (soa_export->parsed()) return rampart::cli::SoaExport(config, soa_export_args);
    if (auto rc = run_stix(config)) return *rc;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rampart: %s\n", e.what());
    return 1;
  }
  return 2;
}
