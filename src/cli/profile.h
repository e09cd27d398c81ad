// `rampart profile verify`: recompute the threat profile's roll-ups from the incidents.
#pragma once

#include "platform/config.h"

namespace rampart::cli {

// Exit 0 when the roll-ups agree with the incidents; 1, with the differences, when they do not.
// With `repair`, replaces them by the recomputed figures (in one transaction) and says so.
int ProfileVerify(const Config& config, bool repair);

}  // namespace rampart::cli
