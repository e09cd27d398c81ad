// TLP 2.0 labels: parsed from what people type, stored by their STIX marking-definition ids.
#include "sharing/tlp.h"

#include <gtest/gtest.h>

#include <set>

namespace rampart::sharing {
namespace {

TEST(Tlp, ParsesLabelsWithOrWithoutPrefixInAnyCase) {
  EXPECT_EQ(ParseTlp("TLP:AMBER+STRICT"), Tlp::kAmberStrict);
  EXPECT_EQ(ParseTlp("amber+strict"), Tlp::kAmberStrict);
  EXPECT_EQ(ParseTlp("Amber"), Tlp::kAmber);
  EXPECT_EQ(ParseTlp("tlp:clear"), Tlp::kClear);
  EXPECT_EQ(ParseTlp("TLP:RED"), Tlp::kRed);
}

TEST(Tlp, RefusesWhiteAndAnythingElse) {
  EXPECT_EQ(ParseTlp("TLP:WHITE"), std::nullopt);
  EXPECT_EQ(ParseTlp("amber strict"), std::nullopt);
  EXPECT_EQ(ParseTlp(""), std::nullopt);
  EXPECT_EQ(ParseTlp("TLP:"), std::nullopt);
}

TEST(Tlp, AmberStrictKeepsAMarkingOfItsOwn) {
  std::set<std::string_view> ids;
  for (Tlp t : kAllTlp) {
    EXPECT_TRUE(MarkingId(t).starts_with("marking-definition--")) << Label(t);
    EXPECT_TRUE(ids.insert(MarkingId(t)).second) << Label(t);
    EXPECT_EQ(TlpFromMarkingId(MarkingId(t)), t);
  }
  EXPECT_NE(MarkingId(Tlp::kAmber), MarkingId(Tlp::kAmberStrict));
  EXPECT_EQ(TlpFromMarkingId("marking-definition--00000000-0000-0000-0000-000000000000"),
            std::nullopt);
}

TEST(Pap, ParsesLabels) {
  for (Pap p : kAllPap) EXPECT_EQ(ParsePap(Label(p)), p);
  EXPECT_EQ(ParsePap("green"), Pap::kGreen);
  EXPECT_EQ(ParsePap("PAP:WHITE"), std::nullopt);
}

}  // namespace
}  // namespace rampart::sharing
