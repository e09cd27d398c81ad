// What the threat profile's roll-ups add to each incident write: profile::Apply() in the write's
// transaction, on SQLite, with roll-ups already holding 20,000 incidents of 200 organisations in
// 10 sectors over ten years (so the upserts meet existing rows, as they do in production). Run
// with build/release/rampart_benchmarks --benchmark_filter=Rollup; time is per write.
#include <benchmark/benchmark.h>
#include <fmt/format.h>

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/migrate.h"
#include "profile/rollup.h"

namespace rampart::profile {
namespace {

class Lcg {
 public:
  std::uint32_t Next() { return state_ = state_ * 1664525u + 1013904223u; }
  std::uint32_t Below(std::uint32_t n) { return (Next() >> 8) % n; }

 private:
  std::uint32_t state_ = 2026;
};

constexpr const char* kClasses[] = {"availability", "malicious-code",        "fraud",
                                    "intrusions",   "information-gathering", "other"};
constexpr const char* kTypes[] = {"outage",  "ransomware",  "phishing", "system-compromise",
                                  "scanner", "undetermined"};
constexpr Millis kTenYearsAgo = 1'480'000'000'000;
constexpr Millis kDay = 86'400'000;

incidents::Incident Random(Lcg& rng) {
  incidents::Incident i;
  i.organisation_id = fmt::format("org-{:03}", rng.Below(200));
  i.sector_id = fmt::format("sector-{:02}", rng.Below(10));
  i.aware_at = kTenYearsAgo + static_cast<Millis>(rng.Below(3650)) * kDay;
  i.state = incidents::CaseState::kTriaged;
  const auto c = rng.Below(std::size(kClasses));
  i.rsit_class = kClasses[c];
  i.rsit_type = kTypes[c];
  i.severity = static_cast<incidents::Severity>(rng.Below(4));
  i.early_warning_at = i.aware_at + 3 * 3'600'000;
  i.impact.users_affected = rng.Below(10'000);
  return i;
}

class Rollups {
 public:
  Rollups() {
    crypto::Init();
    path_ = fmt::format("/tmp/rampart-rollup-benchmark-{}.db", crypto::NewUuid());
    db_ = db::Database::Open("sqlite:" + path_, 1);
    if (!Migrate(*db_)) throw std::runtime_error("migration failed");
    db_->Write([&](db::Tx& tx) {
      for (int n = 0; n < 20'000; ++n) Apply(tx, std::nullopt, Random(rng_));
    });
  }
  ~Rollups() {
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::remove((path_ + suffix).c_str());
  }
  db::Database& db() { return *db_; }
  Lcg& rng() { return rng_; }

 private:
  std::string path_;
  std::unique_ptr<db::Database> db_;
  Lcg rng_;
};

Rollups& Shared() {
  static Rollups r;
  return r;
}

// A new incident: 21 roll-up rows and 12 presence counters, in one transaction per 100 writes so
// that the figure is the roll-up's cost, not the commit's.
void BM_RollupNewIncident(benchmark::State& state) {
  Rollups& r = Shared();
  for (auto _ : state) {
    r.db().Write([&](db::Tx& tx) {
      for (int n = 0; n < 100; ++n) Apply(tx, std::nullopt, Random(r.rng()));
    });
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_RollupNewIncident)->Unit(benchmark::kMicrosecond);

// Classifying an incident anew: it leaves its rows and enters others.
void BM_RollupReclassified(benchmark::State& state) {
  Rollups& r = Shared();
  for (auto _ : state) {
    r.db().Write([&](db::Tx& tx) {
      for (int n = 0; n < 100; ++n) {
        incidents::Incident before = Random(r.rng());
        incidents::Incident after = before;
        const auto c = r.rng().Below(std::size(kClasses));
        after.rsit_class = kClasses[c];
        after.rsit_type = kTypes[c];
        Apply(tx, before, after);
        Apply(tx, after, before);  // back, so the roll-ups stay as they were
      }
    });
  }
  state.SetItemsProcessed(state.iterations() * 200);
}
BENCHMARK(BM_RollupReclassified)->Unit(benchmark::kMicrosecond);

// A measure updated in place (users affected): the same rows, new sums.
void BM_RollupImpactUpdated(benchmark::State& state) {
  Rollups& r = Shared();
  for (auto _ : state) {
    r.db().Write([&](db::Tx& tx) {
      for (int n = 0; n < 100; ++n) {
        incidents::Incident before = Random(r.rng());
        incidents::Incident after = before;
        after.impact.users_affected = *before.impact.users_affected + 1;
        Apply(tx, before, after);
      }
    });
  }
  state.SetItemsProcessed(state.iterations() * 100);
}
BENCHMARK(BM_RollupImpactUpdated)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace rampart::profile
