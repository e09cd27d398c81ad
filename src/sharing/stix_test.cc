// STIX 2.1: timestamps, identifiers, the streaming bundle splitter, the object check, patterns
// and deterministic ids; then the store on SQLite and (with RAMPART_TEST_POSTGRES_URL)
// PostgreSQL: import with its label rules, TAXII's filters and paging, and the engine deciding
// what each organisation sees in a collection.
#include "sharing/stix.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "platform/crypto.h"
#include "platform/notify_testing.h"
#include "sharing/stix_export.h"
#include "sharing/stix_store.h"
#include "sharing/store.h"

namespace rampart::sharing {
namespace {

using incidents::ObservableType;
using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

std::string Indicator(int n, std::string_view extra = "") {
  char uuid[40];
  std::snprintf(uuid, sizeof uuid, "00000000-0000-4000-8000-%012d", n);
  return std::string(R"({"type":"indicator","spec_version":"2.1","id":"indicator--)") + uuid +
         R"(","created":"2026-01-01T00:00:00.000Z","modified":"2026-01-02T00:00:00.000Z",)"
         R"("pattern":"[ipv4-addr:value = '203.0.113.)" +
         std::to_string(n % 250) +
         R"(']","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z")" + std::string(extra) +
         "}";
}

std::string Bundle(const std::vector<std::string>& objects) {
  std::string out =
      R"({"type": "bundle", "id": "bundle--5d0092c5-5f74-4287-9642-33f4c354e56d", "objects": [)";
  for (std::size_t i = 0; i < objects.size(); ++i) out += (i ? ",\n  " : "\n  ") + objects[i];
  return out + "\n]}";
}

std::optional<stix::ObjectError> CheckOne(const std::string& json) {
  stix::ObjectChecker checker;
  std::string text = json;
  auto c = checker.Check(text);
  return c.error;
}

TEST(StixFormat, TimestampsAreRfc3339InUtcWithZ) {
  EXPECT_EQ(stix::ParseTimestamp("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(stix::ParseTimestamp("1970-01-01T00:00:01.5Z"), 1'500'000);
  EXPECT_EQ(stix::ParseTimestamp("2026-03-01T10:00:00.123456789Z"),
            *stix::ParseTimestamp("2026-03-01T10:00:00Z") + 123456);
  EXPECT_EQ(stix::ParseTimestamp("2026-03-01T10:00:00+00:00"), std::nullopt);
  EXPECT_EQ(stix::ParseTimestamp("2026-03-01 10:00:00Z"), std::nullopt);
  EXPECT_EQ(stix::ParseTimestamp("2026-02-29T10:00:00Z"), std::nullopt);
  EXPECT_NE(stix::ParseTimestamp("2024-02-29T10:00:00Z"), std::nullopt);
  EXPECT_EQ(stix::ParseTimestamp("2026-03-01T10:00:00.Z"), std::nullopt);
  auto t = *stix::ParseTimestamp("2026-11-23T08:54:00.123456Z");
  EXPECT_EQ(stix::FormatTimestamp(t), "2026-11-23T08:54:00.123456Z");
  EXPECT_EQ(stix::FormatMillis(t / 1000), "2026-11-23T08:54:00.123Z");
}

TEST(StixFormat, IdentifiersAreTypeThenUuid) {
  EXPECT_TRUE(stix::IsIdentifier("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"));
  EXPECT_TRUE(stix::IsIdentifier("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "indicator"));
  EXPECT_FALSE(stix::IsIdentifier("indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f", "malware"));
  EXPECT_FALSE(stix::IsIdentifier("indicator-8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"));
  EXPECT_FALSE(stix::IsIdentifier("indicator--8e2e2d2b17d44cbf938f98ee46b3cd3f"));
  EXPECT_FALSE(stix::IsIdentifier("Indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"));
  EXPECT_TRUE(stix::IsTypeName("x-acme-widget"));
  EXPECT_FALSE(stix::IsTypeName("x--a"));
}

TEST(StixFormat, TheScannerSplitsObjectsWhateverTheChunkBoundaries) {
  const std::string bundle =
      Bundle({Indicator(1), Indicator(2, R"(,"x_note":"a } ] \" {")"), Indicator(3)});
  for (std::size_t chunk : {1u, 2u, 7u, 64u, 100000u}) {
    stix::BundleScanner scanner;
    std::vector<std::string> got;
    for (std::size_t at = 0; at < bundle.size(); at += chunk) {
      auto err = scanner.Feed(std::string_view(bundle).substr(at, chunk),
                              [&](std::string& text, std::size_t index) {
                                EXPECT_EQ(index, got.size());
                                got.push_back(text);
                                return true;
                              });
      ASSERT_EQ(err, "") << "chunk " << chunk;
    }
    EXPECT_EQ(scanner.Finish(), "");
    ASSERT_EQ(got.size(), 3u) << "chunk " << chunk;
    EXPECT_EQ(got[0], Indicator(1));
    EXPECT_EQ(got[1], Indicator(2, R"(,"x_note":"a } ] \" {")"));
    EXPECT_EQ(got[2], Indicator(3));
  }
}

TEST(StixFormat, TheScannerRefusesWhatIsNotABundle) {
  auto run = [](const std::string& text) {
    stix::BundleScanner scanner;
    auto err = scanner.Feed(text, [](std::string&, std::size_t) { return true; });
    return err.empty() ? scanner.Finish() : err;
  };
  EXPECT_NE(run(R"({"type":"report","objects":[]})"), "");
  EXPECT_NE(run(R"({"type":"bundle","objects":[1]})"), "");
  EXPECT_NE(run(R"({"type":"bundle","objects":[{"a":1})"), "");
  EXPECT_NE(run(R"([])"), "");
  EXPECT_NE(run(R"({"type":"bundle"})"), "");
  EXPECT_EQ(run(R"({"objects":[],"type":"bundle","id":"bundle--x"})"), "");
}

TEST(StixFormat, AnInvalidObjectIsNamedByIdAndProperty) {
  EXPECT_EQ(CheckOne(Indicator(1)), std::nullopt);
  auto bad_time = CheckOne(Indicator(1, R"(,"valid_until":"2026-01-01T00:00:00+01:00")"));
  ASSERT_TRUE(bad_time);
  EXPECT_EQ(bad_time->property, "valid_until");
  EXPECT_EQ(bad_time->id, "indicator--00000000-0000-4000-8000-000000000001");
  EXPECT_NE(bad_time->Describe(4).find("objects[4] (indicator--"), std::string::npos);

  auto missing = CheckOne(
      R"({"type":"indicator","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","pattern_type":"stix","valid_from":"2026-01-01T00:00:00Z"})");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->property, "pattern");

  auto wrong_id = CheckOne(
      R"({"type":"malware","spec_version":"2.1","id":"indicator--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","is_family":true})");
  ASSERT_TRUE(wrong_id);
  EXPECT_EQ(wrong_id->property, "id");

  auto old_spec = CheckOne(
      R"({"type":"campaign","spec_version":"2.0","id":"campaign--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","name":"c"})");
  ASSERT_TRUE(old_spec);
  EXPECT_EQ(old_spec->property, "spec_version");

  auto bad_marking = CheckOne(
      Indicator(1, R"(,"object_marking_refs":["identity--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f"])"));
  ASSERT_TRUE(bad_marking);
  EXPECT_EQ(bad_marking->property, "object_marking_refs");

  auto bad_ref = CheckOne(Indicator(1, R"(,"created_by_ref":"someone")"));
  ASSERT_TRUE(bad_ref);
  EXPECT_EQ(bad_ref->property, "created_by_ref");

  auto not_json = CheckOne(R"({"type":"indicator",)");
  ASSERT_TRUE(not_json);
}

TEST(StixFormat, CustomPropertiesAndTypesAreKeptAndTechniquesFound) {
  stix::ObjectChecker checker;
  std::string custom =
      R"({"type":"x-acme-widget","spec_version":"2.1","id":"x-acme-widget--8e2e2d2b-17d4-4cbf-938f-98ee46b3cd3f","created":"2026-01-01T00:00:00Z","modified":"2026-01-01T00:00:00Z","x_colour":"blue"})";
  EXPECT_TRUE(checker.Check(custom).ok());
  std::string technique =
      R"({"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--a62a8db3-f23a-4d8f-afd6-9dbc77e7813b","created":"2020-03-02T18:45:07.892Z","modified":"2023-10-01T02:28:45.147Z","name":"Phishing","external_references":[{"source_name":"mitre-attack","external_id":"T1566","url":"https://attack.mitre.org/techniques/T1566"}],"x_mitre_version":"2.2","object_marking_refs":["marking-definition--fa42a846-8d90-4e51-bc29-71d5b4802168"]})";
  auto c = checker.Check(technique);
  ASSERT_TRUE(c.ok()) << c.error->message;
  EXPECT_EQ(c.info.external_id, "T1566");
  EXPECT_EQ(c.info.name, "Phishing");
  EXPECT_EQ(c.info.tlp, std::nullopt);
  std::string marked = Indicator(
      1,
      R"(,"object_marking_refs":["marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb","marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"])");
  EXPECT_EQ(checker.Check(marked).info.tlp, Tlp::kAmberStrict);  // the strictest wins
}

TEST(StixFormat, PatternsAndObservablesFollowTheNormalisedValue) {
  EXPECT_EQ(stix::PatternFor(ObservableType::kIpv4, "203.0.113.7"),
            "[ipv4-addr:value = '203.0.113.7']");
  EXPECT_EQ(stix::PatternFor(ObservableType::kSha256, std::string(64, 'a')),
            "[file:hashes.'SHA-256' = '" + std::string(64, 'a') + "']");
  EXPECT_EQ(stix::PatternFor(ObservableType::kUrl, "http://example.org/a'b"),
            "[url:value = 'http://example.org/a\\'b']");
  EXPECT_EQ(stix::PatternFor(ObservableType::kCve, "CVE-2021-44228"), std::nullopt);
  // The specification's own example of a deterministic id.
  std::string id;
  ASSERT_TRUE(stix::ObservableObject(ObservableType::kIpv4, "203.0.113.7", &id));
  EXPECT_TRUE(stix::IsIdentifier(id, "ipv4-addr"));
  std::string again;
  stix::ObservableObject(ObservableType::kIpv4, "203.0.113.7", &again);
  EXPECT_EQ(id, again);
  // RFC 4122's UUIDv5 of "python.org" in the DNS namespace.
  EXPECT_EQ(stix::UuidV5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"),
            "886313e1-3b8a-5372-9b90-0c9aee199e5d");
}

// ---- the store ----

class StixStore : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    cert_ = AddOrganisation("CERT");
    bank_ = AddOrganisation("Bank");
    outsider_ = AddOrganisation("Outsider");
    AddPerson(cert_, "analyst", RoleSet::Of({Role::kAnalyst}));
    db().Write([&](db::Tx& tx) {
      tx.Exec("UPDATE organisations SET kind = 'national_cert' WHERE id = $1", {cert_});
      group_ = crypto::NewUuid();
      tx.Exec(
          "INSERT INTO sharing_groups (id, owner_org_id, name, created_by, created_at, "
          "updated_at) VALUES ($1, $2, 'Banks', (SELECT id FROM users LIMIT 1), 1, 1)",
          {group_, cert_});
      tx.Exec(
          "INSERT INTO sharing_group_members (group_id, organisation_id, added_by, added_at) "
          "VALUES ($1, $2, 'x', 1)",
          {group_, bank_});
    });
  }

  // Imports the objects into a collection; returns the first refusal's description, or "".
  std::string Import(const std::string& collection, const std::vector<std::string>& objects,
                     std::optional<Tlp> tlp, std::vector<std::string> recipients = {}) {
    std::string refusal;
    try {
      db().Write([&](db::Tx& tx) {
        auto c = FindCollection(tx, collection);
        const Directory dir = LoadDirectory(tx, false);
        Importer importer(tx, ImportTarget{*c, cert_, tlp, recipients, std::nullopt}, dir,
                          next_us_);
        next_us_ += 1'000'000;
        stix::BundleScanner scanner;
        scanner.Feed(Bundle(objects), [&](std::string& text, std::size_t i) {
          if (auto e = importer.Add(text)) {
            refusal = e->Describe(i);
            return false;
          }
          return true;
        });
        if (!refusal.empty()) throw std::runtime_error(refusal);
      });
    } catch (const std::runtime_error&) {
    }
    return refusal;
  }

  std::vector<std::string> Visible(const std::string& collection, const std::string& org,
                                   const ObjectFilter& filter = {}) {
    return db().Read([&](db::Tx& tx) {
      const Directory dir = LoadDirectory(tx, false);
      std::vector<std::string> out;
      for (const auto& o : ListObjects(tx, collection, filter, std::nullopt, 1000)) {
        if (MaySee(ItemOf(o), Viewer{"", {org}}, dir)) out.push_back(o.id);
      }
      return out;
    });
  }

  std::string cert_, bank_, outsider_, group_;
  std::int64_t next_us_ = 1'700'000'000'000'000;
};

TEST_P(StixStore, AnImportIsAllOrNothing) {
  auto refusal = Import(std::string(kNationalCollectionId),
                        {Indicator(1), Indicator(2), Indicator(3, R"(,"valid_from":"yesterday")")},
                        Tlp::kGreen);
  EXPECT_NE(refusal.find("objects[2] (indicator--00000000-0000-4000-8000-000000000003): "
                         "'valid_from'"),
            std::string::npos)
      << refusal;
  EXPECT_EQ(Count("stix_objects"), 0);
  EXPECT_EQ(Import(std::string(kNationalCollectionId), {Indicator(1), Indicator(2)}, Tlp::kGreen),
            "");
  EXPECT_EQ(Count("stix_objects"), 2);
}

TEST_P(StixStore, AnObjectMarkedStricterThanTheImportIsRefused) {
  auto refusal = Import(
      std::string(kNationalCollectionId),
      {Indicator(
          1,
          R"(,"object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"])")},
      Tlp::kGreen);
  EXPECT_NE(refusal.find("object_marking_refs"), std::string::npos) << refusal;
  EXPECT_EQ(Count("stix_objects"), 0);
}

TEST_P(StixStore, AnOrganisationOutsideAGroupSeesNothingOfItsCollection) {
  ASSERT_EQ(Import(group_, {Indicator(1)}, Tlp::kGreen), "");
  ASSERT_EQ(Import(group_, {Indicator(2)}, Tlp::kAmber, {cert_, bank_}), "");
  EXPECT_EQ(Visible(group_, bank_).size(), 2u);
  EXPECT_EQ(Visible(group_, outsider_).size(), 0u);
  // A member removed from the group no longer sees what was shared in it.
  db().Write([&](db::Tx& tx) {
    tx.Exec("DELETE FROM sharing_group_members WHERE organisation_id = $1", {bank_});
  });
  EXPECT_EQ(Visible(group_, bank_).size(), 0u);
  // A new member sees the group's older GREEN objects at once.
  db().Write([&](db::Tx& tx) {
    tx.Exec(
        "INSERT INTO sharing_group_members (group_id, organisation_id, added_by, added_at) "
        "VALUES ($1, $2, 'x', 1)",
        {group_, outsider_});
  });
  EXPECT_EQ(Visible(group_, outsider_).size(), 1u);
}

TEST_P(StixStore, AmberNeedsRecipientsAndRedNeverEntersACollection) {
  EXPECT_NE(Import(std::string(kNationalCollectionId), {Indicator(1)}, Tlp::kAmber), "");
  EXPECT_NE(Import(group_, {Indicator(1)}, Tlp::kRed), "");
  // TAXII POST into a group: AMBER objects go to the group's organisations.
  EXPECT_EQ(
      Import(
          group_,
          {Indicator(
              1,
              R"(,"object_marking_refs":["marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421"])")},
          std::nullopt),
      "");
  EXPECT_EQ(Visible(group_, bank_).size(), 1u);
  EXPECT_EQ(Count("stix_objects"), 1);
}

TEST_P(StixStore, FiltersAndVersionsFollowTaxii) {
  std::string v1 = Indicator(1);
  std::string v2 = v1;
  v2.replace(v2.find("2026-01-02T00:00:00.000Z"), 24, "2026-01-03T00:00:00.000Z");
  ASSERT_EQ(Import(std::string(kNationalCollectionId), {v1, Indicator(2)}, Tlp::kGreen), "");
  ASSERT_EQ(Import(std::string(kNationalCollectionId), {v2, v1}, Tlp::kGreen), "");  // v1 again
  EXPECT_EQ(Count("stix_objects"), 3);
  const std::string national(kNationalCollectionId);
  EXPECT_EQ(Visible(national, bank_).size(), 2u);  // the last version of each
  ObjectFilter all;
  all.all_versions = true;
  all.last = false;
  EXPECT_EQ(Visible(national, bank_, all).size(), 3u);
  ObjectFilter first;
  first.last = false;
  first.first = true;
  first.ids = {"indicator--00000000-0000-4000-8000-000000000001"};
  auto rows =
      db().Read([&](db::Tx& tx) { return ListObjects(tx, national, first, std::nullopt, 10); });
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].VersionText(), "2026-01-02T00:00:00.000Z");
  ObjectFilter types;
  types.types = {"malware"};
  EXPECT_EQ(Visible(national, bank_, types).size(), 0u);
  // Paging by date added continues after the cursor.
  auto page =
      db().Read([&](db::Tx& tx) { return ListObjects(tx, national, all, std::nullopt, 2); });
  ASSERT_EQ(page.size(), 2u);
  auto rest = db().Read([&](db::Tx& tx) {
    return ListObjects(tx, national, all,
                       ObjectCursor{page[1].added_us, page[1].id, page[1].version_us}, 10);
  });
  ASSERT_EQ(rest.size(), 1u);
  EXPECT_EQ(rest[0].VersionText(), "2026-01-03T00:00:00.000Z");
}

TEST_P(StixStore, TechniquesAreFoundByExternalId) {
  ASSERT_EQ(
      Import(
          std::string(kNationalCollectionId),
          {R"({"type":"attack-pattern","spec_version":"2.1","id":"attack-pattern--a62a8db3-f23a-4d8f-afd6-9dbc77e7813b","created":"2020-03-02T18:45:07.892Z","modified":"2023-10-01T02:28:45.147Z","name":"Phishing","external_references":[{"source_name":"mitre-attack","external_id":"T1566"}]})"},
          Tlp::kClear),
      "");
  auto found = db().Read([&](db::Tx& tx) { return FindTechniques(tx, "t1566", 10); });
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "Phishing");
  auto by_name = db().Read([&](db::Tx& tx) { return FindTechniques(tx, "phish", 10); });
  EXPECT_EQ(by_name.size(), 1u);
}

TEST_P(StixStore, TheExportIsABundleWithItsMarkingDefinitions) {
  std::string text = db().Read([&](db::Tx& tx) { return ExportBundle(tx, cert_); });
  stix::BundleScanner scanner;
  stix::ObjectChecker checker;
  std::vector<std::string> types;
  auto err = scanner.Feed(text, [&](std::string& object, std::size_t) {
    auto c = checker.Check(object);
    EXPECT_TRUE(c.ok()) << c.error->message << " in " << object;
    types.push_back(c.info.type);
    return true;
  });
  EXPECT_EQ(err, "");
  EXPECT_EQ(scanner.Finish(), "");
  EXPECT_EQ(types.front(), "identity");
  EXPECT_EQ(types.back(), "marking-definition");
}

INSTANTIATE_TEST_SUITE_P(Stores, StixStore, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::sharing
