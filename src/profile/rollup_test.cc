// The threat profile's roll-ups on both stores: every incident write moves them in its own
// transaction, they always agree with a recomputation from the incidents, and the tables built
// from them withhold what the viewer may not see.
#include "profile/rollup.h"

#include <gtest/gtest.h>

#include <map>
#include <random>

#include "incidents/store.h"
#include "platform/crypto.h"
#include "platform/notify_testing.h"
#include "profile/query.h"

namespace rampart::profile {
namespace {

using incidents::CaseState;
using incidents::Incident;
using incidents::Severity;
using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

constexpr Millis kMarch2026 = 1'772'323'200'000;  // 2026-03-01T00:00:00Z
constexpr Millis kDay = 86'400'000;

class ProfileRollup : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    energy_ = AddSector("energy");
    finance_ = AddSector("finance");
    for (int i = 0; i < 8; ++i) orgs_.push_back(AddOrganisation("Operator " + std::to_string(i)));
    person_ = AddPerson(orgs_[0], "reporter", RoleSet::Of({Role::kReporter}));
  }

  std::string AddSector(const std::string& slug) {
    std::string id = crypto::NewUuid();
    db().Write([&](db::Tx& tx) {
      tx.Exec(
          "INSERT INTO sectors (id, slug, name, created_at, updated_at) VALUES ($1, $2, $3, 1, 1)",
          {id, slug, slug});
    });
    return id;
  }

  Incident NewIncident(const std::string& org, const std::string& sector, Millis aware_at) {
    Incident i;
    i.id = crypto::NewUuid();
    i.reference = "INC-2026-" + std::to_string(++counter_);
    i.organisation_id = org;
    i.sector_id = sector;
    i.profile_id = "nis2-default";
    i.title = "Outage";
    i.aware_at = aware_at;
    i.early_warning_at = aware_at + 3 * 3'600'000;
    i.filed_by = person_;
    i.created_at = i.updated_at = aware_at;
    db().Write([&](db::Tx& tx) { incidents::InsertIncident(tx, i); });
    return i;
  }

  void Update(Incident& i) {
    db().Write([&](db::Tx& tx) { ASSERT_TRUE(incidents::UpdateIncident(tx, i, i.version, 2)); });
    ++i.version;
  }

  VerifyResult Check() {
    return db().Read([&](db::Tx& tx) { return Verify(tx); });
  }

  Table Ask(const Query& q, const ProfileView& v, std::int64_t k = 5) {
    return db().Read([&](db::Tx& tx) { return Compute(tx, q, v, k); });
  }

  std::string energy_, finance_, person_;
  std::vector<std::string> orgs_;
  int counter_ = 0;
};

TEST_P(ProfileRollup, AFiledIncidentCountsAtOnceInItsMonthSectorAndClass) {
  Incident i = NewIncident(orgs_[0], energy_, kMarch2026 + 5 * kDay);
  ProfileView national{.national = true};
  Table t = Ask({.from_month = 202603, .to_month = 202603, .by = {Dim::kSector}}, national);
  ASSERT_EQ(t.cells.size(), 1u);
  EXPECT_EQ(t.cells[0].key, std::vector<std::string>{energy_});
  EXPECT_EQ(t.cells[0].measures.incidents, 1);
  EXPECT_EQ(t.cells[0].measures.to_early_warning_n, 1);
  EXPECT_EQ(t.cells[0].measures.to_early_warning_ms, 3 * 3'600'000);
  EXPECT_FALSE(t.cells[0].suppressed);
  EXPECT_TRUE(Check().differences.empty());
}

TEST_P(ProfileRollup, ClassifyingAssessingAndClosingMoveTheIncidentBetweenCells) {
  Incident i = NewIncident(orgs_[0], energy_, kMarch2026);
  i.rsit_class = "availability";
  i.rsit_type = "outage";
  i.severity = Severity::kHigh;
  i.significant = true;
  i.impact.users_affected = 40'000;
  i.impact.duration_hours = 6;
  Update(i);
  ProfileView national{.national = true};
  Query by_class{.from_month = 202603, .to_month = 202603, .by = {Dim::kClass, Dim::kSeverity}};
  Table t = Ask(by_class, national);
  ASSERT_EQ(t.cells.size(), 1u);
  EXPECT_EQ(t.cells[0].key, (std::vector<std::string>{"availability", "high"}));
  EXPECT_EQ(t.cells[0].measures.users_affected, 40'000);
  EXPECT_EQ(t.cells[0].measures.hours_lost, 6);
  EXPECT_EQ(t.total.measures.significant, 1);

  // Closed as a duplicate of another case: it no longer counts anywhere.
  i.state = CaseState::kDuplicate;
  Update(i);
  t = Ask(by_class, national);
  EXPECT_TRUE(t.cells.empty());
  EXPECT_EQ(t.total.measures.incidents, 0);
  EXPECT_EQ(db().Read([&](db::Tx& tx) {
    return tx.QueryOne("SELECT COUNT(*) FROM profile_presence", {})->Int(0);
  }),
            0)
      << "an organisation with no incident left is not counted as present";
  EXPECT_TRUE(Check().differences.empty());
}

TEST_P(ProfileRollup, VerifyNamesADifferenceAndRepairMendsIt) {
  NewIncident(orgs_[0], energy_, kMarch2026);
  NewIncident(orgs_[1], finance_, kMarch2026 + kDay);
  // The finest rows only (cut 6 by month): one per incident here.
  db().Write([&](db::Tx& tx) {
    tx.Exec("UPDATE profile_cells SET incidents = incidents + 3 WHERE cut = 6 AND grain = 0", {});
  });
  auto v = Check();
  EXPECT_EQ(v.incidents, 2);
  ASSERT_EQ(v.differences.size(), 2u);
  EXPECT_NE(v.differences[0].find("in the roll-up"), std::string::npos) << v.differences[0];
  db().Write([&](db::Tx& tx) { Verify(tx, /*repair=*/true); });
  EXPECT_TRUE(Check().differences.empty());
}

// Many writes in random order: inserts, classification, severity, impact, state changes back and
// forth. The roll-ups must equal a recomputation from the incidents after every one of them.
TEST_P(ProfileRollup, RandomWritesKeepTheRollupsEqualToARecomputation) {
  std::mt19937 rng(42);
  std::vector<Incident> all;
  const char* classes[] = {"availability", "malicious-code", "fraud", "other"};
  const char* types[] = {"outage", "ransomware", "phishing", "undetermined"};
  const CaseState states[] = {CaseState::kTriaged, CaseState::kResolved, CaseState::kRejected,
                              CaseState::kMerged, CaseState::kInProgress};
  for (int step = 0; step < 120; ++step) {
    if (all.empty() || rng() % 3 == 0) {
      all.push_back(NewIncident(orgs_[rng() % orgs_.size()], rng() % 2 ? energy_ : finance_,
                                kMarch2026 + static_cast<Millis>(rng() % 90) * kDay));
      continue;
    }
    Incident& i = all[rng() % all.size()];
    switch (rng() % 4) {
      case 0: {
        int c = static_cast<int>(rng() % 4);
        i.rsit_class = classes[c];
        i.rsit_type = types[c];
        break;
      }
      case 1:
        i.severity = static_cast<Severity>(rng() % 4);
        i.significant = rng() % 2 == 0;
        break;
      case 2:
        i.impact.users_affected = static_cast<std::int64_t>(rng() % 1000);
        i.final_at = i.aware_at + static_cast<Millis>(rng() % 30) * kDay;
        break;
      default:
        i.state = states[rng() % std::size(states)];
        if (i.state == CaseState::kResolved) i.resolved_at = i.aware_at + 5 * kDay;
        break;
    }
    Update(i);
  }
  auto v = Check();
  EXPECT_TRUE(v.differences.empty()) << v.differences.front();
  EXPECT_GT(v.incidents, 20);
}

TEST_P(ProfileRollup, AnOperatorSeesSmallCellsWithheldAndTheNationalCertSeesThemAll) {
  // Energy: six organisations with availability incidents, one with fraud. Finance: two.
  for (int o = 0; o < 6; ++o) {
    Incident i = NewIncident(orgs_[o], energy_, kMarch2026 + o * kDay);
    i.rsit_class = "availability";
    i.rsit_type = "outage";
    Update(i);
  }
  Incident lone = NewIncident(orgs_[6], energy_, kMarch2026);
  lone.rsit_class = "fraud";
  lone.rsit_type = "phishing";
  Update(lone);
  for (int o = 6; o < 8; ++o) {
    Incident i = NewIncident(orgs_[o], finance_, kMarch2026);
    i.rsit_class = "availability";
    i.rsit_type = "outage";
    Update(i);
  }
  Query q{.from_month = 202603, .to_month = 202603, .by = {Dim::kSector, Dim::kClass}};
  Table national = Ask(q, {.national = true});
  for (const auto& c : national.cells) EXPECT_FALSE(c.suppressed);

  Table outside = Ask(q, {.own_orgs = {orgs_[0]}});
  int withheld = 0;
  for (const auto& c : outside.cells) {
    if (c.key == std::vector<std::string>{energy_, "fraud"}) {
      EXPECT_TRUE(c.suppressed);
    }
    withheld += c.suppressed ? 1 : 0;
  }
  // Withholding the one-organisation fraud cell alone would let energy's total minus its
  // availability cell give it away: at least one more figure goes with it.
  EXPECT_GE(withheld, 2);
  // The energy regulator sees its sector in full and the rest as the operator does.
  Table regulator = Ask(q, {.full_sectors = {energy_}});
  for (const auto& c : regulator.cells) {
    if (c.key[0] == energy_) {
      EXPECT_FALSE(c.suppressed);
    }
    if (c.key[0] == finance_) {
      EXPECT_TRUE(c.suppressed) << "two organisations";
    }
  }
}

// Two years and a few months read as whole years, quarters and ragged months must give the same
// figures as the same period read month by month, for every time dimension.
TEST_P(ProfileRollup, APeriodReadFromYearsAndQuartersAgreesWithItsMonths) {
  std::mt19937 rng(7);
  const char* classes[] = {"availability", "fraud", "other"};
  for (int n = 0; n < 60; ++n) {
    // 2024-11 to 2027-04, around the ragged ends of the period asked below.
    Incident i = NewIncident(orgs_[rng() % orgs_.size()], rng() % 2 ? energy_ : finance_,
                             kMarch2026 - 480 * kDay + static_cast<Millis>(rng() % 900) * kDay);
    i.rsit_class = classes[rng() % 3];
    i.severity = static_cast<Severity>(rng() % 4);
    i.impact.users_affected = static_cast<std::int64_t>(rng() % 500);
    Update(i);
  }
  ProfileView national{.national = true};
  Query by_month{.from_month = 202412, .to_month = 202702, .by = {Dim::kMonth, Dim::kClass}};
  Table months = Ask(by_month, national);
  std::map<std::string, Measures> per_year, per_quarter;
  Measures all;
  for (const auto& c : months.cells) {
    const int m = std::stoi(c.key[0].substr(0, 4)) * 100 + std::stoi(c.key[0].substr(5, 2));
    per_year[BinLabel(Dim::kYear, m) + c.key[1]] += c.measures;
    per_quarter[BinLabel(Dim::kQuarter, m) + c.key[1]] += c.measures;
    all += c.measures;
  }
  ASSERT_GT(all.incidents, 20);
  for (Dim time : {Dim::kYear, Dim::kQuarter}) {
    Query q = by_month;
    q.by = {time, Dim::kClass};
    Table t = Ask(q, national);
    const auto& want = time == Dim::kYear ? per_year : per_quarter;
    ASSERT_EQ(t.cells.size(), want.size()) << Name(time);
    for (const auto& c : t.cells) {
      EXPECT_EQ(c.measures, want.at(c.key[0] + c.key[1])) << c.key[0] << " " << c.key[1];
    }
    EXPECT_EQ(t.total.measures, all);
  }
  Query none = by_month;
  none.by = {Dim::kSeverity};
  EXPECT_EQ(Ask(none, national).total.measures, all);
  EXPECT_TRUE(Check().differences.empty());
}

// Organisations do not add up: one with incidents in two months and two classes is one
// organisation in their union, and a figure below the threshold must say so exactly.
TEST_P(ProfileRollup, ASmallFigureCountsEachOrganisationOnceOverMonthsAndClasses) {
  for (int month = 0; month < 2; ++month) {
    for (const char* cls : {"availability", "fraud"}) {
      Incident i = NewIncident(orgs_[0], energy_, kMarch2026 + month * 31 * kDay);
      i.rsit_class = cls;
      Update(i);
    }
  }
  Incident other = NewIncident(orgs_[1], energy_, kMarch2026 + 40 * kDay);
  other.rsit_class = "fraud";
  Update(other);
  Query q{.from_month = 202601, .to_month = 202612, .by = {Dim::kSector}};
  for (const ProfileView& v :
       {ProfileView{.national = true}, ProfileView{.own_orgs = {orgs_[2]}}}) {
    Table t = Ask(q, v);
    ASSERT_EQ(t.cells.size(), 1u);
    EXPECT_EQ(t.cells[0].measures.incidents, 5);
    EXPECT_EQ(t.cells[0].organisations, 2);
    EXPECT_EQ(t.total.organisations, 2);
  }
  Query by_class = q;
  by_class.by = {Dim::kClass};
  Table t = Ask(by_class, {.own_orgs = {orgs_[2]}});
  ASSERT_EQ(t.cells.size(), 2u);
  EXPECT_EQ(t.cells[0].key, std::vector<std::string>{"availability"});
  EXPECT_EQ(t.cells[0].organisations, 1);
  EXPECT_EQ(t.cells[1].organisations, 2);
  for (const auto& c : t.cells) {
    EXPECT_TRUE(c.suppressed);
  }
  // With a threshold of one, nothing is small, and every figure says how many it describes at
  // least.
  Table open = Ask(by_class, {.own_orgs = {orgs_[2]}}, 1);
  for (const auto& c : open.cells) {
    EXPECT_FALSE(c.suppressed);
    EXPECT_GE(c.organisations, 1);
  }
}

INSTANTIATE_TEST_SUITE_P(Stores, ProfileRollup, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::profile
