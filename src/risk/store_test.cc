// Risk analysis's SQL on both stores (SQLite; PostgreSQL when RAMPART_TEST_POSTGRES_URL is set):
// scoring written back in batches, the register's pages and filters, remapping, and export and
// import with nothing lost and nothing stored from a broken file.
#include "risk/store.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "platform/crypto.h"
#include "platform/notify_testing.h"
#include "risk/exchange.h"

namespace rampart::risk {
namespace {

using nlohmann::json;
using notify::testing_support::MigratedStore;
using notify::testing_support::Store;
using notify::testing_support::StoreName;

constexpr auto kC = Criterion::kConfidentiality;
constexpr auto kA = Criterion::kAvailability;

class RiskStore : public MigratedStore {
 protected:
  void SetUp() override {
    MigratedStore::SetUp();
    if (IsSkipped()) return;
    org_ = AddOrganisation("Harbour Bank");
    owner_ = AddPerson(org_, "risk.owner", RoleSet::Of({Role::kRiskOwner}));
    manager_ = AddPerson(org_, "the.manager", RoleSet::Of({Role::kManagement}));
  }

  Analysis NewAnalysis(Method method = Method::kItv) {
    Analysis a;
    a.id = crypto::NewUuid();
    a.organisation_id = org_;
    a.name = "2026";
    a.current = true;
    a.settings = DefaultSettings(method);
    a.created_by = owner_;
    a.created_at = a.updated_at = 1000;
    db().Write([&](db::Tx& tx) {
      InsertAnalysis(tx, a);
      MakeCurrent(tx, org_, a.id);
    });
    return a;
  }

  Asset NewAsset(db::Tx& tx, const Analysis& an, const std::string& name, AssetType type,
                 std::vector<Rating> ratings = {}, std::vector<std::string> deps = {}) {
    Asset a;
    a.id = crypto::NewUuid();
    a.analysis_id = an.id;
    a.name = name;
    a.type = type;
    a.ratings = std::move(ratings);
    a.depends_on = std::move(deps);
    a.owner_id = owner_;
    InsertAsset(tx, a, 1000);
    SetDependencies(tx, an.id, a.id, a.depends_on);
    return a;
  }

  Threat NewThreat(db::Tx& tx, const Analysis& an, const std::string& urn, int likelihood,
                   CriteriaFlags affects = {true, true, true, false}, bool custom = false) {
    Threat t;
    t.id = crypto::NewUuid();
    t.analysis_id = an.id;
    t.urn = urn;
    t.name = urn;
    t.affects = affects;
    t.custom = custom;
    t.likelihood = likelihood;
    InsertThreat(tx, t, 1000);
    return t;
  }

  Vulnerability NewVulnerability(db::Tx& tx, const Analysis& an, const std::string& urn, int q) {
    Vulnerability v;
    v.id = crypto::NewUuid();
    v.analysis_id = an.id;
    v.urn = urn;
    v.name = urn;
    v.qualification = q;
    InsertVulnerability(tx, v, 1000);
    return v;
  }

  Scenario NewScenario(const Analysis& an, const Asset& a, const Threat& t,
                       const Vulnerability& v) {
    Scenario s;
    s.id = crypto::NewUuid();
    s.analysis_id = an.id;
    s.asset_id = a.id;
    s.threat_id = t.id;
    s.vulnerability_id = v.id;
    s.created_at = s.updated_at = 1000;
    return s;
  }

  std::string org_, owner_, manager_;
};

TEST_P(RiskStore, RecomputeInheritsCriticalityAndScoresEveryScenario) {
  auto an = NewAnalysis();
  std::string server_id, scenario_id;
  db().Write([&](db::Tx& tx) {
    auto site = NewAsset(tx, an, "Data centre", AssetType::kSite);
    auto server = NewAsset(tx, an, "Core server", AssetType::kHardware, {}, {site.id});
    NewAsset(tx, an, "Payments", AssetType::kBusinessProcess,
             {{kC, "financial", 3}, {kA, "operations", 4}}, {server.id});
    auto fire = NewThreat(tx, an, "urn:t:fire", 2, {false, false, true, false});
    auto weak = NewVulnerability(tx, an, "urn:v:no-detection", 4);
    auto s = NewScenario(an, server, fire, weak);
    s.reduction = 3;
    InsertScenario(tx, s);
    server_id = server.id;
    scenario_id = s.id;
    auto stats = Recompute(tx, an);
    EXPECT_EQ(stats.assets_changed, 3);
    EXPECT_EQ(stats.scenarios_changed, 1);
    // Nothing changed since: nothing is written again.
    EXPECT_EQ(Recompute(tx, an).scenarios_changed, 0);
  });
  db().Read([&](db::Tx& tx) {
    auto server = FindAsset(tx, an.id, server_id);
    EXPECT_EQ(server->impact[0], 3);
    EXPECT_EQ(server->impact[2], 4);
    EXPECT_EQ(server->criticality, 4);
    auto v = FindScenario(tx, an.id, scenario_id);
    ASSERT_TRUE(v);
    EXPECT_EQ(v->scenario.score.current, 32);  // availability only: 4 × 2 × 4
    EXPECT_EQ(v->scenario.score.current_level, "medium");
    EXPECT_EQ(v->scenario.score.residual, 8);  // 4 × 2 × (4 − 3)
    EXPECT_EQ(v->scenario.score.residual_level, "low");
    EXPECT_EQ(v->asset_name, "Core server");
    auto site = ListAssets(tx, an.id, {.by_criticality = true}, std::nullopt, 10);
    ASSERT_EQ(site.size(), 3u);
    EXPECT_EQ(site[0].criticality, 4);
  });
}

TEST_P(RiskStore, RegisterWalksEveryPageInRiskOrderAndFilters) {
  auto an = NewAnalysis();
  // 300 scenarios: more than one batch of writes, and several pages.
  db().Write([&](db::Tx& tx) {
    std::vector<Asset> assets;
    for (int k = 0; k < 30; ++k) {
      assets.push_back(NewAsset(tx, an, "Process " + std::to_string(k), AssetType::kBusinessProcess,
                                {{kC, "legal", k % 5}}));
    }
    std::vector<Threat> threats;
    for (int k = 0; k < 10; ++k) {
      threats.push_back(NewThreat(tx, an, "urn:t:" + std::to_string(k), k % 5));
    }
    auto v = NewVulnerability(tx, an, "urn:v:one", 5);
    std::vector<Scenario> all;
    for (const auto& a : assets) {
      for (const auto& t : threats) {
        auto s = NewScenario(an, a, t, v);
        if (all.size() % 7 == 0) s.treatment = Treatment::kReduce;
        all.push_back(s);
      }
    }
    InsertScenarios(tx, all);
    EXPECT_EQ(Recompute(tx, an).scenarios_changed, 300);  // a rating of 0 scores too
  });
  auto walk = [&](const RegisterFilter& f) {
    std::vector<ScenarioView> out;
    std::optional<RegisterCursor> after;
    for (int pages = 0; pages < 100; ++pages) {
      auto page = db().Read([&](db::Tx& tx) { return ListRegister(tx, an.id, f, after, 23); });
      out.insert(out.end(), page.begin(), page.end());
      if (page.size() < 23) break;
      const auto& s = page.back().scenario;
      after = RegisterCursor{(f.residual ? s.score.residual : s.score.current).value_or(-1), s.id};
    }
    return out;
  };
  auto all = walk({});
  ASSERT_EQ(all.size(), 300u);
  std::set<std::string> ids;
  for (std::size_t k = 0; k < all.size(); ++k) {
    ids.insert(all[k].scenario.id);
    if (k) {
      EXPECT_GE(all[k - 1].scenario.score.current.value_or(-1),
                all[k].scenario.score.current.value_or(-1));
    }
  }
  EXPECT_EQ(ids.size(), 300u);
  RegisterFilter high;
  high.level = "high";
  for (const auto& v : walk(high)) EXPECT_EQ(v.scenario.score.current_level, "high");
  EXPECT_FALSE(walk(high).empty());
  RegisterFilter reduce;
  reduce.treatment = Treatment::kReduce;
  EXPECT_EQ(walk(reduce).size(), 43u);  // every seventh of 300
  RegisterFilter low_first;
  low_first.ascending = true;
  auto asc = walk(low_first);
  ASSERT_EQ(asc.size(), 300u);
  EXPECT_EQ(asc.front().scenario.score.current, 0);
  EXPECT_EQ(asc.back().scenario.score.current, 80);  // 4 × 4 × 5
  // The heat map counts every scored scenario once, current and residual.
  std::int64_t current = 0, residual = 0;
  for (const auto& c : db().Read([&](db::Tx& tx) { return HeatMap(tx, an.id); })) {
    current += c.current;
    residual += c.residual;
  }
  std::int64_t scored = 0;
  for (const auto& v : all) scored += v.scenario.score.current ? 1 : 0;
  EXPECT_EQ(current, scored);
  EXPECT_EQ(residual, scored);
}

TEST_P(RiskStore, RegisterFiltersByOwnerNameHeatMapCellAndOneKeyInRiskOrder) {
  auto an = NewAnalysis();
  std::vector<Asset> assets;
  std::vector<Threat> threats;
  db().Write([&](db::Tx& tx) {
    for (int k = 0; k < 6; ++k) {
      assets.push_back(NewAsset(tx, an, "Process " + std::to_string(k), AssetType::kBusinessProcess,
                                {{kC, "legal", 1 + k % 4}}));
    }
    for (int k = 0; k < 5; ++k) {
      threats.push_back(NewThreat(tx, an, "urn:t:" + std::to_string(k), 1 + k % 4));
    }
    auto v = NewVulnerability(tx, an, "urn:v:one", 3);
    std::vector<Scenario> all;
    for (const auto& a : assets) {
      for (const auto& t : threats) {
        auto s = NewScenario(an, a, t, v);
        // Every third scenario is the manager's, the others the risk owner's.
        s.owner_id = all.size() % 3 == 0 ? manager_ : owner_;
        all.push_back(s);
      }
    }
    InsertScenarios(tx, all);
    Recompute(tx, an);
  });
  auto list = [&](const RegisterFilter& f) {
    return db().Read([&](db::Tx& tx) { return ListRegister(tx, an.id, f, std::nullopt, 100); });
  };
  RegisterFilter by_name;
  by_name.owner_name = "THE.MAN";  // part of "Person the.manager", in another case
  auto managers = list(by_name);
  EXPECT_EQ(managers.size(), 10u);
  for (const auto& v : managers) EXPECT_EQ(v.scenario.owner_id, manager_);
  by_name.owner_name = "%";  // a wildcard is taken literally
  EXPECT_TRUE(list(by_name).empty());
  // One heat map cell: the register shows exactly the scenarios counted in it.
  const auto cells = db().Read([&](db::Tx& tx) { return HeatMap(tx, an.id); });
  ASSERT_FALSE(cells.empty());
  for (const auto& c : cells) {
    RegisterFilter cell;
    cell.impact = c.impact;
    cell.likelihood = c.likelihood;
    auto rows = list(cell);
    EXPECT_EQ(static_cast<std::int64_t>(rows.size()), c.current);
    for (const auto& v : rows) {
      EXPECT_EQ(v.scenario.score.impact_axis, c.impact);
      EXPECT_EQ(v.scenario.score.likelihood_axis, c.likelihood);
    }
  }
  // One asset or one threat: still highest risk first, now sorted after the key's lookup.
  RegisterFilter one_threat;
  one_threat.threat_id = threats[3].id;
  auto rows = list(one_threat);
  ASSERT_EQ(rows.size(), assets.size());
  for (std::size_t k = 1; k < rows.size(); ++k) {
    EXPECT_GE(rows[k - 1].scenario.score.current.value_or(-1),
              rows[k].scenario.score.current.value_or(-1));
  }
  RegisterFilter one_asset;
  one_asset.asset_id = assets[2].id;
  EXPECT_EQ(list(one_asset).size(), threats.size());
}

TEST_P(RiskStore, AScaleChangeRemapsEveryStoredValueAndRescores) {
  auto an = NewAnalysis();
  std::string asset_id, threat_id, scenario_id;
  db().Write([&](db::Tx& tx) {
    auto a = NewAsset(tx, an, "Records", AssetType::kInformation, {{kC, "legal", 2}});
    auto t = NewThreat(tx, an, "urn:t:leak", 4, {true, false, false, false});
    auto v = NewVulnerability(tx, an, "urn:v:open", 5);
    auto s = NewScenario(an, a, t, v);
    s.reduction = 2;
    InsertScenario(tx, s);
    Recompute(tx, an);
    asset_id = a.id;
    threat_id = t.id;
    scenario_id = s.id;
  });
  Settings to = an.settings;
  to.impact = {1, 5, {}};         // 0–4 → 1–5: 2 becomes 3
  to.likelihood = {1, 3, {}};     // 0–4 → 1–3: 4 becomes 3
  to.vulnerability = {1, 3, {}};  // 1–5 → 1–3: 5 becomes 3, a reduction of 2 becomes 1
  db().Write([&](db::Tx& tx) {
    EXPECT_EQ(RemapValues(tx, an, an.settings, to), 4);
    an.settings = to;
    Recompute(tx, an);
  });
  db().Read([&](db::Tx& tx) {
    auto a = FindAsset(tx, an.id, asset_id);
    ASSERT_EQ(a->ratings.size(), 1u);
    EXPECT_EQ(a->ratings[0].value, 3);
    EXPECT_EQ(FindThreat(tx, an.id, threat_id)->likelihood, 3);
    auto s = FindScenario(tx, an.id, scenario_id);
    EXPECT_EQ(s->scenario.reduction, 1);
    EXPECT_EQ(s->scenario.score.current, 27);   // 3 × 3 × 3
    EXPECT_EQ(s->scenario.score.residual, 18);  // 3 × 3 × 2
  });
}

// Replaces the file's ids by what names each item (an asset's name, a URN, a scenario's asset,
// threat and vulnerability, a recommendation's title) and sorts every list by it, so two exports
// of the same analysis compare equal whatever ids they were given.
json Normalised(json doc) {
  std::map<std::string, std::string> key;
  for (const auto& a : doc["assets"]) key[a["id"]] = "asset:" + a["name"].get<std::string>();
  for (const char* list : {"threats", "vulnerabilities"}) {
    for (const auto& t : doc[list]) key[t["id"]] = t["urn"];
  }
  for (const auto& sc : doc["scenarios"]) {
    key[sc["id"]] = key[sc["asset"]] + "|" + key[sc["threat"]] + "|" + key[sc["vulnerability"]];
  }
  for (const auto& r : doc["recommendations"])
    key[r["id"]] = "rec:" + r["title"].get<std::string>();
  auto map = [&](json& v) {
    if (v.is_string() && key.count(v.get<std::string>())) v = key[v.get<std::string>()];
  };
  for (const char* list :
       {"assets", "threats", "vulnerabilities", "scenarios", "recommendations"}) {
    for (auto& item : doc[list]) {
      for (const char* ref : {"id", "asset", "threat", "vulnerability", "scenario"}) {
        if (item.contains(ref)) map(item[ref]);
      }
      if (item.contains("depends_on")) {
        for (auto& d : item["depends_on"]) map(d);
        std::sort(item["depends_on"].begin(), item["depends_on"].end());
      }
    }
    std::sort(doc[list].begin(), doc[list].end(),
              [](const json& a, const json& b) { return a["id"] < b["id"]; });
  }
  doc["analysis"].erase("id");
  doc["analysis"].erase("current");
  return doc;
}

TEST_P(RiskStore, ExportAndImportLoseNothing) {
  auto an = NewAnalysis();
  an.settings.authenticity = true;
  db().Write([&](db::Tx& tx) {
    UpdateAnalysis(tx, an, 1, 2000);
    an.version = 2;
    auto site = NewAsset(tx, an, "Site A", AssetType::kSite);
    auto server = NewAsset(tx, an, "Server", AssetType::kHardware, {}, {site.id});
    auto process =
        NewAsset(tx, an, "Payments", AssetType::kBusinessProcess,
                 {{kC, "financial", 3}, {Criterion::kAuthenticity, "legal", 2}}, {server.id});
    server.override_impact[2] = 4;
    server.override_reason = "Single point of failure";
    UpdateAsset(tx, server, 1, 3000);
    auto fire = NewThreat(tx, an, "urn:rampart:risk:threat:fire", 3, {false, false, true, false});
    Threat own = NewThreat(tx, an, "urn:rampart:org:" + org_ + ":threat:insider-sale", 2,
                           {true, false, false, true}, true);
    auto v = NewVulnerability(tx, an,
                              "urn:rampart:risk:vulnerability:no-fire-detection-or-suppression", 4);
    auto s1 = NewScenario(an, server, fire, v);
    s1.treatment = Treatment::kAccept;
    s1.owner_id = owner_;
    s1.controls_in_place = "Extinguishers";
    auto s2 = NewScenario(an, process, own, v);
    s2.treatment = Treatment::kReduce;
    s2.reduction = 1;
    s2.planned_controls = "Four-eyes on exports";
    InsertScenarios(tx, {s1, s2});
    Recompute(tx, an);
    auto view = *FindScenario(tx, an.id, s1.id);
    InsertAcceptance(tx, an.id,
                     {crypto::NewUuid(), s1.id, manager_, "", 5000, AcceptanceDigest(StateOf(view)),
                      "Reviewed"});
    Recommendation r;
    r.id = crypto::NewUuid();
    r.analysis_id = an.id;
    r.scenario_id = s2.id;
    r.title = "Two-person rule for exports";
    r.responsible_id = owner_;
    r.due_at = 90000;
    r.status = RecommendationStatus::kInProgress;
    r.created_at = r.updated_at = 6000;
    InsertRecommendation(tx, r);
    AddHistory(tx, r.id, {6000, "Risk Owner", R"({"status":"open"})"});
    AddHistory(tx, r.id, {7000, "Risk Owner", R"({"status":"in_progress"})"});
  });
  const auto first = db().Read([&](db::Tx& tx) { return ExportAnalysis(tx, an); });
  auto outcome = db().Write(
      [&](db::Tx& tx) { return ImportAnalysis(tx, json::parse(first), org_, owner_, 9000); });
  ASSERT_TRUE(outcome.errors.empty())
      << outcome.errors.front().field << ": " << outcome.errors.front().message;
  EXPECT_EQ(outcome.scenarios, 2);
  EXPECT_EQ(outcome.acceptances, 1);
  const auto second = db().Read([&](db::Tx& tx) {
    auto imported = FindAnalysis(tx, org_, outcome.analysis_id);
    EXPECT_TRUE(imported->current);
    EXPECT_FALSE(FindAnalysis(tx, org_, an.id)->current);
    return ExportAnalysis(tx, *imported);
  });
  EXPECT_EQ(Normalised(json::parse(first)).dump(2), Normalised(json::parse(second)).dump(2));
  // The scores, recomputed on import, are the same, and the acceptance is still fresh.
  db().Read([&](db::Tx& tx) {
    auto before = ListRegister(tx, an.id, {}, std::nullopt, 10);
    auto after = ListRegister(tx, outcome.analysis_id, {}, std::nullopt, 10);
    ASSERT_EQ(before.size(), after.size());
    for (std::size_t k = 0; k < before.size(); ++k) {
      EXPECT_EQ(before[k].scenario.score, after[k].scenario.score);
      EXPECT_EQ(before[k].acceptance.has_value(), after[k].acceptance.has_value());
      if (after[k].acceptance) {
        EXPECT_FALSE(after[k].acceptance_stale);
      }
    }
  });
}

TEST_P(RiskStore, ABrokenImportNamesTheItemAndStoresNothing) {
  auto an = NewAnalysis();
  db().Write([&](db::Tx& tx) {
    auto a = NewAsset(tx, an, "Records", AssetType::kInformation, {{kC, "legal", 2}});
    auto t = NewThreat(tx, an, "urn:rampart:risk:threat:fire", 2);
    auto v = NewVulnerability(tx, an,
                              "urn:rampart:risk:vulnerability:no-fire-detection-or-suppression", 3);
    InsertScenario(tx, NewScenario(an, a, t, v));
  });
  const auto good = json::parse(db().Read([&](db::Tx& tx) { return ExportAnalysis(tx, an); }));
  auto count = [&] {
    return Count("risk_analyses") + Count("risk_assets") + Count("risk_scenarios");
  };
  const auto stored = count();
  auto try_import = [&](const json& doc) {
    return db().Write(
        [&](db::Tx& tx) { return ImportAnalysis(tx, doc, org_, owner_, 9000).errors; });
  };
  auto has = [](const std::vector<FieldError>& errors, const std::string& field) {
    return std::any_of(errors.begin(), errors.end(),
                       [&](const FieldError& e) { return e.field == field; });
  };

  auto broken = good;
  broken["scenarios"][0]["threat"] = "no-such-threat";
  EXPECT_TRUE(has(try_import(broken), "/scenarios/0/threat"));

  auto duplicate = good;
  duplicate["threats"].push_back(duplicate["threats"][0]);
  duplicate["threats"][1]["id"] = "another";
  EXPECT_TRUE(has(try_import(duplicate), "/threats/1/urn"));

  auto outside = good;
  outside["assets"][0]["ratings"]["confidentiality"]["legal"] = 9;
  EXPECT_TRUE(has(try_import(outside), "/assets/0/ratings/confidentiality/legal"));

  auto stranger = good;
  stranger["assets"][0]["owner"] = "nobody.here";
  EXPECT_TRUE(has(try_import(stranger), "/assets/0/owner"));

  auto cycle = good;
  json b = cycle["assets"][0];
  b["id"] = "b";
  b["name"] = "B";
  b["depends_on"] = json::array({cycle["assets"][0]["id"]});
  cycle["assets"][0]["depends_on"] = json::array({"b"});
  cycle["assets"].push_back(b);
  auto errors = try_import(cycle);
  ASSERT_FALSE(errors.empty());
  EXPECT_NE(errors.front().message.find("cycle"), std::string::npos);

  EXPECT_EQ(count(), stored);
  EXPECT_TRUE(try_import(good).empty());
  EXPECT_EQ(Count("risk_analyses"), 2);
}

TEST_P(RiskStore, AcceptanceGoesStaleWhenTheScenarioChanges) {
  auto an = NewAnalysis();
  std::string id;
  db().Write([&](db::Tx& tx) {
    auto a = NewAsset(tx, an, "Records", AssetType::kInformation, {{kC, "legal", 2}});
    auto t = NewThreat(tx, an, "urn:t:leak", 2);
    auto v = NewVulnerability(tx, an, "urn:v:open", 3);
    auto s = NewScenario(an, a, t, v);
    InsertScenario(tx, s);
    Recompute(tx, an);
    id = s.id;
    auto view = *FindScenario(tx, an.id, id);
    InsertAcceptance(
        tx, an.id,
        {crypto::NewUuid(), id, manager_, "", 5000, AcceptanceDigest(StateOf(view)), ""});
  });
  EXPECT_FALSE(
      db().Read([&](db::Tx& tx) { return FindScenario(tx, an.id, id)->acceptance_stale; }));
  db().Write([&](db::Tx& tx) {
    auto s = FindScenario(tx, an.id, id)->scenario;
    s.controls_in_place = "Encryption at rest";
    ASSERT_TRUE(UpdateScenario(tx, s, s.version, 6000));
    EXPECT_FALSE(UpdateScenario(tx, s, s.version, 6000));  // the version moved on
  });
  auto v = db().Read([&](db::Tx& tx) { return *FindScenario(tx, an.id, id); });
  ASSERT_TRUE(v.acceptance);
  EXPECT_EQ(v.acceptance->accepted_by_name, "Person the.manager");
  EXPECT_TRUE(v.acceptance_stale);
}

TEST_P(RiskStore, IdsOfAnotherAnalysisFindNothing) {
  auto mine = NewAnalysis();
  const auto other_org = AddOrganisation("Other Bank");
  Analysis theirs = mine;
  theirs.id = crypto::NewUuid();
  theirs.organisation_id = other_org;
  std::string their_asset;
  db().Write([&](db::Tx& tx) {
    InsertAnalysis(tx, theirs);
    their_asset = NewAsset(tx, theirs, "Theirs", AssetType::kSite).id;
  });
  db().Read([&](db::Tx& tx) {
    EXPECT_FALSE(FindAnalysis(tx, org_, theirs.id));
    EXPECT_FALSE(FindAsset(tx, mine.id, their_asset));
    EXPECT_TRUE(FindAsset(tx, theirs.id, their_asset));
  });
}

INSTANTIATE_TEST_SUITE_P(Stores, RiskStore, testing::Values(Store::kSqlite, Store::kPostgres),
                         StoreName);

}  // namespace
}  // namespace rampart::risk
