// Demo risk analyses: each operator and government organisation of the demo country gets a living
// register, so that a newcomer sees assets, dependencies, scores, treatments and acceptances.
#pragma once

#include "platform/clock.h"
#include "platform/db.h"

namespace rampart::risk {

struct DemoRiskSummary {
  int analyses = 0;
  int assets = 0;
  int scenarios = 0;
};

// One current analysis (itv) per operator and government organisation that has none: a few dozen
// assets linked by dependencies, ratings, threat likelihoods and vulnerability qualifications,
// a few hundred scenarios from the catalogue's suggestions, treatments, owners, recommendations
// and some acceptances by management. The same every time for the same directory. Needs the demo
// directory (its risk owners and management).
DemoRiskSummary SeedDemoAnalyses(db::Database& db, Millis now);

}  // namespace rampart::risk
