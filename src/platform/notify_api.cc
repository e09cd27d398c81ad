#include "platform/notify_api.h"

#include <algorithm>

#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/notify.h"
#include "platform/outbound.h"
#include "platform/problem.h"

namespace rampart::notify {

namespace {

constexpr int kMaxWebhooksPerOrganisation = 20;

// ---- the caller's notifications ----

constexpr std::string_view kNotificationColumns =
    "id, event, subject, body, link, incident_id, organisation_id, created_at, read_at";

void WriteNotification(JsonWriter& w, const db::Row& r) {
  w.BeginObject()
      .Key("id")
      .String(r.Text(0))
      .Key("event")
      .String(r.Text(1))
      .Key("subject")
      .String(r.Text(2))
      .Key("body")
      .String(r.Text(3))
      .Key("link")
      .String(r.Text(4))
      .Key("incident_id")
      .OptionalString(r.OptText(5))
      .Key("organisation_id")
      .OptionalString(r.OptText(6))
      .Key("created_at")
      .Time(r.Int(7))
      .Key("read_at")
      .OptionalTime(r.OptInt(8))
      .EndObject();
}

std::int64_t UnreadCount(db::Tx& tx, const std::string& user_id) {
  return tx
      .QueryOne("SELECT count(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL",
                {user_id})
      ->Int(0);
}

// The single-id cursor of the lists here; "" for the first page.
std::string IdCursor(const PageRequest& page, std::vector<FieldError>& errors) {
  if (!page.after) return "";
  const auto& a = *page.after;
  if (a.size() != 1 || !a[0].is_string() || !crypto::IsUuid(a[0].get<std::string>())) {
    errors.push_back({"cursor", "is not a cursor of this list"});
    return "";
  }
  return a[0].get<std::string>();
}

http::Response ListNotifications(Context& ctx) {
  const auto& me = ctx.caller();
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  std::string after = IdCursor(page, errors);
  bool unread_only = false;
  if (auto u = ctx.request.QueryParam("unread"); u && !u->empty()) {
    if (*u == "true") {
      unread_only = true;
    } else if (*u != "false") {
      errors.push_back({"unread", "must be true or false"});
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  // Newest first; ids are UUIDv7, so the id is the creation order.
  std::string sql = "SELECT " + std::string(kNotificationColumns) +
                    " FROM notifications WHERE user_id = $1" +
                    (unread_only ? " AND read_at IS NULL" : "") +
                    " AND (CAST($2 AS TEXT) = '' OR id < $2) ORDER BY id DESC LIMIT $3";
  auto [rows, unread] = ctx.db().Read([&](db::Tx& tx) {
    return std::pair(tx.Query(sql, {me.user_id, after, page.limit + 1}),
                     UnreadCount(tx, me.user_id));
  });
  std::optional<std::string> next;
  if (static_cast<int>(rows.size()) > page.limit) {
    rows.erase(rows.begin() + page.limit, rows.end());
    next = EncodeCursor(nlohmann::json::array({rows.back().Text(0)}));
  }
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& r : rows) WriteNotification(w, r);
  w.EndArray().Key("next_cursor").OptionalString(next).Key("unread_count").Int(unread).EndObject();
  return JsonText(200, std::move(w).Take());
}

http::Response MarkRead(Context& ctx) {
  const auto& me = ctx.caller();
  Input in(ctx.request);
  bool has_ids = in.Has("ids");
  bool has_all = in.Has("all");
  auto ids = in.TextList("ids", {.uuid = true}, 200);
  auto all = in.Bool("all");
  if (has_ids && has_all) {
    in.Fail("all", "send either ids or all, not both");
  } else if (!has_ids && !has_all) {
    in.Fail("ids", "name the notifications to mark read, or send \"all\": true");
  } else if (all && !*all) {
    in.Fail("all", "must be true when present");
  }
  in.Done();
  Millis now = NowMillis();
  auto unread = ctx.db().Write([&](db::Tx& tx) {
    if (all) {
      tx.Exec("UPDATE notifications SET read_at = $2 WHERE user_id = $1 AND read_at IS NULL",
              {me.user_id, now});
    } else {
      // Someone else's id changes nothing and is not reported: ids name nothing outside one's own.
      for (const auto& id : *ids) {
        tx.Exec(
            "UPDATE notifications SET read_at = $3 WHERE id = $1 AND user_id = $2 AND read_at IS "
            "NULL",
            {id, me.user_id, now});
      }
    }
    return UnreadCount(tx, me.user_id);
  });
  return JsonText(200,
                  JsonWriter().BeginObject().Key("unread_count").Int(unread).EndObject().str());
}

http::Response SendTestMessage(Context& ctx) {
  const auto& me = ctx.caller();
  if (ctx.services.config.smtp_url.empty()) {
    throw Conflict("This server has no SMTP relay configured (smtp_url), so it sends no e-mail.");
  }
  Millis now = NowMillis();
  std::string address = ctx.db().Write([&](db::Tx& tx) {
    // One a minute: enough to try, too few to flood one's own mailbox.
    if (tx.QueryOne("SELECT 1 FROM notifications WHERE user_id = $1 AND event = $2 AND "
                    "created_at > $3",
                    {me.user_id, kTestEvent, now - 60'000})) {
      throw TooManyRequests(60);
    }
    auto user = tx.QueryOne("SELECT email, display_name FROM users WHERE id = $1", {me.user_id});
    if (!user) throw Unauthenticated();
    Event e;
    e.type = std::string(kTestEvent);
    e.subject = "Test message from Rampart";
    e.text =
        "You asked Rampart to send this message, to check that its e-mail reaches you.\n"
        "Nothing else needs doing.";
    AddNotification(tx, me.user_id, e, now);
    QueueEmail(tx, user->Text(0), user->Text(1), e, now);
    return user->Text(0);
  });
  return JsonText(202, JsonWriter().BeginObject().Key("email").String(address).EndObject().str());
}

// ---- an organisation's webhooks ----

struct Webhook {
  std::string id, organisation_id, url, events, description, created_by;
  bool active = true;
  Millis created_at = 0, updated_at = 0;
  std::int64_t version = 1;
  std::optional<Millis> last_delivery_at;
  std::optional<std::string> last_delivery_status;
  std::string last_delivery_error;
};

constexpr std::string_view kWebhookColumns =
    "id, organisation_id, url, events, description, created_by, active, created_at, updated_at, "
    "version, last_delivery_at, last_delivery_status, last_delivery_error";

Webhook WebhookFrom(const db::Row& r) {
  return {r.Text(0), r.Text(1), r.Text(2), r.Text(3),    r.Text(4),     r.Text(5), r.Bool(6),
          r.Int(7),  r.Int(8),  r.Int(9),  r.OptInt(10), r.OptText(11), r.Text(12)};
}

std::optional<Webhook> FindWebhook(db::Tx& tx, const std::string& org, const std::string& id) {
  auto r = tx.QueryOne("SELECT " + std::string(kWebhookColumns) +
                           " FROM webhooks WHERE id = $1 AND organisation_id = $2",
                       {id, org});
  if (!r) return std::nullopt;
  return WebhookFrom(*r);
}

void Write(JsonWriter& w, const Webhook& h) {
  w.BeginObject()
      .Key("id")
      .String(h.id)
      .Key("organisation_id")
      .String(h.organisation_id)
      .Key("url")
      .String(h.url)
      .Key("events")
      .BeginArray();
  std::string_view rest = h.events;
  while (!rest.empty()) {
    auto comma = rest.find(',');
    w.String(rest.substr(0, comma));
    rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
  }
  w.EndArray()
      .Key("description")
      .String(h.description)
      .Key("active")
      .Bool(h.active)
      .Key("created_at")
      .Time(h.created_at)
      .Key("created_by")
      .String(h.created_by)
      .Key("updated_at")
      .Time(h.updated_at)
      .Key("version")
      .Int(h.version)
      .Key("last_delivery_at")
      .OptionalTime(h.last_delivery_at)
      .Key("last_delivery_status")
      .OptionalString(h.last_delivery_status)
      .Key("last_delivery_error")
      .String(h.last_delivery_error)
      .EndObject();
}

// The webhook as the API shows it (never with its secret): the response and the audit state.
std::string JsonOf(const Webhook& h) {
  JsonWriter w;
  Write(w, h);
  return std::move(w).Take();
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, const std::string& id,
           std::optional<std::string> before, std::optional<std::string> after) {
  auto e = audit::By(ctx.principal, std::move(action), "webhook", id, ctx.request.request_id);
  e.before = std::move(before);
  e.after = std::move(after);
  audit::Append(tx, e, NowMillis());
}

void RequireOrganisation(db::Tx& tx, const std::string& org) {
  if (!tx.QueryOne("SELECT 1 FROM organisations WHERE id = $1", {org})) {
    throw NotFound("organisation");
  }
}

// Reads url, events, description (and active when updating) into `h`.
void ReadWebhookFields(Input& in, Webhook& h, bool create, const Config& config) {
  if (auto url = in.Text("url", {.required = create, .min = 1, .max = 2000})) {
    if (auto why = outbound::CheckWebhookUrl(*url, config.webhook_allow_private_addresses)) {
      in.Fail("url", *why);
    }
    h.url = *url;
  }
  if (auto events = in.TextList("events", {.required = create, .min = 1, .max = 100}, 50)) {
    std::vector<std::string> unique;
    for (std::size_t i = 0; i < events->size(); ++i) {
      const auto& e = (*events)[i];
      if (!ValidSubscription(e)) {
        in.Fail("events/" + std::to_string(i),
                "is not an event type (see docs/api.md), a \"prefix.*\" of one, or \"*\"");
      } else if (std::find(unique.begin(), unique.end(), e) == unique.end()) {
        unique.push_back(e);
      }
    }
    if (events->empty()) in.Fail("events", "must name at least one event type, or \"*\"");
    std::string joined;
    for (const auto& e : unique) joined += (joined.empty() ? "" : ",") + e;
    h.events = joined;
  }
  if (auto d = in.Text("description", {.max = 200})) h.description = *d;
  if (!create) {
    if (auto a = in.Bool("active")) h.active = *a;
  }
}

http::Response ListWebhooks(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  std::string after = IdCursor(page, errors);
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  auto rows = ctx.db().Read([&](db::Tx& tx) {
    RequireOrganisation(tx, org);
    return tx.Query("SELECT " + std::string(kWebhookColumns) +
                        " FROM webhooks WHERE organisation_id = $1 AND (CAST($2 AS TEXT) = '' OR "
                        "id > $2) ORDER BY id LIMIT $3",
                    {org, after, page.limit + 1});
  });
  std::optional<std::string> next;
  if (static_cast<int>(rows.size()) > page.limit) {
    rows.erase(rows.begin() + page.limit, rows.end());
    next = EncodeCursor(nlohmann::json::array({rows.back().Text(0)}));
  }
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& r : rows) Write(w, WebhookFrom(r));
  w.EndArray().Key("next_cursor").OptionalString(next).EndObject();
  return JsonText(200, std::move(w).Take());
}

http::Response CreateWebhook(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& me = ctx.caller();
  Input in(ctx.request);
  Webhook h;
  ReadWebhookFields(in, h, true, ctx.services.config);
  in.Done();
  h.id = crypto::NewUuid();
  h.organisation_id = org;
  h.created_by = me.username;
  h.created_at = h.updated_at = NowMillis();
  // Made here and shown once: the receiver keeps it to check signatures; we keep it to sign.
  std::string secret = crypto::Hex(crypto::RandomBytes(32));
  auto saved = ctx.db().Write([&](db::Tx& tx) {
    RequireOrganisation(tx, org);
    auto count =
        tx.QueryOne("SELECT count(*) FROM webhooks WHERE organisation_id = $1", {org})->Int(0);
    if (count >= kMaxWebhooksPerOrganisation) {
      throw Conflict("An organisation has at most " + std::to_string(kMaxWebhooksPerOrganisation) +
                     " webhooks; delete one first.");
    }
    tx.Exec(
        "INSERT INTO webhooks (id, organisation_id, url, secret, events, description, active, "
        "created_at, created_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $7)",
        {h.id, org, h.url, secret, h.events, h.description, h.created_at, h.created_by});
    auto out = *FindWebhook(tx, org, h.id);
    Audit(tx, ctx, "webhook.create", h.id, std::nullopt, JsonOf(out));
    return out;
  });
  JsonWriter w;
  w.BeginObject().Key("webhook");
  Write(w, saved);
  w.Key("secret").String(secret).EndObject();
  auto res = JsonText(201, std::move(w).Take());
  SetETag(res, saved.version);
  res.Set("Location", "/api/v1/organisations/" + org + "/webhooks/" + saved.id);
  return res;
}

http::Response GetWebhook(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("webhook_id", "webhook");
  auto h = ctx.db().Read([&](db::Tx& tx) { return FindWebhook(tx, org, id); });
  if (!h) throw NotFound("webhook");
  auto res = JsonText(200, JsonOf(*h));
  SetETag(res, h->version);
  return res;
}

http::Response PatchWebhook(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("webhook_id", "webhook");
  auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  auto saved = ctx.db().Write([&](db::Tx& tx) {
    auto h = FindWebhook(tx, org, id);
    if (!h) throw NotFound("webhook");
    auto before = JsonOf(*h);
    ReadWebhookFields(in, *h, false, ctx.services.config);
    in.Done();
    Millis now = NowMillis();
    auto n = tx.Exec(
        "UPDATE webhooks SET url = $3, events = $4, description = $5, active = $6, "
        "updated_at = $7, version = version + 1 WHERE id = $1 AND organisation_id = $2 AND "
        "version = $8",
        {id, org, h->url, h->events, h->description, h->active, now, version});
    if (n == 0) throw PreconditionFailed();
    auto out = *FindWebhook(tx, org, id);
    Audit(tx, ctx, "webhook.update", id, before, JsonOf(out));
    return out;
  });
  auto res = JsonText(200, JsonOf(saved));
  SetETag(res, saved.version);
  return res;
}

http::Response DeleteWebhook(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("webhook_id", "webhook");
  ctx.db().Write([&](db::Tx& tx) {
    auto h = FindWebhook(tx, org, id);
    if (!h) throw NotFound("webhook");
    // Messages still queued for it are skipped by the worker: the secret goes with the row.
    tx.Exec("DELETE FROM webhooks WHERE id = $1", {id});
    Audit(tx, ctx, "webhook.delete", id, JsonOf(*h), std::nullopt);
  });
  return NoContent();
}

http::Response PingWebhook(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("webhook_id", "webhook");
  const auto& me = ctx.caller();
  auto delivery = ctx.db().Write([&](db::Tx& tx) {
    auto h = FindWebhook(tx, org, id);
    if (!h) throw NotFound("webhook");
    if (!h->active) throw Conflict("The webhook is paused; set active to true first.");
    Event e;
    e.type = std::string(kPingEvent);
    e.org_id = org;
    e.payload = JsonWriter()
                    .BeginObject()
                    .Key("webhook_id")
                    .String(id)
                    .Key("requested_by")
                    .String(me.username)
                    .EndObject()
                    .str();
    return QueueWebhook(tx, id, e, NowMillis());
  });
  return JsonText(202,
                  JsonWriter().BeginObject().Key("delivery_id").String(delivery).EndObject().str());
}

}  // namespace

void AddRoutes(Router& r) {
  constexpr std::size_t kSmall = 16 * 1024;
  r.Add({"GET", "/api/v1/me/notifications", Action::kSelf, "", ListNotifications, 0});
  r.Add({"POST", "/api/v1/me/notifications/read", Action::kSelf, "", MarkRead, kSmall});
  r.Add({"POST", "/api/v1/me/notifications/test", Action::kSelf, "", SendTestMessage, kNoBody});
  r.Add({"GET", "/api/v1/organisations/{id}/webhooks", Action::kOrgUpdate, "id", ListWebhooks, 0});
  r.Add({"POST", "/api/v1/organisations/{id}/webhooks", Action::kOrgUpdate, "id", CreateWebhook,
         kSmall});
  r.Add({"GET", "/api/v1/organisations/{id}/webhooks/{webhook_id}", Action::kOrgUpdate, "id",
         GetWebhook, 0});
  r.Add({"PATCH", "/api/v1/organisations/{id}/webhooks/{webhook_id}", Action::kOrgUpdate, "id",
         PatchWebhook, kSmall});
  r.Add({"DELETE", "/api/v1/organisations/{id}/webhooks/{webhook_id}", Action::kOrgUpdate, "id",
         DeleteWebhook, kNoBody});
  r.Add({"POST", "/api/v1/organisations/{id}/webhooks/{webhook_id}/ping", Action::kOrgUpdate, "id",
         PingWebhook, kNoBody});
}

}  // namespace rampart::notify
