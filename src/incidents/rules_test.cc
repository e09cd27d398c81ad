#include "incidents/rules.h"

#include <gtest/gtest.h>

namespace rampart::incidents {
namespace {

constexpr Millis kAware = 1'790'000'000'000;  // some time in 2026

const StageClock& ClockOf(const std::vector<StageClock>& clocks, Stage stage, int nth = 0) {
  for (const auto& c : clocks) {
    if (c.stage == stage && nth-- == 0) return c;
  }
  throw std::logic_error("no clock for stage " + std::string(Name(stage)));
}

bool HasClock(const std::vector<StageClock>& clocks, Stage stage) {
  for (const auto& c : clocks) {
    if (c.stage == stage) return true;
  }
  return false;
}

TEST(Clocks, EarlyWarningAndNotificationRunFromAwareness) {
  CaseTimes t{.aware_at = kAware};
  auto clocks = Clocks(Nis2Default(), t, kAware + kHour);
  EXPECT_EQ(*ClockOf(clocks, Stage::kEarlyWarning).due_at, kAware + 24 * kHour);
  EXPECT_EQ(*ClockOf(clocks, Stage::kNotification).due_at, kAware + 72 * kHour);
  EXPECT_EQ(ClockOf(clocks, Stage::kEarlyWarning).state, ClockState::kWaiting);
  EXPECT_FALSE(ClockOf(clocks, Stage::kFinal).due_at.has_value())
      << "the final report's clock waits for the notification";
}

TEST(Clocks, FinanceClocksAreTighter) {
  CaseTimes t{.aware_at = kAware};
  auto clocks = Clocks(FinanceDoraLike(), t, kAware + 5 * kHour);
  EXPECT_EQ(*ClockOf(clocks, Stage::kEarlyWarning).due_at, kAware + 4 * kHour);
  EXPECT_EQ(ClockOf(clocks, Stage::kEarlyWarning).state, ClockState::kOverdue);
}

TEST(Clocks, SubmittedStagesAreOnTimeOrLate) {
  CaseTimes t{.aware_at = kAware,
              .early_warning_at = kAware + 23 * kHour,
              .notification_at = kAware + 80 * kHour};
  auto clocks = Clocks(Nis2Default(), t, kAware + 100 * kHour);
  EXPECT_EQ(ClockOf(clocks, Stage::kEarlyWarning).state, ClockState::kOnTime);
  EXPECT_EQ(ClockOf(clocks, Stage::kNotification).state, ClockState::kLate);
}

TEST(Clocks, FinalIsDueOneMonthAfterTheNotificationWhenHandledByThen) {
  CaseTimes t{.aware_at = kAware,
              .early_warning_at = kAware + kHour,
              .notification_at = kAware + 10 * kHour,
              .resolved_at = kAware + 5 * kDay};
  auto clocks = Clocks(Nis2Default(), t, kAware + 6 * kDay);
  EXPECT_EQ(*ClockOf(clocks, Stage::kFinal).due_at, kAware + 10 * kHour + 30 * kDay);
  EXPECT_FALSE(HasClock(clocks, Stage::kProgress));
}

TEST(Clocks, StillOpenAfterAMonthAsksForAProgressReportAndMovesTheFinal) {
  CaseTimes t{.aware_at = kAware,
              .early_warning_at = kAware + kHour,
              .notification_at = kAware + 2 * kHour};
  const Millis month = kAware + 2 * kHour + 30 * kDay;
  auto open = Clocks(Nis2Default(), t, month + kDay);
  EXPECT_EQ(*ClockOf(open, Stage::kProgress).due_at, month);
  EXPECT_EQ(ClockOf(open, Stage::kProgress).state, ClockState::kOverdue);
  EXPECT_FALSE(ClockOf(open, Stage::kFinal).due_at.has_value()) << "due once resolved";

  t.progress_at = {month - kHour};
  t.resolved_at = month + 10 * kDay;
  auto resolved = Clocks(Nis2Default(), t, month + 11 * kDay);
  EXPECT_EQ(ClockOf(resolved, Stage::kProgress).state, ClockState::kOnTime);
  EXPECT_EQ(*ClockOf(resolved, Stage::kFinal).due_at, month + 10 * kDay + 30 * kDay);
  EXPECT_EQ(ClockOf(resolved, Stage::kFinal).state, ClockState::kWaiting);
}

TEST(Clocks, AnEarlyFinalReportNeedsNoProgressReport) {
  CaseTimes t{.aware_at = kAware, .notification_at = kAware + kDay, .final_at = kAware + 20 * kDay};
  auto clocks = Clocks(Nis2Default(), t, kAware + 60 * kDay);
  EXPECT_FALSE(HasClock(clocks, Stage::kProgress));
  EXPECT_EQ(ClockOf(clocks, Stage::kFinal).state, ClockState::kOnTime);
}

TEST(Clocks, EachIntermediateRequestHasItsOwnClock) {
  CaseTimes t{.aware_at = kAware};
  t.intermediate = {{.requested_at = kAware + kDay},
                    {.requested_at = kAware + 2 * kDay,
                     .due_at = kAware + 2 * kDay + 6 * kHour,
                     .submitted_at = kAware + 2 * kDay + 7 * kHour}};
  auto clocks = Clocks(Nis2Default(), t, kAware + 3 * kDay);
  EXPECT_EQ(*ClockOf(clocks, Stage::kIntermediate, 0).due_at, kAware + kDay + 7 * kDay);
  EXPECT_EQ(ClockOf(clocks, Stage::kIntermediate, 0).state, ClockState::kWaiting);
  EXPECT_EQ(ClockOf(clocks, Stage::kIntermediate, 1).state, ClockState::kLate);
}

TEST(StateOf, SubmittedExactlyAtTheDeadlineIsOnTime) {
  EXPECT_EQ(StateOf(100, 100, 200), ClockState::kOnTime);
  EXPECT_EQ(StateOf(100, 101, 200), ClockState::kLate);
  EXPECT_EQ(StateOf(100, std::nullopt, 100), ClockState::kWaiting);
  EXPECT_EQ(StateOf(100, std::nullopt, 101), ClockState::kOverdue);
  EXPECT_EQ(StateOf(std::nullopt, std::nullopt, 101), ClockState::kWaiting);
}

TEST(Severity, TheHighestMeasureDecidesAndSaysWhy) {
  Impact impact{.users_affected = 150'000, .duration_hours = 3};
  auto d = AssessSeverity(Nis2Default(), impact);
  EXPECT_EQ(d.severity, Severity::kCritical);
  EXPECT_EQ(d.rule, "users_affected 150000 >= 100000");
  auto medium = AssessSeverity(Nis2Default(), {.users_affected = 1'000});
  EXPECT_EQ(medium.severity, Severity::kMedium);
}

TEST(Severity, UnknownMeasuresDoNotCountAndNothingIsLow) {
  auto d = AssessSeverity(Nis2Default(), {});
  EXPECT_EQ(d.severity, Severity::kLow);
  EXPECT_FALSE(d.rule.empty());
}

TEST(Severity, CrossBorderImpactIsAtLeastHigh) {
  auto d = AssessSeverity(Nis2Default(), {.users_affected = 10, .cross_border = true});
  EXPECT_EQ(d.severity, Severity::kHigh);
  EXPECT_EQ(d.rule, "cross-border impact");
  auto critical = AssessSeverity(Nis2Default(), {.duration_hours = 48, .cross_border = true});
  EXPECT_EQ(critical.severity, Severity::kCritical) << "a higher measure is not lowered";
}

TEST(Severity, SignificanceFollowsTheProfile) {
  EXPECT_FALSE(IsSignificant(Nis2Default(), Severity::kMedium));
  EXPECT_TRUE(IsSignificant(Nis2Default(), Severity::kHigh));
  EXPECT_TRUE(IsSignificant(FinanceDoraLike(), Severity::kMedium));
}

TEST(CheckTimes, RefusesImpossibleTimesNamingTheField) {
  const Millis now = kAware + kDay;
  EXPECT_TRUE(CheckTimes({.aware_at = kAware, .early_warning_at = kAware + kHour}, now).empty());
  auto future = CheckTimes({.aware_at = now + kDay}, now);
  ASSERT_EQ(future.size(), 1u);
  EXPECT_EQ(future[0].field, "/aware_at");
  auto before = CheckTimes(
      {.aware_at = kAware, .notification_at = kAware - 1, .resolved_at = kAware - 1}, now);
  ASSERT_EQ(before.size(), 2u);
  EXPECT_EQ(before[0].field, "/notification_at");
  EXPECT_EQ(before[1].field, "/resolved_at");
}

TEST(Names, StagesAndSeveritiesRoundTrip) {
  for (Stage s : kAllStages) EXPECT_EQ(ParseStage(Name(s)), s);
  for (auto s : {Severity::kLow, Severity::kMedium, Severity::kHigh, Severity::kCritical}) {
    EXPECT_EQ(ParseSeverity(Name(s)), s);
  }
  EXPECT_FALSE(ParseStage("preliminary").has_value());
  EXPECT_FALSE(ParseSeverity("catastrophic").has_value());
}

}  // namespace
}  // namespace rampart::incidents
