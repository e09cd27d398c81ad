// Notifications: who Enqueue() tells (on SQLite and PostgreSQL), what a subscription covers, the
// webhook document and its signature, and the retry schedule.
#include "platform/notify.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>
#include <stdexcept>
#include <string>

#include "platform/crypto.h"
#include "platform/notify_testing.h"

namespace rampart::notify {
namespace {

using testing_support::MigratedStore;
using testing_support::Store;
using testing_support::StoreName;

// ---------------------------------------------------------------------------------------------
// Pure parts.

TEST(NotifySubscription, CoversExactTypesPrefixesAndEverything) {
  EXPECT_TRUE(Subscribed("incident.filed", "incident.filed"));
  EXPECT_FALSE(Subscribed("incident.filed", "incident.comment"));
  EXPECT_TRUE(Subscribed("incident.comment, incident.filed", "incident.filed"));
  EXPECT_TRUE(Subscribed("incident.*", "incident.stage_overdue"));
  EXPECT_FALSE(Subscribed("incident.*", "incidentx.filed"));
  EXPECT_TRUE(Subscribed("*", "incident.correlation"));
  EXPECT_FALSE(Subscribed("", "incident.filed"));
  EXPECT_FALSE(Subscribed("incident.filedx", "incident.filed"));
  EXPECT_FALSE(Subscribed("incident.file", "incident.filed"));
}

TEST(NotifySubscription, AcceptsOnlyKnownTypesAndTheirPrefixes) {
  for (auto t : kEventTypes) EXPECT_TRUE(ValidSubscription(t)) << t;
  EXPECT_TRUE(ValidSubscription("*"));
  EXPECT_TRUE(ValidSubscription("incident.*"));
  EXPECT_FALSE(ValidSubscription("incident.filled"));
  EXPECT_FALSE(ValidSubscription("risk.*"));
  EXPECT_FALSE(ValidSubscription(""));
  EXPECT_FALSE(ValidSubscription("incident.filed,incident.comment")) << "one pattern per item";
}

TEST(NotifyWebhook, SignatureIsHmacSha256OfTimestampDotBody) {
  // Computed independently with:
  //   printf '%s' '1700000000.{"id":"x","type":"webhook.ping"}' |
  //     openssl dgst -sha256 -hmac 'whsec-test-secret'
  EXPECT_EQ(
      WebhookSignature("whsec-test-secret", 1700000000, R"({"id":"x","type":"webhook.ping"})"),
      "v1=f5d59505ac3f9084394df4b8613e9e2659106ac047eca950395677ce6ea1526a");
}

TEST(NotifyWebhook, SignatureChangesWithEveryInput) {
  auto base = WebhookSignature("k", 1, "{}");
  EXPECT_NE(WebhookSignature("k2", 1, "{}"), base);
  EXPECT_NE(WebhookSignature("k", 2, "{}"), base);
  EXPECT_NE(WebhookSignature("k", 1, "{ }"), base);
}

TEST(NotifyWebhook, BodyCarriesTheDeliveryTypeTimeOrganisationAndData) {
  Event e;
  e.type = "incident.filed";
  e.org_id = "org-1";
  e.payload = R"({"reference":"INC-2026-000001"})";
  EXPECT_EQ(WebhookBody("d-1", e, 1'700'000'000'123),
            R"({"id":"d-1","type":"incident.filed","created_at":"2023-11-14T22:13:20.123Z",)"
            R"("organisation_id":"org-1","data":{"reference":"INC-2026-000001"}})");
  e.payload.clear();
  EXPECT_EQ(nlohmann::json::parse(WebhookBody("d-2", e, 0))["data"], nlohmann::json::object());
}

TEST(NotifyRetry, BacksOffThenGivesUp) {
  constexpr Millis kMinute = 60'000;
  EXPECT_EQ(RetryDelay(1), kMinute);
  EXPECT_EQ(RetryDelay(2), 5 * kMinute);
  EXPECT_EQ(RetryDelay(3), 30 * kMinute);
  EXPECT_EQ(RetryDelay(4), 120 * kMinute);
  EXPECT_EQ(RetryDelay(5), 360 * kMinute);
  EXPECT_EQ(RetryDelay(6), 720 * kMinute);
  EXPECT_EQ(RetryDelay(7), 1440 * kMinute);
  EXPECT_EQ(RetryDelay(kMaxAttempts), std::nullopt);
  EXPECT_EQ(RetryDelay(kMaxAttempts + 5), std::nullopt);
  Millis total = 0;
  for (int i = 1; i < kMaxAttempts; ++i) total += *RetryDelay(i);
  EXPECT_GT(total, Millis{40} * 60 * kMinute) << "a receiver down for a working day still gets it";
}

// ---------------------------------------------------------------------------------------------
// Enqueue on a real database.

class NotifyEnqueue : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    org_ = AddOrganisation("Harbour Bank");
    other_org_ = AddOrganisation("Other Bank");
    ciso_ = AddPerson(org_, "ciso.hb", RoleSet::Of({Role::kCiso, Role::kOrgAdmin}));
    reporter_ = AddPerson(org_, "reporter.hb", RoleSet::Of({Role::kReporter}));
    viewer_ = AddPerson(org_, "viewer.hb", RoleSet::Of({Role::kViewer}));
    disabled_ = AddPerson(org_, "gone.hb", RoleSet::Of({Role::kCiso}), /*disabled=*/true);
    outsider_ = AddPerson(other_org_, "ciso.ob", RoleSet::Of({Role::kCiso}));
  }

  Event Filed() {
    Event e;
    e.type = "incident.filed";
    e.org_id = org_;
    e.roles = RoleSet::Of({Role::kCiso, Role::kReporter});
    e.subject = "INC-2026-000001 filed: phishing wave";
    e.text = "An early warning was filed.";
    e.link = "/incidents/abc";
    e.incident_id = "0190aaaa-0000-7000-8000-000000000001";
    e.payload = R"({"reference":"INC-2026-000001"})";
    return e;
  }

  void EnqueueCommitted(const Event& e, Millis now = 1'000) {
    db().Write([&](db::Tx& tx) { Enqueue(tx, e, now); });
  }

  std::set<std::string> NotifiedUsers() {
    return db().Read([&](db::Tx& tx) {
      std::set<std::string> out;
      for (const auto& r : tx.Query("SELECT user_id FROM notifications", {})) {
        out.insert(r.Text(0));
      }
      return out;
    });
  }

  std::string org_, other_org_, ciso_, reporter_, viewer_, disabled_, outsider_;
};

TEST_P(NotifyEnqueue, TellsActiveMembersHoldingTheRolesInAppAndByEmail) {
  EnqueueCommitted(Filed());
  EXPECT_EQ(NotifiedUsers(), (std::set<std::string>{ciso_, reporter_}));
  auto row = db().Read([&](db::Tx& tx) {
    return *tx.QueryOne(
        "SELECT event, subject, body, link, incident_id, organisation_id, created_at, read_at "
        "FROM notifications WHERE user_id = $1",
        {ciso_});
  });
  EXPECT_EQ(row.Text(0), "incident.filed");
  EXPECT_EQ(row.Text(1), "INC-2026-000001 filed: phishing wave");
  EXPECT_EQ(row.Text(2), "An early warning was filed.");
  EXPECT_EQ(row.Text(3), "/incidents/abc");
  EXPECT_EQ(row.Text(4), "0190aaaa-0000-7000-8000-000000000001");
  EXPECT_EQ(row.Text(5), org_);
  EXPECT_EQ(row.Int(6), 1'000);
  EXPECT_TRUE(row.IsNull(7));

  auto mails = db().Read([&](db::Tx& tx) {
    return tx.Query(
        "SELECT target, target_name, subject, status, attempts, next_attempt_at FROM outbox "
        "WHERE channel = 'email' ORDER BY target",
        {});
  });
  ASSERT_EQ(mails.size(), 2u);
  EXPECT_EQ(mails[0].Text(0), "ciso.hb@example.org");
  EXPECT_EQ(mails[0].Text(1), "Person ciso.hb");
  EXPECT_EQ(mails[0].Text(2), "INC-2026-000001 filed: phishing wave");
  EXPECT_EQ(mails[0].Text(3), "pending");
  EXPECT_EQ(mails[0].Int(4), 0);
  EXPECT_EQ(mails[0].Int(5), 1'000) << "due at once";
  EXPECT_EQ(mails[1].Text(0), "reporter.hb@example.org");
}

TEST_P(NotifyEnqueue, LeavesOutTheActor) {
  auto e = Filed();
  e.actor_id = reporter_;
  EnqueueCommitted(e);
  EXPECT_EQ(NotifiedUsers(), (std::set<std::string>{ciso_}));
  EXPECT_EQ(Count("outbox", "channel = 'email'"), 1);
}

TEST_P(NotifyEnqueue, WithoutRolesTellsOnlyWebhooks) {
  AddWebhook(org_, "*");
  auto e = Filed();
  e.roles = RoleSet();
  EnqueueCommitted(e);
  EXPECT_EQ(Count("notifications"), 0);
  EXPECT_EQ(Count("outbox", "channel = 'email'"), 0);
  EXPECT_EQ(Count("outbox", "channel = 'webhook'"), 1);
}

TEST_P(NotifyEnqueue, SendsToActiveWebhooksSubscribedToTheType) {
  auto all = AddWebhook(org_, "*");
  auto incidents = AddWebhook(org_, "incident.*");
  AddWebhook(org_, "incident.comment");
  AddWebhook(org_, "*", /*active=*/false);
  AddWebhook(other_org_, "*");
  EnqueueCommitted(Filed(), 5'000);
  auto rows = db().Read([&](db::Tx& tx) {
    return tx.Query(
        "SELECT id, target, event, body FROM outbox WHERE channel = 'webhook' ORDER BY target", {});
  });
  ASSERT_EQ(rows.size(), 2u);
  std::set<std::string> targets = {rows[0].Text(1), rows[1].Text(1)};
  EXPECT_EQ(targets, (std::set<std::string>{all, incidents}));
  for (const auto& r : rows) {
    auto body = nlohmann::json::parse(r.Text(3));
    EXPECT_EQ(body["id"], r.Text(0)) << "the document names its delivery, for deduplication";
    EXPECT_EQ(body["type"], "incident.filed");
    EXPECT_EQ(body["organisation_id"], org_);
    EXPECT_EQ(body["created_at"], "1970-01-01T00:00:05.000Z");
    EXPECT_EQ(body["data"]["reference"], "INC-2026-000001");
    EXPECT_EQ(r.Text(2), "incident.filed");
  }
}

TEST_P(NotifyEnqueue, PeopleOfOtherOrganisationsAreNotTold) {
  EnqueueCommitted(Filed());
  EXPECT_EQ(Count("notifications", "user_id = $1", {outsider_}), 0);
  EXPECT_EQ(Count("outbox", "target = $1", {"ciso.ob@example.org"}), 0);
}

TEST_P(NotifyEnqueue, ARolledBackWriteTellsNobody) {
  AddWebhook(org_, "*");
  EXPECT_THROW(db().Write([&](db::Tx& tx) {
    Enqueue(tx, Filed(), 1'000);
    throw std::runtime_error("the incident could not be saved");
  }),
               std::runtime_error);
  EXPECT_EQ(Count("notifications"), 0);
  EXPECT_EQ(Count("outbox"), 0);
}

TEST_P(NotifyEnqueue, RefusesAPayloadThatIsNotAJsonObject) {
  AddWebhook(org_, "*");
  auto e = Filed();
  e.payload = "[1, 2]";
  EXPECT_THROW(EnqueueCommitted(e), std::invalid_argument);
  e.payload = "{not json";
  EXPECT_THROW(EnqueueCommitted(e), std::invalid_argument);
  EXPECT_EQ(Count("outbox"), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, NotifyEnqueue, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::notify
