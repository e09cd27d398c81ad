// The cycle's pure rules: the weighted implementation share, the stage an organisation stands at,
// what is overdue, due dates and certificates that expire.
#include "isms/cycle.h"

#include <gtest/gtest.h>

namespace rampart::isms {
namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kNow = 1'790'000'000'000;  // a Tuesday in 2026, 10:13 UTC

TEST(IsmsCycleRules, WeightsImplementedControlsByMaturityAndPartialOnesByHalf) {
  // 4 applicable: implemented at maturity 5, implemented at 2, partial at 5, not started.
  std::vector<MaturityBucket> b = {{Status::kImplemented, 5, 1},
                                   {Status::kImplemented, 2, 1},
                                   {Status::kPartial, 5, 1},
                                   {Status::kNotStarted, -1, 1},
                                   {Status::kNotApplicable, -1, 7}};
  Implementation m = Measure(b);
  EXPECT_EQ(m.applicable, 4);
  EXPECT_EQ(m.implemented, 2);
  EXPECT_EQ(m.partial, 1);
  EXPECT_DOUBLE_EQ(*m.implemented_share, 62.5);  // (1 + 1 + 0.5) / 4
  EXPECT_DOUBLE_EQ(*m.weighted_share, 47.5);     // (1 + 0.4 + 0.5) / 4
}

TEST(IsmsCycleRules, UnratedMaturityCountsByStatusAlone) {
  Implementation m = Measure({{Status::kImplemented, -1, 3}, {Status::kPlanned, -1, 1}});
  EXPECT_DOUBLE_EQ(*m.weighted_share, 75.0);
  EXPECT_DOUBLE_EQ(*m.implemented_share, 75.0);
}

TEST(IsmsCycleRules, NothingApplicableHasNoShare) {
  Implementation m = Measure({{Status::kNotApplicable, -1, 4}});
  EXPECT_EQ(m.applicable, 0);
  EXPECT_FALSE(m.implemented_share);
  EXPECT_FALSE(m.weighted_share);
}

TEST(IsmsCycleRules, StageFollowsDesignImplementationEvaluationImprovement) {
  CycleFacts f;
  EXPECT_EQ(StageOf(f, kNow), Stage::kDesign);
  f.scope_recorded = true;
  EXPECT_EQ(StageOf(f, kNow), Stage::kImplementation);
  f.applicable_controls = 93;
  EXPECT_EQ(StageOf(f, kNow), Stage::kImplementation);  // nothing put in place yet
  f.implemented_controls = 10;
  EXPECT_EQ(StageOf(f, kNow), Stage::kEvaluation);
  f.last_evaluation = kNow - 30 * kDay;
  EXPECT_EQ(StageOf(f, kNow), Stage::kImprovement);
  // A year without an evaluation sends the organisation back to evaluating.
  f.last_evaluation = kNow - 400 * kDay;
  EXPECT_EQ(StageOf(f, kNow), Stage::kEvaluation);
  EXPECT_EQ(Name(Stage::kImprovement), "improvement");
}

TEST(IsmsCycleRules, OnlyUnfinishedActionsPastTheirDueDateAreOverdue) {
  ImprovementAction a;
  a.due_at = kNow - kDay;
  a.status = "open";
  EXPECT_TRUE(Overdue(a, kNow));
  a.status = "in_progress";
  EXPECT_TRUE(Overdue(a, kNow));
  a.status = "done";
  EXPECT_FALSE(Overdue(a, kNow));
  a.status = "cancelled";
  EXPECT_FALSE(Overdue(a, kNow));
  a.status = "open";
  a.due_at = kNow + kDay;
  EXPECT_FALSE(Overdue(a, kNow));
}

TEST(IsmsCycleRules, AnEvaluationIsOverdueWhenPlannedInThePastAndNotDone) {
  Evaluation e;
  e.planned_for = kNow - kDay;
  EXPECT_TRUE(Overdue(e, kNow));
  e.done_at = kNow - 2 * kDay;
  EXPECT_FALSE(Overdue(e, kNow));
  e.done_at.reset();
  e.planned_for = kNow + kDay;
  EXPECT_FALSE(Overdue(e, kNow));
}

TEST(IsmsCycleRules, ADueDateMayFallOnTheDayOfCreationButNotBefore) {
  const Millis midnight = kNow - (kNow % kDay);
  EXPECT_FALSE(DueBeforeCreation(midnight, kNow));  // earlier the same day
  EXPECT_FALSE(DueBeforeCreation(kNow + kDay, kNow));
  EXPECT_TRUE(DueBeforeCreation(midnight - 1, kNow));
}

TEST(IsmsCycleRules, ACertificateShowsAsExpiredOncePastItsExpiry) {
  Certification c;
  EXPECT_EQ(EffectiveStatus(c, kNow), "none");
  c.status = "certified";
  c.issued_at = kNow - 400 * kDay;
  c.expires_at = kNow + kDay;
  EXPECT_EQ(EffectiveStatus(c, kNow), "certified");
  c.expires_at = kNow - kDay;
  EXPECT_EQ(EffectiveStatus(c, kNow), "expired");
  c.status = "in_progress";
  EXPECT_EQ(EffectiveStatus(c, kNow), "in_progress");
}

}  // namespace
}  // namespace rampart::isms
