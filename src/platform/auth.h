// Authentication mechanics: password hashing, sessions, API tokens, sign-in throttling and TOTP.
// The HTTP side (routes for sign-in, profile, tokens) is in auth_api.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/clock.h"
#include "platform/db.h"
#include "platform/principal.h"
#include "platform/result.h"

namespace rampart::auth {

// argon2id (libsodium's interactive limits: 2 passes, 64 MiB). Slow on purpose: call on a worker.
std::string HashPassword(std::string_view password);
bool VerifyPassword(std::string_view hash, std::string_view password);
// Spends the same time as a real verification, for names that do not exist, so the answer's
// timing does not tell which accounts exist.
void VerifyAgainstDummy(std::string_view password);
// Length 12–256 characters, not the username, not a well-known password. Error message for people.
Result<void> CheckPasswordPolicy(std::string_view password, std::string_view username);

// The person with that id and their memberships, or nullopt when unknown or disabled.
std::optional<Principal> LoadPrincipal(db::Tx& tx, std::string_view user_id);

struct NewSession {
  std::string token;  // goes in the cookie; only its SHA-256 is stored
  std::string csrf_token;
  Millis expires_at = 0;
};
NewSession CreateSession(db::Tx& tx, std::string_view user_id, Millis now, Millis lifetime,
                         std::string_view remote_address, std::string_view user_agent);
// The principal of a live session, or nullopt. Refreshes last_seen_at at most once a minute.
std::optional<Principal> SessionPrincipal(db::Database& db, std::string_view token, Millis now,
                                          Millis idle_limit);
void DeleteSession(db::Tx& tx, std::string_view session_hash);
void DeleteSessionsOf(db::Tx& tx, std::string_view user_id);

struct NewToken {
  std::string id;
  std::string secret;  // "rmp_…": shown once
  std::string prefix;  // the first characters, to recognise it in a list
};
NewToken CreateToken(db::Tx& tx, std::string_view user_id, std::string_view name, Millis now,
                     Millis expires_at);
// Revokes every live token of a person (password changed or reset, account disabled).
void RevokeTokensOf(db::Tx& tx, std::string_view user_id, Millis now);
// Ends a person's access: every session but `keep_session_hash` (none when empty) and every API
// token. Used when an account is disabled and whenever its password changes.
void EndAccess(db::Tx& tx, std::string_view user_id, Millis now,
               std::string_view keep_session_hash = {});
// Stores a new password hash and ends access everywhere else (EndAccess).
void SetPassword(db::Tx& tx, std::string_view user_id, std::string_view password_hash, Millis now,
                 std::string_view keep_session_hash = {});
// The principal of a valid (unexpired, unrevoked) token, or nullopt.
std::optional<Principal> TokenPrincipal(db::Database& db, std::string_view secret, Millis now);

// Sign-in throttling, shared through the database by every app server.
struct ThrottleRule {
  int max_failures;
  Millis window;
  Millis block;
};
inline constexpr ThrottleRule kPerAccount{5, 15 * 60'000, 15 * 60'000};
inline constexpr ThrottleRule kPerAddress{30, 15 * 60'000, 15 * 60'000};
// Seconds until `key` may try again; 0 when it may now.
std::int64_t BlockedFor(db::Tx& tx, std::string_view key, Millis now);
void RecordFailure(db::Tx& tx, std::string_view key, const ThrottleRule& rule, Millis now);
void ClearFailures(db::Tx& tx, std::string_view key);
// Counts an attempt before its password or code is checked, so that concurrent attempts cannot
// outrun the limit: returns the seconds to wait (the attempt is refused and not counted), or 0
// (the attempt is counted as a failure until ForgiveAttempt or ClearFailures says otherwise).
std::int64_t TakeAttempt(db::Tx& tx, std::string_view key, const ThrottleRule& rule, Millis now);
void ForgiveAttempt(db::Tx& tx, std::string_view key);
// Removes rows whose window and block are over; called now and then, not on every request.
void PurgeThrottle(db::Tx& tx, Millis now);

// RFC 6238 TOTP: SHA-1, 6 digits, 30-second steps.
std::string TotpCode(std::string_view secret, std::int64_t step);
// The step the code matches within one step either side of `now` and after `last_step` (a code
// is accepted once), or nullopt.
std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code, Millis now,
                                      std::int64_t last_step);
std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret);

}  // namespace rampart::auth
