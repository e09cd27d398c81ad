#include "platform/delivery.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <cstdio>
#include <optional>
#include <vector>

#include "platform/crypto.h"
#include "platform/email.h"
#include "platform/notify.h"

namespace rampart::notify {

struct DeliveryWorker::Claimed {
  std::string id;
  std::string channel;  // "email" | "webhook"
  std::string target;
  std::string target_name;
  std::string event;
  std::string subject;
  std::string body;
  std::string link;
  int attempts = 0;
  // Webhooks: the webhook as it is now; no url when it was deleted.
  std::optional<std::string> url;
  std::string secret;
  bool active = false;
};

namespace {

// The smallest UUIDv7 text of millisecond `ms`: ids (and so rows) created before `ms` sort below.
std::string UuidFloor(Millis ms) {
  char buf[40];
  auto t = static_cast<unsigned long long>(ms);
  std::snprintf(buf, sizeof buf, "%08llx-%04llx-0000-0000-000000000000", (t >> 16) & 0xffffffffULL,
                t & 0xffffULL);
  return buf;
}

std::string DomainOf(std::string_view address) {
  auto at = address.rfind('@');
  return at == std::string_view::npos ? "rampart.invalid" : std::string(address.substr(at + 1));
}

outbound::Outcome Skipped(std::string why) {
  outbound::Outcome o;
  o.skipped = true;
  o.error = std::move(why);
  return o;
}

}  // namespace

std::string EmailText(std::string_view text, std::string_view link,
                      std::string_view public_origin) {
  std::string out(text);
  while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
  if (!link.empty()) {
    std::string origin(public_origin);
    while (!origin.empty() && origin.back() == '/') origin.pop_back();
    out += "\n\n";
    out += origin.empty() ? "In Rampart: " : "Open in Rampart: ";
    out += origin;
    out += link;
  }
  out += "\n\n-- \nRampart sent this message automatically; replies are not read.\n";
  return out;
}

DeliveryWorker::DeliveryWorker(db::Database& db, const Config& config,
                               std::unique_ptr<outbound::Transport> transport)
    : db_(db), config_(config), transport_(std::move(transport)) {}

DeliveryWorker::~DeliveryWorker() { Stop(); }

void DeliveryWorker::Start() {
  std::lock_guard lock(mu_);
  if (thread_.joinable() || stopping_) return;
  thread_ = std::thread([this] { Loop(); });
}

void DeliveryWorker::Stop() {
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  stop_requested_ = true;
  transport_->Cancel();
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void DeliveryWorker::Loop() {
  Millis last_sweep = 0;
  while (true) {
    int handled = 0;
    Millis now = NowMillis();
    try {
      handled = RunOnce(now);
      if (now - last_sweep > 3'600'000) {
        last_sweep = now;
        if (auto n = Sweep(now); n > 0) spdlog::info("outbox: deleted {} old messages", n);
      }
    } catch (const std::exception& e) {
      // The database may be away for a moment; the messages wait for the next pass.
      spdlog::warn("outbox: delivery pass failed: {}", e.what());
    }
    std::unique_lock lock(mu_);
    if (stopping_) return;
    // A full batch suggests more is due: go on at once.
    if (handled < kBatch) {
      wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stopping_; });
      if (stopping_) return;
    }
  }
}

int DeliveryWorker::RunOnce(Millis now) {
  constexpr std::string_view kDue =
      "status = 'pending' AND next_attempt_at <= $1 AND (claimed_until IS NULL OR claimed_until "
      "< $1)";
  // A read first, so an idle server does not take the write lock every second.
  bool due = db_.Read([&](db::Tx& tx) {
    return tx.QueryOne("SELECT 1 FROM outbox WHERE " + std::string(kDue) + " LIMIT 1", {now})
        .has_value();
  });
  if (!due) return 0;
  const std::string token = crypto::NewUuid();
  auto claimed = db_.Write([&](db::Tx& tx) {
    // The conditions are repeated outside the sub-select: under READ COMMITTED, PostgreSQL checks
    // them again on a row another server changed meanwhile, so that server's claim stands.
    tx.Exec("UPDATE outbox SET claim_token = $2, claimed_until = $3 WHERE " + std::string(kDue) +
                " AND id IN (SELECT id FROM outbox WHERE " + std::string(kDue) +
                " ORDER BY next_attempt_at LIMIT $4)",
            {now, token, now + kLease, kBatch});
    std::vector<Claimed> out;
    for (const auto& r : tx.Query(
             "SELECT o.id, o.channel, o.target, o.target_name, o.event, o.subject, o.body, o.link, "
             "o.attempts, w.url, w.secret, w.active FROM outbox o "
             "LEFT JOIN webhooks w ON o.channel = 'webhook' AND w.id = o.target "
             "WHERE o.claim_token = $1 ORDER BY o.next_attempt_at, o.id",
             {token})) {
      out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                     r.Text(7), static_cast<int>(r.Int(8)), r.OptText(9), r.Text(10), r.Bool(11)});
    }
    return out;
  });
  for (const auto& m : claimed) {
    outbound::Outcome outcome;
    if (stop_requested_) {
      outcome.cancelled = true;
    } else {
      try {
        outcome = Send(m, now);
      } catch (const std::exception& e) {
        outcome.error = e.what();
      }
    }
    Record(m, token, outcome, now);
  }
  return static_cast<int>(claimed.size());
}

outbound::Outcome DeliveryWorker::Send(const Claimed& m, Millis now) {
  if (m.channel == "email") {
    if (!transport_->has_smtp_relay()) return Skipped("no SMTP relay configured (smtp_url)");
    auto from = email::ParseMailbox(config_.smtp_from);
    if (!from) return Skipped("smtp_from is not a usable sender address");
    if (!email::ValidAddress(m.target)) return Skipped("the recipient's address is not usable");
    email::Message msg;
    msg.from = *from;
    msg.to = {m.target_name, m.target};
    msg.subject = m.subject;
    msg.text = EmailText(m.body, m.link, config_.public_origin);
    msg.message_id = m.id + "@" + DomainOf(from->address);
    msg.date = now;
    msg.event = m.event;
    return transport_->SendMail(from->address, m.target, email::Format(msg));
  }
  if (!m.url) return Skipped("the webhook was deleted");
  if (!m.active) return Skipped("the webhook is paused");
  std::int64_t timestamp = now / 1000;
  std::vector<http::Header> headers = {
      {"Content-Type", "application/json"},
      {"Rampart-Webhook-Id", m.target},
      {"Rampart-Delivery-Id", m.id},
      {"Rampart-Event", m.event},
      {"Rampart-Timestamp", std::to_string(timestamp)},
      {"Rampart-Signature", WebhookSignature(m.secret, timestamp, m.body)},
  };
  return transport_->Post(*m.url, headers, m.body);
}

void DeliveryWorker::Record(const Claimed& m, const std::string& token,
                            const outbound::Outcome& outcome, Millis now) {
  std::string status;
  std::string webhook_status;
  try {
    db_.Write([&](db::Tx& tx) {
      if (outcome.cancelled) {
        // Not an attempt: the message is due again as soon as a worker runs.
        tx.Exec(
            "UPDATE outbox SET claim_token = NULL, claimed_until = NULL WHERE id = $1 AND "
            "claim_token = $2",
            {m.id, token});
        return;
      }
      int attempts = m.attempts + 1;
      std::optional<Millis> retry;
      if (outcome.ok) {
        status = webhook_status = "sent";
      } else if (outcome.skipped) {
        status = "skipped";
      } else if (!outcome.permanent && (retry = RetryDelay(attempts))) {
        status = "pending";
        webhook_status = "retrying";
      } else {
        status = webhook_status = "failed";
      }
      auto changed = tx.Exec(
          "UPDATE outbox SET status = $3, attempts = $4, next_attempt_at = $5, last_error = $6, "
          "sent_at = $7, claim_token = NULL, claimed_until = NULL "
          "WHERE id = $1 AND claim_token = $2",
          {m.id, token, status, attempts, retry ? now + *retry : now, outcome.error,
           outcome.ok ? db::Value(now) : db::Value()});
      if (changed == 1 && m.channel == "webhook" && !webhook_status.empty()) {
        tx.Exec(
            "UPDATE webhooks SET last_delivery_at = $2, last_delivery_status = $3, "
            "last_delivery_error = $4 WHERE id = $1",
            {m.target, now, webhook_status, outcome.error});
      }
    });
  } catch (const std::exception& e) {
    // The claim runs out and another pass sends the message again: at least once.
    spdlog::warn("outbox: could not record the outcome of {}: {}", m.id, e.what());
    return;
  }
  if (status == "sent") {
    spdlog::debug("outbox: {} {} sent", m.channel, m.id);
  } else if (status == "skipped") {
    spdlog::debug("outbox: {} {} skipped: {}", m.channel, m.id, outcome.error);
  } else if (!status.empty()) {
    spdlog::warn("outbox: {} {} ({}) attempt {}: {} ({})", m.channel, m.id, m.event, m.attempts + 1,
                 outcome.error, status);
  }
}

std::int64_t DeliveryWorker::Sweep(Millis now) {
  // Ids are UUIDv7, ordered by creation time: the primary key finds old rows without an index of
  // their own.
  return db_.Write([&](db::Tx& tx) {
    return tx.Exec("DELETE FROM outbox WHERE id < $1 AND status <> 'pending'",
                   {UuidFloor(now - kKeep)});
  });
}

}  // namespace rampart::notify
