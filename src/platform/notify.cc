#include "platform/notify.h"

#include <nlohmann/json.hpp>
#include <stdexcept>

#include "platform/crypto.h"
#include "platform/json_writer.h"

namespace rampart::notify {

namespace {

bool KnownType(std::string_view type) {
  for (auto t : kEventTypes) {
    if (t == type) return true;
  }
  return false;
}

// Calls `f` with each comma-separated item of `list`, spaces around it removed.
template <class F>
void ForEachItem(std::string_view list, F&& f) {
  while (!list.empty()) {
    auto comma = list.find(',');
    std::string_view item = list.substr(0, comma);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    while (!item.empty() && item.back() == ' ') item.remove_suffix(1);
    if (!item.empty()) f(item);
    if (comma == std::string_view::npos) break;
    list.remove_prefix(comma + 1);
  }
}

}  // namespace

std::string AddNotification(db::Tx& tx, std::string_view user_id, const Event& event, Millis now) {
  std::string id = crypto::NewUuid();
  tx.Exec(
      "INSERT INTO notifications (id, user_id, organisation_id, event, subject, body, link, "
      "incident_id, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
      {id, user_id, event.org_id.empty() ? db::Value() : db::Value(event.org_id), event.type,
       event.subject, event.text, event.link, event.incident_id, now});
  return id;
}

std::string QueueEmail(db::Tx& tx, std::string_view address, std::string_view name,
                       const Event& event, Millis now) {
  std::string id = crypto::NewUuid();
  tx.Exec(
      "INSERT INTO outbox (id, channel, target, target_name, event, subject, body, link, status, "
      "next_attempt_at, created_at) VALUES ($1, 'email', $2, $3, $4, $5, $6, $7, 'pending', $8, "
      "$8)",
      {id, address, name, event.type, event.subject, event.text, event.link, now});
  return id;
}

std::string QueueWebhook(db::Tx& tx, std::string_view webhook_id, const Event& event, Millis now) {
  std::string id = crypto::NewUuid();
  tx.Exec(
      "INSERT INTO outbox (id, channel, target, event, body, status, next_attempt_at, created_at) "
      "VALUES ($1, 'webhook', $2, $3, $4, 'pending', $5, $5)",
      {id, webhook_id, event.type, WebhookBody(id, event, now), now});
  return id;
}

void Enqueue(db::Tx& tx, const Event& event, Millis now) {
  if (!event.roles.empty()) {
    auto people = tx.Query(
        "SELECT u.id, u.email, u.display_name, m.roles FROM memberships m "
        "JOIN users u ON u.id = m.user_id "
        "WHERE m.organisation_id = $1 AND u.disabled = 0 ORDER BY u.id",
        {event.org_id});
    for (const auto& p : people) {
      auto roles = RoleSet::Parse(p.Text(3));
      if (!roles || !roles->HasAny(event.roles)) continue;
      std::string user_id = p.Text(0);
      if (user_id == event.actor_id) continue;
      AddNotification(tx, user_id, event, now);
      std::string email = p.Text(1);
      if (!email.empty()) QueueEmail(tx, email, p.Text(2), event, now);
    }
  }
  auto hooks = tx.Query(
      "SELECT id, events FROM webhooks WHERE organisation_id = $1 AND active = 1 ORDER BY id",
      {event.org_id});
  bool checked = false;
  for (const auto& h : hooks) {
    if (!Subscribed(h.Text(1), event.type)) continue;
    if (!checked && !event.payload.empty()) {
      // A programmer's mistake, caught before a receiver sees a document that does not parse.
      auto parsed = nlohmann::json::parse(event.payload, nullptr, false);
      if (parsed.is_discarded() || !parsed.is_object()) {
        throw std::invalid_argument("notify::Event payload is not a JSON object");
      }
      checked = true;
    }
    QueueWebhook(tx, h.Text(0), event, now);
  }
}

bool Subscribed(std::string_view events, std::string_view type) {
  bool yes = false;
  ForEachItem(events, [&](std::string_view pattern) {
    if (pattern == "*" || pattern == type) {
      yes = true;
    } else if (pattern.ends_with(".*")) {
      auto prefix = pattern.substr(0, pattern.size() - 1);  // keeps the dot
      if (type.starts_with(prefix)) yes = true;
    }
  });
  return yes;
}

bool ValidSubscription(std::string_view pattern) {
  if (pattern == "*") return true;
  if (pattern.ends_with(".*")) {
    auto prefix = pattern.substr(0, pattern.size() - 1);
    for (auto t : kEventTypes) {
      if (t.starts_with(prefix)) return true;
    }
    return false;
  }
  return KnownType(pattern);
}

std::string WebhookBody(std::string_view delivery_id, const Event& event, Millis now) {
  JsonWriter w;
  w.BeginObject()
      .Key("id")
      .String(delivery_id)
      .Key("type")
      .String(event.type)
      .Key("created_at")
      .Time(now)
      .Key("organisation_id")
      .String(event.org_id)
      .Key("data")
      .Raw(event.payload.empty() ? std::string_view("{}") : std::string_view(event.payload))
      .EndObject();
  return std::move(w).Take();
}

std::string WebhookSignature(std::string_view secret, std::int64_t unix_seconds,
                             std::string_view body) {
  std::string signed_text = std::to_string(unix_seconds);
  signed_text.push_back('.');
  signed_text.append(body);
  return "v1=" + crypto::Hex(crypto::HmacSha256(secret, signed_text));
}

std::optional<Millis> RetryDelay(int attempts) {
  constexpr Millis kMinute = 60'000;
  constexpr Millis kHour = 60 * kMinute;
  constexpr Millis kDelays[] = {kMinute,   5 * kMinute, 30 * kMinute, 2 * kHour,
                                6 * kHour, 12 * kHour,  24 * kHour};
  static_assert(std::size(kDelays) == kMaxAttempts - 1);
  if (attempts >= kMaxAttempts) return std::nullopt;
  return kDelays[attempts < 1 ? 0 : attempts - 1];
}

}  // namespace rampart::notify
