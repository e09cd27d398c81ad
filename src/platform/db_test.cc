// The same behaviour, checked on every store: an SQLite file, an SQLite ":memory:" database and,
// when RAMPART_TEST_POSTGRES_URL names a server (see scripts/pg.sh), PostgreSQL.
#include "platform/db.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <ostream>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace rampart::db {
namespace {

using Kind = DbError::Kind;
using namespace std::chrono_literals;

// ---------------------------------------------------------------------------------------------
// The $N -> ?N rewrite for SQLite.

TEST(RewriteParamsForSqlite, RewritesNumberedParameters) {
  EXPECT_EQ(RewriteParamsForSqlite("SELECT $1, $2 FROM t WHERE a = $10"),
            "SELECT ?1, ?2 FROM t WHERE a = ?10");
}

TEST(RewriteParamsForSqlite, KeepsRepeatedAndOutOfOrderNumbers) {
  EXPECT_EQ(RewriteParamsForSqlite("VALUES ($2, $1, $2)"), "VALUES (?2, ?1, ?2)");
}

TEST(RewriteParamsForSqlite, LeavesStringLiteralsAlone) {
  EXPECT_EQ(RewriteParamsForSqlite("SELECT 'costs $1', $1"), "SELECT 'costs $1', ?1");
  EXPECT_EQ(RewriteParamsForSqlite("SELECT 'it''s $1', $2"), "SELECT 'it''s $1', ?2");
}

TEST(RewriteParamsForSqlite, LeavesQuotedIdentifiersAlone) {
  EXPECT_EQ(RewriteParamsForSqlite("SELECT \"col$1\" FROM t WHERE x = $1"),
            "SELECT \"col$1\" FROM t WHERE x = ?1");
}

TEST(RewriteParamsForSqlite, LeavesCommentsAlone) {
  EXPECT_EQ(RewriteParamsForSqlite("SELECT $1 -- not $2\n, $3"), "SELECT ?1 -- not $2\n, ?3");
  EXPECT_EQ(RewriteParamsForSqlite("SELECT /* $2 */ $1"), "SELECT /* $2 */ ?1");
}

TEST(RewriteParamsForSqlite, LeavesDollarsThatAreNotParametersAlone) {
  EXPECT_EQ(RewriteParamsForSqlite("SELECT $, $a, price$1 FROM t"), "SELECT $, $a, price$1 FROM t");
}

TEST(RewriteParamsForSqlite, CopiesUnterminatedQuotesAndCommentsToTheEnd) {
  EXPECT_EQ(RewriteParamsForSqlite("SELECT 'open $1"), "SELECT 'open $1");
  EXPECT_EQ(RewriteParamsForSqlite("SELECT $1 /* open $2"), "SELECT ?1 /* open $2");
  EXPECT_EQ(RewriteParamsForSqlite("SELECT $1 -- $2"), "SELECT ?1 -- $2");
  EXPECT_EQ(RewriteParamsForSqlite(""), "");
}

// ---------------------------------------------------------------------------------------------
// Every store.

enum class Store { kSqliteFile, kSqliteMemory, kPostgres };

std::string StoreName(Store store) {
  switch (store) {
    case Store::kSqliteFile:
      return "SqliteFile";
    case Store::kSqliteMemory:
      return "SqliteMemory";
    case Store::kPostgres:
      return "Postgres";
  }
  return "Unknown";
}

// Names the store in assertion messages.
void PrintTo(Store store, std::ostream* out) { *out << StoreName(store); }

std::string RandomHex(int digits) {
  static const char* const kHex = "0123456789abcdef";
  std::random_device device;
  std::string out;
  for (int i = 0; i < digits; ++i) {
    out.push_back(kHex[device() % 16]);
  }
  return out;
}

class DbTest : public testing::TestWithParam<Store> {
 protected:
  void SetUp() override {
    switch (GetParam()) {
      case Store::kSqliteFile: {
        dir_ = std::filesystem::temp_directory_path() / ("rampart-db-test-" + RandomHex(12));
        // A directory that does not exist yet: the driver creates it.
        db_ = Database::Open("sqlite:" + (dir_ / "nested" / "test.db").string(), 4);
        break;
      }
      case Store::kSqliteMemory:
        db_ = Database::Open(":memory:", 4);
        break;
      case Store::kPostgres: {
        const char* url = std::getenv("RAMPART_TEST_POSTGRES_URL");
        if (url == nullptr || *url == '\0') {
          GTEST_SKIP() << "PostgreSQL not tested: set RAMPART_TEST_POSTGRES_URL, e.g. to the URL "
                          "printed by `scripts/pg.sh start var/pg`";
        }
        postgres_url_ = url;
        // Each test works in a schema of its own, so that runs never see each other's tables.
        schema_ = "rampart_test_" + RandomHex(12);
        admin_ = Database::Open(postgres_url_, 1);
        admin_->Write([&](Tx& tx) { tx.ExecScript("CREATE SCHEMA " + schema_); });
        db_ = OpenAnother(4);
        break;
      }
    }
  }

  void TearDown() override {
    db_.reset();
    if (admin_) {
      admin_->Write([&](Tx& tx) { tx.ExecScript("DROP SCHEMA " + schema_ + " CASCADE"); });
    }
    if (!dir_.empty()) {
      std::filesystem::remove_all(dir_);
    }
  }

  // A second handle on the same store with `pool` connections (a new, empty one for ":memory:").
  std::unique_ptr<Database> OpenAnother(int pool) {
    switch (GetParam()) {
      case Store::kSqliteFile:
        return Database::Open("sqlite:" + (dir_ / "nested" / "test.db").string(), pool);
      case Store::kSqliteMemory:
        return Database::Open(":memory:", pool);
      case Store::kPostgres: {
        char separator = postgres_url_.find('?') == std::string::npos ? '?' : '&';
        return Database::Open(postgres_url_ + separator + "options=-c%20search_path%3D" + schema_,
                              pool);
      }
    }
    return nullptr;
  }

  Database& db() { return *db_; }
  [[nodiscard]] bool postgres() const { return GetParam() == Store::kPostgres; }
  [[nodiscard]] bool memory() const { return GetParam() == Store::kSqliteMemory; }

  void Script(const std::string& sql) {
    db().Write([&](Tx& tx) { tx.ExecScript(sql); });
  }

  std::int64_t Count(const std::string& table) {
    return db().Read(
        [&](Tx& tx) { return tx.QueryOne("SELECT count(*) FROM " + table, {})->Int(0); });
  }

  // The kind of the DbError `f` throws; fails the test when it throws none.
  template <class F>
  std::optional<Kind> KindThrownBy(F&& f) {
    try {
      f();
    } catch (const DbError& e) {
      return e.kind();
    }
    ADD_FAILURE() << "expected a DbError";
    return std::nullopt;
  }

  std::filesystem::path dir_;
  std::string postgres_url_;
  std::string schema_;
  std::unique_ptr<Database> admin_;
  std::unique_ptr<Database> db_;
};

TEST_P(DbTest, ReportsItsDialect) {
  EXPECT_EQ(db().dialect(), postgres() ? Dialect::kPostgres : Dialect::kSqlite);
  db().Read([&](Tx& tx) { EXPECT_EQ(tx.dialect(), db().dialect()); });
}

TEST_P(DbTest, StoresAndReturnsEveryKindOfValue) {
  Script("CREATE TABLE item (id BIGINT PRIMARY KEY, i BIGINT, r DOUBLE PRECISION, t TEXT, n TEXT)");
  db().Write([](Tx& tx) {
    EXPECT_EQ(tx.Exec("INSERT INTO item (id, i, r, t, n) VALUES ($1, $2, $3, $4, $5)",
                      {1, std::int64_t{42}, 2.5, "text", nullptr}),
              1);
  });
  auto row = db().Read([](Tx& tx) { return tx.QueryOne("SELECT id, i, r, t, n FROM item", {}); });
  ASSERT_TRUE(row.has_value());
  ASSERT_EQ(row->size(), 5u);
  EXPECT_TRUE(row->at(0).is_int());
  EXPECT_EQ(row->Int(0), 1);
  EXPECT_TRUE(row->at(1).is_int());
  EXPECT_EQ(row->Int(1), 42);
  EXPECT_TRUE(row->at(2).is_real());
  EXPECT_EQ(row->Real(2), 2.5);
  EXPECT_TRUE(row->at(3).is_text());
  EXPECT_EQ(row->Text(3), "text");
  EXPECT_TRUE(row->IsNull(4));
  EXPECT_EQ(row->OptText(4), std::nullopt);
}

TEST_P(DbTest, Int64ExtremesRoundTripExactly) {
  Script("CREATE TABLE num (id INTEGER PRIMARY KEY, v BIGINT NOT NULL)");
  const std::vector<std::int64_t> values = {std::numeric_limits<std::int64_t>::min(),
                                            std::numeric_limits<std::int64_t>::max(),
                                            0,
                                            -1,
                                            std::int64_t{1} << 53,
                                            (std::int64_t{1} << 53) + 1};
  db().Write([&](Tx& tx) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      tx.Exec("INSERT INTO num (id, v) VALUES ($1, $2)", {static_cast<int>(i), values[i]});
    }
  });
  db().Read([&](Tx& tx) {
    auto rows = tx.Query("SELECT v FROM num ORDER BY id", {});
    ASSERT_EQ(rows.size(), values.size());
    for (std::size_t i = 0; i < values.size(); ++i) {
      EXPECT_TRUE(rows[i].at(0).is_int());
      EXPECT_EQ(rows[i].Int(0), values[i]);
    }
    // Compared on the server as integers, not as doubles.
    auto hit = tx.QueryOne("SELECT id FROM num WHERE v = $1", {(std::int64_t{1} << 53) + 1});
    ASSERT_TRUE(hit.has_value());
    EXPECT_EQ(hit->Int(0), 5);
    auto max =
        tx.QueryOne("SELECT id FROM num WHERE v = $1", {std::numeric_limits<std::int64_t>::max()});
    ASSERT_TRUE(max.has_value());
    EXPECT_EQ(max->Int(0), 1);
  });
}

TEST_P(DbTest, DoublesRoundTripExactly) {
  Script("CREATE TABLE num (id INTEGER PRIMARY KEY, v DOUBLE PRECISION NOT NULL)");
  const std::vector<double> values = {0.1,    1.0 / 3.0, -2.5e-300,    1.7976931348623157e308,
                                      5e-324, -0.0,      123456789.125};
  db().Write([&](Tx& tx) {
    for (std::size_t i = 0; i < values.size(); ++i) {
      tx.Exec("INSERT INTO num (id, v) VALUES ($1, $2)", {static_cast<int>(i), values[i]});
    }
  });
  auto rows = db().Read([](Tx& tx) { return tx.Query("SELECT v FROM num ORDER BY id", {}); });
  ASSERT_EQ(rows.size(), values.size());
  for (std::size_t i = 0; i < values.size(); ++i) {
    EXPECT_TRUE(rows[i].at(0).is_real()) << i;
    EXPECT_EQ(rows[i].Real(0), values[i]) << i;
  }
}

TEST_P(DbTest, Utf8TextRoundTripsAndCountsAsCharacters) {
  Script("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)");
  const std::string text = "Zürich – 東京 – 🛡";  // 15 characters, 27 bytes
  db().Write([&](Tx& tx) { tx.Exec("INSERT INTO note (id, body) VALUES ($1, $2)", {1, text}); });
  auto row = db().Read(
      [](Tx& tx) { return tx.QueryOne("SELECT body, length(body) FROM note WHERE id = $1", {1}); });
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Text(0), text);
  EXPECT_EQ(row->Int(1), 15);
  auto found = db().Read([&](Tx& tx) {
    return tx.QueryOne("SELECT id FROM note WHERE body = $1", {text}).has_value();
  });
  EXPECT_TRUE(found);
}

// Stored files are any bytes at all: NUL, invalid UTF-8, every value of a byte.
TEST_P(DbTest, BlobsRoundTripEveryByteAndCountAsBytes) {
  Script("CREATE TABLE bin (id INTEGER PRIMARY KEY, b BYTEA)");
  std::string bytes;
  for (int round = 0; round < 3; ++round) {
    for (int c = 0; c < 256; ++c) bytes.push_back(static_cast<char>(c));
  }
  db().Write([&](Tx& tx) {
    tx.Exec("INSERT INTO bin (id, b) VALUES ($1, $2)", {1, Blob{bytes}});
    tx.Exec("INSERT INTO bin (id, b) VALUES ($1, $2)", {2, Blob{}});
    tx.Exec("INSERT INTO bin (id, b) VALUES ($1, $2)", {3, nullptr});
  });
  auto rows =
      db().Read([](Tx& tx) { return tx.Query("SELECT b, length(b) FROM bin ORDER BY id", {}); });
  ASSERT_EQ(rows.size(), 3u);
  EXPECT_TRUE(rows[0].at(0).is_blob());
  EXPECT_EQ(rows[0].Text(0), bytes);
  EXPECT_EQ(rows[0].Int(1), 768);
  EXPECT_TRUE(rows[1].at(0).is_blob());  // empty, and not NULL
  EXPECT_EQ(rows[1].Text(0), "");
  EXPECT_EQ(rows[1].Int(1), 0);
  EXPECT_TRUE(rows[2].IsNull(0));
  auto found = db().Read(
      [&](Tx& tx) { return tx.QueryOne("SELECT id FROM bin WHERE b = $1", {Blob{bytes}}); });
  ASSERT_TRUE(found.has_value());
  EXPECT_EQ(found->Int(0), 1);
}

TEST_P(DbTest, NullParameterIsStoredAsNullAndEmptyTextIsNot) {
  Script("CREATE TABLE opt (id INTEGER PRIMARY KEY, v TEXT)");
  db().Write([](Tx& tx) {
    tx.Exec("INSERT INTO opt (id, v) VALUES ($1, $2)", {1, nullptr});
    tx.Exec("INSERT INTO opt (id, v) VALUES ($1, $2)", {2, ""});
    tx.Exec("INSERT INTO opt (id, v) VALUES ($1, $2)", {3, std::optional<std::string>()});
    tx.Exec("INSERT INTO opt (id, v) VALUES ($1, $2)", {4, std::optional<std::string>("x")});
  });
  db().Read([](Tx& tx) {
    EXPECT_EQ(tx.QueryOne("SELECT count(*) FROM opt WHERE v IS NULL", {})->Int(0), 2);
    EXPECT_EQ(tx.QueryOne("SELECT count(*) FROM opt WHERE v = ''", {})->Int(0), 1);
    auto rows = tx.Query("SELECT v FROM opt ORDER BY id", {});
    ASSERT_EQ(rows.size(), 4u);
    EXPECT_TRUE(rows[0].IsNull(0));
    EXPECT_FALSE(rows[1].IsNull(0));
    EXPECT_TRUE(rows[2].IsNull(0));
    EXPECT_EQ(rows[3].OptText(0), "x");
    // A NULL parameter compares as NULL, not as an empty string.
    EXPECT_EQ(tx.QueryOne("SELECT count(*) FROM opt WHERE v = $1", {nullptr})->Int(0), 0);
  });
}

TEST_P(DbTest, ParametersMayRepeatAndComeOutOfOrder) {
  Script("CREATE TABLE triple (a TEXT, b TEXT, c TEXT)");
  db().Write([](Tx& tx) {
    tx.Exec("INSERT INTO triple (a, b, c) VALUES ($2, $1, $2)", {"one", "two"});
  });
  db().Read([](Tx& tx) {
    auto row = tx.QueryOne("SELECT a, b, c FROM triple WHERE a = $2 AND b = $1 AND c = $2",
                           {"one", "two"});
    ASSERT_TRUE(row.has_value());
    EXPECT_EQ(row->Text(0), "two");
    EXPECT_EQ(row->Text(1), "one");
    EXPECT_EQ(row->Text(2), "two");
  });
}

TEST_P(DbTest, DollarInsideLiteralOrCommentIsNotAParameter) {
  auto row = db().Read([](Tx& tx) {
    return tx.QueryOne("SELECT 'costs $1 or $2' AS price, $1 AS who -- not $2\n", {"me"});
  });
  ASSERT_TRUE(row.has_value());
  EXPECT_EQ(row->Text(0), "costs $1 or $2");
  EXPECT_EQ(row->Text(1), "me");
}

TEST_P(DbTest, WrongNumberOfParametersIsAnError) {
  Script("CREATE TABLE pair (a TEXT, b TEXT)");
  EXPECT_EQ(KindThrownBy([&] {
              db().Write([](Tx& tx) { tx.Exec("INSERT INTO pair (a, b) VALUES ($1, $2)", {"x"}); });
            }),
            Kind::kOther);
  EXPECT_EQ(KindThrownBy([&] {
              db().Write([](Tx& tx) {
                tx.Exec("INSERT INTO pair (a, b) VALUES ($1, $2)", {"x", "y", "z"});
              });
            }),
            Kind::kOther);
  // The connection is still good afterwards.
  db().Write([](Tx& tx) { tx.Exec("INSERT INTO pair (a, b) VALUES ($1, $2)", {"x", "y"}); });
  EXPECT_EQ(Count("pair"), 1);
}

TEST_P(DbTest, SeveralStatementsInOneQueryAreRefused) {
  Script("CREATE TABLE one (v INTEGER)");
  EXPECT_TRUE(KindThrownBy([&] {
    db().Write(
        [](Tx& tx) { tx.Exec("INSERT INTO one VALUES (1); INSERT INTO one VALUES (2)", {}); });
  }));
  EXPECT_EQ(Count("one"), 0);
}

TEST_P(DbTest, ExecScriptRunsSeveralStatements) {
  Script(
      "CREATE TABLE a (v INTEGER);\n"
      "CREATE TABLE b (v INTEGER);\n"
      "INSERT INTO a VALUES (1);\n"
      "INSERT INTO b VALUES (2);");
  EXPECT_EQ(Count("a"), 1);
  EXPECT_EQ(Count("b"), 1);
}

TEST_P(DbTest, ExecReportsRowsChanged) {
  db().Write([](Tx& tx) {
    EXPECT_EQ(tx.Exec("CREATE TABLE c (id INTEGER PRIMARY KEY, v INTEGER)", {}), 0);
    EXPECT_EQ(tx.Exec("INSERT INTO c (id, v) VALUES (1, 0), (2, 0), (3, 1)", {}), 3);
    EXPECT_EQ(tx.Exec("UPDATE c SET v = 5 WHERE v = $1", {0}), 2);
    EXPECT_EQ(tx.Exec("DELETE FROM c WHERE v = $1", {99}), 0);
  });
}

TEST_P(DbTest, CountsAndComparisonsComeBackAsIntegers) {
  Script("CREATE TABLE c (v INTEGER)");
  db().Read([](Tx& tx) {
    auto row = tx.QueryOne("SELECT count(*), 1 = 1, 1 = 2, 7 FROM c", {});
    ASSERT_TRUE(row.has_value());
    EXPECT_TRUE(row->at(0).is_int());
    EXPECT_EQ(row->Int(0), 0);
    EXPECT_TRUE(row->at(1).is_int());
    EXPECT_TRUE(row->Bool(1));
    EXPECT_FALSE(row->Bool(2));
    EXPECT_TRUE(row->at(3).is_int());
    EXPECT_EQ(row->Int(3), 7);
  });
}

TEST_P(DbTest, QueryOneReturnsNothingWhenNoRowMatches) {
  Script("CREATE TABLE c (v INTEGER)");
  auto row = db().Read([](Tx& tx) { return tx.QueryOne("SELECT v FROM c WHERE v = $1", {1}); });
  EXPECT_FALSE(row.has_value());
}

TEST_P(DbTest, CallbackExceptionRollsBackEverything) {
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY)");
  EXPECT_THROW(db().Write([](Tx& tx) {
    tx.Exec("INSERT INTO item (id) VALUES ($1)", {1});
    tx.Exec("INSERT INTO item (id) VALUES ($1)", {2});
    throw std::logic_error("changed my mind");
  }),
               std::logic_error);
  EXPECT_EQ(Count("item"), 0);
  // The connection is usable afterwards.
  db().Write([](Tx& tx) { tx.Exec("INSERT INTO item (id) VALUES ($1)", {1}); });
  EXPECT_EQ(Count("item"), 1);
}

TEST_P(DbTest, SwallowedStatementErrorStillRollsBack) {
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY)");
  bool later_statement_refused = false;
  auto kind = KindThrownBy([&] {
    db().Write([&](Tx& tx) {
      tx.Exec("INSERT INTO item (id) VALUES ($1)", {1});
      try {
        tx.Exec("INSERT INTO item (id) VALUES ($1)", {1});
      } catch (const DbError&) {  // swallowed on purpose
      }
      try {
        tx.Exec("INSERT INTO item (id) VALUES ($1)", {2});
      } catch (const DbError&) {
        later_statement_refused = true;
      }
    });
  });
  EXPECT_EQ(kind, Kind::kUnique);
  EXPECT_TRUE(later_statement_refused);
  EXPECT_EQ(Count("item"), 0);
}

TEST_P(DbTest, DuplicateKeyIsReportedAsUnique) {
  Script("CREATE TABLE person (id INTEGER PRIMARY KEY, email TEXT NOT NULL UNIQUE)");
  db().Write([](Tx& tx) { tx.Exec("INSERT INTO person (id, email) VALUES ($1, $2)", {1, "a@x"}); });
  EXPECT_EQ(KindThrownBy([&] {
              db().Write([](Tx& tx) {
                tx.Exec("INSERT INTO person (id, email) VALUES ($1, $2)", {2, "a@x"});
              });
            }),
            Kind::kUnique);
  EXPECT_EQ(KindThrownBy([&] {
              db().Write([](Tx& tx) {
                tx.Exec("INSERT INTO person (id, email) VALUES ($1, $2)", {1, "b@x"});
              });
            }),
            Kind::kUnique);
  EXPECT_EQ(Count("person"), 1);
}

TEST_P(DbTest, MissingReferenceIsReportedAsForeignKey) {
  Script(
      "CREATE TABLE org (id INTEGER PRIMARY KEY);"
      "CREATE TABLE member (id INTEGER PRIMARY KEY, org_id INTEGER NOT NULL REFERENCES org (id))");
  EXPECT_EQ(KindThrownBy([&] {
              db().Write([](Tx& tx) {
                tx.Exec("INSERT INTO member (id, org_id) VALUES ($1, $2)", {1, 99});
              });
            }),
            Kind::kForeignKey);
  db().Write([](Tx& tx) {
    tx.Exec("INSERT INTO org (id) VALUES ($1)", {99});
    tx.Exec("INSERT INTO member (id, org_id) VALUES ($1, $2)", {1, 99});
  });
  EXPECT_EQ(KindThrownBy([&] {
              db().Write([](Tx& tx) { tx.Exec("DELETE FROM org WHERE id = $1", {99}); });
            }),
            Kind::kForeignKey);
}

TEST_P(DbTest, NotNullAndCheckViolationsAreReportedByKind) {
  Script(
      "CREATE TABLE score (id INTEGER PRIMARY KEY, v INTEGER NOT NULL CHECK (v BETWEEN 1 AND 5))");
  EXPECT_EQ(KindThrownBy([&] {
              db().Write([](Tx& tx) {
                tx.Exec("INSERT INTO score (id, v) VALUES ($1, $2)", {1, nullptr});
              });
            }),
            Kind::kNotNull);
  EXPECT_EQ(
      KindThrownBy([&] {
        db().Write([](Tx& tx) { tx.Exec("INSERT INTO score (id, v) VALUES ($1, $2)", {1, 9}); });
      }),
      Kind::kCheck);
}

TEST_P(DbTest, WriteIsVisibleToTheNextRead) {
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT)");
  for (int i = 1; i <= 20; ++i) {
    db().Write([&](Tx& tx) { tx.Exec("INSERT INTO item (id, name) VALUES ($1, $2)", {i, "n"}); });
    EXPECT_EQ(Count("item"), i);
  }
}

TEST_P(DbTest, ReadTransactionCannotWrite) {
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY)");
  EXPECT_TRUE(KindThrownBy(
      [&] { db().Read([](Tx& tx) { tx.Exec("INSERT INTO item (id) VALUES ($1)", {1}); }); }));
  EXPECT_EQ(Count("item"), 0);
}

TEST_P(DbTest, ReadSeesOneSnapshot) {
  if (memory()) {
    GTEST_SKIP() << "one connection serializes every transaction on :memory:";
  }
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY)");
  db().Read([&](Tx& tx) {
    EXPECT_EQ(tx.QueryOne("SELECT count(*) FROM item", {})->Int(0), 0);
    std::thread writer(
        [&] { db().Write([](Tx& w) { w.Exec("INSERT INTO item (id) VALUES ($1)", {1}); }); });
    writer.join();
    EXPECT_EQ(tx.QueryOne("SELECT count(*) FROM item", {})->Int(0), 0);
  });
  EXPECT_EQ(Count("item"), 1);
}

TEST_P(DbTest, ConcurrentWritersAllLand) {
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY, writer INTEGER NOT NULL)");
  constexpr int kThreads = 4;
  constexpr int kRowsEach = 200;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kRowsEach; ++i) {
        db().Write([&](Tx& tx) {
          tx.Exec("INSERT INTO item (id, writer) VALUES ($1, $2)", {t * kRowsEach + i, t});
        });
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(Count("item"), kThreads * kRowsEach);
  db().Read([&](Tx& tx) {
    for (int t = 0; t < kThreads; ++t) {
      EXPECT_EQ(tx.QueryOne("SELECT count(*) FROM item WHERE writer = $1", {t})->Int(0), kRowsEach);
    }
  });
  PoolStats stats = db().Stats();
  EXPECT_GE(stats.connections, 1);
  EXPECT_LE(stats.connections, 5);  // SQLite: one writer and four readers; PostgreSQL: four
  EXPECT_EQ(stats.in_use, 0);
}

TEST_P(DbTest, ConcurrentIncrementsLoseNoUpdate) {
  Script("CREATE TABLE counter (id INTEGER PRIMARY KEY, n BIGINT NOT NULL)");
  db().Write([](Tx& tx) { tx.Exec("INSERT INTO counter (id, n) VALUES ($1, $2)", {1, 0}); });
  constexpr int kThreads = 4;
  constexpr int kIncrementsEach = 200;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kIncrementsEach; ++i) {
        db().Write([](Tx& tx) { tx.Exec("UPDATE counter SET n = n + 1 WHERE id = $1", {1}); });
      }
    });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  auto n = db().Read([](Tx& tx) { return tx.QueryOne("SELECT n FROM counter", {})->Int(0); });
  EXPECT_EQ(n, kThreads * kIncrementsEach);
}

TEST_P(DbTest, BusyPoolMakesCallersWaitAndCountsIt) {
  auto small = OpenAnother(1);
  small->Write([](Tx& tx) { tx.ExecScript("CREATE TABLE item (id INTEGER PRIMARY KEY)"); });
  std::atomic<bool> holding{false};
  std::thread holder([&] {
    small->Write([&](Tx& tx) {
      tx.Exec("INSERT INTO item (id) VALUES ($1)", {1});
      holding = true;
      auto deadline = std::chrono::steady_clock::now() + 10s;
      while (small->Stats().waits_total == 0 && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(1ms);
      }
    });
  });
  while (!holding) {
    std::this_thread::sleep_for(1ms);
  }
  small->Write([](Tx& tx) { tx.Exec("INSERT INTO item (id) VALUES ($1)", {2}); });
  holder.join();
  EXPECT_EQ(small->Stats().waits_total, 1);
  EXPECT_EQ(
      small->Read([](Tx& tx) { return tx.QueryOne("SELECT count(*) FROM item", {})->Int(0); }), 2);
}

TEST_P(DbTest, StatementCacheServesRepeatedStatements) {
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY, v TEXT)");
  const std::string insert = "INSERT INTO item (id, v) VALUES ($1, $2)";
  db().Write([&](Tx& tx) {
    for (int i = 0; i < 300; ++i) {
      tx.Exec(insert, {i, "v" + std::to_string(i)});
    }
  });
  for (int i = 0; i < 300; i += 7) {
    auto v =
        db().Read([&](Tx& tx) { return tx.QueryOne("SELECT v FROM item WHERE id = $1", {i}); });
    ASSERT_TRUE(v.has_value());
    EXPECT_EQ(v->Text(0), "v" + std::to_string(i));
  }
  // A cached statement that failed is ready for the next use.
  EXPECT_EQ(KindThrownBy([&] { db().Write([&](Tx& tx) {
                                 tx.Exec(insert, {0, "again"});
                               }); }),
            Kind::kUnique);
  db().Write([&](Tx& tx) { tx.Exec(insert, {300, "v300"}); });
  EXPECT_EQ(Count("item"), 301);
}

TEST_P(DbTest, SerializationFailureRunsTheWholeCallbackAgain) {
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY)");
  int attempts = 0;
  db().Write([&](Tx& tx) {
    ++attempts;
    tx.Exec("INSERT INTO item (id) VALUES ($1)", {1});
    if (attempts < 3) {
      throw DbError(Kind::kSerialization, "simulated conflict");
    }
  });
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(Count("item"), 1);
}

TEST_P(DbTest, SerializationFailureGivesUpAfterFiveRetries) {
  int attempts = 0;
  EXPECT_EQ(KindThrownBy([&] {
              db().Write([&](Tx&) {
                ++attempts;
                throw DbError(Kind::kSerialization, "simulated conflict");
              });
            }),
            Kind::kSerialization);
  EXPECT_EQ(attempts, 6);
}

TEST_P(DbTest, OtherErrorsAndReadsAreNotRetried) {
  int attempts = 0;
  EXPECT_THROW(db().Write([&](Tx&) {
    ++attempts;
    throw DbError(Kind::kUnique, "not a conflict");
  }),
               DbError);
  EXPECT_EQ(attempts, 1);
  attempts = 0;
  EXPECT_THROW(db().Read([&](Tx&) {
    ++attempts;
    throw DbError(Kind::kSerialization, "simulated conflict");
  }),
               DbError);
  EXPECT_EQ(attempts, 1);
}

TEST_P(DbTest, NestedWriteThrowsInsteadOfDeadlocking) {
  if (postgres()) {
    GTEST_SKIP() << "PostgreSQL runs a nested transaction on another connection";
  }
  EXPECT_THROW(db().Write([&](Tx&) { db().Write([](Tx&) {}); }), DbError);
  db().Write([](Tx&) {});  // and the writer is free again
}

TEST_P(DbTest, DeadlockIsResolvedByRunningTheLoserAgain) {
  if (!postgres()) {
    GTEST_SKIP() << "SQLite has a single writer and cannot deadlock";
  }
  Script("CREATE TABLE acct (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)");
  db().Write([](Tx& tx) { tx.Exec("INSERT INTO acct (id, n) VALUES (1, 0), (2, 0)", {}); });
  std::atomic<int> both_locked{0};
  std::atomic<int> attempts{0};
  auto transfer = [&](int first, int second) {
    bool first_attempt = true;
    db().Write([&](Tx& tx) {
      ++attempts;
      tx.Exec("UPDATE acct SET n = n + 1 WHERE id = $1", {first});
      if (first_attempt) {  // make both hold their first row before either asks for its second
        first_attempt = false;
        ++both_locked;
        auto deadline = std::chrono::steady_clock::now() + 10s;
        while (both_locked < 2 && std::chrono::steady_clock::now() < deadline) {
          std::this_thread::sleep_for(1ms);
        }
      }
      tx.Exec("UPDATE acct SET n = n + 1 WHERE id = $1", {second});
    });
  };
  std::thread a(transfer, 1, 2);
  std::thread b(transfer, 2, 1);
  a.join();
  b.join();
  // At least one of the two ran again (both may, when the server's deadlock checks race).
  EXPECT_GE(attempts, 3);
  db().Read([](Tx& tx) {
    for (const Row& row : tx.Query("SELECT n FROM acct", {})) {
      EXPECT_EQ(row.Int(0), 2);
    }
  });
}

TEST_P(DbTest, LostConnectionIsReplacedWithoutTheCallerNoticing) {
  if (!postgres()) {
    GTEST_SKIP() << "SQLite has no server connection to lose";
  }
  auto small = OpenAnother(1);
  auto backend_pid = [&] {
    return small->Read([](Tx& tx) { return tx.QueryOne("SELECT pg_backend_pid()", {})->Int(0); });
  };
  std::int64_t before = backend_pid();
  // What a server restart does to every pooled connection.
  admin_->Write([&](Tx& tx) {
    EXPECT_TRUE(tx.QueryOne("SELECT pg_terminate_backend($1, 5000)", {before})->Bool(0));
  });
  std::int64_t after = backend_pid();
  EXPECT_NE(after, before);
  EXPECT_EQ(small->Stats().connections, 1);
}

TEST_P(DbTest, IntegrityCheckSaysOk) { EXPECT_EQ(db().IntegrityCheck(), "ok"); }

TEST_P(DbTest, BackupWritesACopyThatOpens) {
  Script("CREATE TABLE item (id INTEGER PRIMARY KEY, v TEXT)");
  db().Write([](Tx& tx) {
    for (int i = 0; i < 50; ++i) {
      tx.Exec("INSERT INTO item (id, v) VALUES ($1, $2)", {i, "x"});
    }
  });
  if (postgres()) {
    try {
      db().Backup("/tmp/never-written.dump");
      ADD_FAILURE() << "PostgreSQL Backup() should explain pg_dump";
    } catch (const std::runtime_error& e) {
      EXPECT_NE(std::string(e.what()).find("pg_dump"), std::string::npos) << e.what();
    }
    return;
  }
  if (dir_.empty()) {
    dir_ = std::filesystem::temp_directory_path() / ("rampart-db-test-" + RandomHex(12));
  }
  std::string copy_path = (dir_ / "backups" / "copy.db").string();
  db().Backup(copy_path);
  ASSERT_TRUE(std::filesystem::exists(copy_path));
  auto copy = Database::Open("sqlite:" + copy_path, 1);
  EXPECT_EQ(copy->IntegrityCheck(), "ok");
  EXPECT_EQ(copy->Read([](Tx& tx) { return tx.QueryOne("SELECT count(*) FROM item", {})->Int(0); }),
            50);
  // An existing file is never overwritten.
  EXPECT_THROW(db().Backup(copy_path), std::runtime_error);
}

INSTANTIATE_TEST_SUITE_P(
    Stores, DbTest, testing::Values(Store::kSqliteFile, Store::kSqliteMemory, Store::kPostgres),
    [](const testing::TestParamInfo<Store>& info) { return StoreName(info.param); });

// ---------------------------------------------------------------------------------------------
// Opening.

TEST(DatabaseOpen, RejectsAnUnknownUrl) {
  EXPECT_THROW(Database::Open("mysql://somewhere/db"), std::runtime_error);
}

TEST(DatabaseOpen, ReportsAnUnreachablePostgresAsUnavailable) {
  try {
    // Port 1 on loopback: nothing listens there.
    Database::Open("postgresql://nobody@127.0.0.1:1/none?connect_timeout=2", 2);
    ADD_FAILURE() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(e.kind(), Kind::kUnavailable);
  }
}

TEST(DatabaseOpen, HidesThePasswordInMessages) {
  try {
    Database::Open("postgresql://nobody:s3cret@127.0.0.1:1/none?connect_timeout=2", 2);
    ADD_FAILURE() << "expected a DbError";
  } catch (const DbError& e) {
    EXPECT_EQ(std::string(e.what()).find("s3cret"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace rampart::db
