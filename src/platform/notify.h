// Notifications: telling people and systems what happened, in the application, by e-mail and by
// signed webhook.
//
// Domain code calls Enqueue() inside the write transaction that changes something worth telling.
// Enqueue writes the in-app entries and one outbox row per message; nothing leaves the process
// there. The delivery worker (delivery.h) sends the outbox after commit, so a write that rolls
// back tells nobody, and a message survives a crash of the server that queued it. Delivery is at
// least once: a webhook receiver deduplicates by the delivery's "id".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "platform/clock.h"
#include "platform/db.h"
#include "platform/principal.h"

namespace rampart::notify {

// The event types webhooks subscribe to (docs/api.md lists them for receivers). A subscription
// names types from here, "prefix.*" (e.g. "incident.*") or "*".
inline constexpr std::string_view kEventTypes[] = {
    "incident.filed",           "incident.stage_due",      "incident.stage_overdue",
    "incident.state_changed",   "incident.forwarded",      "incident.comment",
    "incident.correlation",     "incident.report_filed",   "incident.report_requested",
    "assistance.requested",     "assistance.message",      "assistance.state_changed",
    "assistance.assigned",      "advisory.published",      "advisory.passed_on",
    "incident.share_requested", "incident.share_answered", "incident.shared",
    "guideline.consultation",   "guideline.published",     "policy.published",
    "policy.review_due",        "policy.review_overdue",
};
// Sent to one webhook when its administrator asks (POST …/ping); nobody subscribes to it.
inline constexpr std::string_view kPingEvent = "webhook.ping";
// The message a person sends themselves to check that e-mail reaches them.
inline constexpr std::string_view kTestEvent = "notification.test";

struct Event {
  std::string type;    // one of kEventTypes
  std::string org_id;  // the organisation to tell
  // Which of its people are told (in the application, and by e-mail to their address); empty:
  // nobody, webhooks only.
  RoleSet roles;
  // Who caused the event: not told about their own action. Empty: nobody is left out.
  std::string actor_id;
  // One line, for the e-mail subject and the in-app list. The subject and the text leave the
  // platform by e-mail, unencrypted: keep them to what may (a reference and a title, not the
  // report's details) and let the link lead to the rest.
  std::string subject;
  std::string text;  // plain text for people; may span lines
  std::string link;  // a path in the web application, e.g. "/incidents/<id>"
  std::optional<std::string> incident_id;
  // A JSON object, the "data" of the webhook document; "" is sent as {}.
  std::string payload;
};

// Inside the caller's write transaction: one in-app notification and one outbox e-mail for each
// active (not disabled) member of `org_id` holding any of `roles`, except the actor; one outbox
// webhook delivery for each active webhook of `org_id` subscribed to `type`. Sends nothing.
// Throws std::invalid_argument when `payload` is not a JSON object and a webhook would carry it.
void Enqueue(db::Tx& tx, const Event& event, Millis now);

// The pieces Enqueue is made of, for routes that address one recipient. Each returns the new row's
// id. QueueEmail sends `event`'s subject, text and link to `address`.
std::string AddNotification(db::Tx& tx, std::string_view user_id, const Event& event, Millis now);
std::string QueueEmail(db::Tx& tx, std::string_view address, std::string_view name,
                       const Event& event, Millis now);
std::string QueueWebhook(db::Tx& tx, std::string_view webhook_id, const Event& event, Millis now);

// Whether a subscription ("*", "incident.*", "incident.filed,incident.comment") covers `type`.
bool Subscribed(std::string_view events, std::string_view type);
// Whether `pattern` may appear in a subscription: a known type, a known type's "prefix.*", "*".
bool ValidSubscription(std::string_view pattern);

// The webhook document, in this key order:
// {"id": delivery id, "type", "created_at" (RFC 3339), "organisation_id", "data": payload}.
std::string WebhookBody(std::string_view delivery_id, const Event& event, Millis now);
// The Rampart-Signature header's value: "v1=" + hex HMAC-SHA256 keyed with the secret (its
// bytes as given) over the decimal Unix timestamp, ".", and the body exactly as sent.
std::string WebhookSignature(std::string_view secret, std::int64_t unix_seconds,
                             std::string_view body);

// Attempts a message gets before it is given up ('failed').
inline constexpr int kMaxAttempts = 8;
// How long to wait after the `attempts`-th failed attempt (1 min, 5 min, 30 min, 2 h, 6 h, 12 h,
// 24 h); nullopt once kMaxAttempts have failed.
std::optional<Millis> RetryDelay(int attempts);

}  // namespace rampart::notify
