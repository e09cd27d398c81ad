#include "platform/auth_api.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/embedded.h"
#include "platform/identity.h"
#include "platform/input.h"
#include "platform/metrics.h"
#include "platform/pipeline.h"
#include "platform/problem.h"

namespace rampart {

namespace {

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

nlohmann::json MembershipsJson(db::Tx& tx, const Principal& p) {
  auto list = nlohmann::json::array();
  for (const auto& m : p.memberships) {
    auto org = tx.QueryOne("SELECT name, short_name FROM organisations WHERE id = $1", {m.org_id});
    list.push_back({{"organisation",
                     {{"id", m.org_id},
                      {"name", org ? org->Text(0) : ""},
                      {"short_name", org ? org->Text(1) : ""},
                      {"kind", Name(m.kind)},
                      {"sector_ids", m.sector_ids}}},
                    {"roles", m.roles.Names()}});
  }
  return list;
}

nlohmann::json SessionJson(db::Tx& tx, const Principal& p) {
  auto user = identity::Find(tx, p.user_id);
  if (!user) throw Unauthenticated();
  return {{"user", identity::ToJson(*user)},
          {"memberships", MembershipsJson(tx, p)},
          {"csrf_token", p.csrf_token}};
}

HttpError InvalidCredentials() {
  return {401, "invalid-credentials", "Wrong username or password",
          "The username, password or code is not right."};
}

// The account's TOTP key; a stored secret that does not decode is a fault, never an empty key.
std::string TotpKey(const std::string& base32) {
  auto key = crypto::FromBase32(base32);
  if (!key || key->size() < 10) throw std::runtime_error("a stored TOTP secret does not decode");
  return *key;
}

// IPv6 clients usually hold a whole /64: counting per address would let one client rotate freely.
std::string ThrottleAddress(const std::string& address) {
  if (address.find(':') == std::string::npos) return address;
  std::size_t pos = 0;
  for (int groups = 0; groups < 4 && pos != std::string::npos; ++groups) {
    pos = address.find(':', pos == 0 ? 0 : pos + 1);
  }
  return pos == std::string::npos ? address : address.substr(0, pos) + "::/64";
}

// A name fit for the log: people sometimes type their password into the username field.
std::string LoggableName(const std::string& username) {
  return identity::ValidUsername(Lower(username)) ? Lower(username) : "(not a valid username)";
}

http::Response SignIn(Context& ctx) {
  Input in(ctx.request);
  auto username = in.Text("username", {.required = true, .max = 200});
  auto password = in.Text("password", {.required = true, .max = 1024});
  auto code = in.Text("totp_code", {.max = 12});
  in.Done();
  const Millis now = NowMillis();
  const std::string user_key = "user:" + Lower(*username).substr(0, 64);
  const std::string addr_key = "addr:" + ThrottleAddress(ctx.request.remote_address);

  struct Account {
    std::string id;
    std::string hash;
    std::optional<std::string> totp_secret;
    std::int64_t totp_last_step = 0;
  };
  // The attempt is counted before the password is checked, so parallel guesses cannot outrun the
  // limit; a right password forgives it afterwards.
  std::optional<Account> account = ctx.db().Write([&](db::Tx& tx) -> std::optional<Account> {
    auto wait = std::max(auth::TakeAttempt(tx, user_key, auth::kPerAccount, now),
                         auth::TakeAttempt(tx, addr_key, auth::kPerAddress, now));
    if (wait > 0) throw TooManyRequests(wait);
    auto row = tx.QueryOne(
        "SELECT id, password_hash, totp_secret, totp_last_step FROM users "
        "WHERE username = $1 AND disabled = 0",
        {Lower(*username)});
    if (!row) return std::nullopt;
    return Account{row->Text(0), row->Text(1), row->OptText(2), row->Int(3)};
  });

  // The slow hash runs outside any transaction, so it never holds the write lock.
  bool password_ok = false;
  if (account) {
    password_ok = auth::VerifyPassword(account->hash, *password);
  } else {
    auth::VerifyAgainstDummy(*password);
  }
  if (!password_ok) {
    spdlog::warn("failed sign-in for '{}' from {}", LoggableName(*username),
                 ctx.request.remote_address);
    throw InvalidCredentials();
  }

  std::optional<std::int64_t> totp_step;
  if (account->totp_secret) {
    if (!code || code->empty()) {
      // The password was right: not a failure; the person is asked for the second factor.
      ctx.db().Write([&](db::Tx& tx) {
        auth::ForgiveAttempt(tx, user_key);
        auth::ForgiveAttempt(tx, addr_key);
      });
      throw HttpError(401, "totp-required", "Second factor required",
                      "Send the 6-digit code from your authenticator as totp_code.");
    }
    totp_step =
        auth::MatchTotp(TotpKey(*account->totp_secret), *code, now, account->totp_last_step);
    if (!totp_step) {
      spdlog::warn("wrong second factor for '{}' from {}", LoggableName(*username),
                   ctx.request.remote_address);
      throw InvalidCredentials();
    }
  }

  auto [session, body] = ctx.db().Write([&](db::Tx& tx) {
    if (totp_step) {
      // Accept each code once, even when two requests race with it.
      auto used =
          tx.Exec("UPDATE users SET totp_last_step = $1 WHERE id = $2 AND totp_last_step < $1",
                  {*totp_step, account->id});
      if (used == 0) throw InvalidCredentials();
    }
    // Disabled since the password was checked: no session.
    auto p = auth::LoadPrincipal(tx, account->id);
    if (!p) throw InvalidCredentials();
    auth::ClearFailures(tx, user_key);
    auth::ForgiveAttempt(tx, addr_key);
    // The session the browser held before, if any, ends: a sign-in always starts a fresh one.
    if (auto old = ctx.request.Cookie(SessionCookieName(ctx.request, ctx.services.config))) {
      auth::DeleteSession(tx, crypto::Sha256Hex(*old));
    }
    tx.Exec("DELETE FROM sessions WHERE user_id = $1 AND expires_at < $2", {account->id, now});
    auto s = auth::CreateSession(
        tx, account->id, now, ctx.services.config.session_hours * 3'600'000LL,
        ctx.request.remote_address, ctx.request.Find("User-Agent").value_or(""));
    p->csrf_token = s.csrf_token;
    auto e = audit::By(&*p, "session.create", "user", account->id, ctx.request.request_id);
    audit::Append(tx, e, now);
    return std::pair(s, SessionJson(tx, *p));
  });
  // About one sign-in in sixty sweeps old throttle rows: often enough, never on every request.
  if (static_cast<unsigned char>(crypto::RandomBytes(1)[0]) < 4) {
    ctx.db().Write([&](db::Tx& tx) { auth::PurgeThrottle(tx, now); });
  }
  auto res = Json(200, body);
  res.Add("Set-Cookie", SessionCookie(ctx.request, ctx.services.config, session.token,
                                      ctx.services.config.session_hours * 3600L));
  return res;
}

// Routes that change how a person signs in take a signed-in session, never an API token: a leaked
// token must not be able to lock its owner out.
void RequireSession(const Principal& p) {
  if (p.via != Principal::Via::kSession) {
    throw Forbidden("Sign in with a password to change how you sign in; API tokens cannot.");
  }
}

// Checks a secret the person typed (current password, TOTP code) against the per-account limit.
template <class Check>
bool CheckThrottled(Context& ctx, const Principal& p, Check&& check) {
  const std::string key = "user:" + p.username;
  Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    if (auto wait = auth::TakeAttempt(tx, key, auth::kPerAccount, now); wait > 0) {
      throw TooManyRequests(wait);
    }
  });
  bool ok = check();
  if (ok) ctx.db().Write([&](db::Tx& tx) { auth::ClearFailures(tx, key); });
  return ok;
}

http::Response GetSession(Context& ctx) {
  const auto& p = ctx.caller();
  return Json(200, ctx.db().Read([&](db::Tx& tx) { return SessionJson(tx, p); }));
}

http::Response SignOut(Context& ctx) {
  const auto& p = ctx.caller();
  if (p.via == Principal::Via::kSession) {
    ctx.db().Write([&](db::Tx& tx) {
      auth::DeleteSession(tx, p.session_hash);
      audit::Append(tx, audit::By(&p, "session.delete", "user", p.user_id, ctx.request.request_id),
                    NowMillis());
    });
  }
  auto res = NoContent();
  res.Add("Set-Cookie", ExpiredSessionCookie(ctx.request, ctx.services.config));
  return res;
}

http::Response GetMe(Context& ctx) {
  const auto& p = ctx.caller();
  return Json(200, ctx.db().Read([&](db::Tx& tx) {
    auto user = identity::Find(tx, p.user_id);
    auto j = identity::ToJson(*user);
    return nlohmann::json{{"user", j}, {"memberships", MembershipsJson(tx, p)}};
  }));
}

http::Response ChangePassword(Context& ctx) {
  const auto& p = ctx.caller();
  RequireSession(p);
  Input in(ctx.request);
  auto current = in.Text("current_password", {.required = true, .max = 1024});
  auto next = in.Text("new_password", {.required = true, .max = 1024});
  if (next) {
    if (auto ok = auth::CheckPasswordPolicy(*next, p.username); !ok) {
      in.Fail("new_password", ok.error().message);
    }
  }
  in.Done();
  auto hash = ctx.db().Read([&](db::Tx& tx) {
    return tx.QueryOne("SELECT password_hash FROM users WHERE id = $1", {p.user_id})->Text(0);
  });
  if (!CheckThrottled(ctx, p, [&] { return auth::VerifyPassword(hash, *current); })) {
    throw InvalidField("/current_password", "is not your current password");
  }
  std::string new_hash = auth::HashPassword(*next);
  ctx.db().Write([&](db::Tx& tx) {
    Millis now = NowMillis();
    // Other sessions and every API token end: whoever knew the old password is locked out.
    auth::SetPassword(tx, p.user_id, new_hash, now, p.session_hash);
    audit::Append(
        tx, audit::By(&p, "user.password_change", "user", p.user_id, ctx.request.request_id), now);
  });
  return NoContent();
}

http::Response BeginTotp(Context& ctx) {
  const auto& p = ctx.caller();
  RequireSession(p);
  std::string secret = crypto::Base32(crypto::RandomBytes(20));
  ctx.db().Write([&](db::Tx& tx) {
    auto row = tx.QueryOne("SELECT totp_secret FROM users WHERE id = $1", {p.user_id});
    if (!row->IsNull(0)) throw Conflict("A second factor is already set up; turn it off first.");
    tx.Exec("UPDATE users SET totp_pending_secret = $1 WHERE id = $2", {secret, p.user_id});
  });
  return Json(200, {{"secret", secret},
                    {"otpauth_uri",
                     auth::OtpauthUri(ctx.services.config.totp_issuer, p.username, secret)}});
}

http::Response ConfirmTotp(Context& ctx) {
  const auto& p = ctx.caller();
  RequireSession(p);
  Input in(ctx.request);
  auto code = in.Text("code", {.required = true, .max = 12});
  in.Done();
  ctx.db().Write([&](db::Tx& tx) {
    auto row = tx.QueryOne("SELECT totp_pending_secret FROM users WHERE id = $1", {p.user_id});
    if (row->IsNull(0)) throw Conflict("Start the set-up first (POST /api/v1/me/totp).");
    auto step = auth::MatchTotp(TotpKey(row->Text(0)), *code, NowMillis(), 0);
    if (!step) throw InvalidField("/code", "is not the current code of this secret");
    Millis now = NowMillis();
    tx.Exec(
        "UPDATE users SET totp_secret = totp_pending_secret, totp_pending_secret = NULL, "
        "totp_last_step = $1, updated_at = $2, version = version + 1 WHERE id = $3",
        {*step, now, p.user_id});
    // Sessions that signed in without the second factor end; this one stays.
    tx.Exec("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2",
            {p.user_id, p.session_hash});
    audit::Append(tx, audit::By(&p, "user.totp_enable", "user", p.user_id, ctx.request.request_id),
                  now);
  });
  return NoContent();
}

http::Response DisableTotp(Context& ctx) {
  const auto& p = ctx.caller();
  RequireSession(p);
  Input in(ctx.request);
  auto code = in.Text("code", {.required = true, .max = 12});
  in.Done();
  auto row = ctx.db().Read([&](db::Tx& tx) {
    return *tx.QueryOne("SELECT totp_secret, totp_last_step FROM users WHERE id = $1", {p.user_id});
  });
  if (row.IsNull(0)) throw Conflict("No second factor is set up.");
  std::optional<std::int64_t> step;
  if (!CheckThrottled(ctx, p, [&] {
        step = auth::MatchTotp(TotpKey(row.Text(0)), *code, NowMillis(), row.Int(1));
        return step.has_value();
      })) {
    throw InvalidField("/code", "is not the current code");
  }
  ctx.db().Write([&](db::Tx& tx) {
    Millis now = NowMillis();
    // The code is spent here too, so a replay cannot race this request.
    auto n = tx.Exec(
        "UPDATE users SET totp_secret = NULL, totp_last_step = 0, updated_at = $1, "
        "version = version + 1 WHERE id = $2 AND totp_last_step < $3",
        {now, p.user_id, *step});
    if (n == 0) throw InvalidField("/code", "was used already");
    audit::Append(tx, audit::By(&p, "user.totp_disable", "user", p.user_id, ctx.request.request_id),
                  now);
  });
  return NoContent();
}

nlohmann::json TokenJson(const db::Row& r) {
  auto opt_time = [](const std::optional<std::int64_t>& t) -> nlohmann::json {
    return t ? nlohmann::json(FormatRfc3339(*t)) : nlohmann::json(nullptr);
  };
  return {{"id", r.Text(0)},
          {"name", r.Text(1)},
          {"prefix", r.Text(2)},
          {"created_at", FormatRfc3339(r.Int(3))},
          {"expires_at", FormatRfc3339(r.Int(4))},
          {"last_used_at", opt_time(r.OptInt(5))},
          {"revoked_at", opt_time(r.OptInt(6))}};
}

constexpr std::string_view kTokenColumns =
    "id, name, prefix, created_at, expires_at, last_used_at, revoked_at";

http::Response ListTokens(Context& ctx) {
  const auto& p = ctx.caller();
  auto page = ParsePage(ctx.request);
  std::string after;  // "" for the first page
  if (page.after) {
    if (page.after->size() != 1 || !(*page.after)[0].is_string()) {
      throw InvalidField("cursor", "is not a cursor of this list");
    }
    after = (*page.after)[0].get<std::string>();
  }
  auto rows = ctx.db().Read([&](db::Tx& tx) {
    return tx.Query(
        "SELECT " + std::string(kTokenColumns) +
            " FROM api_tokens WHERE user_id = $1 AND (CAST($2 AS TEXT) = '' OR id < $2) "
            "ORDER BY id DESC LIMIT $3",
        {p.user_id, after, page.limit + 1});
  });
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json next = nullptr;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    if (static_cast<int>(i) == page.limit) {
      next = EncodeCursor(nlohmann::json::array({rows[i - 1].Text(0)}));
      break;
    }
    items.push_back(TokenJson(rows[i]));
  }
  return Json(200, {{"items", items}, {"next_cursor", next}});
}

http::Response CreateToken(Context& ctx) {
  const auto& p = ctx.caller();
  if (p.via != Principal::Via::kSession) {
    throw Forbidden("API tokens are created from a signed-in session, not with another token.");
  }
  Input in(ctx.request);
  auto name = in.Text("name", {.required = true, .min = 1, .max = 100});
  auto days = in.Int("expires_in_days", {.required = true, .min = 1, .max = 366});
  auto password = in.Text("password", {.required = true, .max = 1024});
  in.Done();
  // A token outlives the session that made it: whoever asks must know the password, so a
  // stolen session cookie cannot be turned into a year-long key.
  auto hash = ctx.db().Read([&](db::Tx& tx) {
    return tx.QueryOne("SELECT password_hash FROM users WHERE id = $1", {p.user_id})->Text(0);
  });
  if (!CheckThrottled(ctx, p, [&] { return auth::VerifyPassword(hash, *password); })) {
    throw InvalidField("/password", "is not your current password");
  }
  Millis now = NowMillis();
  auto [token, row] = ctx.db().Write([&](db::Tx& tx) {
    auto t = auth::CreateToken(tx, p.user_id, *name, now, now + *days * 86'400'000LL);
    auto e = audit::By(&p, "token.create", "api_token", t.id, ctx.request.request_id);
    e.after = nlohmann::json{{"name", *name}, {"prefix", t.prefix}}.dump();
    audit::Append(tx, e, now);
    auto r = tx.QueryOne("SELECT " + std::string(kTokenColumns) + " FROM api_tokens WHERE id = $1",
                         {t.id});
    return std::pair(t, *r);
  });
  auto res = Json(201, {{"token", TokenJson(row)}, {"secret", token.secret}});
  res.Set("Location", "/api/v1/tokens/" + token.id);
  return res;
}

http::Response RevokeToken(Context& ctx) {
  const auto& p = ctx.caller();
  const auto& id = ctx.IdParam("id", "token");
  ctx.db().Write([&](db::Tx& tx) {
    Millis now = NowMillis();
    auto n = tx.Exec(
        "UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS "
        "NULL",
        {now, id, p.user_id});
    if (n == 0) {
      auto mine =
          tx.QueryOne("SELECT 1 FROM api_tokens WHERE id = $1 AND user_id = $2", {id, p.user_id});
      if (!mine) throw NotFound("token");
      return;  // already revoked: revoking again changes nothing
    }
    audit::Append(tx, audit::By(&p, "token.revoke", "api_token", id, ctx.request.request_id), now);
  });
  return NoContent();
}

http::Response ListAudit(Context& ctx) {
  auto page = ParsePage(ctx.request);
  std::int64_t before = INT64_MAX;
  if (page.after) {
    if (page.after->size() != 1 || !(*page.after)[0].is_number_integer()) {
      throw InvalidField("cursor", "is not a cursor of this list");
    }
    before = (*page.after)[0].get<std::int64_t>();
  }
  auto records = ctx.db().Read([&](db::Tx& tx) { return audit::List(tx, before, page.limit + 1); });
  nlohmann::json items = nlohmann::json::array();
  nlohmann::json next = nullptr;
  for (std::size_t i = 0; i < records.size(); ++i) {
    if (static_cast<int>(i) == page.limit) {
      next = EncodeCursor(nlohmann::json::array({records[i - 1].seq}));
      break;
    }
    const auto& r = records[i];
    items.push_back({{"seq", r.seq},
                     {"at", FormatRfc3339(r.at)},
                     {"actor_id", r.actor_id},
                     {"actor", r.actor_name},
                     {"action", r.action},
                     {"resource_type", r.resource_type},
                     {"resource_id", r.resource_id},
                     {"before_digest", r.before_digest},
                     {"after_digest", r.after_digest},
                     {"request_id", r.request_id},
                     {"hash", r.hash}});
  }
  return Json(200, {{"items", items}, {"next_cursor", next}});
}

}  // namespace

void AddAuthRoutes(Router& r) {
  r.Add({"POST", "/api/v1/session", Action::kPublic, "", SignIn, 8 * 1024});
  r.Add({"GET", "/api/v1/session", Action::kSelf, "", GetSession, 0});
  r.Add({"DELETE", "/api/v1/session", Action::kSelf, "", SignOut, kNoBody});
  r.Add({"GET", "/api/v1/me", Action::kSelf, "", GetMe, 0});
  r.Add({"PUT", "/api/v1/me/password", Action::kSelf, "", ChangePassword, 8 * 1024});
  r.Add({"POST", "/api/v1/me/totp", Action::kSelf, "", BeginTotp, kNoBody});
  r.Add({"POST", "/api/v1/me/totp/confirm", Action::kSelf, "", ConfirmTotp, 1024});
  r.Add({"DELETE", "/api/v1/me/totp", Action::kSelf, "", DisableTotp, 1024});
  r.Add({"GET", "/api/v1/tokens", Action::kSelf, "", ListTokens, 0});
  r.Add({"POST", "/api/v1/tokens", Action::kSelf, "", CreateToken, 4 * 1024});
  r.Add({"DELETE", "/api/v1/tokens/{id}", Action::kSelf, "", RevokeToken, kNoBody});
  r.Add({"GET", "/api/v1/audit", Action::kAuditRead, "", ListAudit, 0});
}

void AddOperationsRoutes(Router& r) {
  r.Add({"GET", "/healthz", Action::kPublic, "",
         [](Context&) {
           return Json(200, {{"status", "ok"}});
         },
         0});
  r.Add({"GET", "/readyz", Action::kPublic, "",
         [](Context& ctx) {
           try {
             ctx.db().Read([](db::Tx& tx) { tx.Query("SELECT 1", {}); });
             return Json(200, {{"status", "ready"}});
           } catch (const std::exception& e) {
             spdlog::warn("readiness check failed: {}", e.what());
             return Json(503, {{"status", "database unreachable"}});
           }
         },
         0});
  r.Add({"GET", "/metrics", Action::kPublic, "",
         [](Context& ctx) {
           http::Response res;
           res.Set("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
           res.body = ctx.services.metrics.Render(ctx.services.server_stats(), ctx.db().Stats());
           return res;
         },
         0});
  r.Add({"GET", "/api/v1/openapi.json", Action::kPublic, "",
         [](Context&) {
           http::Response res;
           res.Set("Content-Type", "application/json");
           for (const auto& f : EmbeddedFiles()) {
             if (f.path == "src/platform/openapi.json") res.body = std::string(f.data);
           }
           return res;
         },
         0});
}

}  // namespace rampart
