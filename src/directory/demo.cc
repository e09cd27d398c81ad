#include "directory/demo.h"

#include <algorithm>
#include <map>
#include <stdexcept>

#include "directory/store.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/crypto.h"
#include "platform/identity.h"

namespace rampart::directory {

namespace {

struct SectorSeed {
  std::string_view slug, name, description;
};

constexpr SectorSeed kSectors[] = {
    {"energy", "Energy", "Generation, transmission and distribution of electricity; fuel storage."},
    {"finance", "Finance", "Banks, insurers, payment systems and market infrastructures."},
    {"ict", "Information and communication technology",
     "Telecommunications, internet access, data centres and submarine cable landings."},
    {"health", "Health", "Hospitals, laboratories, blood services and medicine supply."},
    {"water", "Water", "Drinking water supply and waste water treatment."},
    {"transport", "Transport", "Air, sea and land transport, and their traffic control."},
    {"government", "Government", "Ministries and agencies that run essential public services."},
    {"emergency-services", "Emergency services",
     "Police communications, fire and rescue, ambulances and early warning."},
};

struct OrgSeed {
  std::string_view name, short_name, kind;
  std::vector<std::string_view> sectors;
  int tier;  // 0: none
  std::string_view size;
};

// A fictional country. Names are invented; any likeness to a real organisation is chance.
const std::vector<OrgSeed>& Orgs() {
  static const std::vector<OrgSeed> kOrgs = {
      {"National Computer Emergency Response Team", "NatCERT", "national_cert", {}, 0, "medium"},
      // Regulators (a sector may have several) and sector CERTs.
      {"Central Bank", "CB", "regulator", {"finance"}, 0, "large"},
      {"Financial Services Commission", "FSC", "regulator", {"finance"}, 0, "medium"},
      {"Utilities Regulatory Authority", "URA", "regulator", {"energy", "water"}, 0, "medium"},
      {"Communications Authority", "CA", "regulator", {"ict"}, 0, "medium"},
      {"Health Services Regulator", "HSR", "regulator", {"health"}, 0, "small"},
      {"Civil Aviation and Ports Authority", "CAPA", "regulator", {"transport"}, 0, "medium"},
      {"Digital Government Office", "DGO", "regulator", {"government"}, 0, "small"},
      {"Emergency Management Directorate", "EMD", "regulator", {"emergency-services"}, 0, "small"},
      {"Finance Sector CERT", "FinCERT", "sector_cert", {"finance"}, 0, "small"},
      {"Energy Sector CERT", "EnerCERT", "sector_cert", {"energy"}, 0, "small"},
      {"Telecom Sector CERT", "TelCERT", "sector_cert", {"ict"}, 0, "small"},
      {"Health Sector CERT", "HealthCERT", "sector_cert", {"health"}, 0, "small"},
      {"Government CERT", "GovCERT", "sector_cert", {"government"}, 0, "small"},
      // Finance
      {"Harbour Commercial Bank", "HCB", "operator", {"finance"}, 1, "large"},
      {"Island Savings Bank", "ISB", "operator", {"finance"}, 1, "large"},
      {"Coral Coast Bank", "CCB", "operator", {"finance"}, 2, "medium"},
      {"Meridian Insurance Group", "MIG", "operator", {"finance"}, 2, "large"},
      {"National Payments Switch", "NPS", "operator", {"finance"}, 1, "medium"},
      {"Southern Securities Exchange", "SSE", "operator", {"finance"}, 1, "small"},
      {"Atlas Microfinance", "Atlas", "operator", {"finance"}, 3, "small"},
      {"Ocean Life Assurance", "OLA", "operator", {"finance"}, 3, "medium"},
      // Energy
      {"National Power Company", "NPC", "operator", {"energy"}, 1, "large"},
      {"Eastgrid Transmission", "Eastgrid", "operator", {"energy"}, 1, "medium"},
      {"Sunline Renewables", "Sunline", "operator", {"energy"}, 2, "small"},
      {"Petroleum Storage Corporation", "PSC", "operator", {"energy"}, 1, "medium"},
      {"Northbay Power Station", "Northbay", "operator", {"energy"}, 2, "medium"},
      // ICT
      {"Telecom National", "TelNat", "operator", {"ict"}, 1, "large"},
      {"Lagoon Mobile", "Lagoon", "operator", {"ict"}, 1, "large"},
      {"Skylink Internet", "Skylink", "operator", {"ict"}, 2, "medium"},
      {"National Data Centre", "NDC", "operator", {"ict", "government"}, 1, "medium"},
      {"Cable Landing Station Company", "CLSC", "operator", {"ict"}, 1, "small"},
      // Health
      {"Victoria General Hospital", "VGH", "operator", {"health"}, 1, "large"},
      {"St Anne Clinic", "StAnne", "operator", {"health"}, 2, "medium"},
      {"National Blood Service", "NBS", "operator", {"health"}, 1, "small"},
      {"Central Health Laboratory", "CHL", "operator", {"health"}, 2, "small"},
      {"Medical Supplies Agency", "MSA", "government", {"health"}, 2, "medium"},
      // Water
      {"Water Supply Utility", "WSU", "operator", {"water"}, 1, "large"},
      {"Wastewater Management Authority", "WMA", "government", {"water"}, 2, "medium"},
      {"Northern Water Treatment Company", "NWTC", "operator", {"water"}, 2, "small"},
      {"Irrigation Authority", "IA", "government", {"water"}, 3, "small"},
      // Transport
      {"International Airport Company", "IAC", "operator", {"transport"}, 1, "large"},
      {"Port Authority", "PA", "government", {"transport"}, 1, "large"},
      {"Metro Express Operator", "Metro", "operator", {"transport"}, 2, "medium"},
      {"National Airline", "NatAir", "operator", {"transport"}, 2, "large"},
      {"Air Traffic Services", "ATS", "government", {"transport"}, 1, "small"},
      // Government
      {"Ministry of Finance", "MoF", "government", {"government"}, 1, "large"},
      {"Revenue Authority", "RA", "government", {"government"}, 1, "large"},
      {"Civil Status Office", "CSO", "government", {"government"}, 2, "medium"},
      {"Electoral Commission Office", "ECO", "government", {"government"}, 2, "small"},
      {"Government Online Centre", "GOC", "government", {"government"}, 1, "medium"},
      // Emergency services
      {"Police Communications Unit", "PCU", "government", {"emergency-services"}, 1, "medium"},
      {"Fire and Rescue Service", "FRS", "government", {"emergency-services"}, 1, "medium"},
      {"Ambulance Service", "AMB", "government", {"emergency-services", "health"}, 1, "medium"},
      {"Meteorological Service", "Met", "government", {"emergency-services"}, 2, "small"},
  };
  return kOrgs;
}

struct PersonSeed {
  std::string_view prefix;  // username = prefix + "." + org short name in lower case
  std::vector<Role> roles;
};

// Who works where: every role of the brief appears in every kind that uses it.
std::vector<PersonSeed> PeopleFor(std::string_view kind) {
  if (kind == "national_cert") {
    return {{"head", {Role::kOrgAdmin, Role::kManagement}},
            {"analyst", {Role::kAnalyst}},
            {"analyst2", {Role::kAnalyst}},
            {"auditor", {Role::kAuditor}},
            {"viewer", {Role::kViewer}}};
  }
  if (kind == "regulator") {
    return {{"head", {Role::kOrgAdmin, Role::kManagement, Role::kAnalyst}},
            {"analyst", {Role::kAnalyst}},
            {"viewer", {Role::kViewer}}};
  }
  if (kind == "sector_cert") {
    return {{"lead", {Role::kOrgAdmin, Role::kAnalyst}}, {"analyst", {Role::kAnalyst}}};
  }
  return {{"ciso", {Role::kCiso, Role::kOrgAdmin}},
          {"risk", {Role::kRiskOwner}},
          {"reporter", {Role::kReporter}},
          {"auditor", {Role::kAuditor}},
          {"mgmt", {Role::kManagement}},
          {"viewer", {Role::kViewer}}};
}

// Invented people; a name is picked by position so the demo is the same every time.
constexpr std::string_view kFirstNames[] = {
    "Amina",   "Rajesh", "Sofia", "Kwame",  "Mei",   "Luc",    "Priya", "Tomás",  "Leila", "Jonas",
    "Nadia",   "Arjun",  "Chloé", "Samuel", "Yuki",  "Fatima", "Marco", "Anaïs",  "David", "Zanele",
    "Ibrahim", "Elena",  "Kiran", "Noah",   "Aisha", "Pierre", "Lina",  "Vikram", "Grace"};
constexpr std::string_view kLastNames[] = {
    "Ramdin", "Laval",  "Chen",     "Mensah", "Dookun",  "Fischer",  "Naidoo", "Okafor",  "Perrin",
    "Gopal",  "Haddad", "Moreau",   "Singh",  "Almeida", "Tanaka",   "Bakari", "Rossi",   "Dubois",
    "Ahmed",  "Jansen", "Kowalski", "Nair",   "Santos",  "Lutchmun", "Ng",     "Bernard", "Mbeki"};

std::string PersonName(std::size_t n) {
  return std::string(kFirstNames[n % std::size(kFirstNames)]) + " " +
         std::string(kLastNames[(n * 7 + n / std::size(kFirstNames)) % std::size(kLastNames)]);
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
  }
  return out;
}

}  // namespace

int SeedDefaultSectors(db::Tx& tx) {
  int added = 0;
  Millis now = NowMillis();
  for (const auto& s : kSectors) {
    if (tx.QueryOne("SELECT 1 FROM sectors WHERE slug = $1", {s.slug})) continue;
    Sector sector;
    sector.id = crypto::NewUuid();
    sector.slug = s.slug;
    sector.name = s.name;
    sector.description = s.description;
    sector.created_at = sector.updated_at = now;
    InsertSector(tx, sector);
    ++added;
  }
  return added;
}

DemoSummary SeedDemo(db::Database& db) {
  // One hash for every demo account: argon2id takes a tenth of a second each, and these
  // accounts share a published password anyway.
  const std::string hash = auth::HashPassword(kDemoPassword);
  return db.Write([&](db::Tx& tx) {
    if (tx.QueryOne("SELECT 1 FROM organisations LIMIT 1", {})) {
      throw std::runtime_error(
          "the directory already has organisations; the demo needs an empty one");
    }
    DemoSummary sum;
    sum.sectors = SeedDefaultSectors(tx);
    std::map<std::string, std::string, std::less<>> sector_ids;
    for (const auto& r : tx.Query("SELECT slug, id FROM sectors", {})) {
      sector_ids[r.Text(0)] = r.Text(1);
    }
    Millis now = NowMillis();
    std::map<std::string, Organisation, std::less<>> orgs;  // by short name
    std::map<std::string, int> bank_seq;
    for (const auto& seed : Orgs()) {
      Organisation o;
      o.id = crypto::NewUuid();
      o.name = seed.name;
      o.short_name = seed.short_name;
      o.kind = *ParseOrgKind(seed.kind);
      for (auto s : seed.sectors) o.sector_ids.push_back(sector_ids.at(std::string(s)));
      if (seed.tier > 0) o.criticality_tier = seed.tier;
      o.size_class = std::string(seed.size);
      o.website = "https://www." + Lower(seed.short_name) + ".example";
      o.created_at = o.updated_at = now;
      InsertOrganisation(tx, o);
      ++sum.organisations;

      for (const auto& p : PeopleFor(seed.kind)) {
        std::string username = std::string(p.prefix) + "." + Lower(seed.short_name);
        auto user =
            identity::Insert(tx,
                             {username, PersonName(static_cast<std::size_t>(sum.people)),
                              username + "@" + Lower(seed.short_name) + ".example", hash, false},
                             now);
        RoleSet roles;
        for (Role r : p.roles) roles.Add(r);
        AddMembership(tx, user.id, o.id, roles, now);
        ++sum.people;
      }
      orgs[std::string(seed.short_name)] = o;
    }

    // Easy names for the accounts a newcomer tries first.
    auto alias = [&](std::string_view username, std::string_view org, RoleSet roles, bool admin,
                     std::string_view who) {
      auto user = identity::Insert(
          tx,
          {std::string(username), PersonName(static_cast<std::size_t>(sum.people) * 3 + 1),
           std::string(username) + "@demo.example", hash, admin},
          now);
      AddMembership(tx, user.id, orgs.at(std::string(org)).id, roles, now);
      sum.accounts.push_back({std::string(username), std::string(who)});
      ++sum.people;
    };
    alias("cert.admin", "NatCERT", RoleSet::Of({Role::kOrgAdmin, Role::kAnalyst}), true,
          "National CERT administrator (platform admin)");
    alias("cert.analyst", "NatCERT", RoleSet::Of({Role::kAnalyst}), false, "National CERT analyst");
    alias("regulator.finance", "CB",
          RoleSet::Of({Role::kOrgAdmin, Role::kManagement, Role::kAnalyst}), false,
          "Head of supervision at the Central Bank (finance regulator)");
    alias("fincert.analyst", "FinCERT", RoleSet::Of({Role::kAnalyst}), false,
          "Finance sector CERT analyst");
    alias("ciso.bank1", "HCB", RoleSet::Of({Role::kCiso, Role::kOrgAdmin}), false,
          "CISO of Harbour Commercial Bank (operator)");
    alias("reporter.bank1", "HCB", RoleSet::Of({Role::kReporter}), false,
          "Incident reporter at Harbour Commercial Bank");
    alias("mgmt.bank1", "HCB", RoleSet::Of({Role::kManagement}), false,
          "Management of Harbour Commercial Bank");

    // Each sector's regulator(s) and the national CERT, with the hand-over each agreed.
    struct MouSeed {
      std::string_view sector, regulator;
      ForwardingMode mode;
      int hours;
      std::string_view notes;
    };
    const MouSeed mous[] = {
        {"finance", "CB", ForwardingMode::kOnReceipt, 4,
         "Banks' reports go to the CERT as they arrive; the Central Bank reviews in parallel."},
        {"finance", "FSC", ForwardingMode::kAfterReview, 24,
         "Insurers and market infrastructures: forwarded after the Commission's review."},
        {"energy", "URA", ForwardingMode::kAfterReview, 24, ""},
        {"water", "URA", ForwardingMode::kAnonymised, 48,
         "Water utilities asked for anonymised forwarding during the first year."},
        {"ict", "CA", ForwardingMode::kOnReceipt, 12, ""},
        {"health", "HSR", ForwardingMode::kAnonymised, 24,
         "Patient-facing services: reports forwarded without the organisation's name."},
        {"transport", "CAPA", ForwardingMode::kAfterReview, 24, ""},
        {"government", "DGO", ForwardingMode::kOnReceipt, 4, ""},
        {"emergency-services", "EMD", ForwardingMode::kOnReceipt, 2, ""},
    };
    for (const auto& ms : mous) {
      Mou m;
      m.id = crypto::NewUuid();
      m.sector_id = sector_ids.at(std::string(ms.sector));
      m.regulator_id = orgs.at(std::string(ms.regulator)).id;
      m.national_cert_id = orgs.at("NatCERT").id;
      m.mode = ms.mode;
      m.forward_within_hours = ms.hours;
      m.effective_from = now - 400LL * 86'400'000;  // before the demo year of incidents
      m.notes = ms.notes;
      m.created_at = m.updated_at = now;
      InsertMou(tx, m);
      ++sum.mous;
    }
    // The finance regulators report under the tighter, DORA-like clocks.
    tx.Exec("UPDATE sectors SET reporting_profile = 'finance-dora-like' WHERE slug = 'finance'",
            {});
    auto e = audit::By(nullptr, "demo.seed", "directory", "demo");
    e.after = nlohmann::json{{"sectors", sum.sectors},
                             {"organisations", sum.organisations},
                             {"people", sum.people},
                             {"mous", sum.mous}}
                  .dump();
    audit::Append(tx, e, now);
    return sum;
  });
}

}  // namespace rampart::directory
