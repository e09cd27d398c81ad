// `rampart stix import FILE` and `rampart stix export`: STIX 2.1 bundles in and out of the shared
// collections (src/sharing/stix*.h). An import is all or nothing: the first invalid object stops
// it with its index, id and property, and nothing is stored.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "platform/config.h"

namespace rampart::cli {

struct StixImportArgs {
  std::string file;                     // a path, or "-" for standard input
  std::string org;                      // the importing CERT: id, short name or exact name
  std::string tlp;                      // the label of every object: "TLP:GREEN", "amber", …
  std::string group;                    // a sharing group (id or exact name): its collection
  std::string sector;                   // a sector (id, slug or name): its community's collection
  std::vector<std::string> recipients;  // AMBER and AMBER+STRICT: recipient organisations
};

struct StixExportArgs {
  std::string org;        // id, short name or exact name
  std::string out = "-";  // a file, or "-" for standard output
};

int StixImport(const Config& config, const StixImportArgs& args);
int StixExport(const Config& config, const StixExportArgs& args);

// Adds `stix import|export` to `app` (each with the common options); the returned function runs
// the sub-command that was parsed, or returns nullopt when neither was.
std::function<std::optional<int>(const Config&)> AddStixCommands(
    CLI::App& app, const std::function<void(CLI::App*)>& add_common);

}  // namespace rampart::cli
