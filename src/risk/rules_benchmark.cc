// The pure part of a full recomputation, as after a scale change, at the size of the budget: one
// organisation with 10,000 assets (500 primary, the rest supporting, in dependency chains) and
// 50,000 scenarios over 60 threats and 100 vulnerabilities. Budget: under 100 ms. Run with
// build/release/rampart_benchmarks --benchmark_filter=Risk.
#include <benchmark/benchmark.h>

#include <algorithm>
#include <cstdint>
#include <vector>

#include "risk/rules.h"

namespace rampart::risk {
namespace {

class Lcg {
 public:
  std::uint32_t Next() { return state_ = state_ * 1664525u + 1013904223u; }
  int Below(int n) { return static_cast<int>((Next() >> 8) % static_cast<std::uint32_t>(n)); }

 private:
  std::uint32_t state_ = 2026;
};

struct World {
  Settings settings;
  std::vector<AssetFacts> assets;
  std::vector<std::vector<int>> depends_on;
  std::vector<ThreatFacts> threats;
  std::vector<int> qualifications;
  std::vector<ScenarioFacts> scenarios;
};

World MakeWorld(Method method) {
  World w;
  w.settings = DefaultSettings(method);
  Lcg r;
  constexpr int kAssets = 10'000, kPrimary = 500, kScenarios = 50'000;
  w.assets.resize(kAssets);
  w.depends_on.resize(kAssets);
  for (int a = 0; a < kAssets; ++a) {
    auto& f = w.assets[static_cast<std::size_t>(a)];
    f.primary = a < kPrimary;
    std::vector<Rating> ratings;
    if (f.primary) {
      for (Criterion c :
           {Criterion::kConfidentiality, Criterion::kIntegrity, Criterion::kAvailability}) {
        for (const auto& ct : w.settings.consequences) {
          if (r.Below(3) != 0) ratings.push_back({c, ct.key, r.Below(5)});
        }
      }
    }
    f.own = OwnSlots(w.settings, ratings);
    // Each asset depends on two or three assets with higher indices: an acyclic web.
    for (int k = 0, n = 2 + r.Below(2); k < n && a + 1 < kAssets; ++k) {
      w.depends_on[static_cast<std::size_t>(a)].push_back(a + 1 +
                                                          r.Below(std::min(200, kAssets - a - 1)));
    }
  }
  for (int t = 0; t < 60; ++t) {
    ThreatFacts f;
    f.affects = {r.Below(2) == 0, r.Below(2) == 0, true, false};
    f.likelihood = r.Below(5);
    w.threats.push_back(f);
  }
  for (int v = 0; v < 100; ++v) w.qualifications.push_back(1 + r.Below(5));
  for (int s = 0; s < kScenarios; ++s) {
    ScenarioFacts f;
    f.asset = r.Below(kAssets);
    f.threat = r.Below(60);
    f.vulnerability = r.Below(100);
    f.probability = 1 + r.Below(5);
    f.residual_probability = 1 + r.Below(5);
    f.reduction = r.Below(3);
    w.scenarios.push_back(f);
  }
  return w;
}

void RecomputeAll(benchmark::State& state, Method method) {
  const World w = MakeWorld(method);
  for (auto _ : state) {
    auto slots = EffectiveSlots(w.settings, w.assets, w.depends_on);
    auto scores = ScoreAll(w.settings, slots, w.threats, w.qualifications, w.scenarios);
    benchmark::DoNotOptimize(scores.data());
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(w.scenarios.size()));
}

void BM_RiskRecomputeItv(benchmark::State& state) { RecomputeAll(state, Method::kItv); }
void BM_RiskRecomputeMatrix(benchmark::State& state) { RecomputeAll(state, Method::kMatrix); }
void BM_RiskRecomputeOperational(benchmark::State& state) {
  RecomputeAll(state, Method::kOperational);
}
BENCHMARK(BM_RiskRecomputeItv)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RiskRecomputeMatrix)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_RiskRecomputeOperational)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace rampart::risk
