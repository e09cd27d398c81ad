#include "incidents/rules.h"

#include <gtest/gtest.h>

#include <algorithm>

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

TEST(Clocks, BeforeTheMonthIsOutTheFinalReportIsWhatIsDue) {
  CaseTimes t{.aware_at = kAware,
              .early_warning_at = kAware + kHour,
              .notification_at = kAware + 2 * kHour};
  const Millis month = kAware + 2 * kHour + 30 * kDay;
  auto clocks = Clocks(Nis2Default(), t, kAware + 3 * kDay);
  EXPECT_FALSE(HasClock(clocks, Stage::kProgress));
  EXPECT_EQ(*ClockOf(clocks, Stage::kFinal).due_at, month);
  EXPECT_EQ(ClockOf(clocks, Stage::kFinal).state, ClockState::kWaiting);
}

TEST(Clocks, ALateFinalReportAnswersTheMissingProgressReportLate) {
  CaseTimes t{.aware_at = kAware,
              .early_warning_at = kAware + kHour,
              .notification_at = kAware + kDay,
              .final_at = kAware + 50 * kDay,
              .resolved_at = kAware + 45 * kDay};
  auto clocks = Clocks(Nis2Default(), t, kAware + 200 * kDay);
  EXPECT_EQ(ClockOf(clocks, Stage::kProgress).state, ClockState::kLate);
  EXPECT_EQ(ClockOf(clocks, Stage::kFinal).state, ClockState::kOnTime);
  EXPECT_FALSE(NextDueOf(clocks).has_value()) << "nothing is overdue once the final report is in";
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

TEST(Names, CaseStatesRoundTrip) {
  for (CaseState s : kAllCaseStates) EXPECT_EQ(ParseCaseState(Name(s)), s);
  EXPECT_FALSE(ParseCaseState("open").has_value());
}

TEST(Reference, IsYearAndSixDigits) {
  EXPECT_EQ(FormatReference(2026, 123), "INC-2026-000123");
  EXPECT_EQ(FormatReference(2027, 1), "INC-2027-000001");
  EXPECT_EQ(FormatReference(2026, 1234567), "INC-2026-1234567");
}

TEST(RequiredFields, EveryProfileAsksTheBaseAndFinanceAddsMoneyAndClients) {
  auto base = RequiredFields(Nis2Default(), Stage::kNotification);
  EXPECT_EQ(base, (std::vector<std::string>{"initial_assessment", "rsit_class", "rsit_type"}));
  auto finance = RequiredFields(FinanceDoraLike(), Stage::kNotification);
  EXPECT_EQ(finance.size(), base.size() + 2);
  EXPECT_NE(std::find(finance.begin(), finance.end(), "financial_loss_eur"), finance.end());
  EXPECT_EQ(RequiredFields(Nis2Default(), Stage::kFinal),
            (std::vector<std::string>{"description", "root_cause", "mitigations_applied"}));
}

TEST(Profiles, AreFoundById) {
  ASSERT_NE(FindProfile("finance-dora-like"), nullptr);
  EXPECT_EQ(FindProfile("finance-dora-like")->early_warning_within, 4 * kHour);
  EXPECT_EQ(FindProfile("nis2-default")->id, "nis2-default");
  EXPECT_EQ(FindProfile("lenient"), nullptr);
}

TEST(NextDue, IsTheEarliestClockStillOpen) {
  auto clocks = Clocks(Nis2Default(), {.aware_at = kAware, .early_warning_at = kAware + kHour},
                       kAware + 2 * kHour);
  auto next = NextDueOf(clocks);
  ASSERT_TRUE(next.has_value());
  EXPECT_EQ(next->stage, Stage::kNotification);
  EXPECT_EQ(next->due_at, kAware + 72 * kHour);
  // Everything in: nothing is due.
  auto done = Clocks(Nis2Default(),
                     {.aware_at = kAware,
                      .early_warning_at = kAware + kHour,
                      .notification_at = kAware + 2 * kHour,
                      .final_at = kAware + 3 * kHour},
                     kAware + 4 * kHour);
  EXPECT_FALSE(NextDueOf(done).has_value());
}

RoutingFacts Finance() {
  RoutingFacts f;
  f.reporter_id = "bank";
  f.regulators = {"cb", "fsc"};
  f.sector_certs = {"fincert"};
  f.national_certs = {"natcert"};
  return f;
}

const CaseParty* PartyOf(const Routing& r, std::string_view org) {
  for (const auto& p : r.parties) {
    if (p.org_id == org) return &p;
  }
  return nullptr;
}

TEST(Routing, RegulatorsGetTheReportAndTheSectorCertACopyAtOnce) {
  auto f = Finance();
  f.mous = {{"cb", "natcert", "on_receipt", 24}};
  auto r = RouteReport(f, kAware);
  ASSERT_NE(PartyOf(r, "bank"), nullptr);
  EXPECT_EQ(PartyOf(r, "bank")->relation, Relation::kReporter);
  EXPECT_EQ(PartyOf(r, "cb")->relation, Relation::kRegulator);
  EXPECT_EQ(PartyOf(r, "fsc")->relation, Relation::kRegulator);
  EXPECT_EQ(PartyOf(r, "fincert")->relation, Relation::kSectorCert);
  EXPECT_EQ(PartyOf(r, "natcert")->relation, Relation::kNationalCert);
  for (const auto& h : r.handovers) EXPECT_TRUE(h.delivered) << h.to_org_id;
}

TEST(Routing, AfterReviewLeavesAHandoverWaitingInTheRegulatorsInbox) {
  auto f = Finance();
  f.mous = {{"cb", "natcert", "after_review", 12}};
  auto r = RouteReport(f, kAware);
  EXPECT_EQ(PartyOf(r, "natcert"), nullptr) << "the national CERT waits for the review";
  int waiting = 0;
  for (const auto& h : r.handovers) {
    if (h.delivered) continue;
    ++waiting;
    EXPECT_EQ(h.from_org_id, "cb");
    EXPECT_EQ(h.to_org_id, "natcert");
    EXPECT_EQ(h.due_at, kAware + 12 * kHour);
  }
  EXPECT_EQ(waiting, 1);
}

TEST(Routing, AnonymisedGivesTheNationalCertAnAnonymisedCase) {
  auto f = Finance();
  f.mous = {{"cb", "natcert", "anonymised", 24}};
  auto r = RouteReport(f, kAware);
  EXPECT_EQ(PartyOf(r, "natcert")->relation, Relation::kNationalCertAnonymised);
}

TEST(Routing, TheMostOpenMouGivenAtOnceWins) {
  auto f = Finance();
  f.mous = {{"cb", "natcert", "anonymised", 24}, {"fsc", "natcert", "on_receipt", 24}};
  auto r = RouteReport(f, kAware);
  EXPECT_EQ(PartyOf(r, "natcert")->relation, Relation::kNationalCert);
  EXPECT_EQ(r.parties.size(), 5u) << "one party per organisation";
}

TEST(Routing, WithoutAnMouTheNationalCertHearsDirectly) {
  auto r = RouteReport(Finance(), kAware);
  EXPECT_EQ(PartyOf(r, "natcert")->relation, Relation::kNationalCert);
  bool direct = false;
  for (const auto& h : r.handovers) direct |= h.mode == "direct" && h.to_org_id == "natcert";
  EXPECT_TRUE(direct);
}

TEST(Routing, IgnoresTheMouOfARegulatorThatNoLongerRegulatesTheSector) {
  auto f = Finance();
  f.mous = {{"ura", "natcert", "after_review", 24}};
  auto r = RouteReport(f, kAware);
  EXPECT_EQ(PartyOf(r, "natcert")->relation, Relation::kNationalCert);
}

TEST(Transitions, CertsHandleAndReportersMayOnlyResolveOrReopen) {
  EXPECT_TRUE(MayTransition(CaseState::kSubmitted, CaseState::kAcknowledged, Side::kCert));
  EXPECT_FALSE(MayTransition(CaseState::kSubmitted, CaseState::kAcknowledged, Side::kReporter));
  EXPECT_TRUE(MayTransition(CaseState::kInProgress, CaseState::kResolved, Side::kReporter));
  EXPECT_TRUE(MayTransition(CaseState::kResolved, CaseState::kInProgress, Side::kReporter));
  EXPECT_FALSE(MayTransition(CaseState::kResolved, CaseState::kClosed, Side::kReporter));
  EXPECT_TRUE(MayTransition(CaseState::kResolved, CaseState::kClosed, Side::kCert));
  EXPECT_FALSE(MayTransition(CaseState::kClosed, CaseState::kInProgress, Side::kCert));
  EXPECT_FALSE(MayTransition(CaseState::kSubmitted, CaseState::kSubmitted, Side::kCert));
}

TEST(Transitions, ClosedAndMergedCasesGoNowhere) {
  for (Side side : {Side::kCert, Side::kReporter}) {
    EXPECT_TRUE(NextStates(CaseState::kClosed, side).empty());
    EXPECT_TRUE(NextStates(CaseState::kMerged, side).empty());
  }
  EXPECT_TRUE(IsOpen(CaseState::kTriaged));
  EXPECT_FALSE(IsOpen(CaseState::kResolved));
}

TEST(Disclosure, NeedsTwoDifferentPeopleAndOneRefusalRefuses) {
  EXPECT_EQ(StateOfDisclosure({}), DisclosureState::kPending);
  EXPECT_EQ(StateOfDisclosure({{"ana", true}}), DisclosureState::kPending);
  EXPECT_EQ(StateOfDisclosure({{"ana", true}, {"ana", true}}), DisclosureState::kPending)
      << "one person approving twice is one approval";
  EXPECT_EQ(StateOfDisclosure({{"ana", true}, {"ben", true}}), DisclosureState::kApproved);
  EXPECT_EQ(StateOfDisclosure({{"ana", true}, {"ben", false}}), DisclosureState::kRefused);
  EXPECT_EQ(Name(DisclosureState::kReleased), "released");
}

// Field names of errors, for compact expectations.
std::vector<std::string> FieldsOf(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

TEST(WithinLaw, TheBuiltInProfilesAreWithinTheLaw) {
  for (const auto& p : Profiles()) {
    SCOPED_TRACE(p.id);
    EXPECT_TRUE(CheckWithinLaw(p).empty());
  }
}

TEST(WithinLaw, ASectorMayTightenDeadlinesButNotLoosenThem) {
  ReportingProfile p = Nis2Default();
  p.early_warning_within = 6 * kHour;
  p.final_within = 20 * kDay;
  EXPECT_TRUE(CheckWithinLaw(p).empty());
  p.early_warning_within = 36 * kHour;
  p.final_within = 45 * kDay;
  p.intermediate_within = 30 * 60'000;  // half an hour
  EXPECT_EQ(FieldsOf(CheckWithinLaw(p)),
            (std::vector<std::string>{"/early_warning_within_hours", "/final_within_days",
                                      "/intermediate_within_hours"}));
}

TEST(WithinLaw, TheNotificationCannotBeDueBeforeTheEarlyWarning) {
  ReportingProfile p = Nis2Default();
  p.early_warning_within = 12 * kHour;
  p.notification_within = 6 * kHour;
  EXPECT_EQ(FieldsOf(CheckWithinLaw(p)),
            (std::vector<std::string>{"/notification_within_hours"}));
}

TEST(WithinLaw, ThresholdsMayOnlyBeLowerAndMustRise) {
  ReportingProfile p = Nis2Default();
  p.users_affected = {100, 1'000, 10'000};
  EXPECT_TRUE(CheckWithinLaw(p).empty());
  p.users_affected = {100, 50, 10'000};  // high below medium
  p.duration_hours.critical = 48;         // above the law's 24
  p.financial_loss_eur.medium = std::nullopt;
  EXPECT_EQ(FieldsOf(CheckWithinLaw(p)),
            (std::vector<std::string>{"/thresholds/users_affected/high",
                                      "/thresholds/duration_hours/critical",
                                      "/thresholds/financial_loss_eur/medium"}));
}

TEST(WithinLaw, SignificanceAndCrossBorderRatingMayOnlyGetStricter) {
  ReportingProfile p = Nis2Default();
  p.significant_from = Severity::kLow;
  p.cross_border_at_least = Severity::kCritical;
  EXPECT_TRUE(CheckWithinLaw(p).empty());
  p.significant_from = Severity::kCritical;
  p.cross_border_at_least = Severity::kMedium;
  EXPECT_EQ(FieldsOf(CheckWithinLaw(p)),
            (std::vector<std::string>{"/significant_from", "/cross_border_at_least"}));
}

TEST(WithinLaw, OnlyFieldsAStageCarriesMayBeAddedAndNeverToTheEarlyWarning) {
  ReportingProfile p = Nis2Default();
  p.also_required = {{Stage::kFinal, "cross_border_impact"},
                     {Stage::kFinal, "favourite_colour"},
                     {Stage::kEarlyWarning, "users_affected"}};
  EXPECT_EQ(FieldsOf(CheckWithinLaw(p)),
            (std::vector<std::string>{"/also_required/final/1", "/also_required/early_warning/0"}));
  p.also_required = {{Stage::kFinal, "cross_border_impact"}};
  EXPECT_TRUE(CheckWithinLaw(p).empty());
  EXPECT_EQ(RequiredFields(p, Stage::kFinal).back(), "cross_border_impact");
}

}  // namespace
}  // namespace rampart::incidents
