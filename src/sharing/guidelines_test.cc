// The guidelines library's pure rules: the comment period closes at its date, a consultation is
// published only after it with every comment answered, and adoption is counted per sector over
// the audience, organisations it does not apply to left out of the share.
#include "sharing/guidelines.h"

#include <gtest/gtest.h>

namespace rampart::sharing {
namespace {

GuidelineVersion InConsultation(Millis until) {
  GuidelineVersion v;
  v.state = GuidelineState::kConsultation;
  v.comments_until = until;
  return v;
}

TEST(GuidelineRules, CommentsCloseAtTheirDateExactly) {
  const auto v = InConsultation(10'000);
  EXPECT_TRUE(CommentsOpen(v, 9'999));
  EXPECT_FALSE(CommentsOpen(v, 10'000));
  EXPECT_FALSE(CommentsOpen(v, 10'001));
  GuidelineVersion draft;
  EXPECT_FALSE(CommentsOpen(draft, 0));
  GuidelineVersion published = v;
  published.state = GuidelineState::kPublished;
  EXPECT_FALSE(CommentsOpen(published, 0));
}

TEST(GuidelineRules, AConsultationIsPublishedAfterItsDateWithEveryCommentAnswered) {
  const auto v = InConsultation(10'000);
  EXPECT_TRUE(PublishRefusal(v, 0, 9'999).has_value());
  EXPECT_TRUE(PublishRefusal(v, 1, 10'000).has_value());
  EXPECT_EQ(PublishRefusal(v, 0, 10'000), std::nullopt);
  GuidelineVersion draft;
  EXPECT_EQ(PublishRefusal(draft, 0, 0), std::nullopt);  // no consultation is needed
  GuidelineVersion published;
  published.state = GuidelineState::kPublished;
  EXPECT_TRUE(PublishRefusal(published, 0, 0).has_value());
}

TEST(GuidelineRules, AdoptionIsCountedPerSectorOverTheAudience) {
  const std::vector<std::pair<std::string, std::vector<std::string>>> audience = {
      {"bank-a", {"finance"}},
      {"bank-b", {"finance"}},
      {"bank-c", {"finance"}},
      {"grid", {"energy"}},
      {"ambulance", {"health", "emergency"}},
  };
  std::vector<Adoption> current;
  current.push_back({.org_id = "bank-a", .status = AdoptionStatus::kAdopted});
  current.push_back({.org_id = "bank-b", .status = AdoptionStatus::kNotApplicable});
  current.push_back({.org_id = "grid", .status = AdoptionStatus::kPlanned});
  current.push_back({.org_id = "ambulance", .status = AdoptionStatus::kAdopted});
  current.push_back({.org_id = "outsider", .status = AdoptionStatus::kAdopted});  // not counted
  const auto rows = CountAdoption(audience, current);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].sector_id, "finance");
  EXPECT_EQ(rows[0].organisations, 3);
  EXPECT_EQ(rows[0].adopted, 1);
  EXPECT_EQ(rows[0].not_applicable, 1);
  EXPECT_DOUBLE_EQ(*rows[0].Share(), 0.5);  // one of the two it applies to
  EXPECT_EQ(rows[1].sector_id, "energy");
  EXPECT_EQ(rows[1].planned, 1);
  EXPECT_DOUBLE_EQ(*rows[1].Share(), 0.0);
  // An organisation in two sectors counts in both.
  EXPECT_EQ(rows[2].adopted, 1);
  EXPECT_EQ(rows[3].adopted, 1);
  SectorAdoption none{.organisations = 2, .not_applicable = 2};
  EXPECT_EQ(none.Share(), std::nullopt);
}

TEST(GuidelineRules, ReferencesAndNames) {
  EXPECT_EQ(FormatGuidelineReference(2026, 2), "GL-2026-0002");
  EXPECT_EQ(ParseAdoptionStatus("not_applicable"), AdoptionStatus::kNotApplicable);
  EXPECT_EQ(ParseAdoptionStatus("maybe"), std::nullopt);
  EXPECT_EQ(ParseGuidelineState("consultation"), GuidelineState::kConsultation);
}

}  // namespace
}  // namespace rampart::sharing
