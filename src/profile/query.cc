#include "profile/query.h"

#include <algorithm>
#include <bit>
#include <map>
#include <set>
#include <unordered_map>

#include <fmt/format.h>

#include "profile/suppression.h"

namespace rampart::profile {

namespace {

constexpr std::string_view kDimNames[] = {"sector", "class",   "type",    "severity",
                                          "root_cause", "month", "quarter", "year"};

bool IsTime(Dim d) { return d == Dim::kMonth || d == Dim::kQuarter || d == Dim::kYear; }

// The value of `dim` for a roll-up row's key.
std::string ValueOf(Dim dim, const CellKey& k) {
  switch (dim) {
    case Dim::kSector:
      return k.sector_id;
    case Dim::kClass:
      return k.rsit_class;
    case Dim::kType:
      return k.rsit_type;
    case Dim::kSeverity:
      return k.severity;
    case Dim::kRootCause:
      return k.root_cause;
    case Dim::kMonth:
    case Dim::kQuarter:
    case Dim::kYear:
      return BinLabel(dim, k.month);
  }
  return "";
}

std::string Joined(const std::vector<std::string>& key) {
  std::string out;
  for (const auto& v : key) {
    out += v;
    out += '\x1f';
  }
  return out;
}

// "AND column IN ($n, …)" for a filter, appending its values to params.
std::string InList(std::string_view column, const std::vector<std::string>& values,
                   db::Params& params) {
  if (values.empty()) return "";
  std::string sql = fmt::format(" AND {} IN (", column);
  for (std::size_t i = 0; i < values.size(); ++i) {
    params.emplace_back(values[i]);
    sql += fmt::format("{}${}", i == 0 ? "" : ", ", params.size());
  }
  return sql + ")";
}

std::string Where(const Query& q, db::Params& params) {
  params = {q.from_month, q.to_month};
  return "month >= $1 AND month <= $2" + InList("sector_id", q.sectors, params) +
         InList("rsit_class", q.classes, params) + InList("severity", q.severities, params);
}

// A set of organisations, by their index among those the query met: one bit each, so that the
// organisations behind every cell, margin and total of a table stay a few words apiece.
class OrgSet {
 public:
  void Insert(std::size_t i) {
    if (bits_.size() <= i / 64) bits_.resize(i / 64 + 1);
    bits_[i / 64] |= std::uint64_t{1} << (i % 64);
  }
  [[nodiscard]] std::int64_t Size() const {
    std::int64_t n = 0;
    for (auto w : bits_) n += std::popcount(w);
    return n;
  }

 private:
  std::vector<std::uint64_t> bits_;
};

// Figures under construction: each with the organisations it describes.
struct Building {
  Figure figure;
  OrgSet orgs;
  std::set<std::string> sectors;  // the sectors whose incidents it counts
};

}  // namespace

std::string_view Name(Dim dim) { return kDimNames[static_cast<int>(dim)]; }

std::optional<Dim> ParseDim(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kDimNames); ++i) {
    if (kDimNames[i] == name) return static_cast<Dim>(i);
  }
  return std::nullopt;
}

bool Aggregatable(Dim dim) { return dim != Dim::kType && dim != Dim::kRootCause; }

std::string MonthLabel(int month) { return fmt::format("{:04}-{:02}", month / 100, month % 100); }

std::string BinLabel(Dim dim, int month) {
  if (dim == Dim::kQuarter) return fmt::format("{}-Q{}", month / 100, (month % 100 - 1) / 3 + 1);
  if (dim == Dim::kYear) return std::to_string(month / 100);
  return MonthLabel(month);
}

std::optional<QueryError> CheckQuery(const Query& q, const ProfileView& view) {
  if (q.from_month > q.to_month) return QueryError{"from", "must not be after to"};
  if ((q.to_month / 100 - q.from_month / 100) * 12 + (q.to_month % 100 - q.from_month % 100) >=
      20 * 12) {
    return QueryError{"from", "a period is at most 20 years"};
  }
  if (q.by.size() > 3) return QueryError{"by", "at most three dimensions"};
  int times = 0;
  for (std::size_t i = 0; i < q.by.size(); ++i) {
    if (IsTime(q.by[i])) ++times;
    for (std::size_t j = 0; j < i; ++j) {
      if (q.by[i] == q.by[j]) return QueryError{"by", fmt::format("'{}' twice", Name(q.by[i]))};
    }
  }
  if (times > 1) return QueryError{"by", "at most one of month, quarter and year"};
  // Whether every sector asked for is one the viewer sees in full; if not, the figures are
  // aggregates checked for small cells, which the roll-up of organisations can do only for some
  // dimensions.
  bool full = view.national;
  if (!full && !q.sectors.empty()) {
    full = std::all_of(q.sectors.begin(), q.sectors.end(),
                       [&](const std::string& s) { return view.SeesInFull(s); });
  }
  if (!full) {
    for (Dim d : q.by) {
      if (!Aggregatable(d)) {
        return QueryError{"by", fmt::format("'{}' is shown only for the sectors you follow in "
                                            "full; choose them with sector=",
                                            Name(d))};
      }
    }
  }
  return std::nullopt;
}

Table Compute(db::Tx& tx, const Query& q, const ProfileView& view,
              std::int64_t min_organisations) {
  Table out;
  out.min_organisations = min_organisations;
  const std::size_t dims = q.by.size();

  // Cells from the roll-up, grouped in SQL by the stored columns the dimensions need.
  db::Params params;
  const std::string where = Where(q, params);
  // Group by only the stored columns the dimensions read, so that the database does the summing;
  // the others read as constants.
  auto needs = [&](Dim d) { return std::find(q.by.begin(), q.by.end(), d) != q.by.end(); };
  const bool by_time = needs(Dim::kMonth) || needs(Dim::kQuarter) || needs(Dim::kYear);
  std::vector<std::string> group = {"sector_id"};
  auto column = [&](bool needed, std::string_view name, std::string_view constant) {
    if (!needed) return std::string(constant);
    group.emplace_back(name);
    return std::string(name);
  };
  std::string select = "SELECT " + column(by_time, "month", "0") + ", sector_id, " +
                       column(needs(Dim::kClass), "rsit_class", "''") + ", " +
                       column(needs(Dim::kType), "rsit_type", "''") + ", " +
                       column(needs(Dim::kSeverity), "severity", "''") + ", " +
                       column(needs(Dim::kRootCause), "root_cause", "''");
  select +=
      ", SUM(incidents), SUM(significant), SUM(cross_border), SUM(malicious), "
      "SUM(services_disrupted), SUM(users_affected), SUM(users_affected_n), SUM(hours_lost), "
      "SUM(hours_lost_n), SUM(financial_loss_eur), SUM(financial_loss_n), "
      "SUM(to_early_warning_ms), SUM(to_early_warning_n), SUM(to_final_ms), SUM(to_final_n), "
      "SUM(to_resolution_ms), SUM(to_resolution_n) FROM profile_months WHERE " +
      where + " AND incidents > 0 GROUP BY ";
  for (std::size_t i = 0; i < group.size(); ++i) select += (i ? ", " : "") + group[i];

  std::vector<Building> cells;
  std::unordered_map<std::string, std::size_t> cell_index;
  std::vector<std::map<std::string, Building>> margins(dims >= 2 ? dims : 0);
  Building total;
  auto key_of = [&](const CellKey& k) {
    std::vector<std::string> key;
    key.reserve(dims);
    for (Dim d : q.by) key.push_back(ValueOf(d, k));
    return key;
  };
  auto margin_key = [&](const std::vector<std::string>& key, std::size_t d) {
    std::vector<std::string> m(dims);
    m[d] = key[d];
    return m;
  };
  for (const auto& r : tx.Query(select, params)) {
    CellKey k{static_cast<int>(r.Int(0)), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5)};
    Measures m;
    m.incidents = r.Int(6);
    m.significant = r.Int(7);
    m.cross_border = r.Int(8);
    m.malicious = r.Int(9);
    m.services_disrupted = r.Int(10);
    m.users_affected = r.Int(11);
    m.users_affected_n = r.Int(12);
    m.hours_lost = r.Int(13);
    m.hours_lost_n = r.Int(14);
    m.financial_loss_eur = r.Int(15);
    m.financial_loss_n = r.Int(16);
    m.to_early_warning_ms = r.Int(17);
    m.to_early_warning_n = r.Int(18);
    m.to_final_ms = r.Int(19);
    m.to_final_n = r.Int(20);
    m.to_resolution_ms = r.Int(21);
    m.to_resolution_n = r.Int(22);
    auto key = key_of(k);
    auto [it, added] = cell_index.try_emplace(Joined(key), cells.size());
    if (added) {
      cells.push_back({});
      cells.back().figure.key = key;
    }
    cells[it->second].figure.measures += m;
    cells[it->second].sectors.insert(k.sector_id);
    for (std::size_t d = 0; d < margins.size(); ++d) {
      auto& b = margins[d][key[d]];
      b.figure.key = margin_key(key, d);
      b.figure.measures += m;
      b.sectors.insert(k.sector_id);
    }
    total.figure.measures += m;
    total.sectors.insert(k.sector_id);
  }

  auto full = [&](const Building& b) {
    return std::all_of(b.sectors.begin(), b.sectors.end(),
                       [&](const std::string& s) { return view.SeesInFull(s); });
  };
  for (auto& c : cells) c.figure.full = full(c);
  for (auto& m : margins) {
    for (auto& [v, b] : m) b.figure.full = full(b);
  }
  total.figure.full = full(total);

  // Organisations behind each figure, from the organisation roll-up, only when some figure is
  // not seen in full (the national CERT's tables never need it).
  bool all_full = total.figure.full;
  if (!all_full) {
    std::unordered_map<std::string, std::size_t> org_index;
    db::Params p;
    const std::string w = Where(q, p);
    for (const auto& r : tx.Query("SELECT month, sector_id, rsit_class, severity, organisation_id "
                                  "FROM profile_organisations WHERE " + w,
                                  p)) {
      CellKey k{static_cast<int>(r.Int(0)), r.Text(1), r.Text(2), "", r.Text(3), ""};
      auto key = key_of(k);
      const std::size_t org =
          org_index.try_emplace(r.Text(4), org_index.size()).first->second;
      auto it = cell_index.find(Joined(key));
      if (it != cell_index.end()) cells[it->second].orgs.Insert(org);
      for (std::size_t d = 0; d < margins.size(); ++d) {
        auto m = margins[d].find(key[d]);
        if (m != margins[d].end()) m->second.orgs.Insert(org);
      }
      total.orgs.Insert(org);
    }
  }

  // Suppression over the cells, the margins and the total, tied by their sums.
  std::vector<Item> items;
  std::vector<Building*> item_of;
  auto add_item = [&](Building& b) {
    b.figure.organisations = all_full ? 0 : b.orgs.Size();
    items.push_back({b.figure.measures.incidents, b.figure.organisations, b.figure.full});
    item_of.push_back(&b);
    return static_cast<int>(items.size() - 1);
  };
  std::vector<int> cell_items;
  for (auto& c : cells) cell_items.push_back(add_item(c));
  std::vector<Relation> relations;
  for (std::size_t d = 0; d < margins.size(); ++d) {
    for (auto& [v, b] : margins[d]) {
      Relation r{add_item(b), {}};
      for (std::size_t c = 0; c < cells.size(); ++c) {
        if (cells[c].figure.key[d] == v) r.members.push_back(cell_items[c]);
      }
      relations.push_back(std::move(r));
    }
  }
  // With no dimension the total is the table's only figure; with one, the cells add up to it.
  if (dims == 0) {
    add_item(total);
  } else {
    relations.push_back({add_item(total), cell_items});
  }
  if (!all_full) Suppress(items, relations, min_organisations);
  for (std::size_t i = 0; i < items.size(); ++i) {
    item_of[i]->figure.suppressed = items[i].suppressed;
    if (items[i].suppressed) out.any_suppressed = true;
  }

  // Cells in the order of their key, time ascending, so tables and charts read naturally.
  std::sort(cells.begin(), cells.end(),
            [](const Building& a, const Building& b) { return a.figure.key < b.figure.key; });
  for (auto& c : cells) out.cells.push_back(std::move(c.figure));
  for (auto& m : margins) {
    out.margins.emplace_back();
    for (auto& [v, b] : m) out.margins.back().push_back(std::move(b.figure));
  }
  out.total = std::move(total.figure);
  return out;
}

}  // namespace rampart::profile
