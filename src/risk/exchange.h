// A whole analysis as one JSON document, out and back in: settings, assets with their ratings,
// overrides, owners and dependencies, threats, vulnerabilities, scenarios with their treatment and
// acceptances, and the action plan with its history. People are named by username, so that a file
// moves between installations; references inside the file are the file's own ids.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"
#include "platform/problem.h"
#include "risk/model.h"

namespace rampart::risk {

inline constexpr std::string_view kExportFormat = "rampart-risk-analysis";
inline constexpr int kExportFormatVersion = 1;

// The document (JSON text) of the analysis as stored. Without snapshots it is the document a
// snapshot freezes (snapshots.h); with them, "export and re-import with nothing lost".
std::string ExportAnalysis(db::Tx& tx, const Analysis& analysis, bool with_snapshots = true);

struct ImportOutcome {
  std::vector<FieldError> errors;  // each naming the item at fault ("/scenarios/12/threat");
                                   // when not empty nothing was written
  std::string analysis_id;
  std::int64_t assets = 0;
  std::int64_t threats = 0;
  std::int64_t vulnerabilities = 0;
  std::int64_t scenarios = 0;
  std::int64_t recommendations = 0;
  std::int64_t acceptances = 0;
  std::int64_t snapshots = 0;
};

// Checks the whole document first (broken references, duplicate URNs or names, ratings outside
// the scales, unknown people, cycles) and writes only when all is well, under new ids, as a new
// analysis of `org_id` (made current when the document's was, or when the organisation has none).
// Runs inside the caller's write transaction.
ImportOutcome ImportAnalysis(db::Tx& tx, const nlohmann::json& doc, std::string_view org_id,
                             std::string_view created_by, Millis now);

}  // namespace rampart::risk
