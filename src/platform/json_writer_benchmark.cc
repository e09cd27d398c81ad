// JSON serialisation of a list page: the streaming writer beside a tree of nlohmann objects, for
// the same 50 items. Run with build/release/rampart_benchmarks.
#include <benchmark/benchmark.h>

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "platform/json_writer.h"

namespace rampart {
namespace {

struct Item {
  std::string id = "01a207b7-9abd-7c14-a467-0199cfcb2f28";
  std::string name = "Harbour Commercial Bank";
  std::string short_name = "HCB";
  std::string kind = "operator";
  std::vector<std::string> sector_ids = {"01a207b7-9a92-7ea9-9cb3-076f02d8883b"};
  std::int64_t tier = 1;
  std::string size = "large";
  std::string website = "https://www.hcb.example";
  std::int64_t version = 3;
  Millis created_at = 1'795'000'000'000;
  Millis updated_at = 1'795'000'100'000;
};

const std::vector<Item>& Page() {
  static const std::vector<Item> kPage(50);
  return kPage;
}

void BM_PageWithWriter(benchmark::State& state) {
  for (auto _ : state) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& i : Page()) {
      w.BeginObject()
          .Key("id")
          .String(i.id)
          .Key("name")
          .String(i.name)
          .Key("short_name")
          .String(i.short_name)
          .Key("kind")
          .String(i.kind)
          .Key("sector_ids")
          .BeginArray();
      for (const auto& s : i.sector_ids) w.String(s);
      w.EndArray()
          .Key("criticality_tier")
          .Int(i.tier)
          .Key("size_class")
          .String(i.size)
          .Key("website")
          .String(i.website)
          .Key("version")
          .Int(i.version)
          .Key("created_at")
          .Time(i.created_at)
          .Key("updated_at")
          .Time(i.updated_at)
          .EndObject();
    }
    w.EndArray().Key("next_cursor").Null().EndObject();
    benchmark::DoNotOptimize(w.str().data());
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(BM_PageWithWriter);

void BM_PageWithTree(benchmark::State& state) {
  for (auto _ : state) {
    nlohmann::json items = nlohmann::json::array();
    for (const auto& i : Page()) {
      items.push_back({{"id", i.id},
                       {"name", i.name},
                       {"short_name", i.short_name},
                       {"kind", i.kind},
                       {"sector_ids", i.sector_ids},
                       {"criticality_tier", i.tier},
                       {"size_class", i.size},
                       {"website", i.website},
                       {"version", i.version},
                       {"created_at", FormatRfc3339(i.created_at)},
                       {"updated_at", FormatRfc3339(i.updated_at)}});
    }
    std::string out = nlohmann::json{{"items", items}, {"next_cursor", nullptr}}.dump();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * 50);
}
BENCHMARK(BM_PageWithTree);

}  // namespace
}  // namespace rampart
