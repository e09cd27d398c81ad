#include "profile/rollup.h"

#include <chrono>
#include <map>
#include <tuple>
#include <utility>

#include <fmt/format.h>

namespace rampart::profile {

namespace {

using incidents::CaseState;
using incidents::Incident;

// The measures in the order of the profile_months columns after the key.
constexpr std::string_view kMeasureColumns[] = {
    "incidents",        "significant",        "cross_border",        "malicious",
    "services_disrupted", "users_affected",   "users_affected_n",    "hours_lost",
    "hours_lost_n",     "financial_loss_eur", "financial_loss_n",    "to_early_warning_ms",
    "to_early_warning_n", "to_final_ms",      "to_final_n",          "to_resolution_ms",
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

// Where the organisation of a cell is counted: the coarser key of profile_organisations.
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

db::Params KeyParams(const CellKey& k) {
  return {k.month, k.sector_id, k.rsit_class, k.rsit_type, k.severity, k.root_cause};
}

const std::string& UpsertCellSql() {
  static const std::string sql = [] {
    std::string cols = "month, sector_id, rsit_class, rsit_type, severity, root_cause";
    std::string values = "$1, $2, $3, $4, $5, $6";
    std::string sets;
    int n = 7;
    for (auto c : kMeasureColumns) {
      cols += fmt::format(", {}", c);
      values += fmt::format(", ${}", n++);
      sets += fmt::format("{}{} = profile_months.{} + excluded.{}", sets.empty() ? "" : ", ", c, c,
                          c);
    }
    return fmt::format(
        "INSERT INTO profile_months ({}) VALUES ({}) ON CONFLICT (month, sector_id, rsit_class, "
        "rsit_type, severity, root_cause) DO UPDATE SET {}",
        cols, values, sets);
  }();
  return sql;
}

void AddToCell(db::Tx& tx, const CellKey& key, const Measures& delta) {
  db::Params params = KeyParams(key);
  for (auto f : kMeasureFields) params.emplace_back(delta.*f);
  tx.Exec(UpsertCellSql(), params);
}

void AddToOrganisation(db::Tx& tx, const OrgKey& key, std::int64_t delta) {
  db::Params params = {key.month, key.sector_id, key.rsit_class, key.severity,
                       key.organisation_id, delta};
  tx.Exec(
      "INSERT INTO profile_organisations (month, sector_id, rsit_class, severity, "
      "organisation_id, incidents) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (month, "
      "sector_id, rsit_class, severity, organisation_id) DO UPDATE SET incidents = "
      "profile_organisations.incidents + excluded.incidents",
      params);
  if (delta < 0) {
    params.pop_back();
    tx.Exec(
        "DELETE FROM profile_organisations WHERE month = $1 AND sector_id = $2 AND "
        "rsit_class = $3 AND severity = $4 AND organisation_id = $5 AND incidents <= 0",
        params);
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

void Apply(db::Tx& tx, const std::optional<Incident>& before, const Incident& after) {
  std::optional<Contribution> old = before ? ContributionOf(*before) : std::nullopt;
  std::optional<Contribution> now = ContributionOf(after);
  if (old && now && old->cell == now->cell && old->organisation_id == now->organisation_id) {
    if (old->measures == now->measures) return;
    Measures delta = now->measures;
    delta -= old->measures;
    AddToCell(tx, now->cell, delta);
    return;
  }
  // The cell moved (classified, assessed, closed as a duplicate…). Rows are written in key order
  // so that two transactions moving incidents between the same cells on PostgreSQL take their
  // row locks in the same order and do not deadlock.
  std::map<CellKey, Measures> cells;
  std::map<OrgKey, std::int64_t> orgs;
  if (old) {
    cells[old->cell] -= old->measures;
    orgs[OrgKeyOf(*old)] -= 1;
  }
  if (now) {
    cells[now->cell] += now->measures;
    orgs[OrgKeyOf(*now)] += 1;
  }
  for (const auto& [key, delta] : cells) {
    if (!(delta == Measures{})) AddToCell(tx, key, delta);
  }
  for (const auto& [key, delta] : orgs) {
    if (delta != 0) AddToOrganisation(tx, key, delta);
  }
}

VerifyResult Verify(db::Tx& tx, bool repair) {
  VerifyResult out;
  std::map<CellKey, Measures> want_cells;
  std::map<OrgKey, std::int64_t> want_orgs;
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
        want_cells[c->cell] += c->measures;
        want_orgs[OrgKeyOf(*c)] += 1;
      }
    }
    if (rows.size() < kPage) break;
    after = rows.back().Text(0);
  }
  out.cells = static_cast<std::int64_t>(want_cells.size());

  std::string select = "SELECT month, sector_id, rsit_class, rsit_type, severity, root_cause";
  for (auto c : kMeasureColumns) select += fmt::format(", {}", c);
  std::map<CellKey, Measures> have_cells;
  for (const auto& r : tx.Query(select + " FROM profile_months", {})) {
    CellKey k{static_cast<int>(r.Int(0)), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
    Measures m;
    std::size_t col = 6;
    for (auto f : kMeasureFields) m.*f = r.Int(col++);
    if (m == Measures{}) continue;  // a cell emptied by moves: the same as no row
    have_cells[k] = m;
  }
  std::map<OrgKey, std::int64_t> have_orgs;
  for (const auto& r : tx.Query("SELECT month, sector_id, rsit_class, severity, organisation_id, "
                                "incidents FROM profile_organisations",
                                {})) {
    have_orgs[{static_cast<int>(r.Int(0)), r.Text(1), r.Text(2), r.Text(3), r.Text(4)}] = r.Int(5);
  }

  auto describe = [](const CellKey& k) {
    return fmt::format("{} {} class '{}' type '{}' severity '{}' root cause '{}'", k.month,
                       k.sector_id, k.rsit_class, k.rsit_type, k.severity, k.root_cause);
  };
  for (const auto& [k, m] : want_cells) {
    auto it = have_cells.find(k);
    if (it == have_cells.end()) {
      out.differences.push_back(fmt::format("missing cell {} ({} incidents)", describe(k),
                                            m.incidents));
    } else if (!(it->second == m)) {
      out.differences.push_back(fmt::format("cell {}: {} incidents counted, {} in the roll-up",
                                            describe(k), m.incidents, it->second.incidents));
    }
  }
  for (const auto& [k, m] : have_cells) {
    if (!want_cells.contains(k)) {
      out.differences.push_back(
          fmt::format("cell {} has {} incidents that do not exist", describe(k), m.incidents));
    }
  }
  for (const auto& [k, n] : want_orgs) {
    auto it = have_orgs.find(k);
    if (it == have_orgs.end() || it->second != n) {
      out.differences.push_back(fmt::format(
          "organisation {} in {} {} class '{}' severity '{}': {} incidents counted, {} in the "
          "roll-up",
          k.organisation_id, k.month, k.sector_id, k.rsit_class, k.severity, n,
          it == have_orgs.end() ? 0 : it->second));
    }
  }
  for (const auto& [k, n] : have_orgs) {
    if (!want_orgs.contains(k)) {
      out.differences.push_back(fmt::format("organisation {} in {} {} class '{}' severity '{}' "
                                            "has {} incidents that do not exist",
                                            k.organisation_id, k.month, k.sector_id, k.rsit_class,
                                            k.severity, n));
    }
  }

  if (repair && !out.differences.empty()) {
    tx.Exec("DELETE FROM profile_months", {});
    tx.Exec("DELETE FROM profile_organisations", {});
    for (const auto& [k, m] : want_cells) AddToCell(tx, k, m);
    for (const auto& [k, n] : want_orgs) AddToOrganisation(tx, k, n);
  }
  return out;
}

}  // namespace rampart::profile
