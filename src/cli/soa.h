// `rampart soa export`: an organisation's Statement of Applicability as the API exports it (XLSX,
// printable HTML) or as the JSON document an approval freezes, to a file or standard output.
#pragma once

#include <string>

#include "platform/config.h"

namespace rampart::cli {

struct SoaExportArgs {
  std::string org;              // organisation id, short name or exact name
  std::string framework;        // the framework's ref, e.g. iso27001-2022
  std::string format = "xlsx";  // xlsx, html or json
  std::string out = "-";        // a file, or "-" for standard output
};

int SoaExport(const Config& config, const SoaExportArgs& args);

}  // namespace rampart::cli
