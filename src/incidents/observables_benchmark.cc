// Normalising observables as an import of a few thousand indicators does: a realistic mix of
// types, spellings (upper case, defanged, padded) and a few invalid values. Run with
// build/release/rampart_benchmarks --benchmark_filter=Observables; time is reported per item.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "incidents/observables.h"

namespace rampart::incidents {
namespace {

using T = ObservableType;

// A deterministic generator, so every run measures the same inputs.
class Lcg {
 public:
  std::uint32_t Next() { return state_ = state_ * 1664525u + 1013904223u; }
  std::uint32_t Below(std::uint32_t n) { return (Next() >> 8) % n; }

 private:
  std::uint32_t state_ = 2026;
};

std::string Hex(Lcg& r, int digits, bool upper) {
  const char* alphabet = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string s;
  for (int i = 0; i < digits; ++i) s += alphabet[r.Below(16)];
  return s;
}

std::string Word(Lcg& r) {
  static const char* kWords[] = {"login",  "secure", "update",  "portal", "cdn",    "mail",
                                 "office", "verify", "account", "files",  "static", "api"};
  return kWords[r.Below(std::size(kWords))];
}

std::string Ipv4(Lcg& r) {
  return std::to_string(1 + r.Below(223)) + "." + std::to_string(r.Below(256)) + "." +
         std::to_string(r.Below(256)) + "." + std::to_string(r.Below(256));
}

std::string Domain(Lcg& r) {
  static const char* kTlds[] = {"com", "net", "org", "example", "ru", "xyz", "top", "eu"};
  return Word(r) + "-" + Word(r) + std::to_string(r.Below(100)) + "." + kTlds[r.Below(8)];
}

std::string Defang(const std::string& s) {
  std::string out;
  for (char c : s) out += c == '.' ? std::string("[.]") : std::string(1, c);
  return out;
}

// 1,000 observables: mostly addresses, domains, URLs and digests, as in real incident reports.
std::vector<std::pair<T, std::string>> Mix() {
  Lcg r;
  std::vector<std::pair<T, std::string>> items;
  while (items.size() < 1000) {
    std::uint32_t kind = r.Below(100);
    if (kind < 25) {
      auto ip = Ipv4(r);
      items.emplace_back(T::kIpv4, r.Below(5) == 0 ? Defang(ip) : ip);
    } else if (kind < 32) {
      items.emplace_back(T::kIpv6, "2001:DB8:" + Hex(r, 4, true) + ":0:0:0:0:" + Hex(r, 3, false));
    } else if (kind < 50) {
      auto d = Domain(r);
      items.emplace_back(T::kDomain,
                         r.Below(3) == 0 ? Defang(d) : (r.Below(2) ? d : " " + d + "\n"));
    } else if (kind < 65) {
      std::string url = (r.Below(2) ? "https://" : "hxxp://") + Word(r) + "." + Domain(r) +
                        (r.Below(4) == 0 ? ":443" : "") + "/" + Word(r) + "/" + Word(r) +
                        ".php?id=" + std::to_string(r.Below(100000)) + "&ref=%2f" + Word(r);
      items.emplace_back(T::kUrl, url);
    } else if (kind < 72) {
      items.emplace_back(T::kMd5, Hex(r, 32, r.Below(2) == 0));
    } else if (kind < 77) {
      items.emplace_back(T::kSha1, Hex(r, 40, false));
    } else if (kind < 88) {
      items.emplace_back(T::kSha256, Hex(r, 64, r.Below(2) == 0));
    } else if (kind < 90) {
      items.emplace_back(T::kSha512, Hex(r, 128, false));
    } else if (kind < 95) {
      items.emplace_back(T::kEmail, Word(r) + "." + Word(r) + "@" + Domain(r));
    } else if (kind < 98) {
      items.emplace_back(T::kCve, "cve-20" + std::to_string(10 + r.Below(16)) + "-" +
                                      std::to_string(1000 + r.Below(60000)));
    } else {  // what imports also meet: values that are refused
      items.emplace_back(T::kIpv4, "010." + Ipv4(r).substr(2));
    }
  }
  return items;
}

void BM_NormaliseMixed(benchmark::State& state) {
  const auto items = Mix();
  for (auto _ : state) {
    for (const auto& [type, raw] : items) benchmark::DoNotOptimize(Normalise(type, raw));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items.size()));
}
BENCHMARK(BM_NormaliseMixed);

void BM_IsCorrelatableMixed(benchmark::State& state) {
  std::vector<std::pair<T, std::string>> items;
  for (const auto& [type, raw] : Mix()) {
    auto n = Normalise(type, raw);
    if (n.ok()) items.emplace_back(type, n.value);
  }
  for (auto _ : state) {
    for (const auto& [type, value] : items) benchmark::DoNotOptimize(IsCorrelatable(type, value));
  }
  state.SetItemsProcessed(state.iterations() * static_cast<std::int64_t>(items.size()));
}
BENCHMARK(BM_IsCorrelatableMixed);

}  // namespace
}  // namespace rampart::incidents
