#include "incidents/compliance.h"

#include <algorithm>
#include <map>
#include <tuple>

#include "incidents/rules.h"

namespace rampart::incidents {

namespace {

struct Acc {
  ComplianceFigures f;
  std::vector<double> to_early_warning;
  std::vector<double> to_final;
};

std::optional<double> Median(std::vector<double> v) {
  if (v.empty()) return std::nullopt;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

// One stage's deadline and filing, as the clocks judge them: counted once its deadline has
// passed or it was filed.
void CountStage(Acc& a, std::optional<Millis> due, std::optional<Millis> filed, Millis now) {
  if (!due) return;
  if (!filed && *due >= now) return;
  ++a.f.stages_due;
  if (filed && *filed <= *due) ++a.f.stages_on_time;
}

void Add(Acc& a, const ComplianceCase& c, Millis now) {
  ++a.f.incidents;
  if (c.next_due_at && *c.next_due_at < now && c.mandatory) ++a.f.overdue_now;
  if (c.early_warning_at) {
    a.to_early_warning.push_back(static_cast<double>(*c.early_warning_at - c.aware_at) / kHour);
  }
  if (c.final_at) a.to_final.push_back(static_cast<double>(*c.final_at - c.aware_at) / kDay);
  if (!c.mandatory) return;
  const ReportingProfile* p = c.profile != nullptr ? c.profile : FindProfile(c.profile_id);
  if (p == nullptr) p = &Profiles().front();
  CaseTimes t{.aware_at = c.aware_at,
              .early_warning_at = c.early_warning_at,
              .notification_at = c.notification_at,
              .final_at = c.final_at,
              .resolved_at = c.resolved_at};
  for (const auto& k : Clocks(*p, t, now)) {
    if (k.stage == Stage::kIntermediate) continue;  // requests are not loaded here
    CountStage(a, k.due_at, k.submitted_at, now);
  }
}

ComplianceFigures Finish(Acc& a) {
  if (a.f.stages_due > 0) {
    a.f.on_time_share = static_cast<double>(a.f.stages_on_time) / a.f.stages_due;
  }
  a.f.median_hours_to_early_warning = Median(std::move(a.to_early_warning));
  a.f.median_days_to_final = Median(std::move(a.to_final));
  return a.f;
}

std::vector<ComplianceFigures> Sorted(std::map<std::string, Acc>& by_id) {
  std::vector<ComplianceFigures> out;
  for (auto& [id, a] : by_id) out.push_back(Finish(a));
  std::sort(out.begin(), out.end(), [](const auto& x, const auto& y) {
    return std::tie(x.name, x.id) < std::tie(y.name, y.id);
  });
  return out;
}

}  // namespace

Compliance ComputeCompliance(const std::vector<ComplianceCase>& cases, Millis now) {
  std::map<std::string, Acc> orgs;
  std::map<std::string, Acc> sectors;
  Acc total;
  total.f.name = "All sectors";
  for (const auto& c : cases) {
    if (!c.organisation_id.empty()) {
      Acc& o = orgs[c.organisation_id];
      o.f.id = c.organisation_id;
      o.f.name = c.organisation_name;
      Add(o, c, now);
    }
    Acc& s = sectors[c.sector_id];
    s.f.id = c.sector_id;
    s.f.name = c.sector_name;
    Add(s, c, now);
    Add(total, c, now);
  }
  return {Sorted(orgs), Sorted(sectors), Finish(total)};
}

}  // namespace rampart::incidents
