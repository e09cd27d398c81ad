#include "cli/stix.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/migrate.h"
#include "sharing/stix_export.h"
#include "sharing/stix_store.h"
#include "sharing/store.h"

namespace rampart::cli {

namespace {

// Why an import stopped; thrown inside the write transaction so that nothing is kept.
class ImportError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

std::unique_ptr<db::Database> OpenMigrated(const Config& config) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  auto migrated = rampart::Migrate(*db);
  if (!migrated) throw std::runtime_error(migrated.error().message);
  return db;
}

std::optional<std::string> FindOrg(db::Tx& tx, const std::string& ref) {
  auto r = tx.QueryOne("SELECT id FROM organisations WHERE id = $1 OR name = $1 OR short_name = $1",
                       {ref});
  if (!r) return std::nullopt;
  return r->Text(0);
}

sharing::Collection ResolveCollection(db::Tx& tx, const StixImportArgs& args) {
  if (!args.group.empty() && !args.sector.empty()) {
    throw ImportError("name a sharing group or a sector, not both");
  }
  if (!args.group.empty()) {
    auto r = tx.QueryOne("SELECT id FROM sharing_groups WHERE id = $1 OR name = $1 ORDER BY id",
                         {args.group});
    if (!r) throw ImportError("no sharing group '" + args.group + "'");
    return *sharing::FindCollection(tx, r->Text(0));
  }
  if (!args.sector.empty()) {
    auto r = tx.QueryOne("SELECT id FROM sectors WHERE id = $1 OR slug = $1 OR name = $1",
                         {args.sector});
    if (!r) throw ImportError("no sector '" + args.sector + "'");
    return *sharing::FindCollection(tx, r->Text(0));
  }
  return *sharing::FindCollection(tx, sharing::kNationalCollectionId);
}

}  // namespace

int StixImport(const Config& config, const StixImportArgs& args) {
  auto tlp = sharing::ParseTlp(args.tlp);
  if (!tlp) {
    std::fprintf(stderr,
                 "rampart: --tlp '%s' is not a TLP 2.0 label (CLEAR, GREEN, AMBER, "
                 "AMBER+STRICT)\n",
                 args.tlp.c_str());
    return 2;
  }
  std::unique_ptr<db::Database> db;
  try {
    db = OpenMigrated(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rampart: %s\n", e.what());
    return 1;
  }
  std::int64_t stored = 0, unchanged = 0;
  std::string title;
  try {
    db->Write([&](db::Tx& tx) {
      auto org = FindOrg(tx, args.org);
      if (!org) throw ImportError("no organisation '" + args.org + "'");
      auto kind = tx.QueryOne("SELECT kind FROM organisations WHERE id = $1", {*org})->Text(0);
      if (kind != "national_cert" && kind != "sector_cert") {
        throw ImportError("only a CERT imports into the shared collections; '" + args.org +
                          "' is a " + kind);
      }
      sharing::ImportTarget target;
      target.collection = ResolveCollection(tx, args);
      target.author_org_id = *org;
      target.tlp = *tlp;
      for (const auto& ref : args.recipients) {
        auto r = FindOrg(tx, ref);
        if (!r) throw ImportError("no recipient organisation '" + ref + "'");
        target.recipient_org_ids.push_back(*r);
      }
      const sharing::Directory dir = sharing::LoadDirectory(tx, false);
      if (!sharing::InCommunity(target.collection, *org, dir)) {
        throw ImportError("'" + args.org + "' does not belong to " + target.collection.title);
      }
      title = target.collection.title;
      if (tx.dialect() == db::Dialect::kSqlite) {
        // A bulk import touches index pages all over: a larger page cache (for this short-lived
        // connection only) saves re-reading them from the file.
        tx.Exec("PRAGMA cache_size = -65536", {});
      }
      sharing::Importer importer(tx, target, dir, NowMillis() * 1000);
      std::ifstream file;
      std::istream* in = &std::cin;
      if (args.file != "-") {
        file.open(args.file, std::ios::binary);
        if (!file) throw ImportError("cannot read " + args.file);
        in = &file;
      }
      // Read in chunks: memory holds one chunk and one object, whatever the bundle's size.
      sharing::stix::BundleScanner scanner;
      std::string refusal;
      std::string chunk(1u << 20, '\0');
      while (in->good() && refusal.empty() && !scanner.stopped()) {
        in->read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        const auto n = static_cast<std::size_t>(in->gcount());
        if (n == 0) break;
        std::string error = scanner.Feed(std::string_view(chunk.data(), n),
                                         [&](std::string& text, std::size_t index) {
                                           if (auto e = importer.Add(text)) {
                                             refusal = e->Describe(index);
                                             return false;
                                           }
                                           return true;
                                         });
        if (!error.empty()) throw ImportError(error);
      }
      if (!refusal.empty()) throw ImportError(refusal);
      if (in->bad()) throw ImportError("reading " + args.file + " failed");
      if (auto error = scanner.Finish(); !error.empty()) throw ImportError(error);
      stored = importer.stored();
      unchanged = importer.unchanged();
      auto e = audit::By(nullptr, "stix.import", "taxii_collection", target.collection.id);
      e.after = nlohmann::json{{"author_org_id", *org},
                               {"tlp", sharing::MarkingId(*tlp)},
                               {"stored", stored},
                               {"unchanged", unchanged}}
                    .dump();
      audit::Append(tx, e, NowMillis());
    });
  } catch (const ImportError& e) {
    std::fprintf(stderr, "rampart: nothing imported: %s\n", e.what());
    return 2;
  }
  std::fprintf(stderr, "Imported %lld objects into %s (%lld already held).\n",
               static_cast<long long>(stored), title.c_str(), static_cast<long long>(unchanged));
  return 0;
}

int StixExport(const Config& config, const StixExportArgs& args) {
  std::unique_ptr<db::Database> db;
  try {
    db = OpenMigrated(config);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "rampart: %s\n", e.what());
    return 1;
  }
  std::string error;
  sharing::ExportCounts counts;
  std::string bytes = db->Read([&](db::Tx& tx) -> std::string {
    auto org = FindOrg(tx, args.org);
    if (!org) {
      error = "no organisation '" + args.org + "'";
      return "";
    }
    return sharing::ExportBundle(tx, *org, &counts);
  });
  if (!error.empty()) {
    std::fprintf(stderr, "rampart: %s\n", error.c_str());
    return 2;
  }
  bytes.push_back('\n');
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
  }
  std::fprintf(stderr, "Exported %lld objects: %lld reports, %lld incidents, %lld indicators.\n",
               static_cast<long long>(counts.objects), static_cast<long long>(counts.reports),
               static_cast<long long>(counts.incidents), static_cast<long long>(counts.indicators));
  return 0;
}

std::function<std::optional<int>(const Config&)> AddStixCommands(
    CLI::App& app, const std::function<void(CLI::App*)>& add_common) {
  auto import_args = std::make_shared<StixImportArgs>();
  auto export_args = std::make_shared<StixExportArgs>();
  auto* stix = app.add_subcommand("stix", "STIX 2.1 bundles in and out of the shared collections");
  stix->require_subcommand(1);
  auto* imp = stix->add_subcommand(
      "import",
      "Add a STIX 2.1 bundle to a community's or sharing group's collection, all or "
      "nothing");
  add_common(imp);
  imp->add_option("file", import_args->file, "The bundle, or - for standard input")->required();
  imp->add_option("--org", import_args->org, "The importing CERT: id, short name or name")
      ->required();
  imp->add_option("--tlp", import_args->tlp, "TLP 2.0 label of every object")->required();
  imp->add_option("--group", import_args->group, "Sharing group (id or name)");
  imp->add_option("--sector", import_args->sector, "Sector community (id, slug or name)");
  imp->add_option("--recipient", import_args->recipients,
                  "Recipient organisation of an AMBER or AMBER+STRICT import (repeatable)");
  auto* exp = stix->add_subcommand("export", "Write what an organisation shared as a STIX bundle");
  add_common(exp);
  exp->add_option("--org", export_args->org, "Organisation id, short name or name")->required();
  exp->add_option("--out", export_args->out, "File to write (default: standard output)");
  return [imp, exp, import_args, export_args](const Config& config) -> std::optional<int> {
    if (imp->parsed()) return StixImport(config, *import_args);
    if (exp->parsed()) return StixExport(config, *export_args);
    return std::nullopt;
  };
}

}  // namespace rampart::cli
