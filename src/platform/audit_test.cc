// The audit log's hash chain: Verify() must name the first entry at fault for every kind of
// tampering done behind the application's back with raw SQL.
#include "platform/audit.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>

#include "platform/crypto.h"
#include "platform/migrate.h"
#include "platform/principal.h"

namespace rampart::audit {
namespace {

using nlohmann::json;

class AuditLog : public testing::Test {
 protected:
  static constexpr int kEntries = 20;
  static constexpr Millis kT0 = 1'800'000'000'000;

  void SetUp() override {
    crypto::Init();
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-audit-test-" + crypto::Hex(crypto::RandomBytes(6)));
    std::filesystem::create_directories(dir_);
    db_ = db::Database::Open("sqlite:" + (dir_ / "test.db").string(), 2);
    auto migrated = Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;

    Principal alice;
    alice.user_id = crypto::NewUuid();
    alice.username = "alice";
    for (int i = 1; i <= kEntries; ++i) {
      db_->Write([&](db::Tx& tx) {
        Entry e = By(i % 3 == 0 ? nullptr : &alice, "organisation.update", "organisation",
                     "org-" + std::to_string(i % 4), "req-" + std::to_string(i));
        if (i > 1)
          e.before = json{{"name", "Org " + std::to_string(i - 1)}, {"version", i - 1}}.dump();
        if (i < kEntries)
          e.after = json{{"name", "Org " + std::to_string(i)}, {"version", i}}.dump();
        Append(tx, e, kT0 + Millis{i} * 1000);
      });
    }
  }

  void TearDown() override {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  void Sql(const std::string& sql, const db::Params& params = {}) {
    db_->Write([&](db::Tx& tx) { tx.Exec(sql, params); });
  }

  Record Entry7() {
    return db_->Read([](db::Tx& tx) {
      auto records = List(tx, 8, 1);
      if (records.size() != 1) throw std::runtime_error("entry 7 is missing");
      return records[0];
    });
  }

  // The hash the chain expects for `r`, computed the way Append() does, for a forger's edits.
  static std::string HashOf(const Record& r) {
    json fields = {r.seq,           r.at,          r.actor_id,      r.actor_name,   r.action,
                   r.resource_type, r.resource_id, r.before_digest, r.after_digest, r.request_id,
                   r.prev_hash};
    return crypto::Sha256Hex(fields.dump());
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
};

TEST_F(AuditLog, UntouchedChainVerifies) {
  VerifyReport r = Verify(*db_);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, kEntries);
  EXPECT_EQ(r.bad_seq, 0);
  EXPECT_TRUE(r.problem.empty());
}

TEST_F(AuditLog, EmptyChainVerifies) {
  Sql("DELETE FROM audit_log");
  Sql("UPDATE audit_head SET seq = 0, hash = $1", {std::string(64, '0')});
  VerifyReport r = Verify(*db_);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, 0);
}

TEST_F(AuditLog, EntriesRecordWhoWhatAndDigests) {
  Record r = Entry7();
  EXPECT_EQ(r.seq, 7);
  EXPECT_EQ(r.at, kT0 + 7000);
  EXPECT_EQ(r.actor_name, "alice");
  EXPECT_TRUE(crypto::IsUuid(r.actor_id));
  EXPECT_EQ(r.action, "organisation.update");
  EXPECT_EQ(r.resource_id, "org-3");
  EXPECT_EQ(r.request_id, "req-7");
  EXPECT_EQ(r.before_digest, Digest(json{{"name", "Org 6"}, {"version", 6}}.dump()));
  EXPECT_EQ(r.after_digest, Digest(json{{"name", "Org 7"}, {"version", 7}}.dump()));
  EXPECT_EQ(r.hash, HashOf(r));

  auto system = db_->Read([](db::Tx& tx) { return List(tx, 7, 1); });
  ASSERT_EQ(system.size(), 1u);
  EXPECT_EQ(system[0].seq, 6);
  EXPECT_EQ(system[0].actor_name, "system");
  EXPECT_EQ(system[0].actor_id, "");
  EXPECT_EQ(system[0].hash, r.prev_hash);
}

TEST_F(AuditLog, ListPagesNewestFirst) {
  auto page = db_->Read([](db::Tx& tx) { return List(tx, kEntries + 1, 5); });
  ASSERT_EQ(page.size(), 5u);
  EXPECT_EQ(page[0].seq, kEntries);
  EXPECT_EQ(page[4].seq, kEntries - 4);
  EXPECT_EQ(page[0].after_digest, "") << "the last entry deleted its resource";
  auto next = db_->Read([&](db::Tx& tx) { return List(tx, page.back().seq, 100); });
  EXPECT_EQ(next.size(), static_cast<std::size_t>(kEntries - 5));
  EXPECT_EQ(next.back().seq, 1);
  EXPECT_EQ(next.back().before_digest, "") << "the first entry created its resource";
}

TEST_F(AuditLog, RolledBackWriteLeavesNoEntry) {
  EXPECT_THROW(db_->Write([](db::Tx& tx) {
    Append(tx, By(nullptr, "sector.create", "sector", "s1"), kT0);
    throw std::runtime_error("the write failed after auditing");
  }),
               std::runtime_error);
  VerifyReport r = Verify(*db_);
  EXPECT_TRUE(r.ok) << r.problem;
  EXPECT_EQ(r.entries, kEntries);
}

TEST_F(AuditLog, DetectsAnEditedField) {
  Sql("UPDATE audit_log SET actor_name = 'mallory' WHERE seq = 7");
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 7) << r.problem;
  EXPECT_EQ(r.entries, 6);
}

TEST_F(AuditLog, DetectsAnEditedTimeOrDigest) {
  Sql("UPDATE audit_log SET at = at + 1 WHERE seq = 12");
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 12) << r.problem;

  Sql("UPDATE audit_log SET at = at - 1 WHERE seq = 12");
  ASSERT_TRUE(Verify(*db_).ok);
  Sql("UPDATE audit_log SET after_digest = $1 WHERE seq = 3",
      {Digest(json{{"name", "forged"}}.dump())});
  r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 3) << r.problem;
}

TEST_F(AuditLog, DetectsADeletedEntry) {
  Sql("DELETE FROM audit_log WHERE seq = 7");
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 7) << r.problem;
  EXPECT_NE(r.problem.find("missing"), std::string::npos) << r.problem;
}

TEST_F(AuditLog, DetectsADeletedFirstEntry) {
  Sql("DELETE FROM audit_log WHERE seq = 1");
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 1) << r.problem;
}

TEST_F(AuditLog, DetectsTheLastEntryDeletedBehindTheHead) {
  Sql("DELETE FROM audit_log WHERE seq = $1", {kEntries});
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, kEntries) << r.problem;
  EXPECT_EQ(r.entries, kEntries - 1);
}

TEST_F(AuditLog, DetectsEntriesDeletedFromTheEndEvenWhenRenumbered) {
  // Removing the last three and winding the head's counter back still leaves the head's hash.
  Sql("DELETE FROM audit_log WHERE seq > $1", {kEntries - 3});
  Sql("UPDATE audit_head SET seq = $1", {kEntries - 3});
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, kEntries - 2) << r.problem;  // the first entry removed
}

TEST_F(AuditLog, DetectsSwappedEntries) {
  // Reorder 7 and 8 by exchanging their sequence numbers.
  Sql("UPDATE audit_log SET seq = -7 WHERE seq = 7");
  Sql("UPDATE audit_log SET seq = 7 WHERE seq = 8");
  Sql("UPDATE audit_log SET seq = 8 WHERE seq = -7");
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 7) << r.problem;
}

TEST_F(AuditLog, DetectsAnEditedEntryWhoseOwnHashWasRecomputedAtTheNextLink) {
  // A forger who knows the hash rule rewrites entry 7 and its hash, and nothing else: entry 7 is
  // consistent in itself, and the chain breaks where entry 8 no longer follows it.
  Record r7 = Entry7();
  r7.actor_name = "mallory";
  r7.hash = HashOf(r7);
  Sql("UPDATE audit_log SET actor_name = $1, hash = $2 WHERE seq = 7", {r7.actor_name, r7.hash});
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 8) << r.problem;
}

TEST_F(AuditLog, DetectsAnEditedLastEntryWhoseOwnHashWasRecomputedAtTheHead) {
  // Nothing follows the last entry but the head, whose hash no longer matches: the break is
  // reported just past the last entry, where the head stands.
  Record last = db_->Read([](db::Tx& tx) { return List(tx, kEntries + 1, 1).at(0); });
  last.actor_name = "mallory";
  last.hash = HashOf(last);
  Sql("UPDATE audit_log SET actor_name = $1, hash = $2 WHERE seq = $3",
      {last.actor_name, last.hash, kEntries});
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, kEntries + 1) << r.problem;
  EXPECT_EQ(r.entries, kEntries);
  EXPECT_NE(r.problem.find("head"), std::string::npos) << r.problem;
}

TEST_F(AuditLog, DetectsAnInsertedEntry) {
  // Shift 8… up by one and slip a forged entry in at 8, chained to 7 and hashed correctly.
  for (int seq = kEntries; seq >= 8; --seq) {
    Sql("UPDATE audit_log SET seq = seq + 1 WHERE seq = $1", {seq});
  }
  Record forged = Entry7();
  forged.seq = 8;
  forged.action = "organisation.delete";
  forged.prev_hash = forged.hash;
  forged.hash = HashOf(forged);
  Sql("INSERT INTO audit_log (seq, at, actor_id, actor_name, action, resource_type, resource_id, "
      "before_digest, after_digest, request_id, prev_hash, hash) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {forged.seq, forged.at, forged.actor_id, forged.actor_name, forged.action,
       forged.resource_type, forged.resource_id, forged.before_digest, forged.after_digest,
       forged.request_id, forged.prev_hash, forged.hash});
  Sql("UPDATE audit_head SET seq = seq + 1");
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.bad_seq, 9) << r.problem;  // the old 8 no longer follows what precedes it
}

TEST_F(AuditLog, DetectsAnAlteredHead) {
  Sql("UPDATE audit_head SET hash = $1", {std::string(64, 'f')});
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.problem.empty());
}

TEST_F(AuditLog, MissingHeadIsReported) {
  Sql("DELETE FROM audit_head");
  VerifyReport r = Verify(*db_);
  EXPECT_FALSE(r.ok);
  EXPECT_FALSE(r.problem.empty());
}

TEST(AuditDigest, IsTheSha256OfTheStateText) {
  EXPECT_EQ(Digest(std::string("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  // Equal states give equal digests: the API writes a resource's fields in a fixed order.
  EXPECT_EQ(Digest(json{{"b", 1}, {"a", 2}}.dump()), Digest(json{{"a", 2}, {"b", 1}}.dump()));
}

TEST(AuditDigest, DiffersForDifferentStatesAndIsEmptyForNone) {
  EXPECT_NE(Digest(json{{"tier", 1}}.dump()), Digest(json{{"tier", 2}}.dump()));
  EXPECT_NE(Digest(json{{"tier", 1}}.dump()), Digest(json{{"tier", "1"}}.dump()));
  EXPECT_NE(Digest(json::object().dump()), "");
  EXPECT_EQ(Digest(std::nullopt), "");
}

}  // namespace
}  // namespace rampart::audit
