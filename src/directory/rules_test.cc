// The directory's pure rules: what makes an organisation and an MOU valid.
#include "directory/rules.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rampart::directory {
namespace {

std::vector<std::string> Fields(const std::vector<FieldError>& errors) {
  std::vector<std::string> out;
  for (const auto& e : errors) out.push_back(e.field);
  return out;
}

std::string Messages(const std::vector<FieldError>& errors) {
  std::string out;
  for (const auto& e : errors) out += e.field + ": " + e.message + "\n";
  return out;
}

Organisation Org(OrgKind kind, std::vector<std::string> sectors,
                 std::optional<int> tier = std::nullopt) {
  Organisation o;
  o.id = "org";
  o.name = "Some organisation";
  o.kind = kind;
  o.sector_ids = std::move(sectors);
  o.criticality_tier = tier;
  return o;
}

TEST(CheckOrganisation, OperatorNeedsASector) {
  EXPECT_EQ(Fields(CheckOrganisation(Org(OrgKind::kOperator, {}))),
            std::vector<std::string>{"/sector_ids"});
  EXPECT_TRUE(CheckOrganisation(Org(OrgKind::kOperator, {"energy"})).empty());
  EXPECT_TRUE(CheckOrganisation(Org(OrgKind::kOperator, {"energy", "water"})).empty());
}

TEST(CheckOrganisation, EveryKindButTheNationalCertNeedsASector) {
  for (OrgKind kind : {OrgKind::kGovernment, OrgKind::kRegulator, OrgKind::kSectorCert}) {
    SCOPED_TRACE(std::string(Name(kind)));
    EXPECT_EQ(Fields(CheckOrganisation(Org(kind, {}))), std::vector<std::string>{"/sector_ids"});
  }
}

TEST(CheckOrganisation, NationalCertNeedsNoSector) {
  auto errors = CheckOrganisation(Org(OrgKind::kNationalCert, {}));
  EXPECT_TRUE(errors.empty()) << Messages(errors);
}

TEST(CheckOrganisation, SectorCertServesExactlyOneSector) {
  EXPECT_TRUE(CheckOrganisation(Org(OrgKind::kSectorCert, {"finance"})).empty());
  auto errors = CheckOrganisation(Org(OrgKind::kSectorCert, {"finance", "energy"}));
  ASSERT_EQ(errors.size(), 1u) << Messages(errors);
  EXPECT_EQ(errors[0].field, "/sector_ids");
  EXPECT_EQ(errors[0].message, "a sector CERT serves exactly one sector");
}

TEST(CheckOrganisation, RegulatorMayCoverSeveralSectors) {
  EXPECT_TRUE(CheckOrganisation(Org(OrgKind::kRegulator, {"energy", "water"})).empty());
}

TEST(CheckOrganisation, RefusesDuplicateSectors) {
  auto errors = CheckOrganisation(Org(OrgKind::kOperator, {"water", "energy", "water"}));
  ASSERT_EQ(errors.size(), 1u) << Messages(errors);
  EXPECT_EQ(errors[0].field, "/sector_ids");
  EXPECT_EQ(errors[0].message, "must not name a sector twice");
}

TEST(CheckOrganisation, CriticalityTierOnlyForOperatorsAndGovernment) {
  EXPECT_TRUE(CheckOrganisation(Org(OrgKind::kOperator, {"energy"}, 1)).empty());
  EXPECT_TRUE(CheckOrganisation(Org(OrgKind::kGovernment, {"energy"}, 3)).empty());
  for (OrgKind kind : {OrgKind::kRegulator, OrgKind::kSectorCert, OrgKind::kNationalCert}) {
    SCOPED_TRACE(std::string(Name(kind)));
    std::vector<std::string> sectors;
    if (kind != OrgKind::kNationalCert) sectors = {"energy"};
    EXPECT_EQ(Fields(CheckOrganisation(Org(kind, sectors, 2))),
              std::vector<std::string>{"/criticality_tier"});
    EXPECT_TRUE(CheckOrganisation(Org(kind, sectors)).empty());
  }
}

TEST(CheckOrganisation, ReportsEveryProblemAtOnce) {
  auto errors = CheckOrganisation(Org(OrgKind::kSectorCert, {"a", "b", "a"}, 1));
  EXPECT_EQ(Fields(errors),
            (std::vector<std::string>{"/sector_ids", "/sector_ids", "/criticality_tier"}))
      << Messages(errors);
}

class CheckMouTest : public testing::Test {
 protected:
  CheckMouTest()
      : regulator_(Org(OrgKind::kRegulator, {"energy", "water"})),
        cert_(Org(OrgKind::kNationalCert, {})) {
    mou_.sector_id = "water";
    mou_.regulator_id = "reg";
    mou_.national_cert_id = "cert";
    mou_.effective_from = 1'000'000;
  }
  Organisation regulator_;
  Organisation cert_;
  Mou mou_;
};

TEST_F(CheckMouTest, AcceptsAValidMou) {
  auto errors = CheckMou(mou_, &regulator_, &cert_);
  EXPECT_TRUE(errors.empty()) << Messages(errors);
  mou_.effective_to = mou_.effective_from + 1;
  errors = CheckMou(mou_, &regulator_, &cert_);
  EXPECT_TRUE(errors.empty()) << Messages(errors);
}

TEST_F(CheckMouTest, RegulatorMustExistAndBeARegulator) {
  EXPECT_EQ(Fields(CheckMou(mou_, nullptr, &cert_)), std::vector<std::string>{"/regulator_id"});
  for (OrgKind kind :
       {OrgKind::kOperator, OrgKind::kGovernment, OrgKind::kSectorCert, OrgKind::kNationalCert}) {
    SCOPED_TRACE(std::string(Name(kind)));
    Organisation not_regulator = Org(kind, {"water"});
    auto errors = CheckMou(mou_, &not_regulator, &cert_);
    ASSERT_EQ(errors.size(), 1u) << Messages(errors);
    EXPECT_EQ(errors[0].field, "/regulator_id");
    EXPECT_EQ(errors[0].message, "must be a regulator");
  }
}

TEST_F(CheckMouTest, RegulatorMustRegulateTheSector) {
  mou_.sector_id = "finance";
  auto errors = CheckMou(mou_, &regulator_, &cert_);
  ASSERT_EQ(errors.size(), 1u) << Messages(errors);
  EXPECT_EQ(errors[0].field, "/regulator_id");
  EXPECT_EQ(errors[0].message, "does not regulate this sector");
}

TEST_F(CheckMouTest, CertMustExistAndBeTheNationalCert) {
  EXPECT_EQ(Fields(CheckMou(mou_, &regulator_, nullptr)),
            std::vector<std::string>{"/national_cert_id"});
  Organisation sector_cert = Org(OrgKind::kSectorCert, {"water"});
  auto errors = CheckMou(mou_, &regulator_, &sector_cert);
  ASSERT_EQ(errors.size(), 1u) << Messages(errors);
  EXPECT_EQ(errors[0].field, "/national_cert_id");
  EXPECT_EQ(errors[0].message, "must be the national CERT");
}

TEST_F(CheckMouTest, EffectiveToMustBeAfterEffectiveFrom) {
  mou_.effective_to = mou_.effective_from;
  EXPECT_EQ(Fields(CheckMou(mou_, &regulator_, &cert_)), std::vector<std::string>{"/effective_to"});
  mou_.effective_to = mou_.effective_from - 1;
  EXPECT_EQ(Fields(CheckMou(mou_, &regulator_, &cert_)), std::vector<std::string>{"/effective_to"});
}

TEST_F(CheckMouTest, ReportsEveryProblemAtOnce) {
  mou_.effective_to = 0;
  Organisation op = Org(OrgKind::kOperator, {"water"});
  EXPECT_EQ(Fields(CheckMou(mou_, &op, &op)),
            (std::vector<std::string>{"/regulator_id", "/national_cert_id", "/effective_to"}));
}

TEST(LeavesAnAdministrator, NeedsAtLeastOneActiveAdmin) {
  EXPECT_FALSE(LeavesAnAdministrator(0));
  EXPECT_TRUE(LeavesAnAdministrator(1));
  EXPECT_TRUE(LeavesAnAdministrator(3));
}

TEST(ForwardingModeName, RoundTripsThroughParse) {
  for (auto mode :
       {ForwardingMode::kOnReceipt, ForwardingMode::kAfterReview, ForwardingMode::kAnonymised}) {
    EXPECT_EQ(ParseForwardingMode(Name(mode)), mode) << Name(mode);
  }
  EXPECT_EQ(Name(ForwardingMode::kAfterReview), "after_review");
}

}  // namespace
}  // namespace rampart::directory
