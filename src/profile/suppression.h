// Small-cell suppression for the threat profile's aggregates shown outside the CERTs.
//
// A published table is a set of figures (cells, their margins, the grand total) tied by
// relations "total = sum of members". A figure that describes fewer than `min_organisations`
// organisations is withheld (primary suppression). Withholding it is not enough when the others
// give it away: a row total minus the row's other cells is the withheld cell. Suppress() then
// withholds more figures (complementary suppression), the smallest that close the gap, until no
// withheld figure is a linear consequence of the published ones and the relations.
#pragma once

#include <cstdint>
#include <vector>

namespace rampart::profile {

struct Item {
  std::int64_t value = 0;     // what the figure would show (incidents): the cost of withholding it
  std::int64_t organisations = 0;  // how many organisations it describes
  bool known = false;  // the viewer may see it in full: never withheld, and may be used to solve
  bool suppressed = false;  // out: withheld
  bool primary = false;     // out: withheld for its own size, not to protect another
};

struct Relation {
  int total = 0;             // index of the figure that is the sum
  std::vector<int> members;  // indices of the figures it sums
};

// Marks figures suppressed in place. Figures with organisations below the threshold and not
// known are withheld first; then others until none withheld can be computed from the rest.
void Suppress(std::vector<Item>& figures, const std::vector<Relation>& relations,
              std::int64_t min_organisations);

// The indices of withheld figures whose value follows from the published figures and the
// relations (exactly, by linear algebra). Empty after Suppress(). Exposed for tests.
std::vector<int> Exposed(const std::vector<Item>& figures,
                         const std::vector<Relation>& relations);

}  // namespace rampart::profile
