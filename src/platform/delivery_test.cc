// The delivery worker against a real database (SQLite and PostgreSQL) and a fake transport:
// what it sends, how it records outcomes and retries, that two servers never send one message
// twice, and that it stops cleanly.
#include "platform/delivery.h"

#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <vector>

#include "platform/crypto.h"
#include "platform/notify.h"
#include "platform/notify_testing.h"

namespace rampart::notify {
namespace {

using testing_support::MigratedStore;
using testing_support::Store;
using testing_support::StoreName;
using namespace std::chrono_literals;

// Records what it is asked to send and answers as told. Thread-safe: two workers may share one.
class FakeTransport final : public outbound::Transport {
 public:
  struct Mail {
    std::string from, to, message;
  };
  struct Request {
    std::string url, body;
    std::vector<http::Header> headers;
    [[nodiscard]] std::string Header(std::string_view name) const {
      for (const auto& h : headers) {
        if (h.name == name) return h.value;
      }
      return "";
    }
  };

  explicit FakeTransport(bool relay = true) : relay_(relay) {}

  [[nodiscard]] bool has_smtp_relay() const override { return relay_; }
  outbound::Outcome SendMail(const std::string& from, const std::string& to,
                             const std::string& message) override {
    std::lock_guard lock(mu_);
    mails.push_back({from, to, message});
    ++sends[message.substr(message.find("Message-ID:"), 60)];
    return answer;
  }
  outbound::Outcome Post(const std::string& url, const std::vector<http::Header>& headers,
                         const std::string& body) override {
    if (block_posts) {
      // Like a receiver that never answers: only Cancel() ends it.
      std::unique_lock lock(mu_);
      blocked = true;
      cancel_cv_.wait(lock, [&] { return cancelled_; });
      return {.cancelled = true, .error = "cancelled"};
    }
    std::lock_guard lock(mu_);
    posts.push_back({url, body, headers});
    return answer;
  }
  void Cancel() override {
    std::lock_guard lock(mu_);
    cancelled_ = true;
    cancel_cv_.notify_all();
  }

  std::mutex mu_;
  std::vector<Mail> mails;
  std::vector<Request> posts;
  std::map<std::string, int> sends;  // by Message-ID
  outbound::Outcome answer{.ok = true};
  bool block_posts = false;
  bool blocked = false;

 private:
  bool relay_;
  bool cancelled_ = false;
  std::condition_variable cancel_cv_;
};

constexpr Millis kNow = 1'700'000'000'000;

class NotifyDelivery : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    config_.smtp_url = "smtp://relay.example.org";
    config_.smtp_from = "Rampart <rampart@cert.example>";
    config_.public_origin = "https://rampart.cert.example";
    org_ = AddOrganisation("Harbour Bank");
    ciso_ = AddPerson(org_, "ciso.hb", RoleSet::Of({Role::kCiso}));
  }

  // A worker with a fake transport it does not own, so the test can look at it afterwards.
  std::unique_ptr<DeliveryWorker> Worker(FakeTransport& fake, db::Database* on = nullptr) {
    struct Borrowed final : outbound::Transport {
      explicit Borrowed(FakeTransport& f) : f(f) {}
      [[nodiscard]] bool has_smtp_relay() const override { return f.has_smtp_relay(); }
      outbound::Outcome SendMail(const std::string& a, const std::string& b,
                                 const std::string& c) override {
        return f.SendMail(a, b, c);
      }
      outbound::Outcome Post(const std::string& a, const std::vector<http::Header>& b,
                             const std::string& c) override {
        return f.Post(a, b, c);
      }
      void Cancel() override { f.Cancel(); }
      FakeTransport& f;
    };
    return std::make_unique<DeliveryWorker>(on ? *on : db(), config_,
                                            std::make_unique<Borrowed>(fake));
  }

  Event Filed(RoleSet roles = RoleSet::Of({Role::kCiso})) {
    Event e;
    e.type = "incident.filed";
    e.org_id = org_;
    e.roles = roles;
    e.subject = "INC-2026-000001 filed";
    e.text = "An early warning was filed.";
    e.link = "/incidents/abc";
    e.payload = R"({"reference":"INC-2026-000001"})";
    return e;
  }

  void EnqueueCommitted(const Event& e, Millis now = kNow) {
    db().Write([&](db::Tx& tx) { Enqueue(tx, e, now); });
  }

  db::Row Outbox(const std::string& channel) {
    return db().Read([&](db::Tx& tx) {
      return *tx.QueryOne(
          "SELECT status, attempts, next_attempt_at, last_error, sent_at, claim_token, "
          "claimed_until FROM outbox WHERE channel = $1",
          {channel});
    });
  }

  Config config_;
  std::string org_, ciso_;
};

TEST_P(NotifyDelivery, SendsAnEmailAndRecordsIt) {
  FakeTransport fake;
  EnqueueCommitted(Filed());
  EXPECT_EQ(Worker(fake)->RunOnce(kNow), 1);
  ASSERT_EQ(fake.mails.size(), 1u);
  const auto& m = fake.mails[0];
  EXPECT_EQ(m.from, "rampart@cert.example");
  EXPECT_EQ(m.to, "ciso.hb@example.org");
  EXPECT_NE(m.message.find("From: Rampart <rampart@cert.example>\r\n"), std::string::npos);
  EXPECT_NE(m.message.find("To: \"Person ciso.hb\" <ciso.hb@example.org>\r\n"), std::string::npos);
  EXPECT_NE(m.message.find("Subject: INC-2026-000001 filed\r\n"), std::string::npos);
  EXPECT_NE(m.message.find("@cert.example>\r\n"), std::string::npos) << "Message-ID's domain";
  EXPECT_NE(m.message.find("X-Rampart-Event: incident.filed\r\n"), std::string::npos);
  EXPECT_NE(m.message.find("Open in Rampart: https://rampart.cert.example/incidents/abc"),
            std::string::npos);
  auto row = Outbox("email");
  EXPECT_EQ(row.Text(0), "sent");
  EXPECT_EQ(row.Int(1), 1);
  EXPECT_EQ(row.Int(4), kNow);
  EXPECT_TRUE(row.IsNull(5)) << "the claim is released";
  EXPECT_TRUE(row.IsNull(6));
  EXPECT_EQ(Worker(fake)->RunOnce(kNow + 60'000), 0) << "sent once";
}

TEST_P(NotifyDelivery, SignsWebhooksSoTheReceiverCanCheckThem) {
  FakeTransport fake;
  auto hook = AddWebhook(org_, "incident.*");
  EnqueueCommitted(Filed(RoleSet()));
  EXPECT_EQ(Worker(fake)->RunOnce(kNow + 2'500), 1);
  ASSERT_EQ(fake.posts.size(), 1u);
  const auto& p = fake.posts[0];
  EXPECT_EQ(p.url, "https://hooks.example.org/rampart");
  EXPECT_EQ(p.Header("Content-Type"), "application/json");
  EXPECT_EQ(p.Header("Rampart-Webhook-Id"), hook);
  EXPECT_EQ(p.Header("Rampart-Event"), "incident.filed");
  EXPECT_EQ(p.Header("Rampart-Timestamp"), "1700000002");
  auto body = nlohmann::json::parse(p.body);
  EXPECT_EQ(p.Header("Rampart-Delivery-Id"), body["id"]);
  // The receiver's check, written out: HMAC-SHA256 keyed with the secret over "timestamp.body".
  std::string expected =
      "v1=" + crypto::Hex(crypto::HmacSha256("secret-of-" + hook, "1700000002." + p.body));
  EXPECT_EQ(p.Header("Rampart-Signature"), expected);
  auto last = db().Read([&](db::Tx& tx) {
    return *tx.QueryOne(
        "SELECT last_delivery_at, last_delivery_status, last_delivery_error FROM webhooks "
        "WHERE id = $1",
        {hook});
  });
  EXPECT_EQ(last.Int(0), kNow + 2'500);
  EXPECT_EQ(last.Text(1), "sent");
  EXPECT_EQ(last.Text(2), "");
}

TEST_P(NotifyDelivery, RetriesWithBackoffThenGivesUp) {
  FakeTransport fake;
  fake.answer = {.error = "connection refused"};
  auto hook = AddWebhook(org_, "*");
  EnqueueCommitted(Filed(RoleSet()));
  auto worker = Worker(fake);
  Millis now = kNow;
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    ASSERT_EQ(worker->RunOnce(now), 1) << "attempt " << attempt;
    auto row = Outbox("webhook");
    EXPECT_EQ(row.Int(1), attempt);
    EXPECT_EQ(row.Text(3), "connection refused");
    if (attempt < kMaxAttempts) {
      EXPECT_EQ(row.Text(0), "pending");
      EXPECT_EQ(row.Int(2), now + *RetryDelay(attempt));
      EXPECT_EQ(worker->RunOnce(now + *RetryDelay(attempt) - 1), 0) << "not due yet";
      now += *RetryDelay(attempt);
    } else {
      EXPECT_EQ(row.Text(0), "failed");
    }
  }
  EXPECT_EQ(fake.posts.size(), static_cast<std::size_t>(kMaxAttempts));
  EXPECT_EQ(worker->RunOnce(now + 365LL * 86'400'000), 0) << "a failed message stays failed";
  auto status = db().Read([&](db::Tx& tx) {
    return tx.QueryOne("SELECT last_delivery_status FROM webhooks WHERE id = $1", {hook})->Text(0);
  });
  EXPECT_EQ(status, "failed");
}

TEST_P(NotifyDelivery, ARefusedMailboxFailsAtOnce) {
  FakeTransport fake;
  fake.answer = {.permanent = true, .error = "550 no such mailbox"};
  EnqueueCommitted(Filed());
  EXPECT_EQ(Worker(fake)->RunOnce(kNow), 1);
  auto row = Outbox("email");
  EXPECT_EQ(row.Text(0), "failed");
  EXPECT_EQ(row.Int(1), 1);
}

TEST_P(NotifyDelivery, WithoutARelayEmailIsSkippedNotPiledUp) {
  FakeTransport fake(/*relay=*/false);
  EnqueueCommitted(Filed());
  EXPECT_EQ(Worker(fake)->RunOnce(kNow), 1);
  EXPECT_TRUE(fake.mails.empty());
  auto row = Outbox("email");
  EXPECT_EQ(row.Text(0), "skipped");
  EXPECT_EQ(row.Text(3), "no SMTP relay configured (smtp_url)");
}

TEST_P(NotifyDelivery, DeliveriesToADeletedOrPausedWebhookAreSkipped) {
  FakeTransport fake;
  auto hook = AddWebhook(org_, "*");
  EnqueueCommitted(Filed(RoleSet()));
  db().Write([&](db::Tx& tx) { tx.Exec("DELETE FROM webhooks WHERE id = $1", {hook}); });
  EXPECT_EQ(Worker(fake)->RunOnce(kNow), 1);
  EXPECT_TRUE(fake.posts.empty());
  EXPECT_EQ(Outbox("webhook").Text(0), "skipped");
  EXPECT_EQ(Outbox("webhook").Text(3), "the webhook was deleted");
}

TEST_P(NotifyDelivery, ALiveClaimIsRespectedAndAnExpiredOneTakenOver) {
  FakeTransport fake;
  EnqueueCommitted(Filed());
  // Another server claimed it a moment ago.
  db().Write([&](db::Tx& tx) {
    tx.Exec("UPDATE outbox SET claim_token = 'other', claimed_until = $1", {kNow + 60'000});
  });
  EXPECT_EQ(Worker(fake)->RunOnce(kNow), 0);
  EXPECT_TRUE(fake.mails.empty());
  // That server died: once its lease runs out, the message is sent here.
  EXPECT_EQ(Worker(fake)->RunOnce(kNow + 60'001), 1);
  EXPECT_EQ(fake.mails.size(), 1u);
  EXPECT_EQ(Outbox("email").Text(0), "sent");
}

TEST_P(NotifyDelivery, TwoServersNeverSendOneMessageTwice) {
  FakeTransport fake;
  for (int i = 0; i < 12; ++i)
    AddPerson(org_, "analyst" + std::to_string(i), RoleSet::Of({Role::kCiso}));
  for (int i = 0; i < 4; ++i) EnqueueCommitted(Filed());  // 4 × 13 people = 52 e-mails
  auto second_db = OpenAnother(4);
  auto a = Worker(fake);
  auto b = Worker(fake, second_db.get());
  auto drain = [&](DeliveryWorker& w) {
    for (int i = 0; i < 50; ++i) w.RunOnce(kNow);
  };
  std::thread ta([&] { drain(*a); });
  std::thread tb([&] { drain(*b); });
  ta.join();
  tb.join();
  EXPECT_EQ(fake.mails.size(), 52u);
  for (const auto& [id, n] : fake.sends) EXPECT_EQ(n, 1) << id;
  EXPECT_EQ(Count("outbox", "status = 'sent'"), 52);
}

TEST_P(NotifyDelivery, AnInterruptedSendIsNotCountedAsAnAttempt) {
  FakeTransport fake;
  fake.answer = {.cancelled = true, .error = "cancelled"};
  EnqueueCommitted(Filed());
  EXPECT_EQ(Worker(fake)->RunOnce(kNow), 1);
  auto row = Outbox("email");
  EXPECT_EQ(row.Text(0), "pending");
  EXPECT_EQ(row.Int(1), 0);
  EXPECT_TRUE(row.IsNull(5)) << "released for the next server";
}

TEST_P(NotifyDelivery, TheThreadSendsAndStopsPromptlyEvenMidTransfer) {
  FakeTransport fake;
  fake.block_posts = true;
  AddWebhook(org_, "*");
  EnqueueCommitted(Filed(RoleSet()), NowMillis());
  auto worker = Worker(fake);
  worker->Start();
  for (int i = 0; i < 100; ++i) {
    {
      std::lock_guard lock(fake.mu_);
      if (fake.blocked) break;
    }
    std::this_thread::sleep_for(50ms);
  }
  {
    std::lock_guard lock(fake.mu_);
    ASSERT_TRUE(fake.blocked) << "the thread picked the webhook up within 5 s";
  }
  auto started = std::chrono::steady_clock::now();
  worker->Stop();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 2s);
  auto row = Outbox("webhook");
  EXPECT_EQ(row.Text(0), "pending");
  EXPECT_EQ(row.Int(1), 0) << "stopping is not the receiver's failure";
  worker->Stop();  // again: nothing happens
}

TEST_P(NotifyDelivery, SweepDeletesOldFinishedMessagesOnly) {
  const Millis old = kNow - DeliveryWorker::kKeep - 86'400'000;
  // Ids from long ago, as UUIDv7 would have made them then.
  auto id_at = [](Millis ms, int n) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%08llx-%04llx-7000-8000-%012d",
                  static_cast<unsigned long long>(ms) >> 16,
                  static_cast<unsigned long long>(ms) & 0xffff, n);
    return std::string(buf);
  };
  db().Write([&](db::Tx& tx) {
    const char* statuses[] = {"sent", "failed", "skipped", "pending"};
    int n = 0;
    for (const char* status : statuses) {
      tx.Exec(
          "INSERT INTO outbox (id, channel, target, event, body, status, next_attempt_at, "
          "created_at) VALUES ($1, 'email', 'a@example.org', 'incident.filed', '', $2, $3, $3)",
          {id_at(old, ++n), status, old});
    }
  });
  EnqueueCommitted(Filed(), kNow);
  FakeTransport fake;
  auto worker = Worker(fake);
  EXPECT_EQ(worker->Sweep(kNow), 3);
  EXPECT_EQ(Count("outbox"), 2) << "the old pending one and today's";
  EXPECT_EQ(worker->Sweep(kNow), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, NotifyDelivery, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

TEST(NotifyEmailText, EndsWithTheLinkAndTheAutomaticMessageLine) {
  EXPECT_EQ(EmailText("Hello.\n", "/incidents/1", "https://r.example/"),
            "Hello.\n\nOpen in Rampart: https://r.example/incidents/1\n\n-- \n"
            "Rampart sent this message automatically; replies are not read.\n");
  EXPECT_EQ(EmailText("Hello.", "/incidents/1", ""),
            "Hello.\n\nIn Rampart: /incidents/1\n\n-- \n"
            "Rampart sent this message automatically; replies are not read.\n");
  EXPECT_EQ(EmailText("Hello.", "", "https://r.example"),
            "Hello.\n\n-- \nRampart sent this message automatically; replies are not read.\n");
}

}  // namespace
}  // namespace rampart::notify
