// `rampart risk export` and `rampart risk import`: a whole risk analysis as one JSON document.
#pragma once

#include <string>

#include "platform/config.h"

namespace rampart::cli {

struct RiskExportArgs {
  std::string org;       // organisation id or exact name
  std::string analysis;  // analysis id; empty: the organisation's current analysis
};
struct RiskImportArgs {
  std::string file;  // or "-" for standard input
  std::string as;    // username of the person importing: needs risk.write in the organisation
  std::string org;   // organisation id or exact name; empty: the one named in the file
};

int RiskExport(const Config& config, const RiskExportArgs& args);
int RiskImport(const Config& config, const RiskImportArgs& args);

}  // namespace rampart::cli
