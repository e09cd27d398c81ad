// The demo country's ISMS cycles: every operator has a recorded scope, an internal audit with
// findings and improvement actions (some overdue), a planned formal audit, results of a nightly
// configuration scan, a signed management review, and a register of the laws that apply to it.
// Harbour Commercial Bank is ISO/IEC 27001 certified; the Water Supply Utility is on its way.
#pragma once

#include "platform/clock.h"
#include "platform/db.h"

namespace rampart::isms {

// For each operator with an SoA and no scope yet; the same every time for the same directory.
// Returns how many organisations it seeded.
int SeedDemoCycle(db::Database& db, Millis now);

}  // namespace rampart::isms
