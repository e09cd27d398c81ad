// The pure decisions of a risk analysis, checked against values computed by hand.
#include "risk/rules.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace rampart::risk {
namespace {

constexpr auto kC = Criterion::kConfidentiality;
constexpr auto kI = Criterion::kIntegrity;
constexpr auto kA = Criterion::kAvailability;
constexpr auto kAu = Criterion::kAuthenticity;

// Slots of an asset with the given impacts and no consequence ratings.
std::vector<int> Impacts(const Settings& s, std::optional<int> c, std::optional<int> i,
                         std::optional<int> a, std::optional<int> au = std::nullopt) {
  std::vector<int> slots(SlotCount(s), kNone);
  const std::optional<int> v[] = {c, i, a, au};
  for (Criterion k : kAllCriteria) {
    if (v[static_cast<int>(k)]) slots[ImpactSlot(s, k)] = *v[static_cast<int>(k)];
  }
  return slots;
}

ThreatFacts Threat(CriteriaFlags affects, int likelihood) {
  ThreatFacts t;
  t.affects = affects;
  t.likelihood = likelihood;
  return t;
}

bool HasError(const std::vector<FieldError>& errors, const std::string& field) {
  return std::any_of(errors.begin(), errors.end(),
                     [&](const FieldError& e) { return e.field == field; });
}

// ---- itv ----

TEST(RiskScoring, ItvTakesTheLargestProductOverTheCriteriaTheThreatAffects) {
  Settings s = DefaultSettings(Method::kItv);  // impact 0–4, likelihood 0–4, vulnerability 1–5
  ASSERT_EQ(s.thresholds.low_max, 20);
  ASSERT_EQ(s.thresholds.medium_max, 50);
  // C 3, I 2, A 4; the threat affects C and I only, likelihood 3, vulnerability 4.
  auto score = ScoreOne(s, Impacts(s, 3, 2, 4), Threat({true, true, false, false}, 3), 4, {});
  ASSERT_TRUE(score.current);
  EXPECT_EQ(*score.current, 36);  // max(3×3×4, 2×3×4); availability's 48 does not count
  EXPECT_EQ(score.current_level, "medium");
  EXPECT_EQ(score.by_criterion[0], 36);
  EXPECT_EQ(score.by_criterion[1], 24);
  EXPECT_FALSE(score.by_criterion[2]);
  EXPECT_EQ(score.impact_axis, 3);
  EXPECT_EQ(score.likelihood_axis, 12);
}

TEST(RiskScoring, ItvResidualLowersTheVulnerabilityByTheControlsInPlace) {
  Settings s = DefaultSettings(Method::kItv);
  ScenarioFacts sc;
  sc.reduction = 2;
  auto score = ScoreOne(s, Impacts(s, 3, 2, 4), Threat({true, true, false, false}, 3), 4, sc);
  EXPECT_EQ(*score.current, 36);
  EXPECT_EQ(*score.residual, 18);  // 3 × 3 × (4 − 2)
  EXPECT_EQ(score.residual_level, "low");
  EXPECT_EQ(score.residual_likelihood_axis, 6);
  // Never below the scale's minimum (1): 3 × 3 × 1.
  sc.reduction = 4;
  EXPECT_EQ(
      *ScoreOne(s, Impacts(s, 3, 2, 4), Threat({true, true, false, false}, 3), 4, sc).residual, 9);
}

TEST(RiskScoring, ItvCountsAuthenticityOnlyWhenTheAnalysisSwitchesItOn) {
  Settings s = DefaultSettings(Method::kItv);
  auto slots = Impacts(s, 1, std::nullopt, std::nullopt, 4);
  const auto threat = Threat({true, false, false, true}, 2);
  EXPECT_EQ(*ScoreOne(s, slots, threat, 5, {}).current, 10);  // 1 × 2 × 5
  s.authenticity = true;
  EXPECT_EQ(*ScoreOne(s, slots, threat, 5, {}).current, 40);  // 4 × 2 × 5
  EXPECT_EQ(ScoreOne(s, slots, threat, 5, {}).current_level, "medium");
}

TEST(RiskScoring, ItvLeavesAScenarioUnscoredWhileAnInputIsMissing) {
  Settings s = DefaultSettings(Method::kItv);
  auto no_likelihood =
      ScoreOne(s, Impacts(s, 3, 3, 3), Threat({true, true, true, false}, kNone), 3, {});
  EXPECT_FALSE(no_likelihood.current);
  EXPECT_EQ(no_likelihood.current_level, "");
  auto no_impact = ScoreOne(s, Impacts(s, std::nullopt, 2, std::nullopt),
                            Threat({true, false, true, false}, 2), 3, {});
  EXPECT_FALSE(no_impact.current);
  auto no_vulnerability =
      ScoreOne(s, Impacts(s, 3, 3, 3), Threat({true, true, true, false}, 2), kNone, {});
  EXPECT_FALSE(no_vulnerability.residual);
}

TEST(RiskScoring, LevelsFollowTheTwoThresholdsInclusively) {
  Thresholds t{10, 20};
  EXPECT_EQ(LevelOf(0, t), "low");
  EXPECT_EQ(LevelOf(10, t), "low");
  EXPECT_EQ(LevelOf(11, t), "medium");
  EXPECT_EQ(LevelOf(20, t), "medium");
  EXPECT_EQ(LevelOf(21, t), "high");
}

// ---- matrix ----

TEST(RiskScoring, MatrixLooksTheLevelUpInAGridOfAnySize) {
  Settings s = DefaultSettings(Method::kMatrix);
  s.impact = {1, 4, {}};
  s.probability = {1, 4, {}};
  s.matrix.levels = {"green", "amber", "red", "black"};
  s.matrix.cells = {{0, 0, 1, 1}, {0, 1, 1, 2}, {1, 1, 2, 3}, {1, 2, 3, 3}};
  ASSERT_TRUE(CheckSettings(s).empty());
  ScenarioFacts sc;
  sc.probability = 3;
  sc.residual_probability = 1;
  // Impact: the largest on the affected criteria (integrity 4; availability is not affected).
  auto score = ScoreOne(s, Impacts(s, 2, 4, std::nullopt),
                        Threat({true, true, false, false}, kNone), kNone, sc);
  EXPECT_EQ(*score.current, 12);            // 3 × 4
  EXPECT_EQ(score.current_level, "black");  // cells[3 − 1][4 − 1]
  EXPECT_EQ(*score.residual, 4);
  EXPECT_EQ(score.residual_level, "amber");  // cells[0][3]
  EXPECT_EQ(score.likelihood_axis, 3);
  EXPECT_EQ(score.residual_likelihood_axis, 1);
}

TEST(RiskScoring, DefaultMatrixFitsTheScalesAndRisesWithBothAxes) {
  Settings s = DefaultSettings(Method::kMatrix);
  ASSERT_EQ(s.matrix.cells.size(), 5u);     // probability 1–5
  ASSERT_EQ(s.matrix.cells[0].size(), 5u);  // impact 0–4
  EXPECT_EQ(s.matrix.cells[0][0], 0);
  EXPECT_EQ(s.matrix.cells[4][4], 2);
  for (std::size_t p = 0; p < 5; ++p) {
    for (std::size_t i = 1; i < 5; ++i) EXPECT_GE(s.matrix.cells[p][i], s.matrix.cells[p][i - 1]);
  }
  EXPECT_TRUE(CheckSettings(s).empty());
}

// ---- operational ----

TEST(RiskScoring, OperationalTakesTheWorstConsequenceTypeOnTheAffectedCriteria) {
  Settings s = DefaultSettings(Method::kOperational);
  s.consequences = {{"reputation", "Reputation"}, {"financial", "Financial"}};
  auto slots = OwnSlots(s, {{kC, "reputation", 2}, {kI, "financial", 4}, {kA, "reputation", 3}});
  ScenarioFacts sc;
  sc.probability = 3;
  sc.residual_probability = 2;
  auto score = ScoreOne(s, slots, Threat({true, false, true, false}, kNone), kNone, sc);
  EXPECT_EQ(*score.current, 9);  // 3 × max(2, 3); integrity's 4 is not affected
  EXPECT_EQ(*score.residual, 6);
  EXPECT_EQ(score.by_criterion[0], 6);
  EXPECT_EQ(score.by_criterion[2], 9);
  // Default thresholds for 1–5 × 0–4: up to 5 low, up to 12 medium.
  EXPECT_EQ(s.thresholds.low_max, 5);
  EXPECT_EQ(s.thresholds.medium_max, 12);
  EXPECT_EQ(score.current_level, "medium");
}

// ---- remapping ----

TEST(RiskRemap, KeepsAValuesPlaceInTheRangeRoundingHalvesUp) {
  EXPECT_EQ(Remap(2, {0, 4, {}}, {1, 5, {}}), 3);
  EXPECT_EQ(Remap(0, {0, 4, {}}, {1, 5, {}}), 1);
  EXPECT_EQ(Remap(4, {1, 5, {}}, {1, 3, {}}), 3);   // 1 + round(3 × 2 / 4) = 1 + 2
  EXPECT_EQ(Remap(2, {1, 5, {}}, {1, 3, {}}), 2);   // 1 + round(0.5)
  EXPECT_EQ(Remap(1, {0, 4, {}}, {0, 10, {}}), 3);  // round(2.5)
  EXPECT_EQ(Remap(4, {0, 4, {}}, {0, 10, {}}), 10);
  EXPECT_EQ(Remap(9, {0, 4, {}}, {0, 3, {}}), 3);  // clamped into the new scale
}

TEST(RiskRemap, ScalesDifferencesAndThresholds) {
  EXPECT_EQ(RemapDelta(2, {1, 5, {}}, {1, 3, {}}), 1);
  EXPECT_EQ(RemapDelta(1, {1, 5, {}}, {1, 9, {}}), 2);
  EXPECT_EQ(RemapDelta(0, {1, 5, {}}, {1, 9, {}}), 0);
  Settings from = DefaultSettings(Method::kItv);  // largest risk 80, thresholds 20 / 50
  Settings to = from;
  to.impact = {0, 8, {}};  // largest risk 160
  auto t = RemapThresholds(from, to);
  EXPECT_EQ(t.low_max, 40);
  EXPECT_EQ(t.medium_max, 100);
}

// ---- criticality ----

TEST(RiskCriticality, SupportingAssetsInheritTheLargestValueOfThePrimaryAssetsAbove) {
  Settings s = DefaultSettings();
  // 0 payments (primary, C 3) → 2 server → 3 data centre; 1 records (primary, A 4) → 3.
  std::vector<AssetFacts> assets(4);
  assets[0].primary = true;
  assets[0].own = OwnSlots(s, {{kC, "financial", 3}, {kC, "legal", 1}});
  assets[1].primary = true;
  assets[1].own = OwnSlots(s, {{kA, "operations", 4}});
  assets[2].own.assign(SlotCount(s), kNone);
  assets[3].own.assign(SlotCount(s), kNone);
  std::vector<std::vector<int>> deps = {{2}, {3}, {3}, {}};
  auto slots = EffectiveSlots(s, assets, deps);
  auto server = ImpactsOf(s, slots[2]);
  auto site = ImpactsOf(s, slots[3]);
  EXPECT_EQ(server[0], 3);
  EXPECT_FALSE(server[2]);
  EXPECT_EQ(site[0], 3);  // through the server
  EXPECT_EQ(site[2], 4);
  EXPECT_EQ(CriticalityOf(site), 4);
  EXPECT_EQ(ImpactsOf(s, slots[0])[0], 3);  // a primary asset keeps its own
}

TEST(RiskCriticality, AnOverrideReplacesTheImpactOfItsCriterionForThatAssetOnly) {
  Settings s = DefaultSettings();
  std::vector<AssetFacts> assets(3);
  assets[0].primary = true;
  assets[0].own = OwnSlots(s, {{kA, "operations", 4}});
  assets[1].own.assign(SlotCount(s), kNone);
  assets[1].override_impact[2] = 1;  // judged less critical
  assets[2].own.assign(SlotCount(s), kNone);
  std::vector<std::vector<int>> deps = {{1}, {2}, {}};
  auto slots = EffectiveSlots(s, assets, deps);
  EXPECT_EQ(ImpactsOf(s, slots[1])[2], 1);
  EXPECT_EQ(ImpactsOf(s, slots[2])[2], 4);  // inheritance flows from the primary asset
}

TEST(RiskCriticality, APrimaryAssetPassesOnWhatFlowsIntoIt) {
  Settings s = DefaultSettings();
  // 0 process (I 4) → 1 information (C 2) → 2 database.
  std::vector<AssetFacts> assets(3);
  assets[0].primary = assets[1].primary = true;
  assets[0].own = OwnSlots(s, {{kI, "legal", 4}});
  assets[1].own = OwnSlots(s, {{kC, "reputation", 2}});
  assets[2].own.assign(SlotCount(s), kNone);
  auto slots = EffectiveSlots(s, assets, {{1}, {2}, {}});
  auto db = ImpactsOf(s, slots[2]);
  EXPECT_EQ(db[0], 2);
  EXPECT_EQ(db[1], 4);
  EXPECT_FALSE(ImpactsOf(s, slots[1])[1]);  // the information keeps its own ratings
}

TEST(RiskCriticality, RatingsOnUnknownTypesOrSwitchedOffCriteriaAreIgnored) {
  Settings s = DefaultSettings();
  auto slots = OwnSlots(s, {{kAu, "financial", 4}, {kC, "no-such-type", 4}, {kC, "persons", 1}});
  auto impacts = ImpactsOf(s, slots);
  EXPECT_EQ(impacts[0], 1);
  EXPECT_FALSE(impacts[3]);
}

TEST(RiskCriticality, FindsACycleAndNamesItsPath) {
  EXPECT_TRUE(FindCycle({{1}, {2}, {}}).empty());
  EXPECT_TRUE(FindCycle({{1, 2}, {2}, {}}).empty());  // a diamond is no cycle
  auto cycle = FindCycle({{1}, {2}, {3}, {1}});
  ASSERT_EQ(cycle.size(), 4u);
  EXPECT_EQ(cycle.front(), cycle.back());
  std::vector<int> inner(cycle.begin(), cycle.end() - 1);
  std::sort(inner.begin(), inner.end());
  EXPECT_EQ(inner, (std::vector<int>{1, 2, 3}));
  const std::vector<std::vector<int>> graph = {{1}, {2}, {3}, {1}};
  for (std::size_t k = 0; k + 1 < cycle.size(); ++k) {
    const auto& edges = graph[static_cast<std::size_t>(cycle[k])];
    EXPECT_NE(std::find(edges.begin(), edges.end(), cycle[k + 1]), edges.end());
  }
  EXPECT_EQ(FindCycle({{0}}), (std::vector<int>{0, 0}));
}

// ---- acceptance ----

AcceptedState State() {
  AcceptedState st;
  st.asset_name = "Core server";
  st.threat_urn = "urn:rampart:risk:threat:fire";
  st.vulnerability_urn = "urn:rampart:risk:vulnerability:no-fire-detection-or-suppression";
  st.reduction = 1;
  st.treatment = Treatment::kAccept;
  st.current_risk = 36;
  st.residual_risk = 18;
  st.residual_level = "low";
  return st;
}

TEST(RiskAcceptance, EqualStatesHaveEqualDigestsAndAnyChangeMakesTheAcceptanceStale) {
  const auto digest = AcceptanceDigest(State());
  EXPECT_EQ(digest.size(), 64u);
  EXPECT_EQ(digest, AcceptanceDigest(State()));
  EXPECT_FALSE(IsStale(digest, State()));
  auto changed = State();
  changed.controls_in_place = "Guard at night";
  EXPECT_TRUE(IsStale(digest, changed));
  changed = State();
  changed.residual_risk = 19;
  EXPECT_TRUE(IsStale(digest, changed));
  changed = State();
  changed.owner_id = "0190a2a2-0000-7000-8000-000000000000";
  EXPECT_TRUE(IsStale(digest, changed));
}

TEST(RiskAcceptance, FieldsCannotBeShiftedIntoEachOther) {
  auto a = State();
  a.controls_in_place = "x";
  a.planned_controls = "";
  auto b = State();
  b.controls_in_place = "";
  b.planned_controls = "x";
  EXPECT_NE(AcceptanceDigest(a), AcceptanceDigest(b));
}

// ---- settings ----

TEST(RiskSettings, ChecksNameEveryFieldAtFault) {
  Settings s = DefaultSettings(Method::kMatrix);
  s.thresholds = {30, 30};
  s.consequences.push_back({"reputation", "Again"});
  s.impact.max = 5;  // the grid and labels no longer fit
  auto errors = CheckSettings(s);
  EXPECT_TRUE(HasError(errors, "/settings/thresholds/medium_max"));
  EXPECT_TRUE(HasError(errors, "/settings/consequences/5/key"));
  EXPECT_TRUE(HasError(errors, "/settings/impact/labels"));
  EXPECT_TRUE(HasError(errors, "/settings/matrix/cells/0"));
  EXPECT_TRUE(CheckSettings(DefaultSettings(Method::kItv)).empty());
  EXPECT_TRUE(CheckSettings(DefaultSettings(Method::kOperational)).empty());
}

TEST(RiskSettings, ReadKeepsWhatIsAbsentAndRefusesUnknownMembers) {
  std::vector<FieldError> errors;
  auto j = nlohmann::json::parse(
      R"({"impact": {"min": 1, "max": 3}, "criteria": {"authenticity": true}, "colour": "red"})");
  auto s = ReadSettings(j, DefaultSettings(), errors);
  EXPECT_TRUE(HasError(errors, "/settings/colour"));
  EXPECT_EQ(s.impact.min, 1);
  EXPECT_EQ(s.impact.max, 3);
  EXPECT_TRUE(s.impact.labels.empty());  // five labels no longer fit three levels
  EXPECT_TRUE(s.authenticity);
  EXPECT_EQ(s.likelihood.max, 4);
  // Written and read back, settings are the same.
  JsonWriter w;
  WriteSettings(w, s);
  std::vector<FieldError> none;
  auto again = ReadSettings(nlohmann::json::parse(w.str()), DefaultSettings(), none);
  EXPECT_TRUE(none.empty());
  JsonWriter w2;
  WriteSettings(w2, again);
  EXPECT_EQ(w.str(), w2.str());
}

TEST(RiskSettings, RatingsOutsideTheScaleOrOnUnknownTypesAreNamed) {
  Settings s = DefaultSettings();
  std::vector<FieldError> errors;
  auto ratings = ReadRatings(nlohmann::json::parse(R"({"confidentiality": {"reputation": 5,
      "financial": 2, "weather": 1}, "authenticity": {"legal": 1}})"),
                             s, errors, "/ratings");
  EXPECT_TRUE(HasError(errors, "/ratings/confidentiality/reputation"));
  EXPECT_TRUE(HasError(errors, "/ratings/confidentiality/weather"));
  EXPECT_TRUE(HasError(errors, "/ratings/authenticity"));
  ASSERT_EQ(ratings.size(), 1u);
  EXPECT_EQ(ratings[0].value, 2);
}

}  // namespace
}  // namespace rampart::risk
