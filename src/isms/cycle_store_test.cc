// The cycle's SQL on both stores (SQLite; PostgreSQL when RAMPART_TEST_POSTGRES_URL is set):
// implementation figures read from the SoA, the sector average withheld below the minimum,
// idempotent automated results, versioned writes, posture counts, and records of one
// organisation invisible through another's id.
#include "isms/cycle_store.h"

#include <gtest/gtest.h>

#include <set>

#include "isms/obligations.h"
#include "isms/posture.h"
#include "isms/store.h"
#include "platform/crypto.h"
#include "platform/notify_testing.h"

namespace rampart::isms {
namespace {

using nlohmann::json;
using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

constexpr Millis kDay = 24LL * 3600 * 1000;
constexpr Millis kNow = 1'790'000'000'000;

json TinyDoc() {
  json doc = {{"format", "rampart-framework/1"},
              {"urn", "urn:rampart:framework:tiny"},
              {"ref", "tiny"},
              {"name", "Tiny"},
              {"revision", 1},
              {"edition", ""},
              {"kind", "framework"},
              {"provider", "Test"},
              {"description", ""},
              {"requirements", json::array()}};
  doc["requirements"].push_back(
      {{"id", "A"}, {"parent", nullptr}, {"title", "Alpha"}, {"assessable", false}});
  for (int i = 1; i <= 4; ++i) {
    doc["requirements"].push_back({{"id", "A." + std::to_string(i)},
                                   {"parent", "A"},
                                   {"title", "Control " + std::to_string(i)},
                                   {"assessable", true}});
  }
  return doc;
}

class IsmsCycleStore : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    std::vector<FieldError> errors;
    framework_ = *ParseFramework(TinyDoc(), errors);
    sector_ = crypto::NewUuid();
    db().Write([&](db::Tx& tx) {
      tx.Exec(
          "INSERT INTO sectors (id, slug, name, created_at, updated_at) VALUES ($1, 'fin', "
          "'Finance', 1, 1)",
          {sector_});
    });
    org_ = AddBank("Harbour Bank", {{"A.1", Status::kImplemented, 5},
                                    {"A.2", Status::kPartial, std::nullopt},
                                    {"A.3", Status::kNotStarted, std::nullopt}});
    manager_ = AddPerson(org_, "the.manager", RoleSet::Of({Role::kManagement}));
    ciso_ = AddPerson(org_, "the.ciso", RoleSet::Of({Role::kCiso}));
  }

  struct Decided {
    const char* id;
    Status status;
    std::optional<int> maturity;
  };

  // An organisation of the sector with an SoA of the tiny framework; A.4 excluded.
  std::string AddBank(const std::string& name, const std::vector<Decided>& decided) {
    const auto org = AddOrganisation(name);
    db().Write([&](db::Tx& tx) {
      tx.Exec("INSERT INTO organisation_sectors (organisation_id, sector_id) VALUES ($1, $2)",
              {org, sector_});
      Soa soa;
      soa.id = crypto::NewUuid();
      soa.organisation_id = org;
      soa.created_by = "test";
      CreateSoa(tx, soa, framework_, 1000);
      for (const auto& d : decided) {
        Entry e = *LoadEntry(tx, soa.id, d.id);
        e.status = d.status;
        e.maturity = d.maturity;
        UpdateEntry(tx, e, std::nullopt, 1000);
      }
      Entry x = *LoadEntry(tx, soa.id, "A.4");
      x.applicable = false;
      x.status = Status::kNotApplicable;
      x.justification.text = "Not relevant";
      UpdateEntry(tx, x, std::nullopt, 1000);
    });
    return org;
  }

  Framework framework_;
  std::string sector_, org_, manager_, ciso_;
};

TEST_P(IsmsCycleStore, ImplementationIsReadFromTheApplicableEntriesOfTheSoa) {
  auto m = db().Read([&](db::Tx& tx) { return ImplementationOf(tx, org_); });
  EXPECT_EQ(m.applicable, 3);
  EXPECT_EQ(m.implemented, 1);
  EXPECT_EQ(m.partial, 1);
  EXPECT_DOUBLE_EQ(*m.implemented_share, 50.0);  // (1 + 0.5) / 3
  EXPECT_DOUBLE_EQ(*m.weighted_share, 50.0);     // maturity 5 counts in full, unrated by status
}

TEST_P(IsmsCycleStore, SectorAverageIsWithheldUntilEnoughOrganisationsContribute) {
  for (int k = 0; k < 3; ++k) {
    AddBank("Bank " + std::to_string(k), {{"A.1", Status::kImplemented, 5},
                                          {"A.2", Status::kImplemented, 5},
                                          {"A.3", Status::kImplemented, 5}});
  }
  auto four = db().Read([&](db::Tx& tx) { return CompareWithSectors(tx, org_, 5); });
  ASSERT_EQ(four.size(), 1u);
  EXPECT_EQ(four[0].organisations, 4);
  EXPECT_TRUE(four[0].withheld);
  EXPECT_FALSE(four[0].average_weighted_share);
  AddBank("Bank 4", {{"A.1", Status::kImplemented, 5}});
  auto five = db().Read([&](db::Tx& tx) { return CompareWithSectors(tx, org_, 5); });
  EXPECT_FALSE(five[0].withheld);
  // (50 + 100 + 100 + 100 + 33.3) / 5
  EXPECT_NEAR(*five[0].average_weighted_share, 76.7, 0.05);
}

TEST_P(IsmsCycleStore, PostingTheSameRunAgainStoresNothingTwice) {
  AutomatedResult r;
  r.run_id = "nightly-1";
  r.control_urn = "urn:rampart:framework:tiny:a.1";
  r.framework_ref = "tiny";
  r.requirement_id = "A.1";
  r.outcome = "pass";
  r.tool = "scanner";
  r.observed_at = kNow;
  r.posted_by = "tool";
  r.posted_at = kNow;
  auto post = [&] {
    return db().Write([&](db::Tx& tx) {
      r.id = crypto::NewUuid();
      return InsertResult(tx, org_, r);
    });
  };
  EXPECT_TRUE(post());
  EXPECT_FALSE(post());
  r.run_id = "nightly-2";
  EXPECT_TRUE(post());
  EXPECT_EQ(Count("isms_automated_results"), 2);
}

TEST_P(IsmsCycleStore, AStaleActionVersionChangesNothing) {
  ImprovementAction a;
  a.id = crypto::NewUuid();
  a.organisation_id = org_;
  a.level = "tools";
  a.title = "Buy a backup appliance";
  a.due_at = kNow + 10 * kDay;
  a.created_by = ciso_;
  a.created_at = a.updated_at = kNow;
  db().Write([&](db::Tx& tx) { InsertAction(tx, a); });
  a.status = "in_progress";
  EXPECT_TRUE(db().Write([&](db::Tx& tx) { return UpdateAction(tx, a, 1); }));
  a.status = "done";
  EXPECT_FALSE(db().Write([&](db::Tx& tx) { return UpdateAction(tx, a, 1); }));
  auto stored = db().Read([&](db::Tx& tx) { return FindAction(tx, org_, a.id); });
  EXPECT_EQ(stored->status, "in_progress");
  EXPECT_EQ(stored->version, 2);
}

TEST_P(IsmsCycleStore, AnotherOrganisationsIdFindsNothing) {
  const auto other = AddOrganisation("Other Bank");
  Finding f;
  f.id = crypto::NewUuid();
  f.organisation_id = org_;
  f.title = "No restore tests";
  f.severity = "high";
  f.created_by = ciso_;
  f.created_at = f.updated_at = kNow;
  f.links = {{"control", "tiny", "A.1", ""}, {"policy", "", "urn:x", ""}};
  db().Write([&](db::Tx& tx) {
    InsertFinding(tx, f);
    SetLinks(tx, "finding", f.id, f.links);
  });
  db().Read([&](db::Tx& tx) {
    EXPECT_FALSE(FindFinding(tx, other, f.id));
    auto mine = FindFinding(tx, org_, f.id);
    ASSERT_TRUE(mine);
    EXPECT_EQ(mine->links.size(), 2u);
  });
}

TEST_P(IsmsCycleStore, PostureCountsOverdueWorkAndTheCertificatesExpiry) {
  db().Write([&](db::Tx& tx) {
    for (int k = 0; k < 3; ++k) {
      ImprovementAction a;
      a.id = crypto::NewUuid();
      a.organisation_id = org_;
      a.level = "procedures";
      a.title = "Action " + std::to_string(k);
      a.created_by = ciso_;
      a.created_at = a.updated_at = kNow - 30 * kDay;
      a.due_at = kNow + (k == 0 ? 5 : -5) * kDay;  // two past due
      a.status = k == 2 ? "done" : "open";         // one of them done
      InsertAction(tx, a);
    }
    Evaluation e;
    e.id = crypto::NewUuid();
    e.organisation_id = org_;
    e.kind = "formal_audit";
    e.title = "External audit";
    e.planned_for = kNow - kDay;
    e.created_by = ciso_;
    e.created_at = e.updated_at = kNow - 60 * kDay;
    InsertEvaluation(tx, e);
    Certification c;
    c.organisation_id = org_;
    c.status = "certified";
    c.certifier = "Certifier";
    c.scope = "All";
    c.certificate_number = "C-1";
    c.issued_at = kNow - 1100 * kDay;
    c.expires_at = kNow - kDay;
    c.updated_by = "test";
    c.updated_at = kNow;
    EXPECT_TRUE(SaveCertification(tx, c));
    EXPECT_FALSE(SaveCertification(tx, c));  // version 0 again: a second insert is refused
  });
  auto p = db().Read([&](db::Tx& tx) { return PostureOf(tx, org_, kNow); });
  EXPECT_EQ(p.open_actions, 2);
  EXPECT_EQ(p.overdue_actions, 1);
  EXPECT_EQ(p.overdue_evaluations, 1);
  EXPECT_EQ(p.certification, "expired");
  EXPECT_DOUBLE_EQ(*p.implementation.weighted_share, 50.0);
}

TEST_P(IsmsCycleStore, OnlyAPersonWithTheManagementRoleIsManagement) {
  const auto elsewhere = AddOrganisation("Elsewhere");
  db().Read([&](db::Tx& tx) {
    EXPECT_TRUE(IsManager(tx, org_, manager_));
    EXPECT_FALSE(IsManager(tx, org_, ciso_));
    EXPECT_FALSE(IsManager(tx, elsewhere, manager_));
  });
}

TEST(IsmsObligationsLibrary, TheShippedLibraryHasEveryKindOfLaw) {
  std::set<std::string> kinds;
  for (const auto& l : ObligationLibrary()) {
    kinds.insert(l.kind);
    EXPECT_FALSE(l.obligations.empty()) << l.urn;
  }
  EXPECT_TRUE(kinds.contains("cybersecurity"));
  EXPECT_TRUE(kinds.contains("cybercrime"));
  EXPECT_TRUE(kinds.contains("data_protection"));
  EXPECT_TRUE(kinds.contains("sector_regulation"));
  EXPECT_NE(FindLibraryLaw("urn:rampart:obligations:data-protection-law"), nullptr);
  EXPECT_EQ(FindLibraryLaw("urn:rampart:obligations:none"), nullptr);
}

INSTANTIATE_TEST_SUITE_P(Stores, IsmsCycleStore, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::isms
