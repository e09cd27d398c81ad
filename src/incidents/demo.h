// Demo incidents: a year of reporting in the demo country, across every sector and stage, some
// of it late, so that a newcomer sees living cases, clocks, inboxes and figures at once.
#pragma once

#include "platform/clock.h"
#include "platform/db.h"

namespace rampart::incidents {

struct DemoIncidentSummary {
  int incidents = 0;
  int open = 0;
  int overdue = 0;
};

// Files `count` cases over the year before `now` through the same steps as the API (routing,
// references, clocks, audit), filed by each organisation's reporters and handled by the CERTs.
// The same every time for the same `now` and directory. Needs the demo directory.
DemoIncidentSummary SeedDemoIncidents(db::Database& db, Millis now, int count = 365);

}  // namespace rampart::incidents
