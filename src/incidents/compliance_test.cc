// Reporting compliance: stages on time, medians and overdue cases, per organisation and sector.
#include "incidents/compliance.h"

#include <gtest/gtest.h>

namespace rampart::incidents {
namespace {

constexpr Millis kAware = 1'780'000'000'000;

ComplianceCase Case(std::string org, Millis ew_after, std::optional<Millis> notification_after) {
  ComplianceCase c;
  c.organisation_id = org;
  c.organisation_name = org;
  c.sector_id = "finance";
  c.sector_name = "Finance";
  c.profile_id = "nis2-default";
  c.aware_at = kAware;
  c.early_warning_at = kAware + ew_after;
  if (notification_after) c.notification_at = kAware + *notification_after;
  return c;
}

TEST(Compliance, CountsStagesOnTimeAgainstThoseDue) {
  const Millis now = kAware + 100 * kHour;
  // Bank a: early warning on time, notification late. Bank b: early warning late, notification
  // missing and overdue.
  std::vector<ComplianceCase> cases = {Case("a", 2 * kHour, 80 * kHour),
                                       Case("b", 30 * kHour, std::nullopt)};
  cases[1].next_due_at = kAware + 72 * kHour;
  auto c = ComputeCompliance(cases, now);
  ASSERT_EQ(c.organisations.size(), 2u);
  EXPECT_EQ(c.organisations[0].stages_due, 2);
  EXPECT_EQ(c.organisations[0].stages_on_time, 1);
  EXPECT_DOUBLE_EQ(*c.organisations[0].on_time_share, 0.5);
  EXPECT_EQ(c.organisations[1].stages_on_time, 0);
  EXPECT_EQ(c.organisations[1].overdue_now, 1);
  EXPECT_EQ(c.total.incidents, 2);
  EXPECT_DOUBLE_EQ(*c.total.median_hours_to_early_warning, 16.0);
  EXPECT_FALSE(c.total.median_days_to_final.has_value());
}

TEST(Compliance, StagesNotYetDueAreNotCounted) {
  auto c = ComputeCompliance({Case("a", kHour, std::nullopt)}, kAware + 2 * kHour);
  EXPECT_EQ(c.total.stages_due, 1) << "the notification is not due yet";
  EXPECT_EQ(c.total.stages_on_time, 1);
}

TEST(Compliance, AnonymisedCasesCountForTheSectorOnly) {
  auto anonymous = Case("", kHour, std::nullopt);
  anonymous.organisation_name.clear();
  auto c = ComputeCompliance({anonymous, Case("a", kHour, std::nullopt)}, kAware + 2 * kHour);
  EXPECT_EQ(c.organisations.size(), 1u);
  EXPECT_EQ(c.sectors.size(), 1u);
  EXPECT_EQ(c.sectors[0].incidents, 2);
}

TEST(Compliance, VoluntaryReportsRunNoClock) {
  auto v = Case("a", 90 * kHour, std::nullopt);
  v.mandatory = false;
  v.next_due_at = kAware;
  auto c = ComputeCompliance({v}, kAware + 200 * kHour);
  EXPECT_EQ(c.total.stages_due, 0);
  EXPECT_EQ(c.total.overdue_now, 0);
  EXPECT_FALSE(c.total.on_time_share.has_value());
}

}  // namespace
}  // namespace rampart::incidents
