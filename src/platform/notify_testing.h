// For the notification tests: a migrated database on every store (an SQLite file and, when
// RAMPART_TEST_POSTGRES_URL names a server, PostgreSQL in a schema of its own), and an
// organisation with people to tell. Test code only.
#pragma once

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "platform/crypto.h"
#include "platform/db.h"
#include "platform/identity.h"
#include "platform/migrate.h"
#include "platform/principal.h"

namespace rampart::notify::testing_support {

enum class Store { kSqlite, kPostgres };

inline std::string StoreName(const testing::TestParamInfo<Store>& info) {
  return info.param == Store::kSqlite ? "Sqlite" : "Postgres";
}

class MigratedStore : public testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    crypto::Init();
    if (GetParam() == Store::kSqlite) {
      dir_ = std::filesystem::temp_directory_path() /
             ("rampart-notify-test-" + crypto::Hex(crypto::RandomBytes(6)));
      std::filesystem::create_directories(dir_);
    } else {
      const char* url = std::getenv("RAMPART_TEST_POSTGRES_URL");
      if (url == nullptr || *url == '\0') {
        GTEST_SKIP() << "PostgreSQL not tested: set RAMPART_TEST_POSTGRES_URL";
      }
      postgres_url_ = url;
      schema_ = "rampart_notify_" + crypto::Hex(crypto::RandomBytes(6));
      admin_ = db::Database::Open(postgres_url_, 1);
      admin_->Write([&](db::Tx& tx) { tx.ExecScript("CREATE SCHEMA " + schema_); });
    }
    db_ = OpenAnother(4);
    auto migrated = Migrate(*db_);
    if (!migrated.ok()) throw std::runtime_error(migrated.error().message);
  }

  void TearDown() override {
    db_.reset();
    if (admin_) {
      admin_->Write([&](db::Tx& tx) { tx.ExecScript("DROP SCHEMA " + schema_ + " CASCADE"); });
    }
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }

  // Another handle on the same database, as a second app server would hold.
  std::unique_ptr<db::Database> OpenAnother(int pool) {
    if (GetParam() == Store::kSqlite) {
      return db::Database::Open("sqlite:" + (dir_ / "test.db").string(), pool);
    }
    char separator = postgres_url_.find('?') == std::string::npos ? '?' : '&';
    return db::Database::Open(postgres_url_ + separator + "options=-c%20search_path%3D" + schema_,
                              pool);
  }

  db::Database& db() { return *db_; }

  std::string AddOrganisation(const std::string& name) {
    std::string id = crypto::NewUuid();
    db().Write([&](db::Tx& tx) {
      tx.Exec(
          "INSERT INTO organisations (id, name, kind, created_at, updated_at) "
          "VALUES ($1, $2, 'operator', 1, 1)",
          {id, name});
    });
    return id;
  }

  std::string AddPerson(const std::string& org, const std::string& username, RoleSet roles,
                        bool disabled = false) {
    return db().Write([&](db::Tx& tx) {
      auto user = identity::Insert(
          tx, {username, "Person " + username, username + "@example.org", "x", false}, 1);
      tx.Exec(
          "INSERT INTO memberships (user_id, organisation_id, roles, created_at) "
          "VALUES ($1, $2, $3, 1)",
          {user.id, org, roles.ToText()});
      if (disabled) tx.Exec("UPDATE users SET disabled = 1 WHERE id = $1", {user.id});
      return user.id;
    });
  }

  std::string AddWebhook(const std::string& org, const std::string& events, bool active = true,
                         const std::string& url = "https://hooks.example.org/rampart") {
    std::string id = crypto::NewUuid();
    db().Write([&](db::Tx& tx) {
      tx.Exec(
          "INSERT INTO webhooks (id, organisation_id, url, secret, events, active, created_at, "
          "created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, 'test', 1)",
          {id, org, url, "secret-of-" + id, events, active});
    });
    return id;
  }

  std::int64_t Count(const std::string& table, const std::string& where = "1 = 1",
                     const db::Params& params = {}) {
    return db().Read([&](db::Tx& tx) {
      return tx.QueryOne("SELECT count(*) FROM " + table + " WHERE " + where, params)->Int(0);
    });
  }

 private:
  std::filesystem::path dir_;
  std::string postgres_url_;
  std::string schema_;
  std::unique_ptr<db::Database> admin_;
  std::unique_ptr<db::Database> db_;
};

}  // namespace rampart::notify::testing_support
