// `rampart risk export` and `rampart risk import`.
#include "cli/risk.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <sstream>

#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/migrate.h"
#include "platform/policy.h"
#include "risk/exchange.h"
#include "risk/store.h"

namespace rampart::cli {

namespace {

std::unique_ptr<db::Database> OpenMigrated(const Config& config) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  auto migrated = rampart::Migrate(*db);
  if (!migrated) {
    std::fprintf(stderr, "rampart: %s\n", migrated.error().message.c_str());
    return nullptr;
  }
  return db;
}

// The organisation named by id or exact name; "" when there is none.
std::string FindOrg(db::Tx& tx, const std::string& name_or_id) {
  auto r = tx.QueryOne("SELECT id FROM organisations WHERE id = $1 OR name = $1 OR short_name = $1",
                       {name_or_id});
  return r ? r->Text(0) : "";
}

}  // namespace

int RiskExport(const Config& config, const RiskExportArgs& args) {
  auto db = OpenMigrated(config);
  if (!db) return 1;
  std::string error;
  auto text = db->Read([&](db::Tx& tx) -> std::string {
    const auto org = FindOrg(tx, args.org);
    if (org.empty()) {
      error = "no organisation '" + args.org + "'";
      return "";
    }
    std::string id = args.analysis;
    if (id.empty()) {
      auto r = tx.QueryOne(
          "SELECT id FROM risk_analyses WHERE organisation_id = $1 AND is_current = 1", {org});
      if (!r) {
        error = "the organisation has no current risk analysis; name one with --analysis";
        return "";
      }
      id = r->Text(0);
    }
    auto an = risk::FindAnalysis(tx, org, id);
    if (!an) {
      error = "the organisation has no risk analysis '" + id + "'";
      return "";
    }
    return risk::ExportAnalysis(tx, *an);
  });
  if (!error.empty()) {
    std::fprintf(stderr, "rampart: %s\n", error.c_str());
    return 2;
  }
  std::fwrite(text.data(), 1, text.size(), stdout);
  std::fputc('\n', stdout);
  return 0;
}

int RiskImport(const Config& config, const RiskImportArgs& args) {
  std::string text;
  if (args.file == "-") {
    text.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  } else {
    std::ifstream in(args.file, std::ios::binary);
    if (!in) {
      std::fprintf(stderr, "rampart: cannot read %s\n", args.file.c_str());
      return 2;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    text = std::move(ss).str();
  }
  auto doc = nlohmann::json::parse(text, nullptr, false);
  if (doc.is_discarded()) {
    std::fprintf(stderr, "rampart: %s is not JSON\n", args.file.c_str());
    return 2;
  }
  auto db = OpenMigrated(config);
  if (!db) return 1;
  std::string error;
  risk::ImportOutcome out;
  db->Write([&](db::Tx& tx) {
    std::string org_name = args.org;
    if (org_name.empty() && doc.is_object() && doc.contains("organisation_id") &&
        doc["organisation_id"].is_string()) {
      org_name = doc["organisation_id"].get<std::string>();
    }
    const auto org = FindOrg(tx, org_name);
    if (org.empty()) {
      error = "no organisation '" + org_name + "' (--org)";
      return;
    }
    auto user = tx.QueryOne("SELECT id FROM users WHERE username = $1", {args.as});
    auto who = user ? auth::LoadPrincipal(tx, user->Text(0)) : std::nullopt;
    if (!who) {
      error = "no active account with username '" + args.as + "' (--as)";
      return;
    }
    if (Decide(&*who, Action::kRiskWrite, {org}) != Decision::kAllow) {
      error = args.as + " may not change the risk analyses of this organisation";
      return;
    }
    out = risk::ImportAnalysis(tx, doc, org, who->user_id, NowMillis());
    if (!out.errors.empty()) return;  // nothing was written
    auto e = audit::By(&*who, "risk.analysis.import", "risk_analysis", out.analysis_id);
    e.after = nlohmann::json{{"assets", out.assets}, {"scenarios", out.scenarios}}.dump();
    audit::Append(tx, e, NowMillis());
  });
  if (!error.empty()) {
    std::fprintf(stderr, "rampart: %s\n", error.c_str());
    return 2;
  }
  if (!out.errors.empty()) {
    for (const auto& e : out.errors) {
      std::fprintf(stderr, "%s: %s: %s\n", args.file.c_str(), e.field.c_str(), e.message.c_str());
    }
    std::fprintf(stderr, "rampart: %zu errors; nothing was imported\n", out.errors.size());
    return 2;
  }
  std::printf(
      "Imported analysis %s: %lld assets, %lld threats, %lld vulnerabilities, %lld scenarios, "
      "%lld recommendations, %lld acceptances.\n",
      out.analysis_id.c_str(), static_cast<long long>(out.assets),
      static_cast<long long>(out.threats), static_cast<long long>(out.vulnerabilities),
      static_cast<long long>(out.scenarios), static_cast<long long>(out.recommendations),
      static_cast<long long>(out.acceptances));
  return 0;
}

}  // namespace rampart::cli
