#include "profile/suppression.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>
#include <set>

namespace rampart::profile {

namespace {

constexpr double kEpsilon = 1e-9;

}  // namespace

std::vector<int> Exposed(const std::vector<Item>& figures,
                         const std::vector<Relation>& relations) {
  // Unknowns: the withheld figures. Each relation is a linear equation over them once the
  // published figures are moved to the right-hand side; a withheld figure is exposed when the
  // equations fix its value, i.e. when its column is a pivot whose row has no free variable left
  // in reduced row echelon form.
  std::map<int, int> column;  // figure → column
  std::vector<int> figure_of;
  for (int i = 0; i < static_cast<int>(figures.size()); ++i) {
    if (figures[i].suppressed) {
      column[i] = static_cast<int>(figure_of.size());
      figure_of.push_back(i);
    }
  }
  const int n = static_cast<int>(figure_of.size());
  if (n == 0) return {};
  std::vector<std::vector<double>> rows;
  for (const auto& r : relations) {
    std::vector<double> row(n, 0.0);
    bool any = false;
    auto add = [&](int figure, double coefficient) {
      auto it = column.find(figure);
      if (it == column.end()) return;
      row[it->second] += coefficient;
      any = true;
    };
    add(r.total, 1.0);
    for (int m : r.members) add(m, -1.0);
    if (any) rows.push_back(std::move(row));
  }
  // Gauss–Jordan with partial pivoting. Coefficients start at 0 and ±1 and the systems are small
  // (the withheld figures of one table), so doubles with a tolerance are exact enough.
  std::vector<int> pivot_row_of(n, -1);
  int rank = 0;
  for (int c = 0; c < n && rank < static_cast<int>(rows.size()); ++c) {
    int best = -1;
    double best_abs = kEpsilon;
    for (int r = rank; r < static_cast<int>(rows.size()); ++r) {
      if (std::abs(rows[r][c]) > best_abs) {
        best_abs = std::abs(rows[r][c]);
        best = r;
      }
    }
    if (best < 0) continue;
    std::swap(rows[rank], rows[best]);
    const double p = rows[rank][c];
    for (double& v : rows[rank]) v /= p;
    for (int r = 0; r < static_cast<int>(rows.size()); ++r) {
      if (r == rank || std::abs(rows[r][c]) <= kEpsilon) continue;
      const double f = rows[r][c];
      for (int k = 0; k < n; ++k) rows[r][k] -= f * rows[rank][k];
    }
    pivot_row_of[c] = rank;
    ++rank;
  }
  std::vector<int> out;
  for (int c = 0; c < n; ++c) {
    if (pivot_row_of[c] < 0) continue;  // a free variable: any value fits
    const auto& row = rows[pivot_row_of[c]];
    bool alone = true;
    for (int k = 0; k < n && alone; ++k) {
      if (k != c && std::abs(row[k]) > kEpsilon) alone = false;
    }
    if (alone) out.push_back(figure_of[c]);
  }
  return out;
}

void Suppress(std::vector<Item>& figures, const std::vector<Relation>& relations,
              std::int64_t min_organisations) {
  for (auto& f : figures) {
    f.suppressed = f.primary = !f.known && f.organisations < min_organisations;
  }
  // The relations each figure takes part in, to look for a partner to withhold beside it.
  std::vector<std::vector<int>> relations_of(figures.size());
  for (int r = 0; r < static_cast<int>(relations.size()); ++r) {
    relations_of[relations[r].total].push_back(r);
    for (int m : relations[r].members) relations_of[m].push_back(r);
  }
  auto is_total = [&](int figure) {
    for (int r : relations_of[figure]) {
      if (relations[r].total == figure) return true;
    }
    return false;
  };
  // Each round withholds one more figure, so this ends after at most figures.size() rounds.
  for (;;) {
    std::vector<int> exposed = Exposed(figures, relations);
    if (exposed.empty()) return;
    const int x = exposed.front();
    // The cheapest partner: a published figure sharing a relation with x, preferring cells over
    // totals (totals are what readers look at first), then the smallest, then the first.
    auto better = [&](int a, int b) {
      if (b < 0) return true;
      const bool ta = is_total(a), tb = is_total(b);
      if (ta != tb) return !ta;
      if (figures[a].value != figures[b].value) return figures[a].value < figures[b].value;
      return a < b;
    };
    int choice = -1;
    for (int r : relations_of[x]) {
      auto consider = [&](int f) {
        if (f == x || figures[f].suppressed || figures[f].known) return;
        if (better(f, choice)) choice = f;
      };
      consider(relations[r].total);
      for (int m : relations[r].members) consider(m);
    }
    if (choice < 0) {
      // Every neighbour is already withheld or known to the viewer: widen to any published figure.
      for (int f = 0; f < static_cast<int>(figures.size()); ++f) {
        if (!figures[f].suppressed && !figures[f].known && better(f, choice)) choice = f;
      }
    }
    if (choice < 0) return;  // nothing left to withhold: every figure is withheld or known
    figures[choice].suppressed = true;
  }
}

}  // namespace rampart::profile
