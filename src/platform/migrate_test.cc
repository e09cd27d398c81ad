// Schema migrations on a real SQLite file: applied once, idempotent, refused when the database
// is too new for this binary, and safe when two servers start at once.
#include "platform/migrate.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "platform/clock.h"
#include "platform/crypto.h"

namespace rampart {
namespace {

class SchemaMigration : public testing::Test {
 protected:
  void SetUp() override {
    crypto::Init();
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-migrate-test-" + crypto::Hex(crypto::RandomBytes(6)));
    std::filesystem::create_directories(dir_);
    db_ = Open();
  }

  void TearDown() override {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  std::unique_ptr<db::Database> Open() {
    return db::Database::Open("sqlite:" + (dir_ / "test.db").string(), 2);
  }

  std::int64_t Count(db::Database& db, const std::string& sql) {
    return db.Read([&](db::Tx& tx) { return tx.QueryOne(sql, {})->Int(0); });
  }

  void RecordFutureMigration(int version, int older_binaries_from) {
    db_->Write([&](db::Tx& tx) {
      tx.Exec(
          "INSERT INTO schema_migrations (version, name, applied_at, older_binaries_from) "
          "VALUES ($1, 'from_the_future', $2, $3)",
          {version, NowMillis(), older_binaries_from});
    });
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
};

TEST_F(SchemaMigration, EmbeddedMigrationsAreNumberedFromOne) {
  const auto& all = Migrations();
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(LatestSchemaVersion(), static_cast<int>(all.size()));
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].number, static_cast<int>(i) + 1);
    EXPECT_FALSE(all[i].name.empty());
    EXPECT_FALSE(all[i].sql.empty());
    EXPECT_GE(all[i].older_binaries_from, 1);
    EXPECT_LE(all[i].older_binaries_from, all[i].number);
  }
  EXPECT_EQ(all[0].name, "foundation");
}

TEST_F(SchemaMigration, AppliesEverythingToAnEmptyDatabase) {
  auto r = Migrate(*db_);
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->from, 0);
  EXPECT_EQ(r->to, LatestSchemaVersion());
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM audit_head"), 1);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM organisations"), 0);
  auto checked = CheckSchema(*db_);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_EQ(*checked, LatestSchemaVersion());
}

TEST_F(SchemaMigration, CheckSchemaOnAnEmptyDatabaseReportsVersionZero) {
  auto checked = CheckSchema(*db_);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_EQ(*checked, 0);
}

TEST_F(SchemaMigration, SecondMigrateChangesNothing) {
  ASSERT_TRUE(Migrate(*db_).ok());
  auto applied_at = Count(*db_, "SELECT MAX(applied_at) FROM schema_migrations");
  auto again = Migrate(*db_);
  ASSERT_TRUE(again.ok()) << again.error().message;
  EXPECT_EQ(again->from, LatestSchemaVersion());
  EXPECT_EQ(again->to, LatestSchemaVersion());
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(Count(*db_, "SELECT MAX(applied_at) FROM schema_migrations"), applied_at);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM audit_head"), 1) << "the seed row is not repeated";
}

TEST_F(SchemaMigration, MigrationsSurviveReopening) {
  ASSERT_TRUE(Migrate(*db_).ok());
  db_.reset();
  db_ = Open();
  auto checked = CheckSchema(*db_);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_EQ(*checked, LatestSchemaVersion());
}

TEST_F(SchemaMigration, RefusesADatabaseTooNewForThisBinary) {
  ASSERT_TRUE(Migrate(*db_).ok());
  const int latest = LatestSchemaVersion();
  RecordFutureMigration(latest + 1, latest + 1);

  auto checked = CheckSchema(*db_);
  ASSERT_FALSE(checked.ok());
  EXPECT_EQ(checked.error().code, "schema_too_new");
  const std::string& msg = checked.error().message;
  EXPECT_NE(msg.find("schema version " + std::to_string(latest + 1)), std::string::npos) << msg;
  EXPECT_NE(msg.find("knows schema " + std::to_string(latest + 1)), std::string::npos) << msg;
  EXPECT_NE(msg.find("this one knows " + std::to_string(latest)), std::string::npos) << msg;

  auto migrated = Migrate(*db_);
  ASSERT_FALSE(migrated.ok());
  EXPECT_EQ(migrated.error().code, "schema_too_new");
  EXPECT_EQ(migrated.error().message, msg);
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM schema_migrations"), latest + 1)
      << "refusing changes nothing";
}

TEST_F(SchemaMigration, RefusesATooNewDatabaseBeforeApplyingAnything) {
  // A database that a newer binary created from scratch, and an older binary opens.
  db_->Write([&](db::Tx& tx) {
    tx.ExecScript(
        "CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, "
        "applied_at BIGINT NOT NULL, older_binaries_from INTEGER NOT NULL)");
  });
  const int future = LatestSchemaVersion() + 5;
  RecordFutureMigration(future, future);
  auto migrated = Migrate(*db_);
  ASSERT_FALSE(migrated.ok());
  EXPECT_NE(migrated.error().message.find(std::to_string(future)), std::string::npos)
      << migrated.error().message;
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'audit_head'"), 0)
      << "no migration ran";
}

TEST_F(SchemaMigration, AcceptsANewerSchemaThatOlderBinariesMayUse) {
  ASSERT_TRUE(Migrate(*db_).ok());
  const int latest = LatestSchemaVersion();
  RecordFutureMigration(latest + 1, latest);  // an additive change
  auto checked = CheckSchema(*db_);
  ASSERT_TRUE(checked.ok()) << checked.error().message;
  EXPECT_EQ(*checked, latest + 1);
  auto migrated = Migrate(*db_);
  ASSERT_TRUE(migrated.ok()) << migrated.error().message;
  EXPECT_EQ(migrated->to, latest + 1);
}

TEST_F(SchemaMigration, TwoServersMigratingAtOnceApplyTheSchemaOnce) {
  // Two handles on one file, as two servers starting together would have.
  auto other = Open();
  Result<MigrationReport> a = Error{"not_run", ""};
  Result<MigrationReport> b = Error{"not_run", ""};
  std::thread t1([&] { a = Migrate(*db_); });
  std::thread t2([&] { b = Migrate(*other); });
  t1.join();
  t2.join();
  ASSERT_TRUE(a.ok()) << a.error().message;
  ASSERT_TRUE(b.ok()) << b.error().message;
  EXPECT_EQ(a->to, LatestSchemaVersion());
  EXPECT_EQ(b->to, LatestSchemaVersion());
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM schema_migrations"), LatestSchemaVersion());
  EXPECT_EQ(Count(*db_, "SELECT COUNT(*) FROM audit_head"), 1);
  EXPECT_EQ(db_->IntegrityCheck(), "ok");
}

}  // namespace
}  // namespace rampart
