#include "risk/catalogue.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

namespace rampart::risk {
namespace {

using nlohmann::json;

constexpr const char* kT = "urn:rampart:risk:threat:";
constexpr const char* kV = "urn:rampart:risk:vulnerability:";

bool Has(const std::vector<AssetType>& types, AssetType type) {
  return std::find(types.begin(), types.end(), type) != types.end();
}

// A small valid pair of documents that each validation test breaks in one place.
json Threats() {
  return json::parse(R"({
    "urn": "urn:rampart:risk:catalogue:threats", "name": "Threats", "version": "t1",
    "source": "test",
    "families": [
      {"id": "physical_damage", "name": "Physical damage", "description": "d"},
      {"id": "unauthorised_actions", "name": "Unauthorised actions", "description": "d"}
    ],
    "threats": [
      {"urn": "urn:rampart:risk:threat:fire", "family": "physical_damage", "name": "Fire",
       "description": "d",
       "criteria": {"confidentiality": false, "integrity": false, "availability": true},
       "origins": ["accidental"], "asset_types": ["site", "hardware"]},
      {"urn": "urn:rampart:risk:threat:theft", "family": "unauthorised_actions", "name": "Theft",
       "description": "d",
       "criteria": {"confidentiality": true, "integrity": false, "availability": true},
       "origins": ["deliberate"], "asset_types": ["hardware", "information"]}
    ]})");
}

json Vulnerabilities() {
  return json::parse(R"({
    "urn": "urn:rampart:risk:catalogue:vulnerabilities", "name": "Vulnerabilities",
    "version": "t1", "source": "test",
    "vulnerabilities": [
      {"urn": "urn:rampart:risk:vulnerability:open-door", "name": "Open door", "description": "d",
       "asset_types": ["site", "hardware"],
       "threats": ["urn:rampart:risk:threat:theft", "urn:rampart:risk:threat:fire"],
       "controls": ["7.2", "7.5"]}
    ]})");
}

Catalogue ParseDocs(const json& threats, const json& vulnerabilities) {
  return Catalogue::Parse(threats.dump(), vulnerabilities.dump());
}

// Expects Parse to throw a logic_error whose message contains every one of `parts`.
void ExpectRejected(const json& threats, const json& vulnerabilities,
                    const std::vector<std::string>& parts) {
  try {
    ParseDocs(threats, vulnerabilities);
    ADD_FAILURE() << "accepted a document that should fail with: " << parts.front();
  } catch (const std::logic_error& e) {
    for (const auto& part : parts) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos)
          << "\"" << e.what() << "\" does not mention \"" << part << "\"";
    }
  }
}

TEST(RiskCatalogueAssetTypes, NamesRoundTripAndOnlyProcessesAndInformationArePrimary) {
  std::set<std::string_view> names;
  for (AssetType type : kAllAssetTypes) {
    auto name = Name(type);
    EXPECT_TRUE(names.insert(name).second) << name;
    EXPECT_EQ(ParseAssetType(name), type) << name;
  }
  EXPECT_EQ(names,
            (std::set<std::string_view>{"business_process", "information", "hardware", "software",
                                        "network", "people", "site", "organisation"}));
  EXPECT_TRUE(IsPrimary(AssetType::kBusinessProcess));
  EXPECT_TRUE(IsPrimary(AssetType::kInformation));
  for (AssetType type : kAllAssetTypes) {
    if (type != AssetType::kBusinessProcess && type != AssetType::kInformation) {
      EXPECT_FALSE(IsPrimary(type)) << Name(type);
    }
  }
  EXPECT_EQ(ParseAssetType("Hardware"), std::nullopt);
  EXPECT_EQ(ParseAssetType("business-process"), std::nullopt);
  EXPECT_EQ(ParseAssetType(""), std::nullopt);
}

TEST(RiskCatalogueBuiltIn, LoadsWithItsVersionAndEnoughEntries) {
  const auto& cat = Catalogue::BuiltIn();
  EXPECT_EQ(cat.Version(), "2026.1");
  EXPECT_GE(cat.Threats().size(), 45u);
  EXPECT_GE(cat.Vulnerabilities().size(), 65u);
  EXPECT_EQ(&cat, &Catalogue::BuiltIn()) << "parsed once and shared";
}

TEST(RiskCatalogueBuiltIn, HasTheSevenFamiliesEachWithThreats) {
  const auto& cat = Catalogue::BuiltIn();
  std::vector<std::string> ids;
  for (const auto& f : cat.Families()) ids.push_back(f.id);
  EXPECT_EQ(ids, (std::vector<std::string>{"physical_damage", "natural_events",
                                           "loss_of_essential_services",
                                           "compromise_of_information", "technical_failures",
                                           "unauthorised_actions", "compromise_of_functions"}));
  for (const auto& f : cat.Families()) {
    auto count = std::count_if(cat.Threats().begin(), cat.Threats().end(),
                               [&](const CatalogueThreat& t) { return t.family == f.id; });
    EXPECT_GE(count, 4) << f.id;
  }
}

TEST(RiskCatalogueBuiltIn, UrnsAreUniqueAndWellFormed) {
  const auto& cat = Catalogue::BuiltIn();
  const std::regex threat_urn("urn:rampart:risk:threat:[a-z0-9]+(-[a-z0-9]+)*");
  const std::regex vulnerability_urn("urn:rampart:risk:vulnerability:[a-z0-9]+(-[a-z0-9]+)*");
  std::set<std::string> urns;
  for (const auto& t : cat.Threats()) {
    EXPECT_TRUE(std::regex_match(t.urn, threat_urn)) << t.urn;
    EXPECT_TRUE(urns.insert(t.urn).second) << t.urn;
    EXPECT_EQ(cat.FindThreat(t.urn), &t);
  }
  for (const auto& v : cat.Vulnerabilities()) {
    EXPECT_TRUE(std::regex_match(v.urn, vulnerability_urn)) << v.urn;
    EXPECT_TRUE(urns.insert(v.urn).second) << v.urn;
    EXPECT_EQ(cat.FindVulnerability(v.urn), &v);
  }
  EXPECT_EQ(cat.FindThreat("urn:rampart:risk:threat:no-such-threat"), nullptr);
  EXPECT_EQ(cat.FindVulnerability("urn:rampart:risk:threat:fire"), nullptr);
}

TEST(RiskCatalogueBuiltIn, EveryAssetTypeIsCoveredByThreatsAndVulnerabilities) {
  const auto& cat = Catalogue::BuiltIn();
  for (AssetType type : kAllAssetTypes) {
    auto threats = std::count_if(cat.Threats().begin(), cat.Threats().end(),
                                 [&](const auto& t) { return Has(t.asset_types, type); });
    auto vulnerabilities = std::count_if(cat.Vulnerabilities().begin(), cat.Vulnerabilities().end(),
                                         [&](const auto& v) { return Has(v.asset_types, type); });
    EXPECT_GE(threats, 3) << Name(type);
    EXPECT_GE(vulnerabilities, 5) << Name(type);
  }
}

TEST(RiskCatalogueBuiltIn, EveryThreatIsLetInBySomeVulnerability) {
  const auto& cat = Catalogue::BuiltIn();
  std::set<std::string> linked;
  for (const auto& v : cat.Vulnerabilities())
    linked.insert(v.threat_urns.begin(), v.threat_urns.end());
  for (const auto& t : cat.Threats()) {
    EXPECT_TRUE(linked.contains(t.urn)) << t.urn << " would never be suggested";
  }
}

TEST(RiskCatalogueBuiltIn, EveryVulnerabilityNamesControls) {
  for (const auto& v : Catalogue::BuiltIn().Vulnerabilities()) {
    EXPECT_FALSE(v.controls.empty()) << v.urn;
    EXPECT_FALSE(v.threat_urns.empty()) << v.urn;
    EXPECT_FALSE(v.asset_types.empty()) << v.urn;
  }
}

TEST(RiskCatalogueBuiltIn, EveryAssetTypeGetsConsistentSuggestions) {
  const auto& cat = Catalogue::BuiltIn();
  for (AssetType type : kAllAssetTypes) {
    auto pairs = cat.Suggestions(type);
    EXPECT_GE(pairs.size(), 10u) << Name(type);
    std::set<std::pair<const CatalogueThreat*, const CatalogueVulnerability*>> seen;
    for (const auto& p : pairs) {
      ASSERT_NE(p.threat, nullptr);
      ASSERT_NE(p.vulnerability, nullptr);
      EXPECT_TRUE(Has(p.vulnerability->asset_types, type)) << p.vulnerability->urn;
      EXPECT_TRUE(Has(p.threat->asset_types, type)) << p.threat->urn;
      const auto& urns = p.vulnerability->threat_urns;
      EXPECT_NE(std::find(urns.begin(), urns.end(), p.threat->urn), urns.end());
      EXPECT_TRUE(seen.insert({p.threat, p.vulnerability}).second)
          << p.threat->urn << " with " << p.vulnerability->urn << " twice";
    }
  }
}

TEST(RiskCatalogueBuiltIn, SuggestsTheClassicScenarios) {
  const auto& cat = Catalogue::BuiltIn();
  auto suggests = [&](AssetType type, const std::string& threat, const std::string& vuln) {
    auto pairs = cat.Suggestions(type);
    return std::any_of(pairs.begin(), pairs.end(), [&](const Catalogue::Pair& p) {
      return p.threat->urn == kT + threat && p.vulnerability->urn == kV + vuln;
    });
  };
  EXPECT_TRUE(suggests(AssetType::kSite, "fire", "no-fire-detection-or-suppression"));
  EXPECT_TRUE(suggests(AssetType::kSoftware, "ransomware", "unpatched-software"));
  EXPECT_TRUE(suggests(AssetType::kPeople, "phishing", "insufficient-security-awareness"));
  EXPECT_TRUE(suggests(AssetType::kNetwork, "denial-of-service", "single-network-link"));
  EXPECT_TRUE(suggests(AssetType::kOrganisation, "supplier-failure", "single-supplier-dependency"));
  EXPECT_TRUE(suggests(AssetType::kBusinessProcess, "fraud", "no-segregation-of-duties"));
  EXPECT_TRUE(suggests(AssetType::kInformation, "data-exfiltration", "no-data-leakage-controls"));
  EXPECT_TRUE(suggests(AssetType::kHardware, "hardware-failure", "no-hardware-redundancy"));
  // A threat that does not bear on the asset type is not suggested for it, even though the
  // vulnerability lets it in elsewhere: an unpatched application does not burn.
  EXPECT_FALSE(suggests(AssetType::kSite, "fire", "unpatched-software"));
  EXPECT_FALSE(suggests(AssetType::kPeople, "fire", "no-fire-detection-or-suppression"));

  const auto* ransomware = cat.FindThreat(std::string(kT) + "ransomware");
  ASSERT_NE(ransomware, nullptr);
  EXPECT_EQ(ransomware->family, "unauthorised_actions");
  EXPECT_TRUE(ransomware->criteria.confidentiality && ransomware->criteria.integrity &&
              ransomware->criteria.availability);
  EXPECT_EQ(ransomware->origins, (std::vector<std::string>{"deliberate"}));
}

TEST(RiskCatalogueParse, AcceptsAValidPairAndKeepsWhatItSays) {
  auto cat = ParseDocs(Threats(), Vulnerabilities());
  EXPECT_EQ(cat.Version(), "t1");
  ASSERT_EQ(cat.Families().size(), 2u);
  EXPECT_EQ(cat.Families()[1].name, "Unauthorised actions");
  const auto* fire = cat.FindThreat(std::string(kT) + "fire");
  ASSERT_NE(fire, nullptr);
  EXPECT_FALSE(fire->criteria.confidentiality);
  EXPECT_FALSE(fire->criteria.integrity);
  EXPECT_TRUE(fire->criteria.availability);
  EXPECT_EQ(fire->asset_types, (std::vector<AssetType>{AssetType::kSite, AssetType::kHardware}));
  const auto* door = cat.FindVulnerability(std::string(kV) + "open-door");
  ASSERT_NE(door, nullptr);
  EXPECT_EQ(door->controls, (std::vector<std::string>{"7.2", "7.5"}));
}

TEST(RiskCatalogueParse, SuggestionsFollowCatalogueOrderAndTheAssetType) {
  auto cat = ParseDocs(Threats(), Vulnerabilities());
  // The vulnerability lists theft before fire; the catalogue lists fire first.
  auto hardware = cat.Suggestions(AssetType::kHardware);
  ASSERT_EQ(hardware.size(), 2u);
  EXPECT_EQ(hardware[0].threat->urn, std::string(kT) + "fire");
  EXPECT_EQ(hardware[1].threat->urn, std::string(kT) + "theft");
  // Theft does not bear on sites, so a site only hears about fire.
  auto site = cat.Suggestions(AssetType::kSite);
  ASSERT_EQ(site.size(), 1u);
  EXPECT_EQ(site[0].threat->urn, std::string(kT) + "fire");
  EXPECT_EQ(site[0].vulnerability->urn, std::string(kV) + "open-door");
  // Theft bears on information, but the vulnerability is not found in information.
  EXPECT_TRUE(cat.Suggestions(AssetType::kInformation).empty());
}

TEST(RiskCatalogueParse, RefusesADuplicateThreatUrn) {
  auto t = Threats();
  t["threats"][1]["urn"] = std::string(kT) + "fire";
  ExpectRejected(t, Vulnerabilities(), {"threat \"urn:rampart:risk:threat:fire\"", "duplicate"});
}

TEST(RiskCatalogueParse, RefusesAVulnerabilityReusingAThreatUrn) {
  auto v = Vulnerabilities();
  v["vulnerabilities"].push_back(v["vulnerabilities"][0]);
  ExpectRejected(Threats(), v,
                 {"vulnerability \"urn:rampart:risk:vulnerability:open-door\"", "duplicate"});
}

TEST(RiskCatalogueParse, RefusesADuplicateFamily) {
  auto t = Threats();
  t["families"][1]["id"] = "physical_damage";
  ExpectRejected(t, Vulnerabilities(), {"family \"physical_damage\"", "duplicate"});
}

TEST(RiskCatalogueParse, RefusesAThreatOfAnUnknownFamily) {
  auto t = Threats();
  t["threats"][1]["family"] = "acts_of_god";
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:theft", "acts_of_god"});
}

TEST(RiskCatalogueParse, RefusesAnUnknownAssetType) {
  auto t = Threats();
  t["threats"][0]["asset_types"].push_back("building");
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:fire", "building"});
  auto v = Vulnerabilities();
  v["vulnerabilities"][0]["asset_types"] = {"site", "computer"};
  ExpectRejected(Threats(), v, {"urn:rampart:risk:vulnerability:open-door", "computer"});
}

TEST(RiskCatalogueParse, RefusesAVulnerabilityNamingAMissingThreat) {
  auto v = Vulnerabilities();
  v["vulnerabilities"][0]["threats"].push_back(std::string(kT) + "flood");
  ExpectRejected(Threats(), v,
                 {"urn:rampart:risk:vulnerability:open-door", "urn:rampart:risk:threat:flood"});
}

TEST(RiskCatalogueParse, RefusesAThreatThatAffectsNoCriterion) {
  auto t = Threats();
  t["threats"][0]["criteria"]["availability"] = false;
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:fire", "no criterion"});
  t = Threats();
  t["threats"][0].erase("criteria");
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:fire", "criteria"});
  t = Threats();
  t["threats"][0]["criteria"].erase("integrity");
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:fire", "integrity"});
}

TEST(RiskCatalogueParse, RefusesAThreatWithoutAssetTypesOrOrigins) {
  auto t = Threats();
  t["threats"][0]["asset_types"] = json::array();
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:fire", "asset_types"});
  t = Threats();
  t["threats"][0]["origins"] = {"divine"};
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:fire", "divine"});
  t = Threats();
  t["threats"][0]["origins"] = {"accidental", "accidental"};
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:fire", "twice"});
}

TEST(RiskCatalogueParse, RefusesMalformedUrns) {
  auto t = Threats();
  t["threats"][0]["urn"] = "urn:rampart:risk:threat:Fire";
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:threat:Fire"});
  t = Threats();
  t["threats"][0]["urn"] = std::string(kV) + "fire";
  ExpectRejected(t, Vulnerabilities(), {"urn:rampart:risk:vulnerability:fire"});
  auto v = Vulnerabilities();
  v["vulnerabilities"][0]["urn"] = "urn:rampart:risk:vulnerability:";
  ExpectRejected(Threats(), v, {"vulnerability #1"});
}

TEST(RiskCatalogueParse, RefusesControlsThatAreNotIn27002Of2022) {
  for (const char* bad : {"5.38", "6.9", "7.15", "8.35", "9.1", "A.12.6.1", "8.08", "8.", ""}) {
    auto v = Vulnerabilities();
    v["vulnerabilities"][0]["controls"] = {"7.2", bad};
    ExpectRejected(Threats(), v, {"urn:rampart:risk:vulnerability:open-door"});
  }
  auto v = Vulnerabilities();
  v["vulnerabilities"][0]["controls"] = {"5.1", "5.37", "6.8", "7.14", "8.34"};
  EXPECT_NO_THROW(ParseDocs(Threats(), v));
}

TEST(RiskCatalogueParse, RefusesAnAssetTypeNoneOfTheVulnerabilitysThreatsBearsOn) {
  auto v = Vulnerabilities();
  v["vulnerabilities"][0]["asset_types"] = {"site", "people"};
  ExpectRejected(Threats(), v, {"urn:rampart:risk:vulnerability:open-door", "\"people\""});
}

TEST(RiskCatalogueParse, RefusesFilesOfDifferentVersionsOrShapes) {
  auto v = Vulnerabilities();
  v["version"] = "t2";
  ExpectRejected(Threats(), v, {"vulnerabilities file", "t2"});
  auto t = Threats();
  t.erase("source");
  ExpectRejected(t, Vulnerabilities(), {"threats file", "source"});
  EXPECT_THROW(Catalogue::Parse("{", Vulnerabilities().dump()), std::logic_error);
  EXPECT_THROW(Catalogue::Parse(Threats().dump(), "[]"), std::logic_error);
  t = Threats();
  t["threats"] = json::array();
  ExpectRejected(t, Vulnerabilities(), {"threats file", "threats"});
}

}  // namespace
}  // namespace rampart::risk
