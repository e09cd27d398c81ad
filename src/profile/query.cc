#include "profile/query.h"

#include <fmt/format.h>

#include <algorithm>
#include <bit>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "profile/suppression.h"

namespace rampart::profile {

namespace {

constexpr std::string_view kDimNames[] = {"sector",     "class", "type",    "severity",
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

int AddMonths(int month, int n) {
  const int index = (month / 100) * 12 + (month % 100 - 1) + n;
  return (index / 12) * 100 + index % 12 + 1;
}

// The smallest cut that keeps every dimension the query groups or filters by.
Cut CutFor(const Query& q) {
  auto by = [&](Dim d) { return std::find(q.by.begin(), q.by.end(), d) != q.by.end(); };
  const bool type = by(Dim::kType);
  const bool cls = type || by(Dim::kClass) || !q.classes.empty();
  const bool severity = by(Dim::kSeverity) || !q.severities.empty();
  const bool root = by(Dim::kRootCause);
  // In the order of their size: severities are fewer than classes, root causes than types.
  for (Cut cut : {Cut::kSector, Cut::kSeverity, Cut::kClass, Cut::kClassSeverity, Cut::kRootCause,
                  Cut::kType}) {
    const CutKeeps k = Keeps(cut);
    if ((!cls || k.rsit_class) && (!type || k.rsit_type) && (!severity || k.severity) &&
        (!root || k.root_cause)) {
      return cut;
    }
  }
  return Cut::kAll;
}

// A run of bins of one grain: the first months of the first and the last, inclusive.
struct Span {
  Grain grain = Grain::kMonth;
  int first = 0;
  int last = 0;
};

// The period tiled by the coarsest bins that fit in it and that the table's time dimension can
// still tell apart: whole years, then whole quarters, then the ragged months at either end. Ten
// years read ten year rows per cell instead of a hundred and twenty month rows.
std::vector<Span> Tiling(const Query& q) {
  bool quarters = true, years = true;
  for (Dim d : q.by) {
    if (d == Dim::kMonth) quarters = years = false;
    if (d == Dim::kQuarter) years = false;
  }
  std::vector<Span> out;
  for (int m = q.from_month; m <= q.to_month;) {
    Grain g = Grain::kMonth;
    int step = 1;
    if (years && m % 100 == 1 && AddMonths(m, 11) <= q.to_month) {
      g = Grain::kYear;
      step = 12;
    } else if (quarters && (m % 100 - 1) % 3 == 0 && AddMonths(m, 2) <= q.to_month) {
      g = Grain::kQuarter;
      step = 3;
    }
    if (!out.empty() && out.back().grain == g) {
      out.back().last = m;
    } else {
      out.push_back({g, m, m});
    }
    m = AddMonths(m, step);
  }
  return out;
}

// The rows of one cut and span that the query's filters keep, with `alias.` before each column.
std::string Where(const Query& q, Cut cut, const Span& span, std::string_view alias,
                  db::Params& params) {
  params = {static_cast<int>(cut), static_cast<int>(span.grain), span.first, span.last};
  const std::string a(alias);
  return fmt::format("{0}cut = $1 AND {0}grain = $2 AND {0}month >= $3 AND {0}month <= $4", a) +
         InList(a + "sector_id", q.sectors, params) + InList(a + "rsit_class", q.classes, params) +
         InList(a + "severity", q.severities, params) + fmt::format(" AND {}incidents > 0", a);
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
  // The most organisations of any roll-up row it sums: it describes at least as many.
  std::int64_t at_least = 0;
  OrgSet orgs;
  // Whether the viewer sees in full every sector whose incidents it counts (true while empty).
  bool full = true;
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

Table Compute(db::Tx& tx, const Query& q, const ProfileView& view, std::int64_t min_organisations) {
  Table out;
  out.min_organisations = min_organisations;
  const std::size_t dims = q.by.size();
  const Cut cut = CutFor(q);
  out.organisations_counted = static_cast<int>(cut) < kCountedCuts;
  const std::vector<Span> spans = Tiling(q);

  // Group in SQL by only the columns the dimensions read (and the sector, which decides what the
  // viewer sees in full), so that the database does the summing; the others read as constants.
  auto needs = [&](Dim d) { return std::find(q.by.begin(), q.by.end(), d) != q.by.end(); };
  const bool by_time = needs(Dim::kMonth) || needs(Dim::kQuarter) || needs(Dim::kYear);
  std::vector<std::string> group;
  auto column = [&](bool needed, std::string_view name, std::string_view constant) {
    if (!needed) return std::string(constant);
    group.emplace_back(name);
    return std::string(name);
  };
  // What the viewer sees in full is decided per sector. Grouping by sector when the table is not
  // by sector would multiply the rows read back by the number of sectors; a flag does the same
  // work: '+' for the sectors seen in full, '-' for the others (for the national CERT, always '+').
  std::string sector = "sector_id";
  db::Params flag_params;
  if (!needs(Dim::kSector)) {
    if (view.national) {
      sector = "'+'";
    } else if (view.full_sectors.empty()) {
      sector = "'-'";
    } else {
      sector = "CASE WHEN sector_id IN (";
      for (std::size_t i = 0; i < view.full_sectors.size(); ++i) {
        sector += fmt::format("{}$#{}", i ? ", " : "", i);
        flag_params.emplace_back(view.full_sectors[i]);
      }
      sector += ") THEN '+' ELSE '-' END";
      group.emplace_back(sector);
    }
  } else {
    group.emplace_back("sector_id");
  }
  auto row_full = [&](const std::string& value) {
    if (!needs(Dim::kSector)) return value == "+";
    return view.SeesInFull(value);
  };
  std::string select = "SELECT " + column(by_time, "month", "0") + ", " + sector + ", " +
                       column(needs(Dim::kClass), "rsit_class", "''") + ", " +
                       column(needs(Dim::kType), "rsit_type", "''") + ", " +
                       column(needs(Dim::kSeverity), "severity", "''") + ", " +
                       column(needs(Dim::kRootCause), "root_cause", "''");
  select +=
      ", SUM(incidents), SUM(significant), SUM(cross_border), SUM(malicious), "
      "SUM(services_disrupted), SUM(users_affected), SUM(users_affected_n), SUM(hours_lost), "
      "SUM(hours_lost_n), SUM(financial_loss_eur), SUM(financial_loss_n), "
      "SUM(to_early_warning_ms), SUM(to_early_warning_n), SUM(to_final_ms), SUM(to_final_n), "
      "SUM(to_resolution_ms), SUM(to_resolution_n), MAX(organisations) FROM profile_cells WHERE ";
  std::string group_by = group.empty() ? "" : " GROUP BY ";
  for (std::size_t i = 0; i < group.size(); ++i) group_by += (i ? ", " : "") + group[i];
  // The flag's sector ids are parameters after the filter's: numbered once the filter's are known.
  auto numbered = [&](std::string sql, db::Params& params) {
    const std::size_t first = params.size() + 1;
    // From the last, so that "$#1" is not found inside "$#10".
    for (std::size_t i = flag_params.size(); i-- > 0;) {
      const std::string mark = fmt::format("$#{}", i);
      const std::string number = fmt::format("${}", first + i);
      for (auto at = sql.find(mark); at != std::string::npos; at = sql.find(mark, at)) {
        sql.replace(at, mark.size(), number);
      }
    }
    params.insert(params.end(), flag_params.begin(), flag_params.end());
    return sql;
  };

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
  auto add = [](Building& b, const Measures& m, bool full, std::int64_t orgs) {
    b.figure.measures += m;
    b.full = b.full && full;
    b.at_least = std::max(b.at_least, orgs);
  };
  for (const Span& span : spans) {
    db::Params params;
    const std::string where = Where(q, cut, span, "", params);
    const std::string sql = numbered(select + where + group_by, params);
    for (const auto& r : tx.Query(sql, params)) {
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
      const std::int64_t orgs = r.Int(23);
      auto key = key_of(k);
      auto [it, added] = cell_index.try_emplace(Joined(key), cells.size());
      if (added) {
        cells.push_back({});
        cells.back().figure.key = key;
      }
      const bool f = row_full(k.sector_id);
      add(cells[it->second], m, f, orgs);
      for (std::size_t d = 0; d < margins.size(); ++d) {
        auto& b = margins[d][key[d]];
        b.figure.key = margin_key(key, d);
        add(b, m, f, orgs);
      }
      add(total, m, f, orgs);
    }
  }

  auto full = [](const Building& b) { return b.full; };
  for (auto& c : cells) c.figure.full = full(c);
  for (auto& m : margins) {
    for (auto& [v, b] : m) b.figure.full = full(b);
  }
  total.figure.full = full(total);

  // A figure with one roll-up row of at least min_organisations organisations describes at least
  // that many. Only figures all of whose rows describe fewer need their organisations counted, and
  // then every one of those rows is below the threshold: the few presence rows behind the rows
  // below it are exactly what the union needs.
  const bool all_full = total.figure.full;
  auto small = [&](const Building& b) { return b.at_least < min_organisations; };
  bool any_small = small(total);
  for (const auto& c : cells) any_small = any_small || small(c);
  for (const auto& m : margins) {
    for (const auto& [v, b] : m) any_small = any_small || small(b);
  }
  // The national CERT's tables are never suppressed: their figures say how many organisations
  // they describe at least, and the presence rows are not read.
  if (!all_full && any_small && out.organisations_counted) {
    // Only rows that can belong to a small figure: per stored dimension, the values the small
    // figures have (a margin or the total leaves the other dimensions open). A superset of what
    // the small figures need, usually a small part of the period's rows.
    std::vector<std::optional<std::set<std::string>>> allowed(dims, std::set<std::string>{});
    auto allow = [&](const Building& b, int only) {
      for (std::size_t d = 0; d < dims; ++d) {
        if (only >= 0 && static_cast<std::size_t>(only) != d) {
          allowed[d].reset();
        } else if (allowed[d]) {
          allowed[d]->insert(b.figure.key[d]);
        }
      }
    };
    for (const auto& c : cells) {
      if (small(c)) allow(c, -1);
    }
    for (std::size_t d = 0; d < margins.size(); ++d) {
      for (const auto& [v, b] : margins[d]) {
        if (small(b)) allow(b, static_cast<int>(d));
      }
    }
    if (small(total)) allowed.assign(dims, std::nullopt);
    std::unordered_map<std::string, std::size_t> org_index;
    for (const Span& span : spans) {
      db::Params p;
      std::string w = Where(q, cut, span, "c.", p);
      for (std::size_t d = 0; d < dims; ++d) {
        if (!allowed[d]) continue;
        const std::vector<std::string> values(allowed[d]->begin(), allowed[d]->end());
        if (q.by[d] == Dim::kSector) w += InList("c.sector_id", values, p);
        if (q.by[d] == Dim::kClass) w += InList("c.rsit_class", values, p);
        if (q.by[d] == Dim::kSeverity) w += InList("c.severity", values, p);
      }
      p.emplace_back(min_organisations);
      // `c.month + 0`: with a plain `p.month = c.month`, SQLite carries c's month range over to p
      // and looks presence rows up by that range instead of by the whole key, reading every
      // presence row of the period once per small row (seconds at a million incidents).
      const std::string sql = fmt::format(
          "SELECT p.month, p.sector_id, p.rsit_class, p.severity, p.organisation_id FROM "
          "profile_cells c JOIN profile_presence p ON p.cut = c.cut AND p.grain = c.grain AND "
          "p.month = c.month + 0 AND p.sector_id = c.sector_id AND p.rsit_class = c.rsit_class AND "
          "p.severity = c.severity WHERE {} AND c.organisations < ${}",
          w, p.size());
      for (const auto& r : tx.Query(sql, p)) {
        CellKey k{static_cast<int>(r.Int(0)), r.Text(1), r.Text(2), "", r.Text(3), ""};
        auto key = key_of(k);
        const std::size_t org = org_index.try_emplace(r.Text(4), org_index.size()).first->second;
        auto it = cell_index.find(Joined(key));
        if (it != cell_index.end() && small(cells[it->second])) cells[it->second].orgs.Insert(org);
        for (std::size_t d = 0; d < margins.size(); ++d) {
          auto m = margins[d].find(key[d]);
          if (m != margins[d].end() && small(m->second)) m->second.orgs.Insert(org);
        }
        if (small(total)) total.orgs.Insert(org);
      }
    }
  }

  // Suppression over the cells, the margins and the total, tied by their sums.
  std::vector<Item> items;
  std::vector<Building*> item_of;
  auto add_item = [&](Building& b) {
    // Exact below the threshold in tables with aggregates (counted above), otherwise a lower
    // bound. Rows of the cuts that do not count organisations (type, root cause) are shown
    // only in full.
    b.figure.organisations =
        !out.organisations_counted ? 0 : (!all_full && small(b) ? b.orgs.Size() : b.at_least);
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
