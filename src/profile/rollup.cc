#include "profile/rollup.h"

#include <fmt/format.h>

#include <chrono>
#include <map>
#include <tuple>
#include <utility>

namespace rampart::profile {

namespace {

using incidents::CaseState;
using incidents::Incident;

// The measures in the order of the profile_cells columns after the key.
constexpr std::string_view kMeasureColumns[] = {
    "incidents",          "significant",        "cross_border",     "malicious",
    "services_disrupted", "users_affected",     "users_affected_n", "hours_lost",
    "hours_lost_n",       "financial_loss_eur", "financial_loss_n", "to_early_warning_ms",
    "to_early_warning_n", "to_final_ms",        "to_final_n",       "to_resolution_ms",
    "to_resolution_n"};

// The same fields, in the same order, as pointers to members: one list drives the SQL, the
// arithmetic and the comparison.
constexpr std::int64_t Measures::*kMeasureFields[] = {
    &Measures::incidents,          &Measures::significant,        &Measures::cross_border,
    &Measures::malicious,          &Measures::services_disrupted, &Measures::users_affected,
    &Measures::users_affected_n,   &Measures::hours_lost,         &Measures::hours_lost_n,
    &Measures::financial_loss_eur, &Measures::financial_loss_n,   &Measures::to_early_warning_ms,
    &Measures::to_early_warning_n, &Measures::to_final_ms,        &Measures::to_final_n,
    &Measures::to_resolution_ms,   &Measures::to_resolution_n};
static_assert(std::size(kMeasureColumns) == std::size(kMeasureFields));

bool Counts(CaseState state) {
  return state != CaseState::kRejected && state != CaseState::kDuplicate &&
         state != CaseState::kMerged;
}

void AddSpan(std::int64_t& sum, std::int64_t& n, Millis from, const std::optional<Millis>& to) {
  // A stage dated before awareness (a typing error corrected later) would pull the mean below
  // zero; it counts as immediate.
  if (!to) return;
  sum += std::max<Millis>(0, *to - from);
  ++n;
}

// The fine key an organisation is present in: what presence rows are derived from.
struct OrgKey {
  int month = 0;
  std::string sector_id;
  std::string rsit_class;
  std::string severity;
  std::string organisation_id;
  auto operator<=>(const OrgKey&) const = default;
};

OrgKey OrgKeyOf(const Contribution& c) {
  return {c.cell.month, c.cell.sector_id, c.cell.rsit_class, c.cell.severity, c.organisation_id};
}

// A row of profile_cells.
struct RowKey {
  int cut = 0;
  int grain = 0;
  int month = 0;
  std::string sector_id;
  std::string rsit_class;
  std::string rsit_type;
  std::string severity;
  std::string root_cause;
  auto operator<=>(const RowKey&) const = default;
};

// A row of profile_presence.
struct PresenceKey {
  int cut = 0;
  int grain = 0;
  int month = 0;
  std::string sector_id;
  std::string rsit_class;
  std::string severity;
  std::string organisation_id;
  auto operator<=>(const PresenceKey&) const = default;
};

// What a write adds to a row of profile_cells.
struct RowDelta {
  Measures measures;
  std::int64_t organisations = 0;
  bool operator==(const RowDelta&) const = default;
};

std::string Kept(bool keeps, const std::string& value) {
  return keeps ? value : std::string(kAllValues);
}

RowKey RowOf(const CellKey& c, int cut, int grain) {
  const CutKeeps k = Keeps(static_cast<Cut>(cut));
  return {cut,
          grain,
          BinStart(static_cast<Grain>(grain), c.month),
          c.sector_id,
          Kept(k.rsit_class, c.rsit_class),
          Kept(k.rsit_type, c.rsit_type),
          Kept(k.severity, c.severity),
          Kept(k.root_cause, c.root_cause)};
}

PresenceKey PresenceOf(const OrgKey& o, int cut, int grain) {
  const CutKeeps k = Keeps(static_cast<Cut>(cut));
  return {cut,
          grain,
          BinStart(static_cast<Grain>(grain), o.month),
          o.sector_id,
          Kept(k.rsit_class, o.rsit_class),
          Kept(k.severity, o.severity),
          o.organisation_id};
}

// The row of profile_cells whose organisations a presence row counts.
RowKey RowOfPresence(const PresenceKey& p) {
  const std::string all(kAllValues);
  return {p.cut, p.grain, p.month, p.sector_id, p.rsit_class, all, p.severity, all};
}

// Rows per statement when writing many: one round trip for a write's 21 rows, and a few thousand
// parameters at most per statement for a repair (both stores allow far more).
constexpr std::size_t kBatch = 400;

// Adds deltas to rows of profile_cells, creating the missing ones, a batch per statement. Rows
// are written in key order so that two transactions touching the same rows on PostgreSQL take
// their row locks in the same order and do not deadlock.
void AddToRows(db::Tx& tx, const std::map<RowKey, RowDelta>& rows) {
  static const std::string head = [] {
    std::string cols = "cut, grain, month, sector_id, rsit_class, rsit_type, severity, root_cause";
    for (auto c : kMeasureColumns) cols += fmt::format(", {}", c);
    return fmt::format("INSERT INTO profile_cells ({}, organisations) VALUES ", cols);
  }();
  static const std::string tail = [] {
    std::string sets;
    for (auto c : kMeasureColumns) {
      sets += fmt::format("{} = profile_cells.{} + excluded.{}, ", c, c, c);
    }
    return fmt::format(
        " ON CONFLICT (cut, grain, month, sector_id, rsit_class, rsit_type, severity, root_cause) "
        "DO UPDATE SET {}organisations = profile_cells.organisations + excluded.organisations",
        sets);
  }();
  constexpr std::size_t kColumns = 8 + std::size(kMeasureColumns) + 1;
  auto it = rows.begin();
  while (it != rows.end()) {
    std::string sql = head;
    db::Params params;
    for (std::size_t n = 0; n < kBatch && it != rows.end(); ++n, ++it) {
      const auto& [k, d] = *it;
      sql += n == 0 ? "(" : ", (";
      for (std::size_t c = 0; c < kColumns; ++c) {
        sql += fmt::format("{}${}", c == 0 ? "" : ", ", params.size() + c + 1);
      }
      sql += ")";
      params.insert(params.end(), {k.cut, k.grain, k.month, k.sector_id, k.rsit_class, k.rsit_type,
                                   k.severity, k.root_cause});
      for (auto f : kMeasureFields) params.emplace_back(d.measures.*f);
      params.emplace_back(d.organisations);
    }
    tx.Exec(sql + tail, params);
  }
}

// Adds to the presence counters and records, in `rows`, each organisation that arrives in a row
// (its counter goes from 0 to above) or leaves it (back to 0; the counter row is deleted).
void AddToPresence(db::Tx& tx, const std::map<PresenceKey, std::int64_t>& presence,
                   std::map<RowKey, RowDelta>* rows) {
  constexpr std::string_view kKey =
      "cut, grain, month, sector_id, rsit_class, severity, organisation_id";
  auto it = presence.begin();
  while (it != presence.end()) {
    std::string sql = fmt::format("INSERT INTO profile_presence ({}, incidents) VALUES ", kKey);
    db::Params params;
    for (std::size_t n = 0; n < kBatch && it != presence.end(); ++n, ++it) {
      const auto& [k, d] = *it;
      const std::size_t p = params.size();
      sql += fmt::format("{}(${}, ${}, ${}, ${}, ${}, ${}, ${}, ${})", n == 0 ? "" : ", ", p + 1,
                         p + 2, p + 3, p + 4, p + 5, p + 6, p + 7, p + 8);
      params.insert(params.end(), {k.cut, k.grain, k.month, k.sector_id, k.rsit_class, k.severity,
                                   k.organisation_id, d});
    }
    sql += fmt::format(
        " ON CONFLICT ({}) DO UPDATE SET incidents = profile_presence.incidents + "
        "excluded.incidents",
        kKey);
    if (rows == nullptr) {
      tx.Exec(sql, params);
      continue;
    }
    // The store returns the rows in no promised order: each comes back with its key.
    sql += fmt::format(" RETURNING {}, incidents", kKey);
    std::vector<PresenceKey> gone;
    for (const auto& r : tx.Query(sql, params)) {
      PresenceKey k{static_cast<int>(r.Int(0)),
                    static_cast<int>(r.Int(1)),
                    static_cast<int>(r.Int(2)),
                    r.Text(3),
                    r.Text(4),
                    r.Text(5),
                    r.Text(6)};
      const std::int64_t now = r.Int(7);
      const std::int64_t delta = presence.at(k);
      if (now <= 0) {
        (*rows)[RowOfPresence(k)].organisations -= 1;
        gone.push_back(std::move(k));
      } else if (now == delta) {
        (*rows)[RowOfPresence(k)].organisations += 1;
      }
    }
    for (const auto& k : gone) {
      tx.Exec(
          "DELETE FROM profile_presence WHERE cut = $1 AND grain = $2 AND month = $3 AND "
          "sector_id = $4 AND rsit_class = $5 AND severity = $6 AND organisation_id = $7 AND "
          "incidents <= 0",
          {k.cut, k.grain, k.month, k.sector_id, k.rsit_class, k.severity, k.organisation_id});
    }
  }
}

// What one contribution adds to (sign +1) or takes from (-1) every cut and grain.
void Spread(const Contribution& c, int sign, std::map<RowKey, RowDelta>& rows,
            std::map<PresenceKey, std::int64_t>& presence) {
  for (int cut = 0; cut < kCuts; ++cut) {
    for (int grain = 0; grain < kGrains; ++grain) {
      auto& d = rows[RowOf(c.cell, cut, grain)].measures;
      if (sign > 0) {
        d += c.measures;
      } else {
        d -= c.measures;
      }
    }
  }
  const OrgKey o = OrgKeyOf(c);
  for (int cut = 0; cut < kCountedCuts; ++cut) {
    for (int grain = 0; grain < kGrains; ++grain) presence[PresenceOf(o, cut, grain)] += sign;
  }
}

constexpr std::string_view kIncidentColumns =
    "id, organisation_id, sector_id, aware_at, state, rsit_class, rsit_type, severity, "
    "root_cause, significant, cross_border, suspected_malicious, affected_services, "
    "users_affected, duration_hours, financial_loss_eur, early_warning_at, final_at, resolved_at";

// The fields of an incident the profile reads, from a row of kIncidentColumns.
Incident FromRow(const db::Row& r) {
  Incident i;
  i.id = r.Text(0);
  i.organisation_id = r.Text(1);
  i.sector_id = r.Text(2);
  i.aware_at = r.Int(3);
  i.state = incidents::ParseCaseState(r.Text(4)).value_or(CaseState::kSubmitted);
  i.rsit_class = r.OptText(5);
  i.rsit_type = r.OptText(6);
  if (auto s = r.OptText(7)) i.severity = incidents::ParseSeverity(*s);
  i.root_cause = r.OptText(8);
  if (!r.IsNull(9)) i.significant = r.Bool(9);
  i.impact.cross_border = r.Bool(10);
  i.suspected_malicious = r.Text(11);
  // Only the number of services matters here; the list is a JSON array of strings.
  std::string services = r.Text(12);
  std::size_t quotes = 0;
  for (std::size_t k = 0; k < services.size(); ++k) {
    if (services[k] == '\\') {
      ++k;
    } else if (services[k] == '"') {
      ++quotes;
    }
  }
  i.affected_services.resize(quotes / 2);
  i.impact.users_affected = r.OptInt(13);
  i.impact.duration_hours = r.OptInt(14);
  i.impact.financial_loss_eur = r.OptInt(15);
  i.early_warning_at = r.OptInt(16);
  i.final_at = r.OptInt(17);
  i.resolved_at = r.OptInt(18);
  return i;
}

}  // namespace

Measures& Measures::operator+=(const Measures& o) {
  for (auto f : kMeasureFields) this->*f += o.*f;
  return *this;
}

Measures& Measures::operator-=(const Measures& o) {
  for (auto f : kMeasureFields) this->*f -= o.*f;
  return *this;
}

int MonthOf(Millis t) {
  using namespace std::chrono;
  const year_month_day ymd{floor<days>(sys_time<milliseconds>(milliseconds(t)))};
  return static_cast<int>(ymd.year()) * 100 + static_cast<int>(static_cast<unsigned>(ymd.month()));
}

std::optional<Contribution> ContributionOf(const Incident& i) {
  if (!Counts(i.state)) return std::nullopt;
  Contribution c;
  c.organisation_id = i.organisation_id;
  c.cell.month = MonthOf(i.aware_at);
  c.cell.sector_id = i.sector_id;
  c.cell.rsit_class = i.rsit_class.value_or("");
  c.cell.rsit_type = i.rsit_type.value_or("");
  c.cell.severity = i.severity ? std::string(incidents::Name(*i.severity)) : "";
  c.cell.root_cause = i.root_cause.value_or("");
  Measures& m = c.measures;
  m.incidents = 1;
  m.significant = i.significant.value_or(false) ? 1 : 0;
  m.cross_border = i.impact.cross_border ? 1 : 0;
  m.malicious = i.suspected_malicious == "yes" ? 1 : 0;
  m.services_disrupted = static_cast<std::int64_t>(i.affected_services.size());
  if (i.impact.users_affected) {
    m.users_affected = *i.impact.users_affected;
    m.users_affected_n = 1;
  }
  if (i.impact.duration_hours) {
    m.hours_lost = *i.impact.duration_hours;
    m.hours_lost_n = 1;
  }
  if (i.impact.financial_loss_eur) {
    m.financial_loss_eur = *i.impact.financial_loss_eur;
    m.financial_loss_n = 1;
  }
  AddSpan(m.to_early_warning_ms, m.to_early_warning_n, i.aware_at, i.early_warning_at);
  AddSpan(m.to_final_ms, m.to_final_n, i.aware_at, i.final_at);
  AddSpan(m.to_resolution_ms, m.to_resolution_n, i.aware_at, i.resolved_at);
  return c;
}

std::optional<Incident> LoadForProfile(db::Tx& tx, std::string_view incident_id) {
  auto r = tx.QueryOne(fmt::format("SELECT {} FROM incidents WHERE id = $1", kIncidentColumns),
                       {incident_id});
  if (!r) return std::nullopt;
  return FromRow(*r);
}

CutKeeps Keeps(Cut cut) {
  switch (cut) {
    case Cut::kSector:
      return {};
    case Cut::kClass:
      return {.rsit_class = true};
    case Cut::kSeverity:
      return {.severity = true};
    case Cut::kClassSeverity:
      return {.rsit_class = true, .severity = true};
    case Cut::kType:
      return {.rsit_class = true, .rsit_type = true};
    case Cut::kRootCause:
      return {.root_cause = true};
    case Cut::kAll:
      break;
  }
  return {.rsit_class = true, .rsit_type = true, .severity = true, .root_cause = true};
}

int BinStart(Grain grain, int month) {
  switch (grain) {
    case Grain::kMonth:
      break;
    case Grain::kQuarter:
      return month - (month % 100 - 1) % 3;
    case Grain::kYear:
      return month / 100 * 100 + 1;
  }
  return month;
}

void Apply(db::Tx& tx, const std::optional<Incident>& before, const Incident& after) {
  std::optional<Contribution> old = before ? ContributionOf(*before) : std::nullopt;
  std::optional<Contribution> now = ContributionOf(after);
  if (old && now && old->cell == now->cell && old->organisation_id == now->organisation_id &&
      old->measures == now->measures) {
    return;
  }
  std::map<RowKey, RowDelta> rows;
  std::map<PresenceKey, std::int64_t> presence;
  if (old) Spread(*old, -1, rows, presence);
  if (now) Spread(*now, +1, rows, presence);
  std::erase_if(presence, [](const auto& p) { return p.second == 0; });
  // Presence first: it says which organisations arrive in or leave a row, which the rows then
  // carry in the same statement as their measures.
  if (!presence.empty()) AddToPresence(tx, presence, &rows);
  std::erase_if(rows, [](const auto& r) { return r.second == RowDelta{}; });
  if (!rows.empty()) AddToRows(tx, rows);
}

VerifyResult Verify(db::Tx& tx, bool repair) {
  VerifyResult out;
  // The finest grain from the incidents; every cut and grain is summed from it below, which
  // costs one map update per incident instead of twenty-one.
  std::map<CellKey, Measures> fine;
  std::map<OrgKey, std::int64_t> fine_orgs;
  // In pages by id, so ten million incidents never sit in memory at once; the sums do.
  std::string after;
  constexpr int kPage = 10000;
  for (;;) {
    auto rows = tx.Query(fmt::format("SELECT {} FROM incidents WHERE id > $1 ORDER BY id LIMIT {}",
                                     kIncidentColumns, kPage),
                         {after});
    for (const auto& r : rows) {
      if (auto c = ContributionOf(FromRow(r))) {
        ++out.incidents;
        fine[c->cell] += c->measures;
        fine_orgs[OrgKeyOf(*c)] += 1;
      }
    }
    if (rows.size() < kPage) break;
    after = rows.back().Text(0);
  }
  std::map<RowKey, RowDelta> want;
  for (const auto& [k, m] : fine) {
    for (int cut = 0; cut < kCuts; ++cut) {
      for (int grain = 0; grain < kGrains; ++grain) want[RowOf(k, cut, grain)].measures += m;
    }
  }
  fine.clear();
  std::map<PresenceKey, std::int64_t> want_presence;
  for (const auto& [k, n] : fine_orgs) {
    for (int cut = 0; cut < kCountedCuts; ++cut) {
      for (int grain = 0; grain < kGrains; ++grain) want_presence[PresenceOf(k, cut, grain)] += n;
    }
  }
  fine_orgs.clear();
  for (const auto& [k, n] : want_presence) want[RowOfPresence(k)].organisations += 1;
  out.cells = static_cast<std::int64_t>(want.size());

  std::string select =
      "SELECT cut, grain, month, sector_id, rsit_class, rsit_type, severity, root_cause";
  for (auto c : kMeasureColumns) select += fmt::format(", {}", c);
  select += ", organisations FROM profile_cells";
  std::map<RowKey, RowDelta> have;
  for (const auto& r : tx.Query(select, {})) {
    RowKey k{static_cast<int>(r.Int(0)),
             static_cast<int>(r.Int(1)),
             static_cast<int>(r.Int(2)),
             r.Text(3),
             r.Text(4),
             r.Text(5),
             r.Text(6),
             r.Text(7)};
    RowDelta d;
    std::size_t col = 8;
    for (auto f : kMeasureFields) d.measures.*f = r.Int(col++);
    d.organisations = r.Int(col);
    if (d == RowDelta{}) continue;  // a row emptied by moves: the same as no row
    have.emplace(std::move(k), d);
  }
  std::map<PresenceKey, std::int64_t> have_presence;
  for (const auto& r : tx.Query("SELECT cut, grain, month, sector_id, rsit_class, severity, "
                                "organisation_id, incidents FROM profile_presence",
                                {})) {
    have_presence[{static_cast<int>(r.Int(0)), static_cast<int>(r.Int(1)),
                   static_cast<int>(r.Int(2)), r.Text(3), r.Text(4), r.Text(5), r.Text(6)}] =
        r.Int(7);
  }

  constexpr std::string_view kGrainNames[] = {"month", "quarter", "year"};
  auto describe = [&](const RowKey& k) {
    return fmt::format("cut {} {} {} {} class '{}' type '{}' severity '{}' root cause '{}'", k.cut,
                       kGrainNames[k.grain], k.month, k.sector_id, k.rsit_class, k.rsit_type,
                       k.severity, k.root_cause);
  };
  for (const auto& [k, d] : want) {
    auto it = have.find(k);
    if (it == have.end()) {
      out.differences.push_back(
          fmt::format("missing row {} ({} incidents)", describe(k), d.measures.incidents));
    } else if (!(it->second.measures == d.measures)) {
      out.differences.push_back(fmt::format("row {}: {} incidents counted, {} in the roll-up",
                                            describe(k), d.measures.incidents,
                                            it->second.measures.incidents));
    } else if (it->second.organisations != d.organisations) {
      out.differences.push_back(fmt::format("row {}: {} organisations counted, {} in the roll-up",
                                            describe(k), d.organisations,
                                            it->second.organisations));
    }
  }
  for (const auto& [k, d] : have) {
    if (!want.contains(k)) {
      out.differences.push_back(fmt::format("row {} has {} incidents that do not exist",
                                            describe(k), d.measures.incidents));
    }
  }
  auto describe_presence = [&](const PresenceKey& k) {
    return fmt::format("organisation {} in cut {} {} {} {} class '{}' severity '{}'",
                       k.organisation_id, k.cut, kGrainNames[k.grain], k.month, k.sector_id,
                       k.rsit_class, k.severity);
  };
  for (const auto& [k, n] : want_presence) {
    auto it = have_presence.find(k);
    if (it == have_presence.end() || it->second != n) {
      out.differences.push_back(fmt::format("{}: {} incidents counted, {} in the roll-up",
                                            describe_presence(k), n,
                                            it == have_presence.end() ? 0 : it->second));
    }
  }
  for (const auto& [k, n] : have_presence) {
    if (!want_presence.contains(k)) {
      out.differences.push_back(
          fmt::format("{} has {} incidents that do not exist", describe_presence(k), n));
    }
  }

  if (repair && !out.differences.empty()) {
    have.clear();
    have_presence.clear();
    tx.Exec("DELETE FROM profile_cells", {});
    tx.Exec("DELETE FROM profile_presence", {});
    AddToPresence(tx, want_presence, nullptr);
    AddToRows(tx, want);
  }
  return out;
}

}  // namespace rampart::profile
