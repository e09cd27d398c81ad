// Requests for assistance: the state machine and its times (pure), and the store on SQLite and,
// when RAMPART_TEST_POSTGRES_URL names a server, PostgreSQL: numbering, who lists what, the
// CERT's internal notes.
#include "incidents/assistance.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <thread>
#include <vector>

#include "directory/demo.h"
#include "incidents/demo.h"
#include "incidents/store.h"
#include "platform/crypto.h"
#include "platform/notify_testing.h"

namespace rampart::incidents {
namespace {

using S = AssistanceState;

// ---- the state machine ----

TEST(AssistanceRules, TheCertAcceptsOrDeclinesAnOpenRequestAndNothingElse) {
  EXPECT_EQ(NextAssistanceStates(S::kOpen, Side::kCert),
            (std::vector<S>{S::kAccepted, S::kDeclined}));
  EXPECT_FALSE(MayMoveAssistance(S::kOpen, S::kResolved, Side::kCert));
  EXPECT_FALSE(MayMoveAssistance(S::kOpen, S::kWithdrawn, Side::kCert));
}

TEST(AssistanceRules, TheCertWorksWaitsResolvesReopensAndCloses) {
  EXPECT_TRUE(MayMoveAssistance(S::kAccepted, S::kInProgress, Side::kCert));
  EXPECT_TRUE(MayMoveAssistance(S::kInProgress, S::kWaitingForRequester, Side::kCert));
  EXPECT_TRUE(MayMoveAssistance(S::kWaitingForRequester, S::kInProgress, Side::kCert));
  EXPECT_TRUE(MayMoveAssistance(S::kInProgress, S::kResolved, Side::kCert));
  EXPECT_TRUE(MayMoveAssistance(S::kResolved, S::kInProgress, Side::kCert));
  EXPECT_TRUE(MayMoveAssistance(S::kResolved, S::kClosed, Side::kCert));
  // Taken up, a request is no longer declined: it is resolved with what could be done.
  EXPECT_FALSE(MayMoveAssistance(S::kInProgress, S::kDeclined, Side::kCert));
  EXPECT_FALSE(MayMoveAssistance(S::kInProgress, S::kClosed, Side::kCert));
}

TEST(AssistanceRules, TheRequesterWithdrawsOnlyWhileOpen) {
  EXPECT_TRUE(MayMoveAssistance(S::kOpen, S::kWithdrawn, Side::kReporter));
  for (S from : kAllAssistanceStates) {
    if (from == S::kOpen) continue;
    EXPECT_FALSE(MayMoveAssistance(from, S::kWithdrawn, Side::kReporter)) << Name(from);
  }
}

TEST(AssistanceRules, TheRequesterConfirmsOrReopensAResolvedRequestOnly) {
  EXPECT_EQ(NextAssistanceStates(S::kResolved, Side::kReporter),
            (std::vector<S>{S::kInProgress, S::kClosed}));
  EXPECT_TRUE(NextAssistanceStates(S::kAccepted, Side::kReporter).empty());
  EXPECT_TRUE(NextAssistanceStates(S::kInProgress, Side::kReporter).empty());
  EXPECT_FALSE(MayMoveAssistance(S::kOpen, S::kAccepted, Side::kReporter));
}

TEST(AssistanceRules, ClosedDeclinedAndWithdrawnRequestsAreOver) {
  for (S from : {S::kClosed, S::kDeclined, S::kWithdrawn}) {
    EXPECT_FALSE(IsOpen(from));
    for (Side side : {Side::kCert, Side::kReporter}) {
      EXPECT_TRUE(NextAssistanceStates(from, side).empty()) << Name(from);
    }
  }
  EXPECT_FALSE(MayMoveAssistance(S::kOpen, S::kOpen, Side::kCert));
}

TEST(AssistanceRules, DecliningNeedsAReasonAndOtherMovesDoNot) {
  for (S to : kAllAssistanceStates) EXPECT_EQ(NeedsReason(to), to == S::kDeclined) << Name(to);
}

TEST(AssistanceRules, TheRequestersAnswerPutsAWaitingRequestBackInProgress) {
  EXPECT_EQ(AfterMessage(S::kWaitingForRequester, Side::kReporter), S::kInProgress);
  EXPECT_EQ(AfterMessage(S::kWaitingForRequester, Side::kCert), S::kWaitingForRequester);
  EXPECT_EQ(AfterMessage(S::kOpen, Side::kReporter), S::kOpen);
  EXPECT_EQ(AfterMessage(S::kResolved, Side::kReporter), S::kResolved);
}

TEST(AssistanceRules, MovesKeepTheirTimes) {
  AssistanceRequest r;
  r.state = S::kOpen;
  ApplyMove(r, S::kWithdrawn, Side::kReporter, 100);
  EXPECT_EQ(r.state, S::kWithdrawn);
  EXPECT_EQ(r.closed_at, 100);
  EXPECT_FALSE(r.responded_at) << "the requester's own move is no answer of the CERT";

  AssistanceRequest a;
  ApplyMove(a, S::kAccepted, Side::kCert, 10);
  EXPECT_EQ(a.responded_at, 10);
  ApplyMove(a, S::kInProgress, Side::kCert, 20);
  ApplyMove(a, S::kResolved, Side::kCert, 30);
  EXPECT_EQ(a.resolved_at, 30);
  EXPECT_EQ(a.responded_at, 10) << "the first answer stays the first";
  ApplyMove(a, S::kInProgress, Side::kReporter, 40);
  EXPECT_FALSE(a.resolved_at) << "a reopened request is not resolved";
  ApplyMove(a, S::kResolved, Side::kCert, 50);
  ApplyMove(a, S::kClosed, Side::kReporter, 60);
  EXPECT_EQ(a.resolved_at, 50);
  EXPECT_EQ(a.closed_at, 60);
}

TEST(AssistanceRules, MoreUrgentRequestsAreDueSoonerAndOverdueOnlyUnanswered) {
  EXPECT_LT(ResponseTarget(Urgency::kCritical), ResponseTarget(Urgency::kHigh));
  EXPECT_LT(ResponseTarget(Urgency::kHigh), ResponseTarget(Urgency::kMedium));
  EXPECT_LT(ResponseTarget(Urgency::kMedium), ResponseTarget(Urgency::kLow));
  AssistanceRequest r;
  r.respond_by = 1000;
  EXPECT_FALSE(ResponseOverdue(r, 1000));
  EXPECT_TRUE(ResponseOverdue(r, 1001));
  r.state = S::kWithdrawn;
  EXPECT_FALSE(ResponseOverdue(r, 1001));
  r.state = S::kOpen;
  r.responded_at = 900;
  EXPECT_FALSE(ResponseOverdue(r, 5000));
}

TEST(AssistanceRules, NamesRoundTripAndUnknownNamesAreRefused) {
  for (S s : kAllAssistanceStates) EXPECT_EQ(ParseAssistanceState(Name(s)), s);
  for (auto k : kAllAssistanceKinds) EXPECT_EQ(ParseAssistanceKind(Name(k)), k);
  for (auto u : kAllUrgencies) EXPECT_EQ(ParseUrgency(Name(u)), u);
  EXPECT_FALSE(ParseAssistanceState("reopened"));
  EXPECT_FALSE(ParseAssistanceKind("Forensics"));
  EXPECT_FALSE(ParseUrgency(""));
}

TEST(AssistanceRules, ReferencesHaveSixDigitsAtLeast) {
  EXPECT_EQ(FormatAssistanceReference(2026, 42), "AST-2026-000042");
  EXPECT_EQ(FormatAssistanceReference(2027, 1234567), "AST-2027-1234567");
}

// ---- the store, on both engines ----

using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

class AssistanceStore : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    bank_ = AddOrganisation("Bank");
    other_bank_ = AddOrganisation("Other bank");
    cert_ = AddOrganisation("Sector CERT");
    db().Write([&](db::Tx& tx) {
      tx.Exec("UPDATE organisations SET kind = 'sector_cert' WHERE id = $1", {cert_});
    });
    ciso_ = AddPerson(bank_, "ciso", RoleSet::Of({Role::kCiso}));
  }

  AssistanceRequest Make(const std::string& asking, const std::string& title,
                         Relation relation = Relation::kSectorCert) {
    AssistanceRequest a;
    a.id = crypto::NewUuid();
    a.asking_org_id = asking;
    a.cert_org_id = cert_;
    a.cert_relation = relation;
    a.kind = AssistanceKind::kForensics;
    a.urgency = Urgency::kHigh;
    a.title = title;
    a.description = "What happened";
    a.requested_by = ciso_;
    a.respond_by = 2000;
    a.created_at = a.updated_at = 1000;
    db().Write([&](db::Tx& tx) {
      a.reference = NextAssistanceReference(tx, 2026);
      InsertAssistance(tx, a);
    });
    return a;
  }

  std::vector<std::string> Titles(const std::vector<CaseParty>& scopes,
                                  const AssistanceFilter& filter = {}) {
    return db().Read([&](db::Tx& tx) {
      std::vector<std::string> out;
      for (const auto& l : ListAssistance(tx, scopes, filter, std::nullopt, 50)) {
        out.push_back(l.request.title);
      }
      return out;
    });
  }

  std::string bank_, other_bank_, cert_, ciso_;
};

TEST_P(AssistanceStore, NumbersFollowEachOtherWithinAYearAndStartAgainTheNext) {
  db().Write([&](db::Tx& tx) {
    EXPECT_EQ(NextAssistanceReference(tx, 2026), "AST-2026-000001");
    EXPECT_EQ(NextAssistanceReference(tx, 2026), "AST-2026-000002");
    EXPECT_EQ(NextAssistanceReference(tx, 2027), "AST-2027-000001");
    EXPECT_EQ(NextAssistanceReference(tx, 2026), "AST-2026-000003");
  });
  // The series keeps its own count beside the others of the table.
  EXPECT_EQ(Count("reference_counters", "series = 'AST'"), 2);
}

TEST_P(AssistanceStore, NumbersAreNeverGivenTwiceWhenServersAskAtOnce) {
  constexpr int kEach = 15;
  std::vector<std::string> got[2];
  std::vector<std::thread> threads;
  for (int t = 0; t < 2; ++t) {
    threads.emplace_back([&, t] {
      auto mine = OpenAnother(2);  // another app server's connection pool
      for (int k = 0; k < kEach; ++k) {
        got[t].push_back(
            mine->Write([&](db::Tx& tx) { return NextAssistanceReference(tx, 2026); }));
      }
    });
  }
  for (auto& th : threads) th.join();
  std::set<std::string> all(got[0].begin(), got[0].end());
  all.insert(got[1].begin(), got[1].end());
  EXPECT_EQ(all.size(), 2u * kEach);
  EXPECT_EQ(*all.rbegin(), FormatAssistanceReference(2026, 2 * kEach));
}

TEST_P(AssistanceStore, ARequestIsStoredAsMadeAndUpdatedOnlyFromItsVersion) {
  AssistanceRequest a = Make(bank_, "Forensic copy");
  auto found = db().Read([&](db::Tx& tx) { return FindAssistance(tx, a.id); });
  ASSERT_TRUE(found);
  EXPECT_EQ(found->reference, "AST-2026-000001");
  EXPECT_EQ(found->kind, AssistanceKind::kForensics);
  EXPECT_EQ(found->cert_relation, Relation::kSectorCert);
  EXPECT_EQ(found->state, S::kOpen);
  EXPECT_FALSE(found->incident_id);

  found->state = S::kAccepted;
  found->assignee_id = ciso_;
  EXPECT_TRUE(db().Write([&](db::Tx& tx) { return UpdateAssistance(tx, *found, 1, 5000); }));
  EXPECT_FALSE(db().Write([&](db::Tx& tx) { return UpdateAssistance(tx, *found, 1, 6000); }))
      << "a change from a stale version changes nothing";
  auto after = db().Read([&](db::Tx& tx) { return FindAssistance(tx, a.id); });
  EXPECT_EQ(after->version, 2);
  EXPECT_EQ(after->state, S::kAccepted);
  EXPECT_EQ(after->updated_at, 5000);
}

TEST_P(AssistanceStore, EachPartyListsItsOwnRequestsAndNobodyElseDoes) {
  Make(bank_, "Bank's");
  Make(other_bank_, "Other bank's");
  EXPECT_EQ(Titles({{bank_, Relation::kReporter}}), (std::vector<std::string>{"Bank's"}));
  EXPECT_EQ(Titles({{cert_, Relation::kSectorCert}}),
            (std::vector<std::string>{"Other bank's", "Bank's"}));
  // Holding the organisation through another relation than the request's gives nothing.
  EXPECT_TRUE(Titles({{cert_, Relation::kNationalCert}}).empty());
  EXPECT_TRUE(Titles({{cert_, Relation::kReporter}}).empty());
  EXPECT_TRUE(Titles({{bank_, Relation::kSectorCert}}).empty());
  EXPECT_TRUE(Titles({}).empty());
  // A person of both sides chooses a side.
  std::vector<CaseParty> both = {{bank_, Relation::kReporter}, {cert_, Relation::kSectorCert}};
  EXPECT_EQ(Titles(both, {.side = "asking"}), (std::vector<std::string>{"Bank's"}));
  EXPECT_EQ(Titles(both, {.side = "asked"}).size(), 2u);
}

TEST_P(AssistanceStore, ListsFilterAndPageNewestFirst) {
  for (int k = 0; k < 5; ++k) Make(bank_, "Request " + std::to_string(k));
  auto urgent = Make(bank_, "Urgent one");
  db().Write([&](db::Tx& tx) {
    auto a = *FindAssistance(tx, urgent.id);
    a.urgency = Urgency::kCritical;
    a.state = S::kResolved;
    a.assignee_id = ciso_;
    UpdateAssistance(tx, a, 1, 3000);
  });
  const std::vector<CaseParty> cert = {{cert_, Relation::kSectorCert}};
  EXPECT_EQ(Titles(cert, {.urgency = "critical"}), (std::vector<std::string>{"Urgent one"}));
  EXPECT_EQ(Titles(cert, {.state = "open"}).size(), 5u);
  EXPECT_EQ(Titles(cert, {.state = "resolved"}), (std::vector<std::string>{"Urgent one"}));
  EXPECT_EQ(Titles(cert, {.assignee_id = ciso_}), (std::vector<std::string>{"Urgent one"}));
  EXPECT_EQ(Titles(cert, {.query = "urgent"}), (std::vector<std::string>{"Urgent one"}));
  EXPECT_EQ(Titles(cert, {.query = urgent.reference}), (std::vector<std::string>{"Urgent one"}));
  EXPECT_TRUE(Titles(cert, {.query = "100%"}).empty());

  // Pages of two, each after the last of the one before: every request once, newest first.
  std::vector<std::string> walked;
  std::optional<std::string> after;
  for (int page = 0; page < 10; ++page) {
    auto rows = db().Read([&](db::Tx& tx) { return ListAssistance(tx, cert, {}, after, 2); });
    for (const auto& r : rows) walked.push_back(r.request.title);
    if (rows.size() < 2) break;
    after = rows.back().request.id;
  }
  EXPECT_EQ(walked, (std::vector<std::string>{"Urgent one", "Request 4", "Request 3", "Request 2",
                                              "Request 1", "Request 0"}));
}

TEST_P(AssistanceStore, InternalNotesAreReadOnlyByThoseWhoAskForThem) {
  auto a = Make(bank_, "With notes");
  db().Write([&](db::Tx& tx) {
    InsertAssistanceEvent(tx, {"", a.id, 10, ciso_, "Ciso", bank_, "requester", "message", false,
                               "Please help", "{}"});
    InsertAssistanceEvent(
        tx, {"", a.id, 20, "", "Analyst", cert_, "cert", "note", true, "Looks like X", "{}"});
    InsertAssistanceEvent(
        tx, {"", a.id, 30, "", "Analyst", cert_, "cert", "message", false, "On it", "{}"});
  });
  auto texts = [&](bool internal) {
    return db().Read([&](db::Tx& tx) {
      std::vector<std::string> out;
      for (const auto& e : AssistanceEventsOf(tx, a.id, internal)) out.push_back(e.text);
      return out;
    });
  };
  EXPECT_EQ(texts(false), (std::vector<std::string>{"Please help", "On it"}));
  EXPECT_EQ(texts(true), (std::vector<std::string>{"Please help", "Looks like X", "On it"}));
}

TEST_P(AssistanceStore, AnOrganisationMayAskItsSectorsCertsAndTheNationalCert) {
  const std::string national = AddOrganisation("National CERT");
  const std::string far_cert = AddOrganisation("Energy CERT");
  db().Write([&](db::Tx& tx) {
    tx.Exec("UPDATE organisations SET kind = 'national_cert' WHERE id = $1", {national});
    tx.Exec("UPDATE organisations SET kind = 'sector_cert' WHERE id = $1", {far_cert});
    const std::string finance = crypto::NewUuid();
    const std::string energy = crypto::NewUuid();
    tx.Exec(
        "INSERT INTO sectors (id, slug, name, created_at, updated_at) VALUES ($1, 'finance', "
        "'Finance', 1, 1), ($2, 'energy', 'Energy', 1, 1)",
        {finance, energy});
    tx.Exec(
        "INSERT INTO organisation_sectors (organisation_id, sector_id) VALUES ($1, $2), ($3, $2), "
        "($4, $5)",
        {bank_, finance, cert_, far_cert, energy});
  });
  auto certs = db().Read([&](db::Tx& tx) { return CertsToAsk(tx, bank_); });
  ASSERT_EQ(certs.size(), 2u);
  EXPECT_EQ(certs[0].id, cert_);
  EXPECT_EQ(certs[0].relation, Relation::kSectorCert);
  EXPECT_EQ(certs[1].id, national);
  EXPECT_EQ(certs[1].relation, Relation::kNationalCert);
  // The national CERT does not ask itself.
  auto of_national = db().Read([&](db::Tx& tx) { return CertsToAsk(tx, national); });
  EXPECT_TRUE(of_national.empty());
}

// The demo: requests in every state, each reached through the rules, and cases linked only where
// the CERT asked holds them.
TEST_P(AssistanceStore, TheDemoMakesRequestsInEveryStateThroughTheRules) {
  if (GetParam() == Store::kPostgres)
    GTEST_SKIP() << "the demo directory is the same on both stores";
  db().Write([&](db::Tx& tx) {
    tx.Exec("DELETE FROM memberships", {});
    tx.Exec("DELETE FROM users", {});
    tx.Exec("DELETE FROM organisations", {});
  });
  directory::SeedDemo(db());
  const Millis now = NowMillis();
  SeedDemoIncidents(db(), now, 120);
  EXPECT_EQ(SeedDemoAssistance(db(), now), 12);
  std::set<std::string> states, references;
  db().Read([&](db::Tx& tx) {
    for (const auto& r :
         tx.Query("SELECT id, state, reference, incident_id, cert_org_id FROM assistance_requests",
                  {})) {
      states.insert(r.Text(1));
      references.insert(r.Text(2));
      if (auto incident = r.OptText(3)) {
        bool held = false;
        for (const auto& p : PartiesOf(tx, *incident))
          held |= p.org_id == r.Text(4) && IsCert(p.relation);
        EXPECT_TRUE(held) << r.Text(2) << " links a case its CERT does not hold";
      }
      EXPECT_FALSE(AssistanceEventsOf(tx, r.Text(0), true).empty());
    }
  });
  EXPECT_EQ(references.size(), 12u);
  for (S s : kAllAssistanceStates) EXPECT_TRUE(states.count(std::string(Name(s)))) << Name(s);
  EXPECT_GT(Count("assistance_events", "internal = 1"), 0);
  EXPECT_GT(Count("assistance_requests", "incident_id IS NOT NULL"), 0);
}

INSTANTIATE_TEST_SUITE_P(Stores, AssistanceStore, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::incidents
