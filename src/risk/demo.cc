#include "risk/demo.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/principal.h"
#include "risk/catalogue.h"
#include "risk/rules.h"
#include "risk/store.h"

namespace rampart::risk {

namespace {

struct AssetSeed {
  std::string_view name;
  AssetType type;
  std::string_view description;
  std::vector<int> depends_on;  // indices into kAssets
};

// A plausible organisation of the demo country, the same for every sector. Written for the demo.
const std::vector<AssetSeed>& Assets() {
  using T = AssetType;
  static const std::vector<AssetSeed> kAssets = {
      // 0–6: primary assets
      {"Core service delivery",
       T::kBusinessProcess,
       "The essential service the organisation provides to the country.",
       {7, 12, 17, 21, 24}},
      {"Customer portal",
       T::kBusinessProcess,
       "Online service for customers and the public.",
       {8, 13, 18, 25}},
      {"Billing and payments",
       T::kBusinessProcess,
       "Invoicing, collection and payments.",
       {9, 14, 22}},
      {"Staff administration",
       T::kBusinessProcess,
       "Payroll, leave and personnel files.",
       {10, 14, 23}},
      {"Customer records",
       T::kInformation,
       "Identity, contracts and history of customers.",
       {8, 9}},
      {"Operational data",
       T::kInformation,
       "Measurements, logs and the state of the service.",
       {7, 9, 11}},
      {"Financial records",
       T::kInformation,
       "Ledgers, statements and reports to the regulator.",
       {9, 14}},
      // 7–11: hardware
      {"Core application servers",
       T::kHardware,
       "Virtualisation hosts running core systems.",
       {26, 17}},
      {"Web front-end servers", T::kHardware, "Servers behind the public portal.", {26, 18}},
      {"Database cluster", T::kHardware, "Clustered database servers and their storage.", {26}},
      {"Staff workstations", T::kHardware, "Laptops and desktops of the staff.", {27}},
      {"Control terminals", T::kHardware, "Operator consoles of the operational systems.", {27}},
      // 12–16: software
      {"Core business application", T::kSoftware, "The application that runs the service.", {7, 9}},
      {"Customer portal software", T::kSoftware, "Web application and its components.", {8, 29}},
      {"ERP suite", T::kSoftware, "Finance, purchasing and human resources.", {9, 30}},
      {"E-mail and collaboration",
       T::kSoftware,
       "Hosted e-mail, calendars and file sharing.",
       {30}},
      {"Directory service", T::kSoftware, "Accounts, groups and sign-in for staff.", {7}},
      // 17–20: network
      {"Data-centre network",
       T::kNetwork,
       "Switches, firewalls and links in the data centre.",
       {26}},
      {"Internet uplink", T::kNetwork, "Two links to internet providers.", {26}},
      {"Remote access VPN", T::kNetwork, "Access for staff and suppliers from outside.", {16}},
      {"Corporate LAN", T::kNetwork, "Office network and Wi-Fi.", {27}},
      // 21–23: people
      {"IT operations team", T::kPeople, "Administrators of systems and networks.", {27}},
      {"Finance staff", T::kPeople, "Accountants and payment officers.", {27}},
      {"Human resources staff", T::kPeople, "Personnel officers.", {27}},
      // 24–25: organisation
      {"Duty management", T::kOrganisation, "On-call roster and escalation to management.", {21}},
      {"Customer service desk", T::kOrganisation, "Front desk and call centre.", {27}},
      // 26–28: sites
      {"Primary data centre", T::kSite, "The organisation's own machine room.", {}},
      {"Head office", T::kSite, "Main offices and the operations room.", {}},
      {"Disaster recovery site", T::kSite, "Stand-by room in another town.", {}},
      // 29–30: suppliers (organisation)
      {"Web hosting provider", T::kOrganisation, "Supplier hosting parts of the portal.", {}},
      {"Cloud software provider", T::kOrganisation, "Supplier of hosted office software.", {}},
  };
  return kAssets;
}

constexpr std::string_view kControls[] = {
    "Second factor for every administrator account",
    "Monthly patching window with emergency path for critical fixes",
    "Offline backups tested every quarter",
    "Network segmentation between office and operations",
    "Awareness sessions twice a year and phishing exercises",
    "Second power feed and generator test every month",
    "Supplier security clauses and yearly review",
    "Central log collection with alerting to the duty manager",
};

}  // namespace

DemoRiskSummary SeedDemoAnalyses(db::Database& db, Millis now) {
  DemoRiskSummary sum;
  const Catalogue& catalogue = Catalogue::BuiltIn();
  struct Org {
    std::string id, name;
  };
  auto orgs = db.Read([&](db::Tx& tx) {
    std::vector<Org> out;
    for (const auto& r : tx.Query(
             "SELECT o.id, o.name FROM organisations o WHERE o.kind IN ('operator', 'government') "
             "AND NOT EXISTS (SELECT 1 FROM risk_analyses a WHERE a.organisation_id = o.id) "
             "ORDER BY o.name",
             {})) {
      out.push_back({r.Text(0), r.Text(1)});
    }
    return out;
  });
  int org_index = 0;
  for (const auto& org : orgs) {
    std::mt19937 rng(static_cast<std::uint32_t>(1000 + org_index++));
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    db.Write([&](db::Tx& tx) {
      std::optional<std::string> risk_owner, manager, ciso;
      for (const auto& r : tx.Query(
               "SELECT user_id, roles FROM memberships WHERE organisation_id = $1 ORDER BY user_id",
               {org.id})) {
        auto roles = RoleSet::Parse(r.Text(1)).value_or(RoleSet());
        if (!risk_owner && roles.Has(Role::kRiskOwner)) risk_owner = r.Text(0);
        if (!manager && roles.Has(Role::kManagement)) manager = r.Text(0);
        if (!ciso && roles.Has(Role::kCiso)) ciso = r.Text(0);
      }
      Analysis an;
      an.id = crypto::NewUuid();
      an.organisation_id = org.id;
      an.name = "Risk analysis " + FormatRfc3339(now).substr(0, 4);
      an.description = "Yearly analysis of the assets that carry " + org.name + "'s service.";
      an.current = true;
      an.settings = DefaultSettings(Method::kItv);
      an.created_by = ciso.value_or("");
      an.created_at = an.updated_at = now;
      InsertAnalysis(tx, an);

      // Assets, with ratings for the primary ones.
      const auto& seeds = Assets();
      std::vector<Asset> assets;
      for (const auto& seed : seeds) {
        Asset a;
        a.id = crypto::NewUuid();
        a.analysis_id = an.id;
        a.name = std::string(seed.name);
        a.type = seed.type;
        a.description = std::string(seed.description);
        a.owner_id = risk_owner;
        if (IsPrimary(seed.type)) {
          for (Criterion c :
               {Criterion::kConfidentiality, Criterion::kIntegrity, Criterion::kAvailability}) {
            for (const auto& ct : an.settings.consequences) {
              if (pick(0, 3) == 0) continue;  // not every consequence matters
              a.ratings.push_back({c, ct.key, pick(1, 4)});
            }
          }
        }
        assets.push_back(std::move(a));
      }
      // One supporting asset whose owner judged it more critical than inherited.
      assets[28].override_impact[static_cast<std::size_t>(Criterion::kAvailability)] = 4;
      assets[28].override_reason = "The only fallback for the core service during a disaster.";
      for (std::size_t k = 0; k < seeds.size(); ++k) {
        for (int d : seeds[k].depends_on) assets[k].depends_on.push_back(assets[d].id);
      }
      std::vector<std::vector<int>> graph;
      for (const auto& seed : seeds) graph.push_back(seed.depends_on);
      if (!FindCycle(graph).empty()) throw std::logic_error("the demo assets depend in a cycle");
      for (const auto& a : assets) InsertAsset(tx, a, now);
      for (const auto& a : assets) SetDependencies(tx, an.id, a.id, a.depends_on);

      // Scenarios from the catalogue's suggestions, a sample of each asset's.
      std::map<std::string, std::string> threat_ids, vuln_ids;
      std::vector<Scenario> scenarios;
      for (const auto& a : assets) {
        auto pairs = catalogue.Suggestions(a.type);
        const std::size_t want = 10;
        const std::size_t step = std::max<std::size_t>(1, pairs.size() / want);
        for (std::size_t k = static_cast<std::size_t>(pick(0, static_cast<int>(step) - 1));
             k < pairs.size() && scenarios.size() < 400; k += step) {
          const auto& p = pairs[k];
          auto& tid = threat_ids[p.threat->urn];
          if (tid.empty()) {
            Threat t;
            t.id = tid = crypto::NewUuid();
            t.analysis_id = an.id;
            t.urn = p.threat->urn;
            t.family = p.threat->family;
            t.name = p.threat->name;
            t.description = p.threat->description;
            t.affects = {p.threat->criteria.confidentiality, p.threat->criteria.integrity,
                         p.threat->criteria.availability, false};
            t.likelihood = pick(1, 4);
            InsertThreat(tx, t, now);
          }
          auto& vid = vuln_ids[p.vulnerability->urn];
          if (vid.empty()) {
            Vulnerability v;
            v.id = vid = crypto::NewUuid();
            v.analysis_id = an.id;
            v.urn = p.vulnerability->urn;
            v.name = p.vulnerability->name;
            v.description = p.vulnerability->description;
            v.qualification = pick(2, 5);
            InsertVulnerability(tx, v, now);
          }
          Scenario s;
          s.id = crypto::NewUuid();
          s.analysis_id = an.id;
          s.asset_id = a.id;
          s.threat_id = tid;
          s.vulnerability_id = vid;
          s.owner_id = risk_owner;
          s.created_at = s.updated_at = now;
          const int roll = pick(0, 9);
          if (roll < 4) {
            s.treatment = Treatment::kReduce;
            s.reduction = pick(1, 2);
            s.controls_in_place = std::string(kControls[static_cast<std::size_t>(pick(0, 7))]);
            s.planned_controls = std::string(kControls[static_cast<std::size_t>(pick(0, 7))]);
          } else if (roll < 6) {
            s.treatment = Treatment::kAccept;
          } else if (roll == 6) {
            s.treatment = Treatment::kShare;
            s.planned_controls = "Cover through the cyber insurance policy.";
          }
          scenarios.push_back(std::move(s));
        }
      }
      InsertScenarios(tx, scenarios);
      Recompute(tx, an);

      // Management accepts the residual risk of the scenarios treated by acceptance; one of them
      // changes afterwards, so the register shows a stale acceptance.
      RegisterFilter accepted;
      accepted.treatment = Treatment::kAccept;
      auto views = ListRegister(tx, an.id, accepted, std::nullopt, 1000);
      int n = 0;
      for (const auto& v : views) {
        if (!manager || !v.scenario.score.residual) continue;
        Acceptance a;
        a.id = crypto::NewUuid();
        a.scenario_id = v.scenario.id;
        a.accepted_by = *manager;
        a.accepted_at = now - 86'400'000LL * pick(5, 60);
        a.digest = AcceptanceDigest(StateOf(v));
        a.note = "Accepted at the management review.";
        InsertAcceptance(tx, an.id, a);
        if (n++ == 0) {
          tx.Exec("UPDATE risk_scenarios SET controls_in_place = $1 WHERE id = $2",
                  {"Guard patrols reduced to nights only", v.scenario.id});
        }
      }

      // The action plan: the five highest risks being reduced.
      RegisterFilter reducing;
      reducing.treatment = Treatment::kReduce;
      const RecommendationStatus statuses[] = {
          RecommendationStatus::kOpen, RecommendationStatus::kInProgress,
          RecommendationStatus::kInProgress, RecommendationStatus::kDone,
          RecommendationStatus::kOpen};
      int k = 0;
      for (const auto& v : ListRegister(tx, an.id, reducing, std::nullopt, 5)) {
        Recommendation r;
        r.id = crypto::NewUuid();
        r.analysis_id = an.id;
        r.scenario_id = v.scenario.id;
        r.title = v.scenario.planned_controls.empty() ? "Reduce: " + v.threat_name
                                                      : v.scenario.planned_controls;
        r.description = "For " + v.asset_name + " against " + v.threat_name + ".";
        r.importance = 3 - k / 2;
        r.responsible_id = risk_owner;
        r.due_at = now + 86'400'000LL * 30 * (k + 1);
        r.status = statuses[k];
        r.created_at = r.updated_at = now;
        InsertRecommendation(tx, r);
        nlohmann::json change = {{"title", r.title}, {"status", std::string(Name(r.status))}};
        AddHistory(tx, r.id, {now, "demo", change.dump()});
        ++k;
      }

      auto e = audit::By(nullptr, "demo.seed", "risk_analysis", an.id);
      e.after = nlohmann::json{{"assets", assets.size()}, {"scenarios", scenarios.size()}}.dump();
      audit::Append(tx, e, now);
      ++sum.analyses;
      sum.assets += static_cast<int>(assets.size());
      sum.scenarios += static_cast<int>(scenarios.size());
    });
  }
  return sum;
}

}  // namespace rampart::risk
