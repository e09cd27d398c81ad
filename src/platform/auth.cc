#include "platform/auth.h"

#include <sodium.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <stdexcept>

#include "platform/crypto.h"
#include "platform/http.h"

namespace rampart::auth {

std::string HashPassword(std::string_view password) {
  std::array<char, crypto_pwhash_STRBYTES> out{};
  if (crypto_pwhash_str_alg(out.data(), password.data(), password.size(),
                            crypto_pwhash_OPSLIMIT_INTERACTIVE, crypto_pwhash_MEMLIMIT_INTERACTIVE,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    throw std::runtime_error("out of memory while hashing a password");
  }
  return std::string(out.data());
}

bool VerifyPassword(std::string_view hash, std::string_view password) {
  std::string h(hash);  // libsodium wants a NUL-terminated string
  return crypto_pwhash_str_verify(h.c_str(), password.data(), password.size()) == 0;
}

void VerifyAgainstDummy(std::string_view password) {
  static const std::string kDummy = HashPassword(crypto::Hex(crypto::RandomBytes(16)));
  (void)VerifyPassword(kDummy, password);
}

namespace {
// Passwords seen at the top of every breach list; a longer list ships with a later release.
constexpr std::string_view kCommon[] = {
    "123456789012", "password1234", "qwertyuiop12", "passwordpassword", "111111111111",
    "iloveyou1234", "adminadmin12", "welcome12345", "changeme1234",     "letmein12345",
    "qwertyuiopas", "abcdefghijkl", "123456789abc", "password123!",     "Password1234"};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}
}  // namespace

Result<void> CheckPasswordPolicy(std::string_view password, std::string_view username) {
  std::size_t chars = static_cast<std::size_t>(
      std::count_if(password.begin(), password.end(), [](char c) { return (c & 0xC0) != 0x80; }));
  if (chars < 12) return Error{"weak", "must be at least 12 characters long"};
  if (chars > 256) return Error{"weak", "must be at most 256 characters long"};
  std::string lower = Lower(password);
  if (!username.empty() && lower.find(Lower(username)) != std::string::npos) {
    return Error{"weak", "must not contain the username"};
  }
  for (auto common : kCommon) {
    if (lower == Lower(common)) return Error{"weak", "is a well-known password; choose another"};
  }
  // One character repeated, compared as characters: "éééé…" is as weak as "aaaa…".
  std::size_t first = 1;
  while (first < password.size() && (password[first] & 0xC0) == 0x80) ++first;
  bool repeated = password.size() % first == 0;
  for (std::size_t i = first; repeated && i < password.size(); i += first) {
    repeated = password.substr(i, first) == password.substr(0, first);
  }
  if (repeated) return Error{"weak", "must not repeat one character"};
  return {};
}

std::optional<Principal> LoadPrincipal(db::Tx& tx, std::string_view user_id) {
  auto user = tx.QueryOne(
      "SELECT id, username, display_name, is_admin FROM users WHERE id = $1 AND disabled = 0",
      {user_id});
  if (!user) return std::nullopt;
  Principal p;
  p.user_id = user->Text(0);
  p.username = user->Text(1);
  p.display_name = user->Text(2);
  p.is_admin = user->Bool(3);
  auto rows = tx.Query(
      "SELECT m.organisation_id, o.kind, m.roles, s.sector_id FROM memberships m "
      "JOIN organisations o ON o.id = m.organisation_id "
      "LEFT JOIN organisation_sectors s ON s.organisation_id = m.organisation_id "
      "WHERE m.user_id = $1 ORDER BY m.organisation_id, s.sector_id",
      {user_id});
  for (const auto& r : rows) {
    std::string org = r.Text(0);
    if (p.memberships.empty() || p.memberships.back().org_id != org) {
      Membership m;
      m.org_id = org;
      m.kind = ParseOrgKind(r.Text(1)).value_or(OrgKind::kOperator);
      m.roles = RoleSet::Parse(r.Text(2)).value_or(RoleSet());
      p.memberships.push_back(std::move(m));
    }
    if (!r.IsNull(3)) p.memberships.back().sector_ids.push_back(r.Text(3));
  }
  return p;
}

NewSession CreateSession(db::Tx& tx, std::string_view user_id, Millis now, Millis lifetime,
                         std::string_view remote_address, std::string_view user_agent) {
  NewSession s;
  s.token = crypto::Base64Url(crypto::RandomBytes(32));
  s.csrf_token = crypto::Base64Url(crypto::RandomBytes(24));
  s.expires_at = now + lifetime;
  tx.Exec(
      "INSERT INTO sessions (token_hash, user_id, csrf_token, created_at, expires_at, "
      "last_seen_at, remote_address, user_agent) VALUES ($1, $2, $3, $4, $5, $4, $6, $7)",
      {crypto::Sha256Hex(s.token), user_id, s.csrf_token, now, s.expires_at, remote_address,
       std::string(user_agent.substr(0, 300))});
  return s;
}

std::optional<Principal> SessionPrincipal(db::Database& db, std::string_view token, Millis now,
                                          Millis idle_limit) {
  if (token.empty() || token.size() > 100) return std::nullopt;
  std::string hash = crypto::Sha256Hex(token);
  struct Found {
    std::optional<Principal> principal;
    Millis last_seen = 0;
  };
  Found found = db.Read([&](db::Tx& tx) {
    Found f;
    auto s = tx.QueryOne(
        "SELECT user_id, csrf_token, last_seen_at FROM sessions "
        "WHERE token_hash = $1 AND expires_at > $2 AND last_seen_at > $3",
        {hash, now, now - idle_limit});
    if (!s) return f;
    f.principal = LoadPrincipal(tx, s->Text(0));
    if (f.principal) {
      f.principal->csrf_token = s->Text(1);
      f.principal->session_hash = hash;
      f.principal->via = Principal::Via::kSession;
    }
    f.last_seen = s->Int(2);
    return f;
  });
  if (found.principal && now - found.last_seen > 60'000) {
    db.Write([&](db::Tx& tx) {
      tx.Exec("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2", {now, hash});
    });
  }
  return found.principal;
}

void DeleteSession(db::Tx& tx, std::string_view session_hash) {
  tx.Exec("DELETE FROM sessions WHERE token_hash = $1", {session_hash});
}

void DeleteSessionsOf(db::Tx& tx, std::string_view user_id) {
  tx.Exec("DELETE FROM sessions WHERE user_id = $1", {user_id});
}

NewToken CreateToken(db::Tx& tx, std::string_view user_id, std::string_view name, Millis now,
                     Millis expires_at) {
  NewToken t;
  t.id = crypto::NewUuid();
  t.secret = "rmp_" + crypto::Base64Url(crypto::RandomBytes(32));
  t.prefix = t.secret.substr(0, 12);
  tx.Exec(
      "INSERT INTO api_tokens (id, user_id, name, token_hash, prefix, created_at, expires_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7)",
      {t.id, user_id, name, crypto::Sha256Hex(t.secret), t.prefix, now, expires_at});
  return t;
}

void RevokeTokensOf(db::Tx& tx, std::string_view user_id, Millis now) {
  tx.Exec("UPDATE api_tokens SET revoked_at = $1 WHERE user_id = $2 AND revoked_at IS NULL",
          {now, user_id});
}

void EndAccess(db::Tx& tx, std::string_view user_id, Millis now,
               std::string_view keep_session_hash) {
  tx.Exec("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
          {user_id, keep_session_hash});
  RevokeTokensOf(tx, user_id, now);
}

void SetPassword(db::Tx& tx, std::string_view user_id, std::string_view password_hash, Millis now,
                 std::string_view keep_session_hash) {
  tx.Exec(
      "UPDATE users SET password_hash = $1, password_changed_at = $2, updated_at = $2, "
      "version = version + 1 WHERE id = $3",
      {password_hash, now, user_id});
  EndAccess(tx, user_id, now, keep_session_hash);
}

std::optional<Principal> TokenPrincipal(db::Database& db, std::string_view secret, Millis now) {
  if (!secret.starts_with("rmp_") || secret.size() > 100) return std::nullopt;
  std::string hash = crypto::Sha256Hex(secret);
  struct Found {
    std::optional<Principal> principal;
    std::string id;
    std::optional<Millis> last_used;
  };
  Found found = db.Read([&](db::Tx& tx) {
    Found f;
    auto t = tx.QueryOne(
        "SELECT id, user_id, last_used_at FROM api_tokens WHERE token_hash = $1 "
        "AND revoked_at IS NULL AND expires_at > $2",
        {hash, now});
    if (!t) return f;
    f.id = t->Text(0);
    f.last_used = t->OptInt(2);
    f.principal = LoadPrincipal(tx, t->Text(1));
    if (f.principal) f.principal->via = Principal::Via::kToken;
    return f;
  });
  if (found.principal && (!found.last_used || now - *found.last_used > 60'000)) {
    db.Write([&](db::Tx& tx) {
      tx.Exec("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2", {now, found.id});
    });
  }
  return found.principal;
}

std::int64_t BlockedFor(db::Tx& tx, std::string_view key, Millis now) {
  auto row = tx.QueryOne("SELECT blocked_until FROM login_throttle WHERE key = $1", {key});
  if (!row || row->Int(0) <= now) return 0;
  return (row->Int(0) - now + 999) / 1000;
}

void RecordFailure(db::Tx& tx, std::string_view key, const ThrottleRule& rule, Millis now) {
  // A window that has passed starts again; reaching the limit blocks for `rule.block`.
  tx.Exec(
      "INSERT INTO login_throttle (key, failures, window_start, blocked_until) "
      "VALUES ($1, 1, $2, 0) ON CONFLICT (key) DO UPDATE SET "
      "failures = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.failures + "
      "1 END, "
      "window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE "
      "login_throttle.window_start END",
      {key, now, now - rule.window});
  tx.Exec(
      "UPDATE login_throttle SET blocked_until = $1, failures = 0, window_start = $2 "
      "WHERE key = $3 AND failures >= $4",
      {now + rule.block, now, key, rule.max_failures});
}

void ClearFailures(db::Tx& tx, std::string_view key) {
  tx.Exec("DELETE FROM login_throttle WHERE key = $1", {key});
}

std::int64_t TakeAttempt(db::Tx& tx, std::string_view key, const ThrottleRule& rule, Millis now) {
  // Lock the row first (PostgreSQL), so concurrent attempts are counted one after another.
  tx.Exec("UPDATE login_throttle SET failures = failures WHERE key = $1", {key});
  if (auto wait = BlockedFor(tx, key, now); wait > 0) return wait;
  RecordFailure(tx, key, rule, now);
  return 0;
}

void ForgiveAttempt(db::Tx& tx, std::string_view key) {
  tx.Exec("UPDATE login_throttle SET failures = failures - 1 WHERE key = $1 AND failures > 0",
          {key});
}

void PurgeThrottle(db::Tx& tx, Millis now) {
  tx.Exec("DELETE FROM login_throttle WHERE blocked_until < $1 AND window_start < $2",
          {now, now - Millis{86'400'000}});
}

std::string TotpCode(std::string_view secret, std::int64_t step) {
  std::string counter(8, '\0');
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<char>(step & 0xff);
    step >>= 8;
  }
  std::string mac = crypto::HmacSha1(secret, counter);
  int offset = mac[19] & 0x0f;
  std::uint32_t bin = (static_cast<std::uint32_t>(mac[offset] & 0x7f) << 24) |
                      (static_cast<std::uint32_t>(mac[offset + 1] & 0xff) << 16) |
                      (static_cast<std::uint32_t>(mac[offset + 2] & 0xff) << 8) |
                      static_cast<std::uint32_t>(mac[offset + 3] & 0xff);
  std::string code = std::to_string(bin % 1'000'000);
  return std::string(6 - code.size(), '0') + code;
}

std::optional<std::int64_t> MatchTotp(std::string_view secret, std::string_view code, Millis now,
                                      std::int64_t last_step) {
  if (code.size() != 6 || !std::all_of(code.begin(), code.end(), ::isdigit)) return std::nullopt;
  std::int64_t step = now / 30'000;
  for (std::int64_t s = step - 1; s <= step + 1; ++s) {
    if (s > last_step && crypto::Equal(TotpCode(secret, s), code)) return s;
  }
  return std::nullopt;
}

std::string OtpauthUri(std::string_view issuer, std::string_view account,
                       std::string_view base32_secret) {
  auto enc = [](std::string_view s) {
    std::string out;
    for (unsigned char c : s) {
      if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
        out.push_back(static_cast<char>(c));
      } else {
        static constexpr char kHex[] = "0123456789ABCDEF";
        out.push_back('%');
        out.push_back(kHex[c >> 4]);
        out.push_back(kHex[c & 15]);
      }
    }
    return out;
  };
  return "otpauth://totp/" + enc(issuer) + ":" + enc(account) +
         "?secret=" + std::string(base32_secret) + "&issuer=" + enc(issuer) +
         "&algorithm=SHA1&digits=6&period=30";
}

}  // namespace rampart::auth
