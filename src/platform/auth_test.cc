// Authentication: TOTP against RFC 6238, password hashing and policy, and sessions, API tokens and
// sign-in throttling against a real SQLite database.
#include "platform/auth.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "directory/store.h"
#include "platform/crypto.h"
#include "platform/identity.h"
#include "platform/migrate.h"

namespace rampart::auth {
namespace {

// ---------------------------------------------------------------------------------------------
// TOTP (RFC 6238 appendix B, SHA-1; our codes are the last six of its eight digits).

constexpr std::string_view kRfcSecret = "12345678901234567890";

std::int64_t StepAt(std::int64_t unix_seconds) { return unix_seconds / 30; }

TEST(Totp, MatchesRfc6238Vectors) {
  EXPECT_EQ(TotpCode(kRfcSecret, StepAt(59)), "287082");           // 94287082
  EXPECT_EQ(TotpCode(kRfcSecret, StepAt(1111111109)), "081804");   // 07081804
  EXPECT_EQ(TotpCode(kRfcSecret, StepAt(1111111111)), "050471");   // 14050471
  EXPECT_EQ(TotpCode(kRfcSecret, StepAt(1234567890)), "005924");   // 89005924
  EXPECT_EQ(TotpCode(kRfcSecret, StepAt(2000000000)), "279037");   // 69279037
  EXPECT_EQ(TotpCode(kRfcSecret, StepAt(20000000000)), "353130");  // 65353130
}

class TotpMatch : public testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::Init(); }
  const Millis now_ = 1111111111LL * 1000;  // inside step 37037037
  const std::int64_t step_ = 37037037;
  std::string Code(std::int64_t step) { return TotpCode(kRfcSecret, step); }
};

TEST_F(TotpMatch, AcceptsTheCurrentStep) {
  EXPECT_EQ(Code(step_), "050471");
  EXPECT_EQ(MatchTotp(kRfcSecret, "050471", now_, 0), step_);
}

TEST_F(TotpMatch, AcceptsOneStepEitherSide) {
  EXPECT_EQ(MatchTotp(kRfcSecret, Code(step_ - 1), now_, 0), step_ - 1);
  EXPECT_EQ(MatchTotp(kRfcSecret, Code(step_ + 1), now_, 0), step_ + 1);
}

TEST_F(TotpMatch, RejectsTwoStepsAway) {
  ASSERT_NE(Code(step_ - 2), Code(step_ - 1));
  EXPECT_EQ(MatchTotp(kRfcSecret, Code(step_ - 2), now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, Code(step_ + 2), now_, 0), std::nullopt);
}

TEST_F(TotpMatch, RejectsAStepAlreadyUsed) {
  // A code is accepted once: the step it matched becomes last_step.
  EXPECT_EQ(MatchTotp(kRfcSecret, Code(step_), now_, step_), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, Code(step_ - 1), now_, step_ - 1), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, Code(step_ - 1), now_, step_), std::nullopt);
  // A later step is still welcome.
  EXPECT_EQ(MatchTotp(kRfcSecret, Code(step_ + 1), now_, step_), step_ + 1);
}

TEST_F(TotpMatch, RejectsMalformedCodes) {
  EXPECT_EQ(MatchTotp(kRfcSecret, "50471", now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, "0504710", now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, "05047a", now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp(kRfcSecret, "", now_, 0), std::nullopt);
  EXPECT_EQ(MatchTotp("another secret", "050471", now_, 0), std::nullopt);
}

TEST(Totp, OtpauthUriCarriesTheSecretAndEscapesNames) {
  std::string uri = OtpauthUri("Rampart CERT", "alice@example.org", "MZXW6YTBOI");
  EXPECT_EQ(uri,
            "otpauth://totp/Rampart%20CERT:alice%40example.org?secret=MZXW6YTBOI"
            "&issuer=Rampart%20CERT&algorithm=SHA1&digits=6&period=30");
}

// ---------------------------------------------------------------------------------------------
// Passwords.

class Password : public testing::Test {
 protected:
  static void SetUpTestSuite() { crypto::Init(); }
};

TEST_F(Password, HashIsArgon2idAndVerifies) {
  std::string hash = HashPassword("correct horse battery staple");
  EXPECT_TRUE(hash.starts_with("$argon2id$")) << hash;
  EXPECT_TRUE(VerifyPassword(hash, "correct horse battery staple"));
  EXPECT_FALSE(VerifyPassword(hash, "correct horse battery stapl"));
  EXPECT_FALSE(VerifyPassword(hash, ""));
}

TEST_F(Password, HashesOfOnePasswordDifferBySalt) {
  std::string a = HashPassword("correct horse battery staple");
  std::string b = HashPassword("correct horse battery staple");
  EXPECT_NE(a, b);
  EXPECT_TRUE(VerifyPassword(b, "correct horse battery staple"));
}

TEST_F(Password, GarbageHashVerifiesNothing) {
  EXPECT_FALSE(VerifyPassword("", "anything"));
  EXPECT_FALSE(VerifyPassword("$argon2id$nonsense", "anything"));
}

std::string PolicyError(std::string_view password, std::string_view username) {
  auto r = CheckPasswordPolicy(password, username);
  return r ? "" : r.error().message;
}

TEST(PasswordPolicy, RefusesShortPasswords) {
  EXPECT_EQ(PolicyError("k7#qPz!m2wX", "alice"), "must be at least 12 characters long");
  // Eleven characters of two bytes each: still too short, counted in characters.
  EXPECT_EQ(PolicyError("ünïcødé-wøð", "alice"), "must be at least 12 characters long");
}

TEST(PasswordPolicy, RefusesOverlongPasswords) {
  EXPECT_EQ(PolicyError(std::string(257, 'x') + "y", "alice"),
            "must be at most 256 characters long");
}

TEST(PasswordPolicy, RefusesPasswordsContainingTheUsername) {
  EXPECT_EQ(PolicyError("my-name-is-Alice-2026", "alice"), "must not contain the username");
  EXPECT_EQ(PolicyError("my-name-is-alice-2026", "ALICE"), "must not contain the username");
}

TEST(PasswordPolicy, RefusesWellKnownPasswords) {
  EXPECT_EQ(PolicyError("password1234", "alice"), "is a well-known password; choose another");
  EXPECT_EQ(PolicyError("PASSWORD1234", "alice"), "is a well-known password; choose another");
  EXPECT_EQ(PolicyError("123456789012", "alice"), "is a well-known password; choose another");
}

TEST(PasswordPolicy, RefusesOneRepeatedCharacter) {
  EXPECT_EQ(PolicyError("zzzzzzzzzzzzzz", "alice"), "must not repeat one character");
}

TEST(PasswordPolicy, RefusesOneRepeatedNonAsciiCharacter) {
  std::string twelve_e;
  for (int i = 0; i < 12; ++i) twelve_e += "é";
  EXPECT_EQ(PolicyError(twelve_e, "alice"), "must not repeat one character");
}

TEST(PasswordPolicy, AcceptsAReasonablePassword) {
  EXPECT_EQ(PolicyError("correct horse battery staple", "alice"), "");
  EXPECT_EQ(PolicyError("ünïcødé-wøðs", "alice"), "");  // twelve characters
  EXPECT_EQ(PolicyError(std::string(255, 'x') + "y", "alice"), "");
}

// ---------------------------------------------------------------------------------------------
// Sessions, tokens and throttling in a real database.

class AuthDb : public testing::Test {
 protected:
  static constexpr Millis kHour = 3'600'000;

  void SetUp() override {
    crypto::Init();
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-auth-test-" + crypto::Hex(crypto::RandomBytes(6)));
    std::filesystem::create_directories(dir_);
    db_ = db::Database::Open("sqlite:" + (dir_ / "test.db").string(), 2);
    auto migrated = Migrate(*db_);
    ASSERT_TRUE(migrated.ok()) << migrated.error().message;

    db_->Write([&](db::Tx& tx) {
      directory::Sector sector;
      sector.id = sector_id_ = crypto::NewUuid();
      sector.slug = "energy";
      sector.name = "Energy";
      sector.created_at = t0_;
      directory::InsertSector(tx, sector);

      directory::Organisation org;
      org.id = org_id_ = crypto::NewUuid();
      org.name = "Harbour Power";
      org.kind = OrgKind::kOperator;
      org.sector_ids = {sector_id_};
      org.created_at = t0_;
      directory::InsertOrganisation(tx, org);

      auto alice = identity::Insert(tx, {"alice", "Alice", "alice@example.org", "x", false}, t0_);
      user_id_ = alice.id;
      directory::AddMembership(tx, user_id_, org_id_, RoleSet::Of({Role::kCiso, Role::kOrgAdmin}),
                               t0_);
    });
  }

  void TearDown() override {
    db_.reset();
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  NewSession StartSession(Millis at, Millis lifetime = 12 * kHour) {
    return db_->Write([&](db::Tx& tx) {
      return CreateSession(tx, user_id_, at, lifetime, "192.0.2.1", "test-agent");
    });
  }

  void DisableAlice() {
    db_->Write(
        [&](db::Tx& tx) { tx.Exec("UPDATE users SET disabled = 1 WHERE id = $1", {user_id_}); });
  }

  std::filesystem::path dir_;
  std::unique_ptr<db::Database> db_;
  const Millis t0_ = 1'800'000'000'000;
  std::string sector_id_, org_id_, user_id_;
};

TEST_F(AuthDb, SessionFindsThePersonWithMemberships) {
  auto s = StartSession(t0_);
  EXPECT_EQ(s.expires_at, t0_ + 12 * kHour);
  EXPECT_FALSE(s.csrf_token.empty());

  auto p = SessionPrincipal(*db_, s.token, t0_ + 1000, 2 * kHour);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->user_id, user_id_);
  EXPECT_EQ(p->username, "alice");
  EXPECT_EQ(p->display_name, "Alice");
  EXPECT_FALSE(p->is_admin);
  EXPECT_EQ(p->via, Principal::Via::kSession);
  EXPECT_EQ(p->csrf_token, s.csrf_token);
  EXPECT_EQ(p->session_hash, crypto::Sha256Hex(s.token));
  ASSERT_EQ(p->memberships.size(), 1u);
  const Membership& m = p->memberships[0];
  EXPECT_EQ(m.org_id, org_id_);
  EXPECT_EQ(m.kind, OrgKind::kOperator);
  EXPECT_EQ(m.sector_ids, std::vector<std::string>{sector_id_});
  EXPECT_TRUE(m.roles.Has(Role::kOrgAdmin));
  EXPECT_TRUE(m.roles.Has(Role::kCiso));
  EXPECT_FALSE(m.roles.Has(Role::kViewer));
}

TEST_F(AuthDb, SessionStoresOnlyTheDigestOfItsToken) {
  auto s = StartSession(t0_);
  auto stored = db_->Read([&](db::Tx& tx) {
    return tx.QueryOne("SELECT COUNT(*) FROM sessions WHERE token_hash = $1", {s.token})->Int(0);
  });
  EXPECT_EQ(stored, 0);
}

TEST_F(AuthDb, UnknownOrMalformedSessionTokenFindsNobody) {
  (void)StartSession(t0_);
  EXPECT_EQ(SessionPrincipal(*db_, "", t0_, 2 * kHour), std::nullopt);
  EXPECT_EQ(SessionPrincipal(*db_, "no-such-token", t0_, 2 * kHour), std::nullopt);
  EXPECT_EQ(SessionPrincipal(*db_, std::string(200, 'a'), t0_, 2 * kHour), std::nullopt);
}

TEST_F(AuthDb, ExpiredSessionIsNotFound) {
  auto s = StartSession(t0_, /*lifetime=*/kHour);
  // Kept active every half hour, so only the absolute lifetime can end it.
  ASSERT_TRUE(SessionPrincipal(*db_, s.token, t0_ + kHour / 2, 2 * kHour).has_value());
  ASSERT_TRUE(SessionPrincipal(*db_, s.token, t0_ + kHour - 1, 2 * kHour).has_value());
  EXPECT_EQ(SessionPrincipal(*db_, s.token, t0_ + kHour, 2 * kHour), std::nullopt);
}

TEST_F(AuthDb, IdleSessionIsNotFound) {
  auto s = StartSession(t0_);
  const Millis idle = 2 * kHour;
  EXPECT_EQ(SessionPrincipal(*db_, s.token, t0_ + idle + 1, idle), std::nullopt);
}

TEST_F(AuthDb, ActivityKeepsASessionFromIdling) {
  auto s = StartSession(t0_);
  const Millis idle = 2 * kHour;
  ASSERT_TRUE(SessionPrincipal(*db_, s.token, t0_ + kHour, idle).has_value());
  // Two hours after creation, but one after the last use.
  EXPECT_TRUE(SessionPrincipal(*db_, s.token, t0_ + idle + 1, idle).has_value());
  // That use counted too: the session idles out two hours after it.
  EXPECT_TRUE(SessionPrincipal(*db_, s.token, t0_ + idle + 1 + idle - 1, idle).has_value());
  EXPECT_EQ(SessionPrincipal(*db_, s.token, t0_ + idle + 1 + idle - 1 + idle + 1, idle),
            std::nullopt);
}

TEST_F(AuthDb, DeletedSessionIsNotFound) {
  auto s = StartSession(t0_);
  auto other = StartSession(t0_);
  auto p = SessionPrincipal(*db_, s.token, t0_ + 1, 2 * kHour);
  ASSERT_TRUE(p.has_value());
  db_->Write([&](db::Tx& tx) { DeleteSession(tx, p->session_hash); });
  EXPECT_EQ(SessionPrincipal(*db_, s.token, t0_ + 2, 2 * kHour), std::nullopt);
  EXPECT_TRUE(SessionPrincipal(*db_, other.token, t0_ + 2, 2 * kHour).has_value())
      << "ending one session leaves the others";
}

TEST_F(AuthDb, DeleteSessionsOfEndsEverySessionOfThePerson) {
  auto a = StartSession(t0_);
  auto b = StartSession(t0_);
  db_->Write([&](db::Tx& tx) { DeleteSessionsOf(tx, user_id_); });
  EXPECT_EQ(SessionPrincipal(*db_, a.token, t0_ + 1, 2 * kHour), std::nullopt);
  EXPECT_EQ(SessionPrincipal(*db_, b.token, t0_ + 1, 2 * kHour), std::nullopt);
}

TEST_F(AuthDb, DisabledPersonsSessionYieldsNobody) {
  auto s = StartSession(t0_);
  DisableAlice();
  EXPECT_EQ(SessionPrincipal(*db_, s.token, t0_ + 1, 2 * kHour), std::nullopt);
}

TEST_F(AuthDb, LoadPrincipalSeesAdminFlagAndEveryMembership) {
  std::string admin_id;
  db_->Write([&](db::Tx& tx) {
    directory::Organisation cert;
    cert.id = crypto::NewUuid();
    cert.name = "National CERT";
    cert.kind = OrgKind::kNationalCert;
    cert.created_at = t0_;
    directory::InsertOrganisation(tx, cert);
    admin_id = identity::Insert(tx, {"root", "Root", "root@example.org", "x", true}, t0_).id;
    directory::AddMembership(tx, admin_id, cert.id, RoleSet::Of({Role::kAnalyst}), t0_);
    directory::AddMembership(tx, admin_id, org_id_, RoleSet::Of({Role::kViewer}), t0_);
  });
  auto p = db_->Read([&](db::Tx& tx) { return LoadPrincipal(tx, admin_id); });
  ASSERT_TRUE(p.has_value());
  EXPECT_TRUE(p->is_admin);
  ASSERT_EQ(p->memberships.size(), 2u);
  EXPECT_TRUE(p->InKind(OrgKind::kNationalCert, RoleSet::Of({Role::kAnalyst})));
  EXPECT_TRUE(p->HasRoleIn(org_id_, RoleSet::Of({Role::kViewer})));
  const Membership* cert = nullptr;
  for (const auto& m : p->memberships) {
    if (m.kind == OrgKind::kNationalCert) cert = &m;
  }
  ASSERT_NE(cert, nullptr);
  EXPECT_TRUE(cert->sector_ids.empty());
}

TEST_F(AuthDb, TokenFindsThePerson) {
  NewToken t = db_->Write(
      [&](db::Tx& tx) { return CreateToken(tx, user_id_, "ci", t0_, t0_ + kHour * 24 * 30); });
  EXPECT_TRUE(crypto::IsUuid(t.id));
  EXPECT_TRUE(t.secret.starts_with("rmp_"));
  EXPECT_EQ(t.prefix, t.secret.substr(0, 12));

  auto p = TokenPrincipal(*db_, t.secret, t0_ + 1000);
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(p->user_id, user_id_);
  EXPECT_EQ(p->via, Principal::Via::kToken);
  EXPECT_TRUE(p->csrf_token.empty());
  ASSERT_EQ(p->memberships.size(), 1u);

  auto last_used = db_->Read([&](db::Tx& tx) {
    return tx.QueryOne("SELECT last_used_at FROM api_tokens WHERE id = $1", {t.id})->OptInt(0);
  });
  EXPECT_EQ(last_used, t0_ + 1000);
}

TEST_F(AuthDb, WrongTokenSecretFindsNobody) {
  NewToken t = db_->Write(
      [&](db::Tx& tx) { return CreateToken(tx, user_id_, "ci", t0_, t0_ + 24 * kHour); });
  std::string wrong = t.secret;
  wrong.back() = wrong.back() == 'A' ? 'B' : 'A';
  EXPECT_EQ(TokenPrincipal(*db_, wrong, t0_ + 1), std::nullopt);
  EXPECT_EQ(TokenPrincipal(*db_, t.secret.substr(4), t0_ + 1), std::nullopt) << "without rmp_";
  EXPECT_EQ(TokenPrincipal(*db_, "", t0_ + 1), std::nullopt);
}

TEST_F(AuthDb, RevokedTokenIsRefused) {
  NewToken t = db_->Write(
      [&](db::Tx& tx) { return CreateToken(tx, user_id_, "ci", t0_, t0_ + 24 * kHour); });
  ASSERT_TRUE(TokenPrincipal(*db_, t.secret, t0_ + 1).has_value());
  db_->Write([&](db::Tx& tx) {
    tx.Exec("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2", {t0_ + 2, t.id});
  });
  EXPECT_EQ(TokenPrincipal(*db_, t.secret, t0_ + 3), std::nullopt);
}

TEST_F(AuthDb, ExpiredTokenIsRefused) {
  NewToken t = db_->Write(
      [&](db::Tx& tx) { return CreateToken(tx, user_id_, "ci", t0_, t0_ + 24 * kHour); });
  EXPECT_TRUE(TokenPrincipal(*db_, t.secret, t0_ + 24 * kHour - 1).has_value());
  EXPECT_EQ(TokenPrincipal(*db_, t.secret, t0_ + 24 * kHour), std::nullopt);
}

TEST_F(AuthDb, DisabledPersonsTokenIsRefused) {
  NewToken t = db_->Write(
      [&](db::Tx& tx) { return CreateToken(tx, user_id_, "ci", t0_, t0_ + 24 * kHour); });
  DisableAlice();
  EXPECT_EQ(TokenPrincipal(*db_, t.secret, t0_ + 1), std::nullopt);
}

class Throttle : public AuthDb {
 protected:
  void Fail(std::string_view key, Millis at, const ThrottleRule& rule = kPerAccount) {
    db_->Write([&](db::Tx& tx) { RecordFailure(tx, key, rule, at); });
  }
  std::int64_t Blocked(std::string_view key, Millis at) {
    return db_->Read([&](db::Tx& tx) { return BlockedFor(tx, key, at); });
  }
};

TEST_F(Throttle, FifthFailureBlocksTheAccount) {
  for (int i = 0; i < 4; ++i) {
    Fail("user:alice", t0_ + Millis{i} * 1000);
    EXPECT_EQ(Blocked("user:alice", t0_ + Millis{i} * 1000), 0) << "after failure " << i + 1;
  }
  Fail("user:alice", t0_ + 4000);
  EXPECT_EQ(Blocked("user:alice", t0_ + 4000), 15 * 60);
  EXPECT_GT(Blocked("user:alice", t0_ + 4000 + Millis{14} * 60'000), 0);
  EXPECT_EQ(Blocked("user:alice", t0_ + 4000 + Millis{15} * 60'000), 0) << "the block ends";
  EXPECT_EQ(Blocked("user:bob", t0_ + 4000), 0) << "other keys are not affected";
}

TEST_F(Throttle, ClearFailuresResetsTheCount) {
  for (int i = 0; i < 4; ++i) Fail("user:alice", t0_ + i);
  db_->Write([&](db::Tx& tx) { ClearFailures(tx, "user:alice"); });
  for (int i = 0; i < 4; ++i) Fail("user:alice", t0_ + 10 + i);
  EXPECT_EQ(Blocked("user:alice", t0_ + 20), 0) << "four failures since the reset";
  Fail("user:alice", t0_ + 20);
  EXPECT_GT(Blocked("user:alice", t0_ + 20), 0);
  db_->Write([&](db::Tx& tx) { ClearFailures(tx, "user:alice"); });
  EXPECT_EQ(Blocked("user:alice", t0_ + 21), 0) << "clearing lifts a block";
}

TEST_F(Throttle, FailuresOlderThanTheWindowStartANewCount) {
  for (int i = 0; i < 4; ++i) Fail("user:alice", t0_ + i);
  const Millis later = t0_ + 3 + kPerAccount.window + 1;
  Fail("user:alice", later);  // the first of a new window
  EXPECT_EQ(Blocked("user:alice", later), 0);
  for (int i = 1; i < 4; ++i) Fail("user:alice", later + i);
  EXPECT_EQ(Blocked("user:alice", later + 3), 0) << "four failures in this window";
  Fail("user:alice", later + 4);
  EXPECT_GT(Blocked("user:alice", later + 4), 0);
}

TEST_F(Throttle, TakeAttemptCountsBeforeTheCheckAndRefusesTheSixth) {
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(
        db_->Write([&](db::Tx& tx) { return TakeAttempt(tx, "user:carol", kPerAccount, t0_); }), 0)
        << "attempt " << i + 1;
  }
  EXPECT_GT(db_->Write([&](db::Tx& tx) { return TakeAttempt(tx, "user:carol", kPerAccount, t0_); }),
            0);
  db_->Write([&](db::Tx& tx) { ClearFailures(tx, "user:carol"); });
  EXPECT_EQ(db_->Write([&](db::Tx& tx) { return TakeAttempt(tx, "user:carol", kPerAccount, t0_); }),
            0);
}

TEST_F(Throttle, ForgivenAttemptsDoNotCount) {
  for (int i = 0; i < 20; ++i) {
    db_->Write([&](db::Tx& tx) {
      EXPECT_EQ(TakeAttempt(tx, "user:dave", kPerAccount, t0_ + i), 0);
      ForgiveAttempt(tx, "user:dave");
    });
  }
}

TEST_F(Throttle, PurgeRemovesOnlyRowsWhoseWindowAndBlockAreOver) {
  Fail("user:old", t0_);
  Fail("user:recent", t0_ + 2 * 86'400'000LL);
  const Millis now = t0_ + 2 * 86'400'000LL + 1000;
  db_->Write([&](db::Tx& tx) { PurgeThrottle(tx, now); });
  auto count = [&](std::string_view key) {
    return db_->Read([&](db::Tx& tx) {
      return tx.QueryOne("SELECT COUNT(*) FROM login_throttle WHERE key = $1", {key})->Int(0);
    });
  };
  EXPECT_EQ(count("user:old"), 0);
  EXPECT_EQ(count("user:recent"), 1);
}

TEST_F(Throttle, PerAddressRuleAllowsMoreFailures) {
  for (int i = 0; i < 29; ++i) Fail("addr:192.0.2.1", t0_ + i, kPerAddress);
  EXPECT_EQ(Blocked("addr:192.0.2.1", t0_ + 29), 0);
  Fail("addr:192.0.2.1", t0_ + 29, kPerAddress);
  EXPECT_EQ(Blocked("addr:192.0.2.1", t0_ + 29), 15 * 60);
}

}  // namespace
}  // namespace rampart::auth
