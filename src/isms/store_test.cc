// The Statement of Applicability's SQL and rules on both stores (SQLite; PostgreSQL when
// RAMPART_TEST_POSTGRES_URL is set): entries made from the framework, filters and pages, versions
// that refuse a stale writer, counts and posture, approval frozen while editing goes on, the diff,
// and imported framework revisions.
#include "isms/store.h"

#include <gtest/gtest.h>

#include "isms/api.h"
#include "isms/rules.h"
#include "platform/crypto.h"
#include "platform/notify_testing.h"

namespace rampart::isms {
namespace {

using nlohmann::json;
using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

json TinyDoc(int revision = 1) {
  json doc = {{"format", "rampart-framework/1"},
              {"urn", "urn:rampart:framework:tiny"},
              {"ref", "tiny"},
              {"name", "Tiny"},
              {"revision", revision},
              {"edition", ""},
              {"kind", "framework"},
              {"provider", "Test"},
              {"description", ""},
              {"requirements", json::array()}};
  doc["requirements"].push_back(
      {{"id", "A"}, {"parent", nullptr}, {"title", "Alpha"}, {"assessable", false}});
  for (int i = 1; i <= 5; ++i) {
    doc["requirements"].push_back({{"id", "A." + std::to_string(i)},
                                   {"parent", "A"},
                                   {"title", "Control " + std::to_string(i)},
                                   {"assessable", true}});
  }
  doc["requirements"].push_back(
      {{"id", "B"}, {"parent", nullptr}, {"title", "Beta"}, {"assessable", false}});
  doc["requirements"].push_back(
      {{"id", "B.1"}, {"parent", "B"}, {"title", "Backups tested"}, {"assessable", true}});
  return doc;
}

class IsmsStore : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    org_ = AddOrganisation("Harbour Bank");
    ciso_ = AddPerson(org_, "the.ciso", RoleSet::Of({Role::kCiso}));
    std::vector<FieldError> errors;
    framework_ = *ParseFramework(TinyDoc(), errors);
    soa_.id = crypto::NewUuid();
    soa_.organisation_id = org_;
    soa_.created_by = ciso_;
    db().Write([&](db::Tx& tx) { CreateSoa(tx, soa_, framework_, 1000); });
    soa_ = Reload();
  }

  Soa Reload() {
    return db().Read([&](db::Tx& tx) { return *FindSoa(tx, org_, "tiny"); });
  }

  Entry Get(const std::string& id) {
    return db().Read([&](db::Tx& tx) { return *LoadEntry(tx, soa_.id, id); });
  }

  void Save(Entry e) {
    ASSERT_TRUE(CheckEntry(e).empty()) << CheckEntry(e).front().message;
    db().Write([&](db::Tx& tx) {
      ASSERT_TRUE(UpdateEntry(tx, e, e.version, 2000));
      TouchSoa(tx, soa_.id, 2000);
    });
  }

  std::string org_, ciso_;
  Framework framework_;
  Soa soa_;
};

TEST_P(IsmsStore, MakesOneEntryPerAssessableRequirementInFrameworkOrder) {
  auto rows = db().Read([&](db::Tx& tx) { return ListEntries(tx, soa_, {}, 0, 100); });
  ASSERT_EQ(rows.size(), 6u);
  EXPECT_EQ(rows.front().requirement_id, "A.1");
  EXPECT_EQ(rows.back().requirement_id, "B.1");
  EXPECT_EQ(rows.back().group, "B");
  EXPECT_EQ(rows.front().status, Status::kNotStarted);
  EXPECT_TRUE(rows.front().applicable);
}

TEST_P(IsmsStore, PagesAndFiltersByStatusGroupOwnerAndText) {
  Entry e = Get("A.2");
  e.status = Status::kImplemented;
  e.owner_id = ciso_;
  e.maturity = 3;
  Save(e);
  Entry x = Get("A.4");
  x.applicable = false;
  x.status = Status::kNotApplicable;
  x.justification.text = "No outsourced development (100% in-house)";
  Save(x);
  db().Read([&](db::Tx& tx) {
    auto page1 = ListEntries(tx, soa_, {}, 0, 2);
    auto page2 = ListEntries(tx, soa_, {}, page1.back().position, 2);
    ASSERT_EQ(page2.size(), 2u);
    EXPECT_EQ(page2.front().requirement_id, "A.3");
    EntryFilter f;
    f.status = Status::kImplemented;
    auto done = ListEntries(tx, soa_, f, 0, 50);
    ASSERT_EQ(done.size(), 1u);
    EXPECT_EQ(done[0].owner_name, "Person the.ciso");
    f = {};
    f.group = "B";
    EXPECT_EQ(ListEntries(tx, soa_, f, 0, 50).size(), 1u);
    f = {};
    f.owner_id = ciso_;
    EXPECT_EQ(ListEntries(tx, soa_, f, 0, 50).size(), 1u);
    f = {};
    f.text = "BACKUPS";
    EXPECT_EQ(ListEntries(tx, soa_, f, 0, 50).front().requirement_id, "B.1");
    f.text = "100%";  // LIKE's wildcard matches itself
    auto pct = ListEntries(tx, soa_, f, 0, 50);
    ASSERT_EQ(pct.size(), 1u);
    EXPECT_EQ(pct[0].requirement_id, "A.4");
    f = {};
    f.applicable = false;
    EXPECT_EQ(ListEntries(tx, soa_, f, 0, 50).size(), 1u);
    f = {};
    f.maturity = 3;
    EXPECT_EQ(ListEntries(tx, soa_, f, 0, 50).size(), 1u);
  });
}

TEST_P(IsmsStore, RejectsStaleVersion) {
  Entry e = Get("A.1");
  Save(e);
  e.status = Status::kPlanned;
  const bool saved = db().Write([&](db::Tx& tx) { return UpdateEntry(tx, e, e.version, 3000); });
  EXPECT_FALSE(saved);
  EXPECT_EQ(Get("A.1").status, Status::kNotStarted);
}

TEST_P(IsmsStore, CountsPostureWithPartialAsHalf) {
  Entry a = Get("A.1");
  a.status = Status::kImplemented;
  Save(a);
  Entry b = Get("A.2");
  b.status = Status::kPartial;
  Save(b);
  Entry x = Get("B.1");
  x.applicable = false;
  x.status = Status::kNotApplicable;
  x.justification.text = "No backups kept here";
  Save(x);
  Counts c = db().Read([&](db::Tx& tx) { return CountEntries(tx, Reload()); });
  EXPECT_EQ(c.total, 6);
  EXPECT_EQ(c.applicable, 5);
  EXPECT_EQ(c.Of(Status::kNotApplicable), 1);
  EXPECT_DOUBLE_EQ(*Posture(c), 30.0);  // (1 + 0.5) of 5
}

TEST_P(IsmsStore, ApprovedVersionStaysAsApprovedWhileEditingGoesOn) {
  Entry a = Get("A.1");
  a.status = Status::kPlanned;
  Save(a);
  Soa soa = Reload();
  std::int64_t n = 0;
  SoaVersion v;
  db().Write([&](db::Tx& tx) {
    v.soa_id = soa.id;
    v.number = 1;
    v.approved_by = ciso_;
    v.approved_by_name = "M";
    v.approved_at = 5000;
    v.document = VersionDocument(tx, soa, 1, 5000, "M", &n);
    v.sha256 = crypto::Sha256Hex(v.document);
    v.entries = n;
    InsertVersion(tx, v);
    MarkApproved(tx, soa.id, 1);
  });
  EXPECT_EQ(n, 6);
  soa = Reload();
  EXPECT_EQ(soa.approved, 1);
  EXPECT_FALSE(Get("A.1").ChangedSinceApproval(soa.approved));
  a = Get("A.1");
  a.status = Status::kImplemented;
  Save(a);
  soa = Reload();
  EXPECT_TRUE(Get("A.1").ChangedSinceApproval(soa.approved));
  EXPECT_EQ(db().Read([&](db::Tx& tx) { return CountEntries(tx, soa); }).changed_since_approval, 1);
  EntryFilter f;
  f.changed_only = true;
  EXPECT_EQ(db().Read([&](db::Tx& tx) { return ListEntries(tx, soa, f, 0, 50); }).size(), 1u);

  auto stored = db().Read([&](db::Tx& tx) { return *FindVersion(tx, soa.id, 1); });
  EXPECT_EQ(stored.document, v.document);
  EXPECT_EQ(crypto::Sha256Hex(stored.document), stored.sha256);
  json current = json::array();
  db().Read([&](db::Tx& tx) {
    ForEachEntry(tx, soa.id, 4, [&](std::vector<Entry>& batch) {
      for (const auto& e : batch) current.push_back(EntryState(e));
    });
  });
  EXPECT_EQ(current.size(), 6u);  // two batches of at most four
  auto changes = Diff(json::parse(stored.document)["entries"], current);
  ASSERT_EQ(changes.size(), 1u);
  EXPECT_EQ(changes[0].requirement_id, "A.1");
  ASSERT_EQ(changes[0].fields.size(), 1u);
  EXPECT_EQ(changes[0].fields[0].field, "status");
  EXPECT_EQ(changes[0].fields[0].before, "planned");
  EXPECT_EQ(changes[0].fields[0].after, "implemented");
}

TEST_P(IsmsStore, EvidenceAndRisksBelongToTheirEntry) {
  Evidence ev;
  ev.id = crypto::NewUuid();
  ev.kind = "link";
  ev.url = "https://intranet.example.org/policy";
  ev.name = "Policy";
  ev.added_by = ciso_;
  ev.added_by_name = "C";
  ev.added_at = 1;
  db().Write([&](db::Tx& tx) { InsertEvidence(tx, soa_.id, "A.3", ev); });
  Entry e = Get("A.3");
  ASSERT_EQ(e.evidence.size(), 1u);
  EXPECT_EQ(e.evidence_count, 1);
  EXPECT_EQ(EntryState(e)["evidence"][0]["target"], "https://intranet.example.org/policy");
  db().Read([&](db::Tx& tx) {
    EXPECT_FALSE(FindEvidence(tx, soa_.id, "A.2", ev.id));
    // No risk analysis: no scenario id can be the organisation's.
    EXPECT_TRUE(OwnScenarios(tx, org_, {crypto::NewUuid()}).empty());
  });
}

TEST_P(IsmsStore, ImportedRevisionSupersedesAndOlderStaysReadable) {
  db().Write([&](db::Tx& tx) {
    auto r = ImportFramework(tx, TinyDoc(1), ciso_, 1);
    EXPECT_FALSE(r.superseded);
  });
  json two = TinyDoc(2);
  two["requirements"][1]["title"] = "Control one, reworded";
  db().Write([&](db::Tx& tx) { EXPECT_TRUE(ImportFramework(tx, two, ciso_, 2).superseded); });
  EXPECT_THROW(db().Write([&](db::Tx& tx) { ImportFramework(tx, TinyDoc(2), ciso_, 3); }),
               HttpError);
  db().Read([&](db::Tx& tx) {
    EXPECT_EQ(FindFramework(tx, "tiny")->revision, 2);
    EXPECT_EQ(FindFramework(tx, "tiny", 1)->Find("A.1")->title, "Control 1");
    EXPECT_EQ(FrameworkRevision(tx, "urn:rampart:framework:tiny", 2)->Find("A.1")->title,
              "Control one, reworded");
  });
  json broken = TinyDoc(3);
  broken["requirements"][2]["parent"] = "Z";
  try {
    db().Write([&](db::Tx& tx) { ImportFramework(tx, broken, ciso_, 4); });
    FAIL();
  } catch (const HttpError& e) {
    EXPECT_EQ(e.status(), 422);
    ASSERT_FALSE(e.errors().empty());
    EXPECT_EQ(e.errors()[0].field, "/requirements/2/parent");
  }
  EXPECT_EQ(Count("isms_frameworks"), 2);
}

TEST(IsmsRules, ExcludedControlsAreNotApplicableWithAReason) {
  Entry e;
  e.requirement_id = "A.7";
  e.applicable = false;
  e.status = Status::kPlanned;
  e.maturity = 2;
  auto errors = CheckEntry(e);
  ASSERT_EQ(errors.size(), 3u);
  EXPECT_EQ(errors[0].field, "/status");
  EXPECT_EQ(errors[1].field, "/justification/text");
  EXPECT_NE(errors[1].message.find("A.7"), std::string::npos);
  EXPECT_EQ(errors[2].field, "/maturity");
  Entry in;
  in.status = Status::kNotApplicable;
  EXPECT_EQ(CheckEntry(in, "/set").at(0).field, "/set/status");
  Counts none;
  EXPECT_FALSE(Posture(none));
}

INSTANTIATE_TEST_SUITE_P(Stores, IsmsStore, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::isms
