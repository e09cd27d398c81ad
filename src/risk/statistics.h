// Anonymous risk statistics an organisation opts in to share upward: per sector, how many risks
// are low, medium and high (current and residual), and per catalogue threat and vulnerability URN
// how many scenarios use it in how many organisations, with the average risks. Only the current
// analysis of an organisation that switched `share_statistics` on counts, only operators' and
// government bodies' analyses, and only catalogue URNs: an organisation's own threats, its name
// and its id never appear.
//
// Small cells: a reader that is not a CERT (a regulator) sees a figure only where at least
// `min_cell_organisations` organisations contribute to it; below that the figure is withheld and
// marked `"suppressed": true`.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"

namespace rampart::risk {

// Whether the analysis's figures are shared (when it is its organisation's current analysis).
bool SharesStatistics(db::Tx& tx, std::string_view analysis_id);
void SetShareStatistics(db::Tx& tx, std::string_view analysis_id, bool share);

struct StatisticsRequest {
  std::optional<std::string> sector_id;  // nullopt: every sector
  bool suppress_small_cells = true;      // false for the national CERT
  int min_cell_organisations = 5;
};

// The statistics document: {"generated_at", "min_cell_organisations", "suppression",
// "sectors": [{"sector", "organisations", "suppressed", "current", "residual", "threats",
// "vulnerabilities"}]}, sectors by name. A sector without contributions is listed with zeros.
std::string StatisticsJson(db::Tx& tx, const StatisticsRequest& request, Millis now);

// The average as the statistics show it: two decimals, nullopt without values. Exposed for tests.
std::optional<std::string> Average(std::int64_t sum, std::int64_t count);

}  // namespace rampart::risk
