// Management's one-page view of an analysis: how many risks are low, medium and high, the top
// risks in business words (the asset, the consequences most dreaded for it, the owner, where the
// treatment stands, whether management accepted it, and the trend since the latest snapshot), and
// the state of the action plan and of the acceptances.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "platform/db.h"
#include "risk/model.h"

namespace rampart::risk {

// Where a risk went since the latest snapshot; "" when there is no snapshot to compare with.
// `before` is the risk in the snapshot (-1 unscored), nullopt when the snapshot did not have it.
std::string Trend(bool have_snapshot, const std::optional<std::int64_t>& before, std::int64_t now);

// The consequence types rated highest on `criterion` among `ratings` (every criterion when none
// is rated on it), in the analysis's order of consequence types. Empty when nothing is rated.
std::vector<std::string> DreadedConsequences(const Settings& settings,
                                             const std::vector<Rating>& ratings,
                                             const std::optional<Criterion>& criterion);

// The summary document (see docs/api.md), with the `top` highest current risks.
std::string SummaryJson(db::Tx& tx, const Analysis& analysis, int top, Millis now);

}  // namespace rampart::risk
