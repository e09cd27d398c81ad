// Demo Statements of Applicability: every operator of the demo country has one in progress against
// ISO/IEC 27001:2022 (policy11 when that file is not shipped), and Harbour Commercial Bank has one
// approved version with changes made since, so the diff view has something to show.
#pragma once

#include "platform/clock.h"
#include "platform/db.h"

namespace rampart::isms {

// For each operator without one: decisions, statuses, owners, maturity, a few evidence links and
// risk scenarios treated. The same every time for the same directory; returns how many it made.
int SeedDemoSoas(db::Database& db, Millis now);

}  // namespace rampart::isms
