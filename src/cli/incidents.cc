// `rampart incident import` and `rampart incident generate`.
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include "cli/commands.h"
#include "incidents/generate.h"
#include "incidents/import.h"
#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/migrate.h"

namespace rampart::cli {

namespace {

std::unique_ptr<db::Database> OpenChecked(const Config& config) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  auto migrated = rampart::Migrate(*db);
  if (!migrated) {
    std::fprintf(stderr, "rampart: %s\n", migrated.error().message.c_str());
    return nullptr;
  }
  return db;
}

bool EndsWith(std::string_view s, std::string_view tail) {
  return s.size() >= tail.size() && s.substr(s.size() - tail.size()) == tail;
}

}  // namespace

int IncidentImport(const Config& config, const IncidentImportArgs& args) {
  incidents::ImportFormat format;
  if (args.format == "csv" || (args.format.empty() && EndsWith(args.file, ".csv"))) {
    format = incidents::ImportFormat::kCsv;
  } else if (args.format == "jsonl" || (args.format.empty() && (EndsWith(args.file, ".jsonl") ||
                                                                EndsWith(args.file, ".ndjson")))) {
    format = incidents::ImportFormat::kJsonLines;
  } else {
    std::fprintf(stderr, "rampart: say --format jsonl or --format csv for %s\n", args.file.c_str());
    return 2;
  }
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
  auto db = OpenChecked(config);
  if (!db) return 1;
  auto out = incidents::Import(*db, text, format, args.as, NowMillis());
  if (!out.fatal.empty()) {
    std::fprintf(stderr, "rampart: %s\n", out.fatal.c_str());
    return 2;
  }
  const std::string name = args.file == "-" ? "stdin" : args.file;
  if (out.errors.total > 0) {
    for (const auto& e : out.errors.first) {
      std::fprintf(stderr, "%s:%d: %s: %s\n", name.c_str(), e.line, e.field.c_str(),
                   e.message.c_str());
    }
    const auto more = out.errors.total - static_cast<std::int64_t>(out.errors.first.size());
    if (more > 0) std::fprintf(stderr, "… and %lld more\n", static_cast<long long>(more));
    std::fprintf(stderr, "rampart: %lld errors; nothing was imported\n",
                 static_cast<long long>(out.errors.total));
    return 2;
  }
  const double total = out.check_seconds + out.file_seconds;
  std::printf("Imported %lld incidents in %.2f s (checking %.2f s, filing %.2f s; %.0f/s).\n",
              static_cast<long long>(out.imported), total, out.check_seconds, out.file_seconds,
              total > 0 ? static_cast<double>(out.imported) / total : 0.0);
  return 0;
}

int IncidentGenerate(const Config& config, const IncidentGenerateArgs& args) {
  auto db = OpenChecked(config);
  if (!db) return 1;
  const auto format =
      args.format == "csv" ? incidents::ImportFormat::kCsv : incidents::ImportFormat::kJsonLines;
  const Millis now = NowMillis();
  auto n = db->Read([&](db::Tx& tx) {
    return incidents::GenerateRecords(tx, args.count, args.seed, now, format, stdout);
  });
  std::fflush(stdout);
  if (n == 0) {
    std::fprintf(stderr, "rampart: the directory has no operators to generate incidents of\n");
    return 1;
  }
  return 0;
}

}  // namespace rampart::cli
