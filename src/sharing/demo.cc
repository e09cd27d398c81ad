#include "sharing/demo.h"

#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>
#include <vector>

#include "incidents/cases.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "sharing/guidelines.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

constexpr Millis kDemoDay = 86'400'000;

struct DemoAck {
  std::string_view org;  // short name
  AckState state;
  std::string_view note;
};

struct DemoAdvisory {
  std::string_view author;  // short name
  Severity severity;
  Tlp tlp;
  Distribution distribution;
  std::vector<std::string_view> sectors;     // slugs
  std::vector<std::string_view> recipients;  // organisations by short name (AMBER)
  std::vector<std::string_view> people;      // usernames (RED)
  bool in_group = false;                     // the national CERT's demo group
  bool draft = false;
  double days_ago = 1;
  std::string_view title;
  std::string_view summary;
  std::vector<AffectedProduct> products;
  std::vector<std::string> cves;
  std::string_view actions;
  std::vector<AdvisoryObservable> observables;
  std::vector<DemoAck> acks;
  std::string_view correction;  // non-empty: published again as revision 2 with this changelog
};

// Written for the demo country; the products, people and indicators are invented (indicators use
// documentation address ranges and reserved names).
std::vector<DemoAdvisory> Advisories() {
  return {
      {"NatCERT",
       Severity::kCritical,
       Tlp::kClear,
       Distribution::kPublic,
       {},
       {},
       {},
       false,
       false,
       6,
       "Remote code execution in Gatekeeper SSL VPN appliances exploited in the wild",
       "A flaw in the web portal of Gatekeeper SSL VPN appliances lets an unauthenticated attacker "
       "run commands on the appliance. Exploitation has been seen against organisations in the "
       "region since last week; appliances exposed to the Internet should be treated as at risk.",
       {{"Gatekeeper Networks", "SSL VPN appliance", "firmware 7.0 to 7.4.2"}},
       {"CVE-2026-21901"},
       "Apply firmware 7.4.3 at once. Until then, disable the web portal on external interfaces. "
       "Check appliance logs for requests to /remote/portal with unusual parameters since the 1st "
       "of the month, and reset the credentials of accounts that used the VPN if any are found.",
       {{"ipv4", "203.0.113.45"}, {"domain", "update-gatekeeper.example"}},
       {{"HCB", AckState::kApplied, "Firmware 7.4.3 installed on both clusters."},
        {"NPC", AckState::kNotAffected, "We do not run Gatekeeper appliances."},
        {"TelNat", AckState::kRead, ""}},
       "Added the second indicator and the log path to check."},
      {"NatCERT",
       Severity::kHigh,
       Tlp::kGreen,
       Distribution::kNational,
       {},
       {},
       {},
       false,
       false,
       3,
       "Phishing campaign impersonating the Revenue Authority",
       "E-mails claiming a tax refund lead to a page that collects online-banking credentials. "
       "Staff of several ministries and banks received them this week.",
       {},
       {},
       "Block the indicators below at the mail gateway and the web proxy, and remind staff that "
       "the Revenue Authority never asks for banking credentials by e-mail.",
       {{"domain", "revenue-refund.example"}, {"email", "refunds@revenue-refund.example"}},
       {{"ISB", AckState::kApplied, "Blocked at the gateway."}, {"MoF", AckState::kRead, ""}},
       ""},
      {"FinCERT",
       Severity::kHigh,
       Tlp::kAmber,
       Distribution::kSector,
       {"finance"},
       {"HCB", "ISB", "NPS"},
       {},
       false,
       false,
       2,
       "Skimming malware found on ATM controllers",
       "A member bank found malware on the controllers of its ATM fleet that copies card data "
       "to a file collected by a technician's laptop. The same build may be present elsewhere.",
       {{"Vendara", "ATM controller software", "4.x"}},
       {},
       "Compare the hashes below with the files on your ATM controllers, and tell FinCERT of any "
       "match; keep the affected machines powered on for analysis.",
       {{"sha256", "9f2c4b1a7e3d5f60c8b9a1d2e3f405162738495a6b7c8d9e0f1a2b3c4d5e6f70"}},
       {{"HCB", AckState::kApplied, "No match on our fleet."}},
       ""},
      {"NatCERT",
       Severity::kCritical,
       Tlp::kAmberStrict,
       Distribution::kNational,
       {},
       {"NPC", "Eastgrid", "PSC"},
       {},
       false,
       false,
       1,
       "Intrusion attempts against grid control networks",
       "Repeated attempts to reach engineering workstations of control networks through remote "
       "maintenance accounts were seen at one operator. The same accounts exist at others.",
       {},
       {},
       "Disable remote maintenance accounts not in use, enforce second factors on the rest, and "
       "review the remote access logs of the last thirty days.",
       {{"ipv4", "198.51.100.23"}},
       {},
       ""},
      {"NatCERT",
       Severity::kMedium,
       Tlp::kRed,
       Distribution::kNational,
       {},
       {},
       {"ciso.npc", "ciso.telnat"},
       false,
       false,
       0.5,
       "Reconnaissance of senior staff ahead of a possible targeted attack",
       "We learned from a partner that the personal accounts of senior staff of two operators are "
       "being profiled. This is for the named recipients only.",
       {},
       {},
       "Call the national CERT's duty officer to be briefed.",
       {},
       {},
       ""},
      {"NatCERT",
       Severity::kInfo,
       Tlp::kGreen,
       Distribution::kNational,
       {},
       {},
       {},
       true,
       false,
       4,
       "National exercise CYBER-SHIELD: planning meeting",
       "The organisations of the payment and power core are invited to plan this year's national "
       "exercise.",
       {},
       {},
       "Name one contact person for the exercise by the end of the month.",
       {},
       {{"NPS", AckState::kRead, ""}},
       ""},
      {"EnerCERT",
       Severity::kMedium,
       Tlp::kGreen,
       Distribution::kSector,
       {"energy"},
       {},
       {},
       false,
       true,
       0.2,
       "Firmware update for substation remote terminal units",
       "The vendor released firmware that closes an authentication bypass in the maintenance "
       "interface of its remote terminal units.",
       {{"Polaris Automation", "RTU 560", "before 12.7"}},
       {},
       "Plan the update in the next maintenance window.",
       {},
       {},
       ""},
  };
}

}  // namespace

int SeedDemoAdvisories(db::Database& db, Millis now) {
  const auto demo = Advisories();
  return db.Write([&](db::Tx& tx) {
    std::map<std::string, std::string, std::less<>> org, sector, user;
    for (const auto& r : tx.Query("SELECT short_name, id FROM organisations", {})) {
      org[r.Text(0)] = r.Text(1);
    }
    for (const auto& r : tx.Query("SELECT slug, id FROM sectors", {}))
      sector[r.Text(0)] = r.Text(1);
    for (const auto& r : tx.Query("SELECT username, id FROM users", {}))
      user[r.Text(0)] = r.Text(1);
    // The first analyst (or acknowledger) of an organisation, by username.
    auto person = [&](const std::string& org_id, std::string_view role) -> std::string {
      auto r = tx.QueryOne(
          "SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE "
          "m.organisation_id = $1 AND u.disabled = 0 AND (',' || m.roles || ',') LIKE $2 ORDER "
          "BY u.username LIMIT 1",
          {org_id, "%," + std::string(role) + ",%"});
      return r ? r->Text(0) : "";
    };
    if (!org.contains("NatCERT")) return 0;

    SharingGroup group;
    group.id = crypto::NewUuid();
    group.owner_org_id = org["NatCERT"];
    group.name = "Payment and power core";
    group.description = "Operators whose failure would stop payments or the grid nationwide.";
    group.created_by = person(group.owner_org_id, "analyst");
    for (std::string_view m : {"NPS", "HCB", "NPC", "Eastgrid"}) {
      if (auto it = org.find(m); it != org.end()) group.member_org_ids.push_back(it->second);
    }
    group.created_at = group.updated_at = now - 30 * kDemoDay;
    if (group.created_by.empty()) return 0;
    InsertGroup(tx, group);

    int made = 0;
    for (const auto& d : demo) {
      auto author = org.find(d.author);
      if (author == org.end()) continue;
      const std::string analyst = person(author->second, "analyst");
      if (analyst.empty()) continue;
      const Millis at = now - static_cast<Millis>(d.days_ago * static_cast<double>(kDemoDay));
      Advisory a;
      a.id = crypto::NewUuid();
      a.series_id = a.id;
      a.reference = NextAdvisoryReference(tx, incidents::YearOf(at));
      a.author_org_id = author->second;
      a.state = d.draft ? AdvisoryState::kDraft : AdvisoryState::kPublished;
      a.title = d.title;
      a.summary = d.summary;
      a.severity = d.severity;
      a.products = d.products;
      a.cve_ids = d.cves;
      a.recommended_actions = d.actions;
      a.observables = d.observables;
      a.tlp = d.tlp;
      a.distribution = d.distribution;
      for (auto s : d.sectors) {
        if (auto it = sector.find(s); it != sector.end()) a.sector_ids.push_back(it->second);
      }
      for (auto o : d.recipients) {
        if (auto it = org.find(o); it != org.end()) a.recipient_org_ids.push_back(it->second);
      }
      for (auto u : d.people) {
        if (auto it = user.find(u); it != user.end()) a.recipient_user_ids.push_back(it->second);
      }
      if (d.in_group) a.group_id = group.id;
      a.created_by = analyst;
      if (!d.draft) {
        a.published_by = analyst;
        a.published_at = at;
      }
      a.created_at = a.updated_at = at;
      // The demo obeys the same rules as the API: an advisory the engine refuses is not seeded.
      if (CheckShare(ItemOf(a), LoadDirectory(tx, true))) continue;
      InsertAdvisory(tx, a);
      std::string acked_revision = a.id;
      if (!d.correction.empty()) {
        Advisory next = a;
        next.id = crypto::NewUuid();
        next.revision = 2;
        next.changelog = d.correction;
        next.published_at = at + kDemoDay / 4;
        next.created_at = next.updated_at = *next.published_at;
        InsertAdvisory(tx, next);
        SupersedeOthers(tx, a.series_id, next.id, *next.published_at);
        acked_revision = next.id;
      }
      Millis ack_at = at + kDemoDay / 2;
      for (const auto& k : d.acks) {
        auto it = org.find(k.org);
        if (it == org.end()) continue;
        const std::string by = person(it->second, "ciso");
        if (by.empty()) continue;
        InsertAck(tx, {crypto::NewUuid(), a.series_id, acked_revision, it->second, k.state,
                       std::string(k.note), by, ack_at});
        ack_at += kDemoDay / 8;
      }
      ++made;
    }
    auto e = audit::By(nullptr, "demo.seed", "advisories", "demo");
    e.after = nlohmann::json{{"advisories", made}, {"sharing_groups", 1}}.dump();
    audit::Append(tx, e, now);
    SeedDemoGuidelines(tx, now);
    return made;
  });
}

}  // namespace rampart::sharing
