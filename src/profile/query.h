// Threat-profile tables: incidents over a period, grouped by up to three dimensions, with their
// margins and total, answered from the roll-ups and withheld where the viewer may not see them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/db.h"
#include "platform/policy.h"
#include "profile/rollup.h"

namespace rampart::profile {

enum class Dim : std::uint8_t {
  kSector,
  kClass,
  kType,
  kSeverity,
  kRootCause,
  kMonth,
  kQuarter,
  kYear
};
std::string_view Name(Dim dim);  // "sector", "class", "type", "severity", "root_cause", "month", …
std::optional<Dim> ParseDim(std::string_view name);
// Whether figures grouped by this dimension can be checked for small cells (the roll-up of
// organisations has it). Type and root cause are shown only to those who see the figures in full.
bool Aggregatable(Dim dim);

struct Query {
  int from_month = 0;  // yyyymm, inclusive
  int to_month = 0;
  std::vector<Dim> by;                  // at most three, no repeats
  std::vector<std::string> sectors;     // empty: every sector
  std::vector<std::string> classes;     // "" stands for "not classified yet"
  std::vector<std::string> severities;  // "" for "not assessed yet"
};

// One published figure: the sums of its incidents, or nothing when withheld.
struct Figure {
  std::vector<std::string>
      key;  // the cell's value of each dimension of `by` ("" for a margin's others)
  Measures measures;
  // How many organisations it describes: exact below the table's min_organisations, a lower
  // bound at or above it (organisations do not add up over months or sectors).
  std::int64_t organisations = 0;
  bool full = false;  // the viewer sees it in full
  bool suppressed = false;
};

struct Table {
  std::vector<Figure> cells;
  // margins[d]: one figure per value of by[d], summed over the other dimensions (only when `by`
  // has two or more dimensions; with one the cells are the margins).
  std::vector<std::vector<Figure>> margins;
  Figure total;
  std::int64_t min_organisations = 0;
  bool any_suppressed = false;
  // Whether the figures' organisations were counted: not for tables by type or root cause,
  // which only those who see every figure in full may ask for.
  bool organisations_counted = true;
};

// The problem with a query for this viewer, or nullopt. `field` names the query parameter.
struct QueryError {
  std::string field;
  std::string message;
};
std::optional<QueryError> CheckQuery(const Query& query, const ProfileView& view);

Table Compute(db::Tx& tx, const Query& query, const ProfileView& view,
              std::int64_t min_organisations);

// "2026-03" for 202603.
std::string MonthLabel(int month);
// The label of the time bin of `dim` (month, quarter or year) that holds `month`: "2026-03",
// "2026-Q1", "2026".
std::string BinLabel(Dim dim, int month);

}  // namespace rampart::profile
