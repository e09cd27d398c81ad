// The directory's SQL against a real SQLite file filled with the demo country.
#include "directory/store.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "directory/demo.h"
#include "platform/crypto.h"
#include "platform/migrate.h"

namespace rampart::directory {
namespace {

std::string Lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

class DirectoryStore : public testing::Test {
 protected:
  // The demo is slow to build (argon2 and a few hundred rows), so every test reads one copy
  // and the tests that write get a fresh file of their own.
  static void SetUpTestSuite() {
    crypto::Init();
    seed_dir_ = std::filesystem::temp_directory_path() /
                ("rampart-store-test-" + crypto::Hex(crypto::RandomBytes(6)));
    std::filesystem::create_directories(seed_dir_);
    auto db = db::Database::Open("sqlite:" + (seed_dir_ / "seed.db").string(), 1);
    auto migrated = Migrate(*db);
    if (!migrated.ok()) throw std::runtime_error(migrated.error().message);
    summary_ = SeedDemo(*db);
    db->Backup((seed_dir_ / "copy.db").string());
  }

  static void TearDownTestSuite() {
    std::error_code ec;
    std::filesystem::remove_all(seed_dir_, ec);
    seed_dir_.clear();
    summary_.reset();
  }

  void SetUp() override {
    path_ = seed_dir_ / ("test-" + crypto::Hex(crypto::RandomBytes(6)) + ".db");
    std::filesystem::copy_file(seed_dir_ / "copy.db", path_);
    db_ = db::Database::Open("sqlite:" + path_.string(), 2);
  }

  void TearDown() override { db_.reset(); }

  template <class F>
  auto Read(F&& f) {
    return db_->Read(std::forward<F>(f));
  }

  std::vector<std::string> AllIdsInOrder(const std::string& where = "1 = 1",
                                         const db::Params& params = {}) {
    return Read([&](db::Tx& tx) {
      std::vector<std::string> ids;
      for (const auto& r :
           tx.Query("SELECT o.id FROM organisations o WHERE " + where + " ORDER BY o.name, o.id",
                    params)) {
        ids.push_back(r.Text(0));
      }
      return ids;
    });
  }

  // Walks every page of `filter` with `limit`, as a client following next_cursor would.
  std::vector<Organisation> WalkPages(const OrgFilter& filter, int limit, int* pages = nullptr) {
    std::vector<Organisation> all;
    std::optional<Cursor2> after;
    int n = 0;
    for (;;) {
      auto page = Read([&](db::Tx& tx) { return ListOrganisations(tx, filter, after, limit); });
      EXPECT_LE(page.size(), static_cast<std::size_t>(limit));
      ++n;
      for (auto& o : page) all.push_back(o);
      if (page.size() < static_cast<std::size_t>(limit)) break;
      after = Cursor2{page.back().name, page.back().id};
      if (n > 1000) {
        ADD_FAILURE() << "pagination does not end";
        break;
      }
    }
    if (pages != nullptr) *pages = n;
    return all;
  }

  std::string SectorId(std::string_view slug) {
    return Read([&](db::Tx& tx) {
      return tx.QueryOne("SELECT id FROM sectors WHERE slug = $1", {slug})->Text(0);
    });
  }

  Organisation OrgNamed(std::string_view name) {
    return Read([&](db::Tx& tx) {
      auto id = tx.QueryOne("SELECT id FROM organisations WHERE name = $1", {name})->Text(0);
      return *FindOrganisation(tx, id);
    });
  }

  std::string UserId(std::string_view username) {
    return Read([&](db::Tx& tx) {
      return tx.QueryOne("SELECT id FROM users WHERE username = $1", {username})->Text(0);
    });
  }

  static inline std::filesystem::path seed_dir_;
  static inline std::optional<DemoSummary> summary_;
  std::filesystem::path path_;
  std::unique_ptr<db::Database> db_;
};

std::vector<std::string> Ids(const std::vector<Organisation>& orgs) {
  std::vector<std::string> out;
  for (const auto& o : orgs) out.push_back(o.id);
  return out;
}

TEST_F(DirectoryStore, PaginationWalksEveryOrganisationOnceInOrder) {
  auto expected = AllIdsInOrder();
  ASSERT_EQ(expected.size(), static_cast<std::size_t>(summary_->organisations));
  ASSERT_GT(expected.size(), 7u * 3) << "the demo should need several pages";

  int pages = 0;
  auto walked = WalkPages({}, 7, &pages);
  EXPECT_EQ(Ids(walked), expected) << "no duplicates, no gaps, ordered by name";
  std::set<std::string> unique;
  for (const auto& o : walked) unique.insert(o.id);
  EXPECT_EQ(unique.size(), walked.size());
  EXPECT_EQ(pages, static_cast<int>(expected.size()) / 7 + 1);
  EXPECT_TRUE(std::is_sorted(walked.begin(), walked.end(),
                             [](const auto& a, const auto& b) { return a.name < b.name; }));
}

TEST_F(DirectoryStore, PaginationWorksForEveryPageSize) {
  auto expected = AllIdsInOrder();
  for (int limit :
       {1, 2, 5, 6, 8, static_cast<int>(expected.size()), static_cast<int>(expected.size()) + 1}) {
    SCOPED_TRACE(limit);
    EXPECT_EQ(Ids(WalkPages({}, limit)), expected);
  }
}

TEST_F(DirectoryStore, ListedOrganisationsCarryTheirSectors) {
  auto all = WalkPages({}, 7);
  std::string ict = SectorId("ict");
  std::string government = SectorId("government");
  auto it = std::find_if(all.begin(), all.end(),
                         [](const auto& o) { return o.name == "National Data Centre"; });
  ASSERT_NE(it, all.end());
  std::vector<std::string> sectors = {ict, government};
  std::sort(sectors.begin(), sectors.end());
  EXPECT_EQ(it->sector_ids, sectors);
  for (const auto& o : all) {
    if (o.kind == OrgKind::kNationalCert) {
      EXPECT_TRUE(o.sector_ids.empty()) << o.name;
    } else {
      EXPECT_FALSE(o.sector_ids.empty()) << o.name;
    }
  }
}

TEST_F(DirectoryStore, FiltersByKind) {
  auto regulators = WalkPages({.kind = "regulator"}, 7);
  EXPECT_EQ(Ids(regulators), AllIdsInOrder("o.kind = 'regulator'"));
  ASSERT_FALSE(regulators.empty());
  for (const auto& o : regulators) EXPECT_EQ(o.kind, OrgKind::kRegulator) << o.name;

  auto cert = WalkPages({.kind = "national_cert"}, 7);
  ASSERT_EQ(cert.size(), 1u);
  EXPECT_EQ(cert[0].short_name, "NatCERT");
  EXPECT_TRUE(WalkPages({.kind = "no_such_kind"}, 7).empty());
}

TEST_F(DirectoryStore, FiltersBySector) {
  std::string finance = SectorId("finance");
  auto in_finance = WalkPages({.sector_id = finance}, 3);
  EXPECT_EQ(Ids(in_finance), AllIdsInOrder("EXISTS (SELECT 1 FROM organisation_sectors s WHERE "
                                           "s.organisation_id = o.id AND s.sector_id = $1)",
                                           {finance}));
  ASSERT_FALSE(in_finance.empty());
  for (const auto& o : in_finance) {
    EXPECT_NE(std::find(o.sector_ids.begin(), o.sector_ids.end(), finance), o.sector_ids.end())
        << o.name;
  }
  // An organisation in two sectors appears under each.
  std::string government = SectorId("government");
  auto names = [](const std::vector<Organisation>& orgs) {
    std::set<std::string> out;
    for (const auto& o : orgs) out.insert(o.name);
    return out;
  };
  EXPECT_EQ(names(WalkPages({.sector_id = SectorId("ict")}, 7)).count("National Data Centre"), 1u);
  EXPECT_EQ(names(WalkPages({.sector_id = government}, 7)).count("National Data Centre"), 1u);
}

TEST_F(DirectoryStore, FiltersByQueryCaseInsensitively) {
  auto banks = WalkPages({.query = "bank"}, 2);
  std::set<std::string> names;
  for (const auto& o : banks) names.insert(o.name);
  EXPECT_EQ(names, (std::set<std::string>{"Central Bank", "Coral Coast Bank",
                                          "Harbour Commercial Bank", "Island Savings Bank"}));
  EXPECT_EQ(Ids(WalkPages({.query = "BANK"}, 7)), Ids(banks));
  EXPECT_EQ(Ids(WalkPages({.query = "bAnK"}, 7)), Ids(banks));
  for (const auto& o : banks) EXPECT_NE(Lower(o.name).find("bank"), std::string::npos);
}

TEST_F(DirectoryStore, QueryMatchesTheShortNameToo) {
  auto found = WalkPages({.query = "fincert"}, 7);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].name, "Finance Sector CERT");
  EXPECT_TRUE(WalkPages({.query = "no organisation is called this"}, 7).empty());
}

TEST_F(DirectoryStore, FiltersCombine) {
  auto operator_banks = WalkPages({.kind = "operator", .query = "bank"}, 7);
  std::set<std::string> names;
  for (const auto& o : operator_banks) names.insert(o.name);
  EXPECT_EQ(names, (std::set<std::string>{"Coral Coast Bank", "Harbour Commercial Bank",
                                          "Island Savings Bank"}));
  auto finance_regulators = WalkPages({.kind = "regulator", .sector_id = SectorId("finance")}, 7);
  names.clear();
  for (const auto& o : finance_regulators) names.insert(o.name);
  EXPECT_EQ(names, (std::set<std::string>{"Central Bank", "Financial Services Commission"}));
}

TEST_F(DirectoryStore, UpdateWithCurrentVersionChangesTheOrganisation) {
  Organisation o = OrgNamed("Coral Coast Bank");
  ASSERT_EQ(o.version, 1);
  o.name = "Coral Coast Bank Ltd";
  o.criticality_tier = 1;
  o.website = std::nullopt;
  o.sector_ids.push_back(SectorId("ict"));
  bool updated =
      db_->Write([&](db::Tx& tx) { return UpdateOrganisation(tx, o, 1, o.created_at + 5); });
  EXPECT_TRUE(updated);
  Organisation now = Read([&](db::Tx& tx) { return *FindOrganisation(tx, o.id); });
  EXPECT_EQ(now.name, "Coral Coast Bank Ltd");
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.updated_at, o.created_at + 5);
  EXPECT_EQ(now.criticality_tier, 1);
  EXPECT_EQ(now.website, std::nullopt);
  EXPECT_EQ(now.sector_ids.size(), 2u);
}

TEST_F(DirectoryStore, UpdateWithStaleVersionReturnsFalseAndChangesNothing) {
  Organisation before = OrgNamed("Coral Coast Bank");
  Organisation first = before;
  first.short_name = "CCB2";
  ASSERT_TRUE(db_->Write([&](db::Tx& tx) { return UpdateOrganisation(tx, first, 1, 1); }));

  Organisation stale = before;  // read before the first update: version 1
  stale.name = "Stale Name";
  stale.sector_ids = {SectorId("water")};
  stale.criticality_tier = 3;
  bool updated =
      db_->Write([&](db::Tx& tx) { return UpdateOrganisation(tx, stale, stale.version, 2); });
  EXPECT_FALSE(updated);

  Organisation now = Read([&](db::Tx& tx) { return *FindOrganisation(tx, before.id); });
  EXPECT_EQ(now.name, "Coral Coast Bank");
  EXPECT_EQ(now.short_name, "CCB2");
  EXPECT_EQ(now.version, 2);
  EXPECT_EQ(now.criticality_tier, before.criticality_tier);
  EXPECT_EQ(now.sector_ids, before.sector_ids) << "the stale change's sectors were not written";
}

TEST_F(DirectoryStore, UpdateOfAMissingOrganisationReturnsFalse) {
  Organisation ghost = OrgNamed("Coral Coast Bank");
  ghost.id = crypto::NewUuid();
  EXPECT_FALSE(db_->Write([&](db::Tx& tx) { return UpdateOrganisation(tx, ghost, 1, 1); }));
  auto sectors = Read([&](db::Tx& tx) {
    return tx
        .QueryOne("SELECT COUNT(*) FROM organisation_sectors WHERE organisation_id = $1",
                  {ghost.id})
        ->Int(0);
  });
  EXPECT_EQ(sectors, 0);
}

TEST_F(DirectoryStore, InsertedOrganisationReadsBackWithOptionalFieldsEmpty) {
  Organisation o;
  o.id = crypto::NewUuid();
  o.name = "Aardvark Grid";
  o.kind = OrgKind::kOperator;
  o.sector_ids = {SectorId("energy")};
  o.created_at = o.updated_at = 42;
  db_->Write([&](db::Tx& tx) { InsertOrganisation(tx, o); });
  auto found = Read([&](db::Tx& tx) { return FindOrganisation(tx, o.id); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->name, "Aardvark Grid");
  EXPECT_EQ(found->criticality_tier, std::nullopt);
  EXPECT_EQ(found->size_class, std::nullopt);
  EXPECT_EQ(found->website, std::nullopt);
  EXPECT_EQ(found->version, 1);
  EXPECT_EQ(found->sector_ids, o.sector_ids);
  // It sorts first and the first page shows it.
  auto first = Read([&](db::Tx& tx) { return ListOrganisations(tx, {}, std::nullopt, 1); });
  ASSERT_EQ(first.size(), 1u);
  EXPECT_EQ(first[0].id, o.id);
}

TEST_F(DirectoryStore, CountActiveAdminsCountsEnabledOrgAdminsOnly) {
  Organisation bank = OrgNamed("Harbour Commercial Bank");
  // The demo gives HCB two administrators: ciso.hcb and the alias ciso.bank1.
  std::string ciso_hcb = UserId("ciso.hcb");
  std::string ciso_bank1 = UserId("ciso.bank1");
  auto count = [&](std::string_view except) {
    return Read([&](db::Tx& tx) { return CountActiveAdmins(tx, bank.id, except); });
  };
  EXPECT_EQ(count(""), 2);
  EXPECT_EQ(count(ciso_bank1), 1);
  EXPECT_EQ(count(UserId("reporter.bank1")), 2) << "excluding a non-admin changes nothing";

  db_->Write(
      [&](db::Tx& tx) { tx.Exec("UPDATE users SET disabled = 1 WHERE id = $1", {ciso_hcb}); });
  EXPECT_EQ(count(""), 1) << "a disabled admin does not count";
  EXPECT_EQ(count(ciso_bank1), 0);

  db_->Write([&](db::Tx& tx) { SetRoles(tx, ciso_bank1, bank.id, RoleSet::Of({Role::kCiso})); });
  EXPECT_EQ(count(""), 0);
}

TEST_F(DirectoryStore, CountActiveAdminsMatchesTheWholeRoleName) {
  Organisation bank = OrgNamed("Island Savings Bank");
  EXPECT_EQ(Read([&](db::Tx& tx) { return CountActiveAdmins(tx, bank.id, ""); }), 1);
  // Only org_admin counts, wherever it stands in the stored list.
  std::string risk = UserId("risk.isb");
  db_->Write([&](db::Tx& tx) {
    SetRoles(tx, risk, bank.id, RoleSet::Of({Role::kViewer, Role::kOrgAdmin, Role::kAuditor}));
  });
  EXPECT_EQ(Read([&](db::Tx& tx) { return CountActiveAdmins(tx, bank.id, ""); }), 2);
}

}  // namespace
}  // namespace rampart::directory
