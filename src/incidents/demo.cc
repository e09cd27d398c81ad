#include "incidents/demo.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

#include "incidents/cases.h"
#include "incidents/notices.h"
#include "incidents/rules.h"
#include "incidents/store.h"
#include "platform/audit.h"
#include "platform/crypto.h"

namespace rampart::incidents {

namespace {

using nlohmann::json;

// What happens in the demo country. Written for the demo; any likeness to a real incident is
// chance. `sector` is a sector slug, or "" for any sector.
struct Scenario {
  std::string_view sector;
  std::string_view title;
  std::string_view summary;
  std::string_view rsit_class;
  std::string_view rsit_type;
  std::string_view malicious;  // yes, no, unknown
  std::string_view root_cause;
  std::int64_t users_max;  // users affected, up to
  std::int64_t hours_max;  // duration, up to
  std::int64_t loss_max;   // financial loss in euros, up to
  bool observables;        // whether reports carry technical indicators
  std::string_view description;
  std::string_view mitigations;
};

constexpr Scenario kScenarios[] = {
    {"", "Ransomware encrypted file servers",
     "Staff found files renamed and a ransom note on shares.", "malicious-code", "infected-system",
     "yes", "malicious_action", 20'000, 96, 2'000'000, true,
     "An affiliate of a ransomware group entered through a VPN account without a second factor and "
     "encrypted the file servers after two days of reconnaissance.",
     "VPN accounts moved to a second factor; servers rebuilt from offline backups."},
    {"", "Phishing campaign against staff",
     "Several staff entered their passwords on a fake portal.", "fraud", "phishing", "yes",
     "malicious_action", 300, 6, 20'000, true,
     "A look-alike domain of the webmail portal collected 14 passwords before it was taken down.",
     "Passwords reset; the domain reported and blocked; awareness session held."},
    {"", "Unusual outbound traffic to a known command server",
     "The proxy flagged beacons every 60 s.", "malicious-code", "c2-server", "yes",
     "malicious_action", 0, 24, 10'000, true,
     "A workstation infected through a malicious document beaconed to a command server.",
     "Workstation isolated and reimaged; the server's addresses blocked at the perimeter."},
    {"", "Distributed denial of service on public website", "Website unreachable for customers.",
     "availability", "ddos", "yes", "malicious_action", 50'000, 8, 50'000, true,
     "A volumetric attack of 40 Gbit/s from a botnet saturated the upstream links.",
     "Traffic scrubbing contracted with the internet provider; rate limits on the portal."},
    {"", "Data centre cooling failure", "Servers shut down after temperatures rose in room B.",
     "availability", "outage", "no", "system_failure", 10'000, 12, 150'000, false,
     "A chiller failed and the standby unit did not start because of a faulty controller.",
     "Controller replaced; monthly failover test of the cooling added to the maintenance plan."},
    {"", "Misconfigured storage exposed documents",
     "A storage bucket was readable from the internet.", "information-content-security",
     "data-leak", "no", "human_error", 5'000, 0, 80'000, false,
     "A test bucket with copies of customer letters was left public after a migration.",
     "Bucket closed; configuration checks added to the deployment pipeline; customers informed."},
    {"", "Administrator account compromised", "An administrator's account logged in from abroad.",
     "intrusions", "privileged-account-compromise", "yes", "malicious_action", 1'000, 30, 300'000,
     true, "A password reused on a breached forum opened an administrator account without MFA.",
     "Account disabled; all administrator accounts moved to hardware keys."},
    {"", "Supplier software update broke operations",
     "An update from a supplier stopped a service.", "availability", "outage", "no",
     "third_party_failure", 8'000, 10, 60'000, false,
     "A faulty update pushed by a software supplier crashed the application servers.",
     "Update rolled back; supplier updates now staged before production."},
    {"", "Storm damaged the main site", "Power and links lost at the main site during the storm.",
     "availability", "outage", "no", "natural_phenomenon", 15'000, 20, 400'000, false,
     "A tropical storm cut power and the fibre links of the main site for most of a day.",
     "Services moved to the secondary site; generator fuel contract renewed."},
    {"", "Scanning of exposed remote access",
     "Many login attempts against the remote access portal.", "intrusion-attempts", "brute-force",
     "yes", "malicious_action", 0, 0, 0, true,
     "Password spraying against the remote access portal from a few hundred addresses; no account "
     "was opened.",
     "Geo-blocking and lockout thresholds tightened."},
    {"finance", "Card payments failing at branches", "Card terminals declined transactions.",
     "availability", "outage", "unknown", "system_failure", 120'000, 6, 900'000, false,
     "A certificate on the card authorisation switch expired and terminals could not connect.",
     "Certificate renewed; expiry monitoring added for every certificate of the switch."},
    {"finance", "Fraudulent transfers through online banking",
     "Customers reported transfers they "
     "did not make.",
     "fraud", "masquerade", "yes", "malicious_action", 400, 48, 1'500'000, true,
     "Banking malware on customers' phones replaced beneficiary details during transfers.",
     "Transfers to new beneficiaries held for review; customers warned; app hardened."},
    {"energy", "Unexpected commands on substation controller",
     "Operators saw breaker commands "
     "they had not sent.",
     "intrusions", "system-compromise", "yes", "malicious_action", 30'000, 4, 200'000, true,
     "An engineering laptop with remote access to the substation network was compromised.",
     "Remote access to the control network removed; laptops rebuilt; network segmented."},
    {"health", "Patient records system unavailable", "Wards could not open patient records.",
     "availability", "outage", "unknown", "system_failure", 2'000, 14, 70'000, false,
     "The database of the records system ran out of disk space after a log setting was changed.",
     "Disk alerts added; the log setting reverted and reviewed."},
    {"health", "Medical device network infected", "Imaging workstations showed worm activity.",
     "malicious-code", "infected-system", "yes", "malicious_action", 500, 36, 120'000, true,
     "An old worm spread to unpatched imaging workstations from a contractor's laptop.",
     "Devices patched where the vendor allows; the device network isolated."},
    {"ict", "Core router outage", "Internet access lost for a region.", "availability",
     "misconfiguration", "no", "human_error", 250'000, 5, 500'000, false,
     "A routing change applied to the wrong router withdrew the region's prefixes.",
     "Change procedure now requires a second engineer and an automatic rollback."},
    {"ict", "SIM swap fraud against subscribers", "Subscribers lost service after SIM changes.",
     "fraud", "masquerade", "yes", "malicious_action", 60, 72, 90'000, false,
     "Fraudsters persuaded shop staff to move numbers to new SIM cards.",
     "SIM changes now need a code sent to the old SIM or an identity check in a shop."},
    {"water", "Water treatment dosing alarm", "A chemical dosing set-point changed remotely.",
     "intrusions", "system-compromise", "unknown", "malicious_action", 40'000, 3, 30'000, true,
     "A remote support tool on the plant's operator station was reachable from the internet.",
     "Remote support tool removed; set-point changes now need local confirmation."},
    {"transport", "Departure screens and check-in down", "Check-in counters could not print.",
     "availability", "outage", "no", "third_party_failure", 20'000, 7, 250'000, false,
     "The check-in service provider's data centre lost power.",
     "Manual check-in procedure rehearsed; second provider contracted."},
    {"government", "Defacement of a ministry website", "The home page showed a political message.",
     "intrusions", "application-compromise", "yes", "malicious_action", 0, 10, 5'000, true,
     "An outdated content-management plug-in let attackers upload a page.",
     "Plug-in removed; the site moved to the government hosting platform."},
    {"government", "Unclassifiable slowdown of online services", "Citizens reported slow pages.",
     "other", "undetermined", "unknown", "system_failure", 3'000, 4, 0, false,
     "The cause could not be established; the slowdown stopped by itself.",
     "Monitoring extended to the load balancers."},
};

struct Org {
  std::string id;
  std::string sector_slug;
  int tier = 3;
};

struct Person {
  std::string user_id;
  std::string name;
  std::string org_id;
};

// Technical indicators shared across the country, so that correlation finds something.
std::vector<std::pair<std::string, std::string>> IndicatorPool(std::mt19937_64& rng) {
  std::vector<std::pair<std::string, std::string>> out;
  for (int k = 1; k <= 24; ++k)
    out.emplace_back("ipv4", "203.0.113." + std::to_string(k * 7 % 250 + 1));
  for (int k = 1; k <= 16; ++k)
    out.emplace_back("ipv4", "198.51.100." + std::to_string(k * 13 % 250 + 1));
  constexpr std::string_view kDomains[] = {"secure-login-update.example", "cdn-statics.example",
                                           "invoice-portal.example",      "mail-verify.example",
                                           "bank-alerts.example",         "sync-telemetry.example",
                                           "update-service.example",      "docs-share.example"};
  for (auto d : kDomains) out.emplace_back("domain", std::string(d));
  std::uniform_int_distribution<int> nibble(0, 15);
  for (int k = 0; k < 12; ++k) {
    std::string h;
    for (int n = 0; n < 64; ++n) h.push_back("0123456789abcdef"[nibble(rng)]);
    out.emplace_back("sha256", h);
  }
  return out;
}

}  // namespace

DemoIncidentSummary SeedDemoIncidents(db::Database& db, Millis now, int count) {
  std::mt19937_64 rng(20261123);
  auto uniform = [&](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  auto chance = [&](double p) { return uniform(0, 1) < p; };
  const auto pool = IndicatorPool(rng);

  return db.Write([&](db::Tx& tx) {
    std::vector<Org> orgs;
    for (const auto& r :
         tx.Query("SELECT o.id, MIN(s.slug), COALESCE(o.criticality_tier, 3) FROM organisations o "
                  "JOIN organisation_sectors os ON os.organisation_id = o.id "
                  "JOIN sectors s ON s.id = os.sector_id "
                  "WHERE o.kind IN ('operator', 'government') GROUP BY o.id, o.criticality_tier "
                  "ORDER BY o.id",
                  {})) {
      orgs.push_back({r.Text(0), r.Text(1), static_cast<int>(r.Int(2))});
    }
    if (orgs.empty()) throw std::runtime_error("the demo incidents need the demo directory");
    std::map<std::string, std::vector<Person>> reporters;
    for (const auto& r : tx.Query("SELECT m.user_id, u.display_name, m.organisation_id FROM "
                                  "memberships m JOIN users u ON u.id = m.user_id "
                                  "WHERE m.roles LIKE '%reporter%' OR m.roles LIKE '%ciso%' "
                                  "ORDER BY m.user_id",
                                  {})) {
      reporters[r.Text(2)].push_back({r.Text(0), r.Text(1), r.Text(2)});
    }
    std::map<std::string, std::vector<Person>> analysts;  // by CERT or regulator organisation
    for (const auto& r : tx.Query(
             "SELECT m.user_id, u.display_name, m.organisation_id FROM memberships m "
             "JOIN users u ON u.id = m.user_id JOIN organisations o ON o.id = m.organisation_id "
             "WHERE o.kind IN ('national_cert', 'sector_cert', 'regulator') "
             "AND m.roles LIKE '%analyst%' ORDER BY m.user_id",
             {})) {
      analysts[r.Text(2)].push_back({r.Text(0), r.Text(1), r.Text(2)});
    }
    // Tier 1 organisations report most, as they do everywhere.
    std::vector<double> weights;
    for (const auto& o : orgs) weights.push_back(o.tier == 1 ? 3.0 : o.tier == 2 ? 2.0 : 1.0);
    std::discrete_distribution<std::size_t> pick_org(weights.begin(), weights.end());

    auto actor = [](const Person& p) { return Actor{nullptr, p.user_id, p.name, ""}; };
    auto pick = [&](const std::vector<Person>& people) -> const Person& {
      return people[std::uniform_int_distribution<std::size_t>(0, people.size() - 1)(rng)];
    };

    DemoIncidentSummary sum;
    for (int n = 0; n < count; ++n) {
      const Org& org = orgs[pick_org(rng)];
      auto rep = reporters.find(org.id);
      if (rep == reporters.end() || rep->second.empty()) continue;
      std::vector<const Scenario*> fitting;
      for (const auto& s : kScenarios) {
        if (s.sector.empty() || s.sector == org.sector_slug) fitting.push_back(&s);
      }
      const Scenario& sc =
          *fitting[std::uniform_int_distribution<std::size_t>(0, fitting.size() - 1)(rng)];
      const Person& reporter = pick(rep->second);

      // When it happened and when it was reported: most early warnings in time, some late.
      const Millis aware = now - static_cast<Millis>(uniform(0.1, 365.0) * kDay);
      Incident draft;
      draft.organisation_id = org.id;
      draft.sector_id =
          tx.QueryOne("SELECT id FROM sectors WHERE slug = $1", {org.sector_slug})->Text(0);
      draft.title = std::string(sc.title);
      draft.summary = std::string(sc.summary);
      draft.aware_at = aware;
      draft.occurred_at = aware - static_cast<Millis>(uniform(0, 6) * kHour);
      draft.suspected_malicious = std::string(sc.malicious);
      draft.may_affect_others = sc.malicious == "yes" && chance(0.4);
      const Millis ew_within = org.sector_slug == "finance" ? 4 * kHour : 24 * kHour;
      Millis filed =
          aware +
          static_cast<Millis>((chance(0.85) ? uniform(0.1, 0.9) : uniform(1.1, 3.0)) * ew_within);
      if (filed >= now) filed = now - 60'000;
      json ew = {{"title", draft.title},
                 {"summary", draft.summary},
                 {"aware_at", FormatRfc3339(aware)},
                 {"suspected_malicious", draft.suspected_malicious},
                 {"may_affect_others", draft.may_affect_others}};
      Incident i = FileCase(tx, draft, actor(reporter), ew.dump(), {}, filed);
      const Incident filed_state = i;

      auto parties = PartiesOf(tx, i.id);
      auto cert_of = [&](Relation rel) -> const Person* {
        for (const auto& p : parties) {
          if (p.relation != rel) continue;
          auto it = analysts.find(p.org_id);
          if (it != analysts.end() && !it->second.empty()) return &pick(it->second);
        }
        return nullptr;
      };
      const Person* handler = cert_of(Relation::kSectorCert);
      if (handler == nullptr) handler = cert_of(Relation::kNationalCert);
      if (handler == nullptr) handler = cert_of(Relation::kNationalCertAnonymised);

      // The regulator's review, where the MOU asks for one.
      for (const auto& h : HandoversOf(tx, i.id)) {
        if (h.delivered_at || !h.handover.due_at) continue;
        const Millis hours = *h.handover.due_at - filed;
        const Millis at =
            filed + static_cast<Millis>(uniform(0.2, 1.4) * static_cast<double>(hours));
        if (at >= now) continue;
        auto reg = analysts.find(h.handover.from_org_id);
        if (reg == analysts.end() || reg->second.empty()) continue;
        const Person& who = pick(reg->second);
        DeliverHandover(tx, h.id, who.user_id, false, "", at);
        SetParty(tx, i.id, {h.handover.to_org_id, Relation::kNationalCert}, at);
        Record(tx, actor(who), i, h.handover.from_org_id, "handover", Visibility::kAuthorities,
               std::string("Forwarded to the national CERT") +
                   (at > *h.handover.due_at ? " (late)" : ""),
               at);
      }

      // The CERT acknowledges, usually within the day.
      Millis t = filed + static_cast<Millis>(uniform(0.5, 30) * kHour);
      if (handler != nullptr && t < now) {
        i.state = CaseState::kAcknowledged;
        i.feedback_at = t;
        Record(tx, actor(*handler), i, handler->org_id, "state", Visibility::kAll,
               "State changed from submitted to acknowledged", t,
               json{{"from", "submitted"}, {"to", "acknowledged"}}.dump());
      }

      // The notification, within 72 hours of awareness mostly.
      const Millis notified =
          aware +
          static_cast<Millis>((chance(0.8) ? uniform(0.3, 0.95) : uniform(1.05, 2.0)) * 72 * kHour);
      if (notified < now && notified > filed) {
        i.notification_at = notified;
        i.rsit_class = std::string(sc.rsit_class);
        i.rsit_type = std::string(sc.rsit_type);
        auto amount = [&](std::int64_t max) -> std::optional<std::int64_t> {
          if (max <= 0) return std::nullopt;
          return static_cast<std::int64_t>(uniform(0.05, 1.0) * static_cast<double>(max));
        };
        i.impact.users_affected = amount(sc.users_max);
        i.impact.duration_hours = amount(sc.hours_max);
        i.impact.financial_loss_eur = amount(sc.loss_max);
        if (!i.impact.financial_loss_eur && org.sector_slug == "finance")
          i.impact.financial_loss_eur = 0;
        if (!i.impact.users_affected && org.sector_slug == "finance") i.impact.users_affected = 0;
        i.impact.cross_border = draft.may_affect_others && chance(0.3);
        Assess(tx, i, std::nullopt);
        json body = {{"stage", "notification"},
                     {"initial_assessment", std::string(sc.summary)},
                     {"rsit_class", *i.rsit_class},
                     {"rsit_type", *i.rsit_type}};
        if (i.impact.users_affected) body["users_affected"] = *i.impact.users_affected;
        if (i.impact.financial_loss_eur) body["financial_loss_eur"] = *i.impact.financial_loss_eur;
        if (i.impact.duration_hours) body["duration_hours"] = *i.impact.duration_hours;
        std::vector<NewObservable> indicators;
        if (sc.observables) {
          const int k = std::uniform_int_distribution<int>(1, 4)(rng);
          for (int m = 0; m < k; ++m) {
            const auto& [type, value] =
                pool[std::uniform_int_distribution<std::size_t>(0, pool.size() - 1)(rng)];
            indicators.push_back({type, value,
                                  chance(0.5) ? sharing::Tlp::kAmber : sharing::Tlp::kGreen,
                                  "PAP:AMBER", ""});
          }
        }
        StoredReport report{crypto::NewUuid(),  0,        Stage::kNotification, body.dump(),
                            aware + 72 * kHour, notified, reporter.user_id,     reporter.name,
                            std::nullopt};
        InsertReport(tx, i.id, report);
        SaveObservables(tx, i, indicators, reporter.user_id, notified);
        Record(tx, actor(reporter), i, org.id, "report", Visibility::kAll,
               std::string("Notification report filed") +
                   (notified > aware + 72 * kHour ? " (late)" : ""),
               notified, json{{"stage", "notification"}, {"report_id", report.id}}.dump());
        if (handler != nullptr && i.state == CaseState::kAcknowledged) {
          const Millis triaged = notified + static_cast<Millis>(uniform(1, 24) * kHour);
          if (triaged < now) {
            i.state = CaseState::kInProgress;
            Record(tx, actor(*handler), i, handler->org_id, "state", Visibility::kAll,
                   "State changed from acknowledged to in_progress", triaged,
                   json{{"from", "acknowledged"}, {"to", "in_progress"}}.dump());
          }
        }
        // The final report when it is over; most cases end within the month.
        const Millis finished =
            notified + static_cast<Millis>(uniform(2, chance(0.8) ? 28 : 60) * kDay);
        if (finished < now) {
          i.final_at = finished;
          i.resolved_at = finished;
          i.root_cause = std::string(sc.root_cause);
          if (IsOpen(i.state)) i.state = CaseState::kResolved;
          json fin = {{"stage", "final"},
                      {"description", std::string(sc.description)},
                      {"root_cause", *i.root_cause},
                      {"mitigations_applied", std::string(sc.mitigations)}};
          if (i.impact.financial_loss_eur) fin["financial_loss_eur"] = *i.impact.financial_loss_eur;
          StoredReport final_report{crypto::NewUuid(),    0,        Stage::kFinal,    fin.dump(),
                                    notified + 30 * kDay, finished, reporter.user_id, reporter.name,
                                    std::nullopt};
          InsertReport(tx, i.id, final_report);
          Record(tx, actor(reporter), i, org.id, "report", Visibility::kAll,
                 std::string("Final report filed") +
                     (finished > notified + 30 * kDay ? " (late)" : "") + "; the case is resolved",
                 finished, json{{"stage", "final"}, {"report_id", final_report.id}}.dump());
          const Millis closed = finished + static_cast<Millis>(uniform(1, 10) * kDay);
          if (handler != nullptr && closed < now) {
            i.state = CaseState::kClosed;
            i.closed_at = closed;
            Record(tx, actor(*handler), i, handler->org_id, "state", Visibility::kAll,
                   "State changed from resolved to closed", closed,
                   json{{"from", "resolved"}, {"to", "closed"}}.dump());
          }
        }
      }
      RefreshNextDue(tx, i, now);
      const Millis last =
          i.closed_at.value_or(i.final_at.value_or(i.notification_at.value_or(filed)));
      if (!UpdateIncident(tx, i, filed_state.version, last)) {
        throw std::logic_error("a demo incident changed under the demo");
      }
      MarkPastDeadlineAnnounced(tx, i.id, now);
      ++sum.incidents;
      if (IsOpen(i.state)) ++sum.open;
      if (i.next_due_at && *i.next_due_at < now) ++sum.overdue;
    }
    auto e = audit::By(nullptr, "demo.seed", "incidents", "demo");
    e.after = json{{"incidents", sum.incidents}}.dump();
    audit::Append(tx, e, now);
    return sum;
  });
}

}  // namespace rampart::incidents
