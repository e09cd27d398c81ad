// Sharing's store on SQLite and, when RAMPART_TEST_POSTGRES_URL names a server, PostgreSQL: the
// directory the engine reads, advisories round-tripped with their audience, the list narrowing
// that never decides alone, revisions, acknowledgements with their history.
#include "sharing/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "platform/crypto.h"
#include "platform/notify_testing.h"

namespace rampart::sharing {
namespace {

using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

TEST(AdvisoryRules, ReferencesHaveAtLeastFourDigits) {
  EXPECT_EQ(FormatAdvisoryReference(2026, 7), "ADV-2026-0007");
  EXPECT_EQ(FormatAdvisoryReference(2026, 123456), "ADV-2026-123456");
}

TEST(AdvisoryRules, CveIdsAreCheckedAndWrittenOneWay) {
  EXPECT_EQ(CanonicalCve("cve-2021-44228"), "CVE-2021-44228");
  EXPECT_EQ(CanonicalCve(" CVE-2024-123456 "), "CVE-2024-123456");
  EXPECT_EQ(CanonicalCve("CVE-21-1"), std::nullopt);
  EXPECT_EQ(CanonicalCve("CVE-2021-123"), std::nullopt);
  EXPECT_EQ(CanonicalCve("2021-44228"), std::nullopt);
}

class SharingStore : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    cert_ = AddOrganisation("CERT");
    bank_ = AddOrganisation("Bank");
    other_ = AddOrganisation("Other bank");
    analyst_ = AddPerson(cert_, "analyst", RoleSet::Of({Role::kAnalyst}));
    ciso_ = AddPerson(bank_, "ciso", RoleSet::Of({Role::kCiso}));
    AddPerson(bank_, "gone", RoleSet::Of({Role::kCiso}), /*disabled=*/true);
    db().Write([&](db::Tx& tx) {
      sector_ = crypto::NewUuid();
      tx.Exec(
          "INSERT INTO sectors (id, slug, name, created_at, updated_at) VALUES ($1, 'finance', "
          "'Finance', 1, 1)",
          {sector_});
      tx.Exec("INSERT INTO organisation_sectors (organisation_id, sector_id) VALUES ($1, $2)",
              {bank_, sector_});
    });
  }

  Advisory Make(Tlp tlp, std::vector<std::string> recipients = {}, Millis at = 1000) {
    Advisory a;
    a.id = crypto::NewUuid();
    a.series_id = a.id;
    a.author_org_id = cert_;
    a.state = AdvisoryState::kPublished;
    a.title = "Advisory " + std::string(Label(tlp));
    a.summary = "Summary";
    a.severity = Severity::kHigh;
    a.products = {{"Vendor", "Product", "< 2"}};
    a.cve_ids = {"CVE-2026-1234"};
    a.observables = {{"ipv4", "203.0.113.1"}};
    a.tlp = tlp;
    a.distribution = Distribution::kNational;
    a.recipient_org_ids = std::move(recipients);
    a.created_by = analyst_;
    a.published_by = analyst_;
    a.published_at = at;
    a.created_at = a.updated_at = at;
    db().Write([&](db::Tx& tx) {
      a.reference = NextAdvisoryReference(tx, 2026);
      InsertAdvisory(tx, a);
    });
    return a;
  }

  // What the list's SQL offers `viewer`, then what the engine lets through.
  std::pair<std::vector<std::string>, std::vector<std::string>> Listed(const Viewer& viewer) {
    return db().Read([&](db::Tx& tx) {
      std::vector<std::string> offered, shown;
      const Directory dir = LoadDirectory(tx, false);
      for (const auto& a : ListAdvisoryCandidates(tx, viewer, {}, {}, std::nullopt, 100)) {
        offered.push_back(a.title);
        if (MaySee(ItemOf(a, PassesOf(tx, a.series_id)), viewer, dir)) shown.push_back(a.title);
      }
      return std::pair(offered, shown);
    });
  }

  std::string cert_, bank_, other_, analyst_, ciso_, sector_;
};

TEST_P(SharingStore, AnAdvisoryRoundTripsWithItsAudienceAndLabel) {
  Advisory a = Make(Tlp::kAmberStrict, {bank_, other_});
  auto got = db().Read([&](db::Tx& tx) { return FindAdvisory(tx, a.id); });
  ASSERT_TRUE(got);
  EXPECT_EQ(got->tlp, Tlp::kAmberStrict);  // never collapsed into AMBER
  EXPECT_EQ(got->recipient_org_ids, (std::vector<std::string>{bank_, other_}));
  EXPECT_EQ(got->products.at(0).versions, "< 2");
  EXPECT_EQ(got->cve_ids, std::vector<std::string>{"CVE-2026-1234"});
  EXPECT_EQ(got->observables.at(0).value, "203.0.113.1");
  EXPECT_EQ(got->reference, "ADV-2026-0001");
  EXPECT_EQ(Count("advisories", "tlp = 'marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003'"),
            1);
}

TEST_P(SharingStore, TheDirectoryIsReadAsItIsNow) {
  std::string group = crypto::NewUuid();
  db().Write([&](db::Tx& tx) {
    InsertGroup(tx, {group, cert_, "G", "", analyst_, {bank_}, 1, 1, 1});
  });
  auto dir = db().Read([&](db::Tx& tx) { return LoadDirectory(tx, true); });
  EXPECT_EQ(dir.org_sectors.at(bank_), std::vector<std::string>{sector_});
  EXPECT_TRUE(dir.org_sectors.at(cert_).empty());
  EXPECT_EQ(dir.groups.at(group).owner_org_id, cert_);
  EXPECT_TRUE(dir.groups.at(group).member_org_ids.contains(bank_));
  EXPECT_EQ(dir.person_orgs.at(ciso_), std::vector<std::string>{bank_});
  EXPECT_EQ(dir.person_orgs.size(), 2u);  // the disabled person receives nothing
  db().Write([&](db::Tx& tx) {
    EXPECT_TRUE(RemoveGroupMember(tx, group, bank_));
    EXPECT_FALSE(RemoveGroupMember(tx, group, bank_));
  });
  dir = db().Read([&](db::Tx& tx) { return LoadDirectory(tx, false); });
  EXPECT_TRUE(dir.groups.at(group).member_org_ids.empty());
}

TEST_P(SharingStore, TheListOffersOnlyWhatMayConcernTheViewerAndTheEngineDecides) {
  Make(Tlp::kClear);
  Make(Tlp::kAmber, {bank_});
  Make(Tlp::kAmberStrict, {other_});
  const Viewer bank{ciso_, {bank_}};
  auto [offered, shown] = Listed(bank);
  std::sort(offered.begin(), offered.end());
  EXPECT_EQ(offered, (std::vector<std::string>{"Advisory TLP:AMBER", "Advisory TLP:CLEAR"}));
  EXPECT_EQ(shown.size(), 2u);
  // A viewer without organisations is offered the open labels only, and the engine keeps the
  // national CLEAR item (not public) from them.
  auto [anon_offered, anon_shown] = Listed(Viewer{});
  EXPECT_EQ(anon_offered, std::vector<std::string>{"Advisory TLP:CLEAR"});
  EXPECT_TRUE(anon_shown.empty());
}

TEST_P(SharingStore, APassOnIsRecordedAndOffersTheItemToTheOrganisationPassedTo) {
  Advisory a = Make(Tlp::kAmber, {bank_});
  EXPECT_TRUE(Listed(Viewer{"x", {other_}}).second.empty());
  db().Write([&](db::Tx& tx) { InsertPass(tx, a.series_id, {bank_, other_, ciso_, 2000}); });
  EXPECT_EQ(Listed(Viewer{"x", {other_}}).second, std::vector<std::string>{a.title});
}

TEST_P(SharingStore, ACorrectionSupersedesThePublishedRevision) {
  Advisory a = Make(Tlp::kGreen);
  Advisory next = a;
  next.id = crypto::NewUuid();
  next.revision = 2;
  next.state = AdvisoryState::kDraft;
  next.changelog = "Fixed the versions";
  db().Write([&](db::Tx& tx) {
    InsertAdvisory(tx, next);
    EXPECT_EQ(DraftOf(tx, a.series_id), next.id);
    next.state = AdvisoryState::kPublished;
    EXPECT_TRUE(UpdateAdvisory(tx, next, 1, 3000));
    EXPECT_FALSE(UpdateAdvisory(tx, next, 1, 3000));  // the version moved on
    SupersedeOthers(tx, a.series_id, next.id, 3000);
  });
  auto revs = db().Read([&](db::Tx& tx) { return RevisionsOf(tx, a.series_id); });
  ASSERT_EQ(revs.size(), 2u);
  EXPECT_EQ(revs[0].state, AdvisoryState::kSuperseded);
  EXPECT_EQ(revs[1].state, AdvisoryState::kPublished);
  EXPECT_EQ(revs[1].reference, a.reference);
  EXPECT_EQ(Listed(Viewer{ciso_, {bank_}}).second, std::vector<std::string>{a.title});
}

TEST_P(SharingStore, EachOrganisationHasOneCurrentAcknowledgementAndItsHistory) {
  Advisory a = Make(Tlp::kGreen);
  db().Write([&](db::Tx& tx) {
    InsertAck(tx, {crypto::NewUuid(), a.series_id, a.id, bank_, AckState::kRead, "", ciso_, 10});
    InsertAck(tx,
              {crypto::NewUuid(), a.series_id, a.id, bank_, AckState::kApplied, "done", ciso_, 20});
    InsertAck(
        tx, {crypto::NewUuid(), a.series_id, a.id, other_, AckState::kNotAffected, "", ciso_, 15});
  });
  auto current = db().Read([&](db::Tx& tx) { return CurrentAcks(tx, a.series_id); });
  ASSERT_EQ(current.size(), 2u);
  for (const auto& k : current) {
    EXPECT_EQ(k.state, k.org_id == bank_ ? AckState::kApplied : AckState::kNotAffected);
  }
  auto history = db().Read([&](db::Tx& tx) { return AckHistory(tx, a.series_id, bank_); });
  ASSERT_EQ(history.size(), 2u);
  EXPECT_EQ(history[0].state, AckState::kApplied);
  EXPECT_EQ(history[0].note, "done");
}

INSTANTIATE_TEST_SUITE_P(Stores, SharingStore, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::sharing
