// Small-cell suppression: withheld figures stay withheld however the published ones are combined.
#include "profile/suppression.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <utility>
#include <vector>

namespace rampart::profile {
namespace {

// A two-way table (rows × columns) with its row totals, column totals and grand total, as the
// profile publishes "sector × class".
struct TwoWay {
  int rows = 0, cols = 0;
  std::map<std::pair<int, int>, int> cell;  // (r, c) → item index; absent cells are known zeros
  std::map<int, int> row_total, col_total;  // r → item, c → item
  int grand = -1;
  std::vector<Item> items;
  std::vector<Relation> relations;
};

TwoWay Build(int rows, int cols, const std::function<std::pair<std::int64_t, std::int64_t>(int, int)>& at,
             double density, std::mt19937& rng) {
  TwoWay t;
  t.rows = rows;
  t.cols = cols;
  std::uniform_real_distribution<double> u(0, 1);
  std::map<int, std::pair<std::int64_t, std::int64_t>> row_sum, col_sum;  // value, orgs (upper bound)
  std::int64_t grand_value = 0, grand_orgs = 0;
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c) {
      if (u(rng) > density) continue;
      auto [value, orgs] = at(r, c);
      t.cell[{r, c}] = static_cast<int>(t.items.size());
      t.items.push_back({value, orgs});
      row_sum[r].first += value;
      row_sum[r].second += orgs;
      col_sum[c].first += value;
      col_sum[c].second += orgs;
      grand_value += value;
      grand_orgs += orgs;
    }
  }
  for (auto& [r, s] : row_sum) {
    t.row_total[r] = static_cast<int>(t.items.size());
    t.items.push_back({s.first, s.second});
    Relation rel{t.row_total[r], {}};
    for (auto& [k, i] : t.cell) {
      if (k.first == r) rel.members.push_back(i);
    }
    t.relations.push_back(rel);
  }
  for (auto& [c, s] : col_sum) {
    t.col_total[c] = static_cast<int>(t.items.size());
    t.items.push_back({s.first, s.second});
    Relation rel{t.col_total[c], {}};
    for (auto& [k, i] : t.cell) {
      if (k.second == c) rel.members.push_back(i);
    }
    t.relations.push_back(rel);
  }
  t.grand = static_cast<int>(t.items.size());
  t.items.push_back({grand_value, grand_orgs});
  Relation all{t.grand, {}};
  for (auto& [k, i] : t.cell) all.members.push_back(i);
  t.relations.push_back(all);
  return t;
}

// An independent proof, not linear algebra: a two-way table with its margins is the bipartite
// graph whose nodes are the rows and the columns (plus a "total" node on each side) and whose
// edges are the figures (cell r,c; row total r–Σ; column total Σ–c; grand total Σ–Σ). Every node's
// edges sum to zero with signs, so the values the published figures leave open are exactly the
// alternating sums around cycles of withheld edges: a withheld figure can be computed if and only
// if its edge lies on no cycle of withheld edges, i.e. it is a bridge of that subgraph.
std::vector<int> Bridges(const TwoWay& t) {
  const int row_sigma = t.rows, col_sigma = t.cols;
  std::vector<std::tuple<int, int, int>> edges;  // item, row node, column node
  for (auto& [k, i] : t.cell) edges.emplace_back(i, k.first, k.second);
  for (auto& [r, i] : t.row_total) edges.emplace_back(i, r, col_sigma);
  for (auto& [c, i] : t.col_total) edges.emplace_back(i, row_sigma, c);
  edges.emplace_back(t.grand, row_sigma, col_sigma);
  std::vector<std::tuple<int, int, int>> withheld;
  for (auto& e : edges) {
    if (t.items[std::get<0>(e)].suppressed) withheld.push_back(e);
  }
  std::vector<int> out;
  for (std::size_t skip = 0; skip < withheld.size(); ++skip) {
    // Row node r is vertex r; column node c is vertex rows + 1 + c.
    const int n = t.rows + 1 + t.cols + 1;
    std::vector<std::vector<int>> adj(n);
    for (std::size_t e = 0; e < withheld.size(); ++e) {
      if (e == skip) continue;
      auto [i, r, c] = withheld[e];
      adj[r].push_back(t.rows + 1 + c);
      adj[t.rows + 1 + c].push_back(r);
    }
    auto [item, from, to] = withheld[skip];
    std::vector<bool> seen(n);
    std::vector<int> stack = {from};
    seen[from] = true;
    while (!stack.empty()) {
      int v = stack.back();
      stack.pop_back();
      for (int w : adj[v]) {
        if (!seen[w]) {
          seen[w] = true;
          stack.push_back(w);
        }
      }
    }
    if (!seen[t.rows + 1 + to]) out.push_back(item);
  }
  return out;
}

// The table as text, for a failure message: each figure with its place, size and state.
std::string Describe(const TwoWay& t) {
  std::string out;
  auto item = [&](const std::string& where, int i) {
    const Item& f = t.items[i];
    out += where + " #" + std::to_string(i) + " value " + std::to_string(f.value) + " orgs " +
           std::to_string(f.organisations) + (f.known ? " known" : "") +
           (f.suppressed ? (f.primary ? " WITHHELD(primary)" : " WITHHELD") : "") + "\n";
  };
  for (auto& [k, i] : t.cell) item("cell " + std::to_string(k.first) + "," + std::to_string(k.second), i);
  for (auto& [r, i] : t.row_total) item("row total " + std::to_string(r), i);
  for (auto& [c, i] : t.col_total) item("column total " + std::to_string(c), i);
  item("grand total", t.grand);
  return out;
}

TEST(Suppression, NothingIsWithheldWhenEveryFigureDescribesEnoughOrganisations) {
  std::mt19937 rng(7);
  auto t = Build(4, 5, [](int, int) { return std::pair<std::int64_t, std::int64_t>{10, 6}; }, 1.0,
                 rng);
  Suppress(t.items, t.relations, 5);
  for (const auto& i : t.items) EXPECT_FALSE(i.suppressed);
}

TEST(Suppression, OneSmallCellTakesThreeOthersWithItSoNoRowOrColumnGivesItAway) {
  std::mt19937 rng(7);
  auto t = Build(3, 3,
                 [](int r, int c) {
                   return std::pair<std::int64_t, std::int64_t>{r == 1 && c == 1 ? 2 : 20 + r + c,
                                                                r == 1 && c == 1 ? 1 : 9};
                 },
                 1.0, rng);
  Suppress(t.items, t.relations, 5);
  EXPECT_TRUE(t.items[t.cell.at({1, 1})].suppressed);
  EXPECT_TRUE(t.items[t.cell.at({1, 1})].primary);
  int withheld = 0;
  for (const auto& i : t.items) withheld += i.suppressed ? 1 : 0;
  // Row 1 minus its other cells, or column 1 minus its other cells, would give it: at least one
  // more in its row, one more in its column, and the fourth corner to keep those two hidden.
  EXPECT_GE(withheld, 4);
  EXPECT_TRUE(Bridges(t).empty());
  EXPECT_TRUE(Exposed(t.items, t.relations).empty());
}

TEST(Suppression, ASmallRowTotalIsWithheldAndProtected) {
  // One sector with a single organisation: its total describes one organisation.
  std::mt19937 rng(3);
  auto t = Build(3, 4,
                 [](int r, int) {
                   return std::pair<std::int64_t, std::int64_t>{r == 0 ? 1 : 12, r == 0 ? 1 : 8};
                 },
                 1.0, rng);
  // The row total of row 0 describes the one organisation once, not four times.
  t.items[t.row_total.at(0)].organisations = 1;
  Suppress(t.items, t.relations, 5);
  EXPECT_TRUE(t.items[t.row_total.at(0)].suppressed);
  EXPECT_TRUE(Bridges(t).empty());
}

TEST(Suppression, KnownFiguresAreNeverWithheldAndTheRestStillCannotBeSolved) {
  // A regulator sees its own sector (row 0) in full; the other rows are aggregates.
  std::mt19937 rng(11);
  auto t = Build(4, 4,
                 [](int r, int c) {
                   return std::pair<std::int64_t, std::int64_t>{3 + r + c, (r + c) % 3 == 0 ? 2 : 7};
                 },
                 1.0, rng);
  for (auto& [k, i] : t.cell) {
    if (k.first == 0) t.items[i].known = true;
  }
  t.items[t.row_total.at(0)].known = true;
  Suppress(t.items, t.relations, 5);
  for (auto& [k, i] : t.cell) {
    if (k.first == 0) {
      EXPECT_FALSE(t.items[i].suppressed);
    }
  }
  // Known figures count as published for the proof.
  EXPECT_TRUE(Bridges(t).empty());
}

// The property: over thousands of random tables (sizes, sparsity, organisation counts, some rows
// known to the viewer), every figure below the threshold is withheld unless known, and no withheld
// figure can be computed from the published ones, by the graph argument above.
TEST(Suppression, NoWithheldFigureOfARandomTableCanBeComputedFromThePublishedOnes) {
  std::mt19937 rng(20261123);
  int tables = 0, withheld_total = 0;
  for (int round = 0; round < 3000; ++round) {
    std::uniform_int_distribution<int> size(1, 7);
    const int rows = size(rng), cols = size(rng);
    std::uniform_int_distribution<int> orgs(1, 12), incidents(1, 40);
    const double density = std::uniform_real_distribution<double>(0.3, 1.0)(rng);
    auto t = Build(rows, cols,
                   [&](int, int) {
                     return std::pair<std::int64_t, std::int64_t>{incidents(rng), orgs(rng)};
                   },
                   density, rng);
    if (t.cell.empty()) continue;
    // Margins describe at most the sum of their cells' organisations; draw a smaller number
    // sometimes, as organisations repeat across cells.
    for (auto& [r, i] : t.row_total) {
      t.items[i].organisations = std::uniform_int_distribution<std::int64_t>(
          1, std::max<std::int64_t>(1, t.items[i].organisations))(rng);
    }
    const int known_row = std::uniform_int_distribution<int>(-1, rows - 1)(rng);
    if (known_row >= 0) {
      for (auto& [k, i] : t.cell) {
        if (k.first == known_row) t.items[i].known = true;
      }
      if (t.row_total.contains(known_row)) t.items[t.row_total.at(known_row)].known = true;
      // A total made only of known cells is known too: the viewer sees every part of it (the
      // profile marks a figure known when every sector in it is seen in full).
      for (const auto& rel : t.relations) {
        bool all_known = true;
        for (int m : rel.members) all_known = all_known && t.items[m].known;
        if (all_known) t.items[rel.total].known = true;
      }
    }
    const std::int64_t k = std::uniform_int_distribution<int>(2, 6)(rng);
    Suppress(t.items, t.relations, k);
    ++tables;
    for (std::size_t i = 0; i < t.items.size(); ++i) {
      const auto& item = t.items[i];
      if (!item.known && item.organisations < k) {
        ASSERT_TRUE(item.suppressed) << "round " << round << " item " << i;
      }
      if (item.known) {
        ASSERT_FALSE(item.suppressed) << "round " << round;
      }
      withheld_total += item.suppressed ? 1 : 0;
    }
    auto bridges = Bridges(t);
    ASSERT_TRUE(bridges.empty()) << "round " << round << ": item " << bridges.front()
                                 << " can be computed from the published figures\n"
                                 << Describe(t);
  }
  EXPECT_GT(tables, 2500);
  EXPECT_GT(withheld_total, 1000) << "the random tables should exercise suppression";
}

// The linear-algebra check itself agrees with the graph on tables that leak on purpose.
TEST(Suppression, ExposedFindsACellGivenAwayByItsRowTotal) {
  std::mt19937 rng(5);
  auto t = Build(2, 3, [](int, int) { return std::pair<std::int64_t, std::int64_t>{5, 9}; }, 1.0,
                 rng);
  t.items[t.cell.at({0, 0})].suppressed = true;  // only primary, nothing beside it
  EXPECT_EQ(Exposed(t.items, t.relations), std::vector<int>{t.cell.at({0, 0})});
  EXPECT_EQ(Bridges(t), std::vector<int>{t.cell.at({0, 0})});
  t.items[t.cell.at({0, 1})].suppressed = true;
  t.items[t.cell.at({1, 0})].suppressed = true;
  t.items[t.cell.at({1, 1})].suppressed = true;
  EXPECT_TRUE(Exposed(t.items, t.relations).empty());
  EXPECT_TRUE(Bridges(t).empty());
}

}  // namespace
}  // namespace rampart::profile
