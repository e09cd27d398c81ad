// The bulk import: every error of a file with its line and field, nothing changed when there is
// one, and imported cases filed, routed and timed like cases filed over the API.
#include "incidents/import.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "directory/demo.h"
#include "incidents/notices.h"
#include "incidents/store.h"
#include "platform/crypto.h"
#include "platform/migrate.h"

namespace rampart::incidents {
namespace {

class ImportTest : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    crypto::Init();
    dir_ = std::filesystem::temp_directory_path() /
           ("rampart-import-test-" + crypto::Hex(crypto::RandomBytes(6)));
    std::filesystem::create_directories(dir_);
    db_ = db::Database::Open("sqlite:" + (dir_ / "test.db").string(), 2).release();
    ASSERT_TRUE(Migrate(*db_).ok());
    directory::SeedDemo(*db_);
  }
  static void TearDownTestSuite() {
    delete db_;
    std::error_code ec;
    std::filesystem::remove_all(dir_, ec);
  }

  static std::int64_t Count(const std::string& table) {
    return db_->Read(
        [&](db::Tx& tx) { return tx.QueryOne("SELECT COUNT(*) FROM " + table, {})->Int(0); });
  }

  // "LINE: field: message" for each error.
  static std::vector<std::string> Errors(const ImportOutcome& out) {
    std::vector<std::string> v;
    for (const auto& e : out.errors.first) {
      v.push_back(std::to_string(e.line) + ": " + e.field + ": " + e.message);
    }
    return v;
  }

  static constexpr Millis kNow = 1'795'000'000'000;  // 2026-11-18
  static inline std::filesystem::path dir_;
  static inline db::Database* db_ = nullptr;
};

constexpr std::string_view kGood =
    R"({"organisation":"HCB","title":"Card payments failing","aware_at":"2026-10-01T08:00:00Z",)"
    R"("reported_at":"2026-10-01T09:00:00Z","suspected_malicious":"no","may_affect_others":false})";

TEST_F(ImportTest, ListsEveryErrorWithItsLineAndChangesNothing) {
  const auto before = Count("incidents");
  const std::string text =
      std::string(kGood) + "\n" +
      R"({"organisation":"Nobody","title":"x","aware_at":"yesterday","suspected_malicious":"maybe",)"
      R"("may_affect_others":false,"colour":"red"})"
      "\n\nnot json\n" +
      R"({"organisation":"NDC","title":"Outage","aware_at":"2026-10-01T08:00:00Z",)"
      R"("reported_at":"2026-09-30T08:00:00Z","suspected_malicious":"no","may_affect_others":true,)"
      R"("rsit_class":"availability","rsit_type":"phishing","root_cause":"gremlins",)"
      R"("observables":[{"type":"ipv4","value":"256.1.1.1"}]})"
      "\n";
  auto out = Import(*db_, text, ImportFormat::kJsonLines, "reporter.bank1", kNow);
  EXPECT_EQ(out.imported, 0);
  EXPECT_EQ(Errors(out),
            (std::vector<std::string>{
                "2: colour: is not a field of an imported incident",
                "2: organisation: no organisation with id, short name or name 'Nobody'",
                "2: title: must be 3 to 200 characters",
                "2: aware_at: must be an RFC 3339 time, e.g. 2026-03-01T08:30:00Z",
                "2: suspected_malicious: must be one of yes, no, unknown",
                "4: record: is not valid JSON",
                "5: sector: is required: NDC is in several sectors",
                "5: observables/0/value: is not an IPv4 address: octet 256 is over 255",
                "5: reported_at: must not be before aware_at",
                "5: rsit_type: is not a type of the class availability",
                "5: root_cause: must be one of system_failure, human_error, malicious_action, "
                "third_party_failure, natural_phenomenon",
            }));
  EXPECT_EQ(Count("incidents"), before);
}

TEST_F(ImportTest, KeepsTheFirstHundredErrorsAndCountsTheRest) {
  std::string text;
  for (int k = 0; k < 150; ++k) text += "{}\n";
  auto out = Import(*db_, text, ImportFormat::kJsonLines, "reporter.bank1", kNow);
  EXPECT_EQ(out.errors.first.size(), 100u);
  EXPECT_EQ(out.errors.total, 750);  // five required fields missing on each line
}

TEST_F(ImportTest, RefusesTimesInTheFuture) {
  const std::string text =
      R"({"organisation":"HCB","title":"Later","aware_at":"2026-11-17T00:00:00Z",)"
      R"("reported_at":"2026-12-01T00:00:00Z","resolved_at":"2027-01-01T00:00:00Z",)"
      R"("suspected_malicious":"no","may_affect_others":false})";
  auto out = Import(*db_, text, ImportFormat::kJsonLines, "reporter.bank1", kNow);
  EXPECT_EQ(Errors(out), (std::vector<std::string>{
                             "1: reported_at: must not be in the future",
                             "1: resolved_at: must not be in the future",
                         }));
}

TEST_F(ImportTest, NeedsAnActiveAccount) {
  auto out = Import(*db_, kGood, ImportFormat::kJsonLines, "nobody.here", kNow);
  EXPECT_NE(out.fatal, "");
  EXPECT_EQ(out.imported, 0);
}

TEST_F(ImportTest, CsvNamesUnknownColumnsAndShortRows) {
  const std::string text =
      "organisation,title,aware_at,suspected_malicious,may_affect_others,mood\n"
      "HCB,Card payments failing,2026-10-01T08:00:00Z,no,false,calm\n"
      "HCB,\"Short, quoted\nrow\"\n";
  auto out = Import(*db_, text, ImportFormat::kCsv, "reporter.bank1", kNow);
  EXPECT_EQ(Errors(out), (std::vector<std::string>{
                             "1: mood: is not a column of an imported incident",
                             "3: record: has 2 fields; the header names 6",
                         }));
}

TEST_F(ImportTest, FilesEachRecordLikeTheApiWithItsLaterStages) {
  const auto before = Count("incidents");
  const std::string text =
      "organisation,sector,title,summary,aware_at,reported_at,suspected_malicious,"
      "may_affect_others,rsit_class,rsit_type,users_affected,root_cause,resolved_at,state,"
      "observables\n"
      "Harbour Commercial Bank,,Card payments failing,\"Terminals declined, then "
      "\"\"recovered\"\"\","
      "2026-10-01T08:00:00Z,2026-10-01T09:00:00Z,no,false,,,,,,,\n"
      "NDC,ict,Core router outage,,2026-10-02T08:00:00Z,2026-10-02T10:00:00Z,no,false,"
      "availability,outage,250000,human_error,2026-10-03T08:00:00Z,closed,"
      "ipv4:203.0.113.9;domain:bad[.]example\n";
  auto out = Import(*db_, text, ImportFormat::kCsv, "reporter.bank1", kNow);
  ASSERT_EQ(Errors(out), std::vector<std::string>{});
  ASSERT_EQ(out.fatal, "");
  EXPECT_EQ(out.imported, 2);
  EXPECT_EQ(Count("incidents"), before + 2);

  db_->Read([&](db::Tx& tx) {
    auto rows = tx.Query(
        "SELECT id, reference, summary, state, early_warning_at, notification_at, final_at, "
        "root_cause, closed_at FROM incidents ORDER BY created_at DESC, reference DESC LIMIT 2",
        {});
    ASSERT_EQ(rows.size(), 2u);
    const auto& plain = rows[1];
    EXPECT_EQ(plain.Text(1).substr(0, 9), "INC-2026-");
    EXPECT_EQ(plain.Text(2), "Terminals declined, then \"recovered\"");
    EXPECT_EQ(plain.Text(3), "submitted");
    EXPECT_EQ(plain.Int(4), *ParseRfc3339("2026-10-01T09:00:00Z"));
    auto i = FindIncident(tx, plain.Text(0));
    EXPECT_EQ(i->version, 1);  // an early warning alone is exactly what the API files
    EXPECT_FALSE(PartiesOf(tx, i->id).empty());

    const auto& full = rows[0];
    auto c = FindIncident(tx, full.Text(0));
    EXPECT_EQ(c->state, CaseState::kClosed);
    EXPECT_EQ(c->rsit_type, "outage");
    EXPECT_EQ(c->root_cause, "human_error");
    EXPECT_EQ(c->resolved_at, *ParseRfc3339("2026-10-03T08:00:00Z"));
    EXPECT_TRUE(c->severity.has_value());
    EXPECT_EQ(ReportsOf(tx, c->id).size(), 3u);
    auto obs = ObservablesOf(tx, c->id);
    ASSERT_EQ(obs.size(), 2u);
    EXPECT_EQ(
        tx.QueryOne("SELECT COUNT(*) FROM audit_log WHERE action = 'incident.import'", {})->Int(0),
        1);
  });
}

// History is not news: a stage that was already late when the record was imported is not
// e-mailed about; a deadline still ahead is reminded of as for any case, once each.
TEST_F(ImportTest, RemindsOfDeadlinesStillAheadButNotOfThoseLateBeforeTheImport) {
  const std::string live_aware = FormatRfc3339(kNow - 71 * kHour);  // notification due kNow + 1 h
  const std::string text =
      R"({"organisation":"HCB","title":"Old outage, reported late","aware_at":"2026-09-01T08:00:00Z",)"
      R"("reported_at":"2026-09-01T09:00:00Z","suspected_malicious":"no","may_affect_others":false})"
      "\n"
      R"({"organisation":"HCB","title":"Fresh phishing wave","aware_at":")" +
      live_aware +
      R"(","suspected_malicious":"yes","may_affect_others":false})"
      "\n";
  auto out = Import(*db_, text, ImportFormat::kJsonLines, "reporter.bank1", kNow);
  ASSERT_EQ(Errors(out), std::vector<std::string>{});
  ASSERT_EQ(out.imported, 2);

  struct Due {
    std::string reference;
    std::optional<std::int64_t> next, due_reminded, overdue_reminded;
    std::int64_t mails = 0;
  };
  auto due = [&](const std::string& title) {
    return db_->Read([&](db::Tx& tx) {
      auto r = tx.QueryOne(
          "SELECT reference, next_due_at, due_reminded_at, overdue_reminded_at FROM incidents "
          "WHERE title = $1",
          {title});
      Due d{r->Text(0), r->OptInt(1), r->OptInt(2), r->OptInt(3)};
      d.mails =
          tx.QueryOne("SELECT COUNT(*) FROM outbox WHERE subject LIKE $1", {d.reference + "%"})
              ->Int(0);
      return d;
    });
  };
  SendReminders(*db_, kNow);
  Due old = due("Old outage, reported late");
  Due fresh = due("Fresh phishing wave");
  ASSERT_TRUE(old.next.has_value());
  EXPECT_LT(*old.next, kNow);
  EXPECT_EQ(old.overdue_reminded, old.next);  // marked as known at the import, never sent
  EXPECT_EQ(old.mails, 0);
  ASSERT_TRUE(fresh.next.has_value());
  EXPECT_EQ(*fresh.next, kNow - 71 * kHour + 72 * kHour);
  EXPECT_EQ(fresh.due_reminded, fresh.next);  // due within two hours: announced
  EXPECT_EQ(fresh.overdue_reminded, std::nullopt);
  const auto mails_due_soon = fresh.mails;
  EXPECT_GT(mails_due_soon, 0);

  SendReminders(*db_, kNow);  // once each
  EXPECT_EQ(due("Fresh phishing wave").mails, mails_due_soon);
  SendReminders(*db_, kNow + 2 * kHour);  // now late: the reporter and the regulator hear of it
  fresh = due("Fresh phishing wave");
  EXPECT_EQ(fresh.overdue_reminded, fresh.next);
  EXPECT_GT(fresh.mails, mails_due_soon);
  EXPECT_EQ(due("Old outage, reported late").mails, 0);
}

}  // namespace
}  // namespace rampart::incidents
