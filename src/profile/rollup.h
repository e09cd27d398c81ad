// The threat profile's roll-ups: what one incident adds to them, kept up to date in the same
// transaction as every write of an incident, and checked against the incidents themselves.
//
// An incident's contribution is a pure function of its row (Contribution()); the store calls
// Apply(tx, before, after) with the row as it was and as it is now, which subtracts the one and
// adds the other. Nothing else writes the roll-up tables.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "incidents/model.h"
#include "platform/db.h"

namespace rampart::profile {

// Where an incident counts: the finest cell of the profile (cut kAll, grain month).
struct CellKey {
  int month = 0;  // yyyymm of becoming aware, UTC
  std::string sector_id;
  std::string rsit_class;  // "" not classified yet
  std::string rsit_type;
  std::string severity;    // "" not assessed yet
  std::string root_cause;  // "" not known
  auto operator<=>(const CellKey&) const = default;
};

// What an incident adds to its cell. Every field is a count or a sum, so cells add up.
struct Measures {
  std::int64_t incidents = 0;
  std::int64_t significant = 0;
  std::int64_t cross_border = 0;
  std::int64_t malicious = 0;
  std::int64_t services_disrupted = 0;
  std::int64_t users_affected = 0;
  std::int64_t users_affected_n = 0;
  std::int64_t hours_lost = 0;
  std::int64_t hours_lost_n = 0;
  std::int64_t financial_loss_eur = 0;
  std::int64_t financial_loss_n = 0;
  std::int64_t to_early_warning_ms = 0;
  std::int64_t to_early_warning_n = 0;
  std::int64_t to_final_ms = 0;
  std::int64_t to_final_n = 0;
  std::int64_t to_resolution_ms = 0;
  std::int64_t to_resolution_n = 0;

  Measures& operator+=(const Measures& o);
  Measures& operator-=(const Measures& o);
  bool operator==(const Measures&) const = default;
};

struct Contribution {
  CellKey cell;
  std::string organisation_id;
  Measures measures;
};

// How the roll-ups are cut (migration 0015). An incident counts in every cut at every grain; a
// query reads the smallest cut that keeps the dimensions it groups or filters by, at the coarsest
// grains that tile its period, so that it reads a few thousand rows at most whatever the data.
enum class Cut : std::uint8_t {
  kSector = 0,         // month × sector
  kClass = 1,          // … × class
  kSeverity = 2,       // … × severity
  kClassSeverity = 3,  // … × class × severity
  kType = 4,           // … × class × type
  kRootCause = 5,      // … × root cause
  kAll = 6,            // … × class × type × severity × root cause
};
inline constexpr int kCuts = 7;
// The cuts whose rows count organisations (the dimensions the small-cell rule can check).
inline constexpr int kCountedCuts = 4;
struct CutKeeps {
  bool rsit_class = false, rsit_type = false, severity = false, root_cause = false;
};
CutKeeps Keeps(Cut cut);

enum class Grain : std::uint8_t { kMonth = 0, kQuarter = 1, kYear = 2 };
inline constexpr int kGrains = 3;
// The first month (yyyymm) of the bin of `grain` that holds `month`.
int BinStart(Grain grain, int month);

// The value a row keeps for a dimension its cut sums over.
inline constexpr std::string_view kAllValues = "*";

// Nullopt for a case that is not an incident of its own (rejected, duplicate, merged).
std::optional<Contribution> ContributionOf(const incidents::Incident& incident);

// yyyymm of a time, UTC.
int MonthOf(Millis t);

// The fields of a stored incident that the profile reads (nullopt: no such incident).
std::optional<incidents::Incident> LoadForProfile(db::Tx& tx, std::string_view incident_id);

// Brings the roll-ups from `before` (nullopt: a new incident) to `after` in the caller's
// transaction. Does nothing when the contribution did not change.
void Apply(db::Tx& tx, const std::optional<incidents::Incident>& before,
           const incidents::Incident& after);

// Recomputes every roll-up row from the incidents and compares: the differences, described for
// people (empty when the roll-ups agree). With `repair`, replaces the roll-ups by the recomputed
// ones in the same transaction.
struct VerifyResult {
  std::int64_t incidents = 0;  // incidents counted
  std::int64_t cells = 0;      // roll-up rows recomputed (every cut and grain)
  std::vector<std::string> differences;
};
VerifyResult Verify(db::Tx& tx, bool repair = false);

}  // namespace rampart::profile
