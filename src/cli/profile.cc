#include "cli/profile.h"

#include <cstdio>

#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/migrate.h"
#include "profile/rollup.h"

namespace rampart::cli {

int ProfileVerify(const Config& config, bool repair) {
  crypto::Init();
  auto db = db::Database::Open(config.db, 2);
  auto schema = CheckSchema(*db);
  if (!schema) {
    std::fprintf(stderr, "rampart: %s\n", schema.error().message.c_str());
    return 1;
  }
  // Counting and comparing inside one transaction: a write committed meanwhile can neither be
  // half counted nor reported as a difference.
  auto result = repair ? db->Write([&](db::Tx& tx) { return profile::Verify(tx, true); })
                       : db->Read([&](db::Tx& tx) { return profile::Verify(tx, false); });
  if (result.differences.empty()) {
    std::printf("threat profile roll-ups agree with the incidents: %lld incidents in %lld cells\n",
                static_cast<long long>(result.incidents), static_cast<long long>(result.cells));
    return 0;
  }
  constexpr std::size_t kShown = 50;
  for (std::size_t i = 0; i < result.differences.size() && i < kShown; ++i) {
    std::fprintf(stderr, "%s\n", result.differences[i].c_str());
  }
  if (result.differences.size() > kShown) {
    std::fprintf(stderr, "… and %zu more\n", result.differences.size() - kShown);
  }
  if (repair) {
    std::printf("threat profile roll-ups repaired: %zu differences, now %lld incidents in %lld "
                "cells\n",
                result.differences.size(), static_cast<long long>(result.incidents),
                static_cast<long long>(result.cells));
    return 0;
  }
  std::fprintf(stderr,
               "rampart: the threat profile roll-ups differ from the incidents in %zu places; "
               "`rampart profile verify --repair` recomputes them\n",
               result.differences.size());
  return 1;
}

}  // namespace rampart::cli
