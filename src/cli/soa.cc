#include "cli/soa.h"

#include <cstdio>
#include <fstream>
#include <iostream>

#include "isms/api.h"
#include "isms/exports.h"
#include "isms/frameworks.h"
#include "isms/store.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/migrate.h"

namespace rampart::cli {

int SoaExport(const Config& config, const SoaExportArgs& args) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  auto migrated = rampart::Migrate(*db);
  if (!migrated) {
    std::fprintf(stderr, "rampart: %s\n", migrated.error().message.c_str());
    return 1;
  }
  std::string error;
  std::string bytes = db->Read([&](db::Tx& tx) -> std::string {
    auto org = tx.QueryOne(
        "SELECT id FROM organisations WHERE id = $1 OR name = $1 OR short_name = $1", {args.org});
    if (!org) {
      error = "no organisation '" + args.org + "'";
      return "";
    }
    auto soa = isms::FindSoa(tx, org->Text(0), args.framework);
    if (!soa) {
      error = "the organisation has no statement of applicability for '" + args.framework + "'";
      return "";
    }
    auto framework = isms::FrameworkRevision(tx, soa->framework_urn, soa->framework_revision);
    if (!framework) {
      error = "framework " + soa->framework_urn + " is not readable";
      return "";
    }
    if (args.format == "json") {
      return isms::VersionDocument(tx, *soa, 0, NowMillis(), "", nullptr);
    }
    auto res = args.format == "html" ? isms::ExportHtml(tx, *soa, *framework)
                                     : isms::ExportXlsx(tx, *soa, *framework);
    return std::move(res.body);
  });
  if (!error.empty()) {
    std::fprintf(stderr, "rampart: %s\n", error.c_str());
    return 2;
  }
  if (args.out == "-") {
    std::cout.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    std::cout.flush();
  } else {
    std::ofstream out(args.out, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::fprintf(stderr, "rampart: cannot write %s\n", args.out.c_str());
      return 1;
    }
    std::fprintf(stderr, "Wrote %s (%zu bytes).\n", args.out.c_str(), bytes.size());
  }
  return 0;
}

}  // namespace rampart::cli
