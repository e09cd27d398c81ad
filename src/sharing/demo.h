// Demo advisories for `rampart demo` and `rampart serve --demo`.
#pragma once

#include "platform/clock.h"
#include "platform/db.h"

namespace rampart::sharing {

// A sharing group of the national CERT and a handful of advisories by the national CERT and the
// sector CERTs at every TLP label (one still a draft, one corrected), some acknowledged. Needs
// the demo directory. The same every time for the same `now` and directory. Returns how many
// advisories were made.
int SeedDemoAdvisories(db::Database& db, Millis now);

}  // namespace rampart::sharing
