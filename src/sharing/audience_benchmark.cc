// The audience check's cost per item when a list of 10,000 shared items is filtered for one
// person, in a country-sized directory (400 organisations, 8 sectors, 40 sharing groups) with a
// realistic mix of labels, distributions and groups. Run with
// build/release/rampart_benchmarks --benchmark_filter=Audience; time is reported per item.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <vector>

#include "sharing/audience.h"

namespace rampart::sharing {
namespace {

// A deterministic generator, so every run measures the same inputs.
class Lcg {
 public:
  std::uint32_t Next() { return state_ = state_ * 1664525u + 1013904223u; }
  std::uint32_t Below(std::uint32_t n) { return (Next() >> 8) % n; }

 private:
  std::uint32_t state_ = 2026;
};

struct Fixture {
  Directory dir;
  std::vector<Item> items;
  Viewer viewer;
};

Fixture Build(int item_count) {
  Lcg r;
  Fixture f;
  const int orgs = 400, sectors = 8, groups = 40;
  auto org = [](std::uint32_t i) { return "org-" + std::to_string(i); };
  for (int i = 0; i < orgs; ++i) {
    std::vector<std::string> s{"sector-" + std::to_string(r.Below(sectors))};
    if (r.Below(4) == 0) s.push_back("sector-" + std::to_string(r.Below(sectors)));
    f.dir.org_sectors[org(static_cast<std::uint32_t>(i))] = s;
  }
  for (int g = 0; g < groups; ++g) {
    Group group{org(r.Below(orgs)), {}};
    for (int m = 0; m < 25; ++m) group.member_org_ids.insert(org(r.Below(orgs)));
    f.dir.groups["group-" + std::to_string(g)] = group;
  }
  f.viewer = Viewer{"user-1", {org(7), org(8)}};
  for (int n = 0; n < item_count; ++n) {
    Item i;
    i.author_org_id = org(r.Below(12));  // the CERTs publish most items
    i.tlp = kAllTlp[r.Below(5)];
    i.distribution = kAllDistributions[r.Below(4)];
    if (i.distribution == Distribution::kSector) {
      i.sector_ids = {"sector-" + std::to_string(r.Below(sectors))};
    }
    if (r.Below(3) == 0) i.group_id = "group-" + std::to_string(r.Below(groups));
    if (i.tlp == Tlp::kAmber || i.tlp == Tlp::kAmberStrict) {
      for (int k = 0; k < 10; ++k) i.recipient_org_ids.push_back(org(r.Below(orgs)));
    }
    if (i.tlp == Tlp::kAmber && r.Below(2) == 0) {
      i.passed_on.push_back({i.recipient_org_ids[0], org(r.Below(orgs)), "user-2", 1});
    }
    if (i.tlp == Tlp::kRed) {
      for (int k = 0; k < 3; ++k)
        i.recipient_user_ids.push_back("user-" + std::to_string(r.Below(50)));
    }
    f.items.push_back(std::move(i));
  }
  return f;
}

void BM_AudienceFilterList(benchmark::State& state) {
  const Fixture f = Build(static_cast<int>(state.range(0)));
  std::vector<const Item*> ptrs;
  for (const auto& i : f.items) ptrs.push_back(&i);
  std::size_t visible = 0;
  for (auto _ : state) {
    auto out = FilterVisible(ptrs, f.viewer, f.dir);
    visible = out.size();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
  state.counters["visible"] = static_cast<double>(visible);
  state.counters["ns_per_item"] = benchmark::Counter(
      static_cast<double>(state.iterations() * state.range(0)),
      benchmark::Counter::kIsRate | benchmark::Counter::kInvert, benchmark::Counter::kIs1000);
}
BENCHMARK(BM_AudienceFilterList)->Arg(10000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace rampart::sharing
