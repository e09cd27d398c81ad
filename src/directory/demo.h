// Demo data: a small, realistic country, so a newcomer sees a living directory at once.
#pragma once

#include <string>
#include <vector>

#include "platform/db.h"

namespace rampart::directory {

// The eight default critical sectors of the brief; created by `rampart init` and by the demo.
// Returns how many were added (existing slugs are left alone).
int SeedDefaultSectors(db::Tx& tx);

inline constexpr std::string_view kDemoPassword = "rampart-demo-2026";

struct DemoAccount {
  std::string username;
  std::string who;  // "national CERT administrator", …
};

struct DemoSummary {
  int sectors = 0;
  int organisations = 0;
  int people = 0;
  int mous = 0;
  std::vector<DemoAccount> accounts;  // the ones worth signing in as first
};

// Fills an empty directory (no organisations yet) with the demo country; every account's password
// is kDemoPassword. Throws std::runtime_error when the directory is not empty.
DemoSummary SeedDemo(db::Database& db);

}  // namespace rampart::directory
