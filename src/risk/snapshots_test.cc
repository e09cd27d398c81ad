// Snapshots, comparisons, the management summary and the shared statistics, on both stores
// (SQLite; PostgreSQL when RAMPART_TEST_POSTGRES_URL is set), and the comparison's merge alone.
#include "risk/snapshots.h"

#include <gtest/gtest.h>

#include "platform/crypto.h"
#include "platform/notify_testing.h"
#include "risk/exchange.h"
#include "risk/rules.h"
#include "risk/statistics.h"
#include "risk/store.h"
#include "risk/summary.h"

namespace rampart::risk {
namespace {

using nlohmann::json;
using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

constexpr auto kC = Criterion::kConfidentiality;
constexpr auto kA = Criterion::kAvailability;

ScenarioFigures Figure(std::string id, std::int64_t current, std::string level,
                       std::string treatment = "none") {
  ScenarioFigures f;
  f.scenario_id = std::move(id);
  f.current = current;
  f.current_level = std::move(level);
  f.treatment = std::move(treatment);
  return f;
}

TEST(RiskCompare, FindsAddedRemovedAndChangedInOnePass) {
  const std::vector<ScenarioFigures> from = {Figure("a", 10, "low"), Figure("b", 30, "medium"),
                                             Figure("c", 60, "high")};
  const std::vector<ScenarioFigures> to = {Figure("b", 30, "medium", "reduce"),
                                           Figure("c", 60, "high"), Figure("d", 5, "low")};
  const auto c = Compare(from, to, 100);
  ASSERT_EQ(c.removed.size(), 1u);
  EXPECT_EQ(c.removed[0].scenario_id, "a");
  ASSERT_EQ(c.added.size(), 1u);
  EXPECT_EQ(c.added[0].scenario_id, "d");
  ASSERT_EQ(c.changed.size(), 1u);
  EXPECT_EQ(c.changed[0].before.treatment, "none");
  EXPECT_EQ(c.changed[0].after.treatment, "reduce");
  EXPECT_EQ(c.from_current, (LevelTally{1, 1, 1}));
  EXPECT_EQ(c.to_current, (LevelTally{1, 1, 1}));
  EXPECT_FALSE(c.truncated);
}

TEST(RiskCompare, CapsEachListButCountsEverything) {
  std::vector<ScenarioFigures> to;
  for (int k = 0; k < 10; ++k) to.push_back(Figure("s" + std::to_string(k), k, "low"));
  const auto c = Compare({}, to, 3);
  EXPECT_EQ(c.added.size(), 3u);
  EXPECT_EQ(c.added_total, 10);
  EXPECT_TRUE(c.truncated);
  EXPECT_EQ(c.added[0].scenario_id, "s0");
}

TEST(RiskSummaryRules, TrendComparesWithTheSnapshot) {
  EXPECT_EQ(Trend(false, std::nullopt, 10), "");
  EXPECT_EQ(Trend(true, std::nullopt, 10), "new");
  EXPECT_EQ(Trend(true, 5, 10), "up");
  EXPECT_EQ(Trend(true, 12, 10), "down");
  EXPECT_EQ(Trend(true, 10, 10), "same");
}

TEST(RiskSummaryRules, DreadedConsequencesAreTheHighestOnTheCriterion) {
  const Settings s = DefaultSettings(Method::kItv);
  const std::vector<Rating> ratings = {
      {kC, "financial", 3}, {kC, "reputation", 3}, {kC, "legal", 1}, {kA, "operations", 4}};
  EXPECT_EQ(DreadedConsequences(s, ratings, kC),
            (std::vector<std::string>{"reputation", "financial"}));
  EXPECT_EQ(DreadedConsequences(s, ratings, kA), (std::vector<std::string>{"operations"}));
  // Nothing rated on integrity: the asset's highest ratings, whatever the criterion.
  EXPECT_EQ(DreadedConsequences(s, ratings, Criterion::kIntegrity),
            (std::vector<std::string>{"operations"}));
  EXPECT_TRUE(DreadedConsequences(s, {}, kC).empty());
}

TEST(RiskStatisticsRules, AveragesShowTwoDecimals) {
  EXPECT_EQ(Average(10, 4), "2.50");
  EXPECT_EQ(Average(1, 3), "0.33");
  EXPECT_EQ(Average(0, 0), std::nullopt);
}

class RiskSnapshots : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    org_ = AddOrganisation("Harbour Bank");
    owner_ = AddPerson(org_, "risk.owner", RoleSet::Of({Role::kRiskOwner}));
    manager_ = AddPerson(org_, "the.manager", RoleSet::Of({Role::kManagement}));
  }

  // An itv analysis of `org`: a primary asset rated on confidentiality, a server it depends on,
  // two catalogue threats, one custom threat, and a scenario per threat on each asset.
  Analysis Build(const std::string& org, const std::string& owner) {
    Analysis an;
    an.id = crypto::NewUuid();
    an.organisation_id = org;
    an.name = "2026";
    an.current = true;
    an.settings = DefaultSettings(Method::kItv);
    an.created_by = owner;
    an.created_at = an.updated_at = 1000;
    db().Write([&](db::Tx& tx) {
      InsertAnalysis(tx, an);
      MakeCurrent(tx, org, an.id);
      Asset server;
      server.id = crypto::NewUuid();
      server.analysis_id = an.id;
      server.name = "Core server";
      server.type = AssetType::kHardware;
      InsertAsset(tx, server, 1000);
      Asset payments;
      payments.id = crypto::NewUuid();
      payments.analysis_id = an.id;
      payments.name = "Payments";
      payments.type = AssetType::kBusinessProcess;
      payments.ratings = {{kC, "financial", 3}, {kC, "reputation", 2}, {kA, "operations", 4}};
      payments.depends_on = {server.id};
      InsertAsset(tx, payments, 1000);
      SetDependencies(tx, an.id, payments.id, payments.depends_on);
      std::vector<Threat> threats;
      for (const auto& [urn, custom] : std::vector<std::pair<std::string, bool>>{
               {"urn:rampart:risk:threat:fire", false},
               {"urn:rampart:risk:threat:equipment-theft", false},
               {"urn:rampart:org:" + org + ":threat:insider-sale", true}}) {
        Threat t;
        t.id = crypto::NewUuid();
        t.analysis_id = an.id;
        t.urn = urn;
        t.name = custom ? "Our own insider threat" : urn;
        t.custom = custom;
        t.affects = {true, true, true, false};
        t.likelihood = 3;
        InsertThreat(tx, t, 1000);
        threats.push_back(t);
      }
      Vulnerability v;
      v.id = crypto::NewUuid();
      v.analysis_id = an.id;
      v.urn = "urn:rampart:risk:vulnerability:no-fire-detection-or-suppression";
      v.name = "No fire detection";
      v.qualification = 3;
      InsertVulnerability(tx, v, 1000);
      std::vector<Scenario> scenarios;
      for (const auto* asset : {&server, &payments}) {
        for (const auto& t : threats) {
          Scenario s;
          s.id = crypto::NewUuid();
          s.analysis_id = an.id;
          s.asset_id = asset->id;
          s.threat_id = t.id;
          s.vulnerability_id = v.id;
          s.owner_id = owner;
          s.created_at = s.updated_at = 1000;
          scenarios.push_back(s);
        }
      }
      InsertScenarios(tx, scenarios);
      Recompute(tx, an);
    });
    return an;
  }

  // The register's highest scenario.
  ScenarioView Top(const Analysis& an) {
    return db().Read(
        [&](db::Tx& tx) { return ListRegister(tx, an.id, {}, std::nullopt, 1).front(); });
  }

  // Lowers the scenario's residual risk through its controls and records a treatment.
  void Treat(const Analysis& an, const std::string& scenario_id) {
    db().Write([&](db::Tx& tx) {
      auto v = *FindScenario(tx, an.id, scenario_id);
      v.scenario.reduction = 2;
      v.scenario.treatment = Treatment::kReduce;
      ASSERT_TRUE(UpdateScenario(tx, v.scenario, v.scenario.version, 5000));
      Recompute(tx, an);
    });
  }

  std::string org_, owner_, manager_;
};

TEST_P(RiskSnapshots, ASnapshotFreezesTheExportAndTheFigures) {
  auto an = Build(org_, owner_);
  const auto s = db().Write([&](db::Tx& tx) {
    return TakeSnapshot(tx, an, "Q1 review", "after the audit", owner_, 4000);
  });
  EXPECT_EQ(s.counts.assets, 2);
  EXPECT_EQ(s.counts.scenarios, 6);
  EXPECT_EQ(s.counts.current.low + s.counts.current.medium + s.counts.current.high, 6);
  EXPECT_EQ(s.taken_by_name, "Person risk.owner");
  db().Read([&](db::Tx& tx) {
    EXPECT_EQ(SnapshotDocument(tx, s), ExportAnalysis(tx, an, false));
    const auto figures = SnapshotFigures(tx, s.id);
    EXPECT_EQ(figures.size(), 6u);
    const auto now = CurrentFigures(tx, an.id);
    const auto c = Compare(figures, now, 500);
    EXPECT_EQ(c.added_total + c.removed_total + c.changed_total, 0);
    ASSERT_EQ(ListSnapshots(tx, an.id).size(), 1u);
    EXPECT_EQ(LatestSnapshot(tx, an.id)->id, s.id);
  });
  // An unchanged analysis frozen again shares the stored document.
  const auto again =
      db().Write([&](db::Tx& tx) { return TakeSnapshot(tx, an, "again", "", owner_, 4500); });
  EXPECT_EQ(again.document_sha256, s.document_sha256);
  EXPECT_EQ(Count("files", "sha256 = $1", {s.document_sha256}), 1);
  EXPECT_EQ(db().Read([&](db::Tx& tx) { return LatestSnapshot(tx, an.id)->id; }), again.id);
}

TEST_P(RiskSnapshots, ChangesSinceASnapshotShowTheTreatedScenario) {
  auto an = Build(org_, owner_);
  const auto s =
      db().Write([&](db::Tx& tx) { return TakeSnapshot(tx, an, "Q1", "", owner_, 4000); });
  const auto top = Top(an);
  Treat(an, top.scenario.id);
  db().Read([&](db::Tx& tx) {
    const auto c = Compare(SnapshotFigures(tx, s.id), CurrentFigures(tx, an.id), 500);
    ASSERT_EQ(c.changed.size(), 1u);
    EXPECT_EQ(c.changed[0].after.scenario_id, top.scenario.id);
    EXPECT_EQ(c.changed[0].before.treatment, "none");
    EXPECT_EQ(c.changed[0].after.treatment, "reduce");
    EXPECT_LT(c.changed[0].after.residual, c.changed[0].before.residual);
    EXPECT_TRUE(c.added.empty());
    EXPECT_TRUE(c.removed.empty());
  });
  // Delete a scenario: the comparison says it was removed.
  db().Write([&](db::Tx& tx) { DeleteScenario(tx, an.id, top.scenario.id); });
  db().Read([&](db::Tx& tx) {
    const auto c = Compare(SnapshotFigures(tx, s.id), CurrentFigures(tx, an.id), 500);
    ASSERT_EQ(c.removed.size(), 1u);
    EXPECT_EQ(c.removed[0].scenario_id, top.scenario.id);
    EXPECT_EQ(c.changed_total, 0);
  });
}

TEST_P(RiskSnapshots, ExportAndImportKeepSnapshotsInStepWithTheAnalysis) {
  auto an = Build(org_, owner_);
  db().Write([&](db::Tx& tx) {
    TakeSnapshot(tx, an, "Q1", "first", owner_, 4000);
    SetShareStatistics(tx, an.id, true);
  });
  Treat(an, Top(an).scenario.id);
  db().Write([&](db::Tx& tx) { TakeSnapshot(tx, an, "Q2", "second", owner_, 6000); });
  const auto doc = json::parse(db().Read([&](db::Tx& tx) { return ExportAnalysis(tx, an); }));
  ASSERT_EQ(doc["snapshots"].size(), 2u);
  EXPECT_EQ(doc["snapshots"][0]["name"], "Q1");
  EXPECT_EQ(doc["snapshots"][0]["taken_by"], "risk.owner");
  EXPECT_FALSE(doc["snapshots"][0]["document"].contains("snapshots"));
  auto out = db().Write([&](db::Tx& tx) { return ImportAnalysis(tx, doc, org_, owner_, 9000); });
  ASSERT_TRUE(out.errors.empty()) << out.errors.front().field << ": " << out.errors.front().message;
  EXPECT_EQ(out.snapshots, 2);
  db().Read([&](db::Tx& tx) {
    EXPECT_TRUE(SharesStatistics(tx, out.analysis_id));
    const auto imported = ListSnapshots(tx, out.analysis_id);
    ASSERT_EQ(imported.size(), 2u);
    EXPECT_EQ(imported[0].name, "Q2");
    EXPECT_EQ(imported[1].note, "first");
    EXPECT_EQ(imported[1].taken_at, 4000);
    EXPECT_EQ(imported[1].taken_by, owner_);
    const auto original = ListSnapshots(tx, an.id);
    EXPECT_EQ(imported[0].counts.current, original[0].counts.current);
    EXPECT_EQ(imported[0].counts.residual, original[0].counts.residual);
    // The latest snapshot matches the imported analysis scenario for scenario: nothing changed.
    const auto now =
        Compare(SnapshotFigures(tx, imported[0].id), CurrentFigures(tx, out.analysis_id), 500);
    EXPECT_EQ(now.added_total + now.removed_total + now.changed_total, 0);
    // And the two imported iterations differ as the originals did.
    const auto was =
        Compare(SnapshotFigures(tx, original[1].id), SnapshotFigures(tx, original[0].id), 500);
    const auto is =
        Compare(SnapshotFigures(tx, imported[1].id), SnapshotFigures(tx, imported[0].id), 500);
    EXPECT_EQ(was.changed_total, 1);
    EXPECT_EQ(is.changed_total, 1);
    // The frozen document comes back with the same content.
    EXPECT_EQ(json::parse(SnapshotDocument(tx, imported[1])),
              json::parse(SnapshotDocument(tx, original[1])));
  });
}

TEST_P(RiskSnapshots, ABrokenSnapshotInAnImportStoresNothing) {
  auto an = Build(org_, owner_);
  db().Write([&](db::Tx& tx) { TakeSnapshot(tx, an, "Q1", "", owner_, 4000); });
  auto doc = json::parse(db().Read([&](db::Tx& tx) { return ExportAnalysis(tx, an); }));
  doc["snapshots"][0]["rows"][0]["current_level"] = "severe";
  const auto analyses = Count("risk_analyses");
  auto out = db().Write([&](db::Tx& tx) { return ImportAnalysis(tx, doc, org_, owner_, 9000); });
  ASSERT_EQ(out.errors.size(), 1u);
  EXPECT_EQ(out.errors[0].field, "/snapshots/0/rows/0/current_level");
  EXPECT_EQ(Count("risk_analyses"), analyses);
  EXPECT_EQ(Count("risk_snapshots"), 1);
}

TEST_P(RiskSnapshots, TheSummaryTellsTheTopRisksInBusinessWords) {
  auto an = Build(org_, owner_);
  {
    const auto j = json::parse(db().Read([&](db::Tx& tx) { return SummaryJson(tx, an, 3, 8000); }));
    EXPECT_EQ(j["organisation"]["name"], "Harbour Bank");
    ASSERT_EQ(j["top"].size(), 3u);
    EXPECT_TRUE(j["top"][0]["trend"].is_null()) << "no snapshot yet";
    EXPECT_TRUE(j["last_snapshot"].is_null());
    // The server's consequences are those of the payments process that depends on it.
    for (const auto& t : j["top"]) {
      EXPECT_FALSE(t["consequences"].empty()) << t.dump();
      EXPECT_EQ(t["owner"]["name"], "Person risk.owner");
    }
  }
  db().Write([&](db::Tx& tx) { TakeSnapshot(tx, an, "Q1", "", owner_, 4000); });
  const auto top = Top(an);
  // Raise the top scenario: a worse vulnerability means a higher current risk.
  db().Write([&](db::Tx& tx) {
    auto v = *FindVulnerability(tx, an.id, top.scenario.vulnerability_id);
    v.qualification = 4;
    ASSERT_TRUE(UpdateVulnerability(tx, v, v.version, 5000));
    Recompute(tx, an);
    Recommendation r;
    r.id = crypto::NewUuid();
    r.analysis_id = an.id;
    r.scenario_id = top.scenario.id;
    r.title = "Install detectors";
    r.due_at = 6000;
    r.created_at = r.updated_at = 5000;
    InsertRecommendation(tx, r);
    auto view = *FindScenario(tx, an.id, top.scenario.id);
    InsertAcceptance(tx, an.id,
                     {crypto::NewUuid(), top.scenario.id, manager_, "", 5500,
                      AcceptanceDigest(StateOf(view)), "ok"});
    // Changed after the acceptance: stale.
    view.scenario.planned_controls = "Detectors in every room";
    ASSERT_TRUE(UpdateScenario(tx, view.scenario, view.scenario.version, 5600));
  });
  const auto j = json::parse(db().Read([&](db::Tx& tx) { return SummaryJson(tx, an, 10, 8000); }));
  ASSERT_EQ(j["top"].size(), 6u);
  const auto& first = j["top"][0];
  EXPECT_EQ(first["trend"], "up");
  EXPECT_EQ(first["actions"]["open"], 1);
  EXPECT_EQ(first["actions"]["overdue"], 1);
  EXPECT_TRUE(first["accepted"].get<bool>());
  EXPECT_TRUE(first["acceptance_stale"].get<bool>());
  EXPECT_EQ(j["actions"]["open"], 1);
  EXPECT_EQ(j["actions"]["overdue"], 1);
  EXPECT_EQ(j["acceptances"]["stale"], 1);
  EXPECT_EQ(j["acceptances"]["current"], 0);
  EXPECT_EQ(j["last_snapshot"]["name"], "Q1");
}

TEST_P(RiskSnapshots, StatisticsCountOnlyOptedInCurrentAnalysesAndCatalogueUrns) {
  const std::string sector = crypto::NewUuid();
  db().Write([&](db::Tx& tx) {
    tx.Exec(
        "INSERT INTO sectors (id, slug, name, created_at, updated_at) VALUES ($1, 'fin', "
        "'Finance', 1, 1)",
        {sector});
  });
  std::vector<Analysis> analyses;
  for (int k = 0; k < 3; ++k) {
    const auto org = AddOrganisation("Bank " + std::to_string(k));
    const auto person = AddPerson(org, "ciso" + std::to_string(k), RoleSet::Of({Role::kCiso}));
    db().Write([&](db::Tx& tx) {
      tx.Exec("INSERT INTO organisation_sectors (organisation_id, sector_id) VALUES ($1, $2)",
              {org, sector});
    });
    analyses.push_back(Build(org, person));
  }
  // Two opt in; the third does not.
  db().Write([&](db::Tx& tx) {
    SetShareStatistics(tx, analyses[0].id, true);
    SetShareStatistics(tx, analyses[1].id, true);
  });
  auto stats = [&](bool suppress, int min) {
    return json::parse(db().Read([&](db::Tx& tx) {
      return StatisticsJson(tx, {sector, suppress, min}, 9000);
    }));
  };
  const auto all = stats(false, 5);
  ASSERT_EQ(all["sectors"].size(), 1u);
  const auto& s = all["sectors"][0];
  EXPECT_EQ(s["organisations"], 2);
  const auto& c = s["current"];
  EXPECT_EQ(c["low"].get<int>() + c["medium"].get<int>() + c["high"].get<int>(), 12)
      << "6 scenarios in each of the two opted-in analyses, custom threat included in levels";
  ASSERT_EQ(s["threats"].size(), 2u) << "the custom threat is never listed";
  for (const auto& t : s["threats"]) {
    EXPECT_EQ(t["urn"].get<std::string>().rfind("urn:rampart:risk:threat:", 0), 0u);
    EXPECT_EQ(t["organisations"], 2);
    EXPECT_EQ(t["scenarios"], 4);
  }
  const std::string text = all.dump();
  EXPECT_EQ(text.find("Bank "), std::string::npos) << "no organisation's name";
  EXPECT_EQ(text.find(analyses[0].organisation_id), std::string::npos) << "no organisation's id";
  EXPECT_EQ(text.find("Our own insider"), std::string::npos);
  // A regulator's view with cells of fewer than five organisations withheld.
  const auto withheld = stats(true, 5)["sectors"][0];
  EXPECT_TRUE(withheld["suppressed"].get<bool>());
  EXPECT_TRUE(withheld["current"].is_null());
  EXPECT_TRUE(withheld["organisations"].is_null());
  // With a threshold of two, the same figures show.
  const auto shown = stats(true, 2)["sectors"][0];
  EXPECT_FALSE(shown["suppressed"].get<bool>());
  EXPECT_EQ(shown["organisations"], 2);
  // An analysis that is not current no longer counts.
  db().Write([&](db::Tx& tx) {
    tx.Exec("UPDATE risk_analyses SET is_current = 0 WHERE id = $1", {analyses[1].id});
  });
  EXPECT_EQ(stats(false, 5)["sectors"][0]["organisations"], 1);
}

INSTANTIATE_TEST_SUITE_P(Stores, RiskSnapshots, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::risk
