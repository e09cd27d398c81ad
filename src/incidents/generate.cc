#include "incidents/generate.h"

#include <array>
#include <string>
#include <vector>

#include "incidents/csv.h"

namespace rampart::incidents {

namespace {

struct Kind {
  const char* title;
  const char* summary;
  const char* rsit_class;
  const char* rsit_type;
  const char* malicious;
  const char* root_cause;
};

constexpr Kind kKinds[] = {
    {"Ransomware encrypted file servers", "Files renamed, a ransom note on shares.",
     "malicious-code", "infected-system", "yes", "malicious_action"},
    {"Phishing campaign against staff", "Staff entered passwords on a fake portal, then called.",
     "fraud", "phishing", "yes", "malicious_action"},
    {"Distributed denial of service on the website", "Website unreachable, customers affected.",
     "availability", "ddos", "yes", "malicious_action"},
    {"Data centre cooling failure", "Servers shut down after temperatures rose.", "availability",
     "outage", "no", "system_failure"},
    {"Misconfigured storage exposed documents", "A bucket was readable from the internet.",
     "information-content-security", "data-leak", "no", "human_error"},
    {"Supplier update broke operations", "An update from a supplier stopped a service.",
     "availability", "outage", "no", "third_party_failure"},
    {"Storm damaged the main site", "Power and links lost during the storm.", "availability",
     "outage", "no", "natural_phenomenon"},
    {"Administrator account compromised", "An administrator logged in from abroad.", "intrusions",
     "privileged-account-compromise", "yes", "malicious_action"},
};

// A small, fast generator (splitmix64): the benchmark writes a million records in seconds.
class Random final {
 public:
  explicit Random(std::uint64_t seed) : s_(seed) {}
  std::uint64_t Next() {
    std::uint64_t z = (s_ += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  }
  std::int64_t Below(std::int64_t n) { return static_cast<std::int64_t>(Next() % n); }
  bool Chance(int percent) { return Below(100) < percent; }

 private:
  std::uint64_t s_;
};

constexpr const char* kColumns[] = {"organisation",
                                    "sector",
                                    "title",
                                    "summary",
                                    "aware_at",
                                    "occurred_at",
                                    "reported_at",
                                    "suspected_malicious",
                                    "may_affect_others",
                                    "rsit_class",
                                    "rsit_type",
                                    "users_affected",
                                    "duration_hours",
                                    "financial_loss_eur",
                                    "cross_border",
                                    "root_cause",
                                    "resolved_at",
                                    "state",
                                    "observables"};
constexpr std::size_t kColumnCount = std::size(kColumns);

}  // namespace

std::int64_t GenerateRecords(db::Tx& tx, std::int64_t count, std::uint64_t seed, Millis now,
                             ImportFormat format, std::FILE* out) {
  struct Org {
    std::string name, sector;
  };
  std::vector<Org> orgs;
  for (const auto& r : tx.Query(
           "SELECT COALESCE(NULLIF(o.short_name, ''), o.name), MIN(s.slug) FROM organisations o "
           "JOIN organisation_sectors os ON os.organisation_id = o.id "
           "JOIN sectors s ON s.id = os.sector_id WHERE o.kind IN ('operator', 'government') "
           "GROUP BY o.id, o.short_name, o.name ORDER BY o.id",
           {})) {
    orgs.push_back({r.Text(0), r.Text(1)});
  }
  if (orgs.empty()) return 0;
  Random rng(seed);
  const bool csv = format == ImportFormat::kCsv;
  std::string buf;
  buf.reserve(1 << 20);
  if (csv) {
    for (std::size_t k = 0; k < kColumnCount; ++k) {
      buf += k == 0 ? "" : ",";
      buf += kColumns[k];
    }
    buf += '\n';
  }
  std::array<std::string, kColumnCount> v;
  for (std::int64_t n = 0; n < count; ++n) {
    for (auto& s : v) s.clear();
    const Org& org = orgs[rng.Below(static_cast<std::int64_t>(orgs.size()))];
    const Kind& kind = kKinds[rng.Below(std::size(kKinds))];
    const Millis aware = now - kHour - rng.Below(364 * kDay);
    const Millis reported = std::min(aware + 360'000 + rng.Below(20 * kHour), now - 60'000);
    v[0] = org.name;
    v[1] = org.sector;
    v[2] = kind.title;
    v[3] = kind.summary;
    v[4] = FormatRfc3339(aware);
    v[5] = FormatRfc3339(aware - rng.Below(6 * kHour));
    v[6] = FormatRfc3339(reported);
    v[7] = kind.malicious;
    v[8] = rng.Chance(30) ? "true" : "false";
    if (rng.Chance(60)) {  // a notification
      v[9] = kind.rsit_class;
      v[10] = kind.rsit_type;
      v[11] = std::to_string(rng.Below(50'000));
      v[12] = std::to_string(rng.Below(96));
      v[13] = std::to_string(rng.Below(2'000'000));
      v[14] = rng.Chance(10) ? "true" : "false";
      if (rng.Chance(60)) {  // and a final report
        v[15] = kind.root_cause;
        v[16] = FormatRfc3339(std::min(reported + kDay + rng.Below(30 * kDay), now - 60'000));
        v[17] = rng.Chance(50) ? "closed" : "resolved";
      }
    }
    if (rng.Chance(20)) {  // technical indicators, some shared across organisations
      const int k = 1 + static_cast<int>(rng.Below(2));
      for (int m = 0; m < k; ++m) {
        if (!v[18].empty()) v[18] += ';';
        if (rng.Chance(70)) {
          v[18] += (rng.Chance(50) ? "ipv4:203.0.113." : "ipv4:198.51.100.") +
                   std::to_string(1 + rng.Below(254));
        } else {
          v[18] += "sha256:";
          for (int d = 0; d < 4; ++d) {
            char hex[17];
            std::snprintf(hex, sizeof hex, "%016llx", static_cast<unsigned long long>(rng.Next()));
            v[18] += hex;
          }
        }
      }
    }
    if (csv) {
      for (std::size_t k = 0; k < kColumnCount; ++k) {
        if (k > 0) buf += ',';
        buf += CsvField(v[k]);
      }
    } else {
      buf += '{';
      bool first = true;
      for (std::size_t k = 0; k < kColumnCount; ++k) {
        if (v[k].empty()) continue;
        buf += first ? "\"" : ",\"";
        first = false;
        buf += kColumns[k];
        buf += "\":";
        const std::string_view col = kColumns[k];
        const bool raw = col == "may_affect_others" || col == "cross_border" ||
                         col == "users_affected" || col == "duration_hours" ||
                         col == "financial_loss_eur";
        if (raw) {
          buf += v[k];
        } else if (col == "observables") {
          buf += '[';
          std::string_view rest = v[k];
          bool first_item = true;
          while (!rest.empty()) {
            auto semi = rest.find(';');
            auto item = rest.substr(0, semi);
            rest = semi == std::string_view::npos ? std::string_view() : rest.substr(semi + 1);
            auto colon = item.find(':');
            buf += first_item ? "{\"type\":\"" : ",{\"type\":\"";
            first_item = false;
            buf += item.substr(0, colon);
            buf += "\",\"value\":\"";
            buf += item.substr(colon + 1);
            buf += "\",\"tlp\":\"TLP:AMBER\"}";
          }
          buf += ']';
        } else {
          buf += '"';
          for (char c : v[k]) {  // only the directory's names can hold characters to escape
            if (c == '"' || c == '\\') buf += '\\';
            if (static_cast<unsigned char>(c) >= 0x20) buf += c;
          }
          buf += '"';
        }
      }
      buf += '}';
    }
    buf += '\n';
    if (buf.size() > (1 << 20) - 4096) {
      std::fwrite(buf.data(), 1, buf.size(), out);
      buf.clear();
    }
  }
  std::fwrite(buf.data(), 1, buf.size(), out);
  return count;
}

}  // namespace rampart::incidents
