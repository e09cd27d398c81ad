#include "isms/cycle_demo.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "isms/cycle_store.h"
#include "isms/frameworks.h"
#include "isms/obligations.h"
#include "isms/store.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/principal.h"

namespace rampart::isms {

namespace {

constexpr Millis kDay = 24LL * 3600 * 1000;

struct DemoFinding {
  const char* title;
  const char* description;
  const char* severity;
  const char* control;  // requirement id in the organisation's SoA
  const char* policy;   // requirement id in policy11
};
constexpr DemoFinding kFindings[] = {
    {"Backups are not restored in tests",
     "Nightly backups run, but no restore was tested in the last twelve months; nobody knows how "
     "long a full restore of the core system takes.",
     "high", "A.8.13", "6.5"},
    {"Leavers keep access for weeks",
     "Three of ten sampled leavers still had active accounts 20 to 45 days after leaving.",
     "medium", "A.5.18", "7.2"},
    {"Awareness training not followed by new staff",
     "Staff who joined this year have not attended the awareness session the charter requires.",
     "low", "A.6.3", "4.2"},
};

struct DemoAction {
  const char* level;
  const char* title;
  const char* description;
  int finding;      // index in kFindings
  int due_in_days;  // negative: already past
  const char* status;
};
constexpr DemoAction kActions[] = {
    {"procedures", "Restore test every quarter",
     "Write the restore procedure, run it each quarter on the core system and record the time "
     "it took.",
     0, -12, "open"},
    {"tools", "Connect the HR system to the directory",
     "Disable accounts automatically on the leaving date recorded by HR.", 1, 45, "in_progress"},
    {"organisation", "Name an owner for security awareness",
     "Make one person responsible for onboarding sessions and the yearly refresher.", 2, -30,
     "done"},
    {"organisation", "Review access rights of administrators every six months",
     "Add the review to the security calendar and report it to the management review.", 1, -3,
     "open"},
};

struct DemoResult {
  const char* control;
  const char* outcome;
  const char* value;
};
constexpr DemoResult kResults[] = {
    {"A.8.9", "fail", "14 servers differ from the hardened baseline"},
    {"A.8.8", "value", "3 critical vulnerabilities open > 30 days"},
    {"A.8.5", "pass", ""},
    {"A.8.15", "pass", ""},
    {"A.8.20", "fail", "2 firewall rules allow any to any"},
    {"A.8.24", "pass", ""},
};

std::string Urn(const Framework& f, const char* id) {
  const Requirement* q = f.Find(id);
  return q ? f.UrnOf(*q) : "";
}

}  // namespace

int SeedDemoCycle(db::Database& db, Millis now) {
  struct Org {
    std::string id, name, short_name, soa_ref;
    std::vector<std::string> sectors;
  };
  auto orgs = db.Read([&](db::Tx& tx) {
    std::vector<Org> out;
    for (const auto& r : tx.Query(
             "SELECT o.id, o.name, o.short_name, (SELECT min(s.framework_ref) FROM soas s WHERE "
             "s.organisation_id = o.id) FROM organisations o WHERE o.kind = 'operator' AND NOT "
             "EXISTS (SELECT 1 FROM isms_scopes c WHERE c.organisation_id = o.id) ORDER BY o.name",
             {})) {
      Org o{r.Text(0), r.Text(1), r.Text(2), r.IsNull(3) ? "" : r.Text(3), {}};
      for (const auto& s : tx.Query(
               "SELECT x.slug FROM organisation_sectors os JOIN sectors x ON x.id = os.sector_id "
               "WHERE os.organisation_id = $1",
               {o.id})) {
        o.sectors.push_back(s.Text(0));
      }
      out.push_back(std::move(o));
    }
    return out;
  });
  int made = 0;
  for (const auto& org : orgs) {
    db.Write([&](db::Tx& tx) {
      std::optional<std::string> ciso, manager, auditor;
      std::string ciso_name, manager_name, auditor_name;
      for (const auto& r :
           tx.Query("SELECT m.user_id, m.roles, u.display_name FROM memberships m JOIN users u ON "
                    "u.id = m.user_id WHERE m.organisation_id = $1 ORDER BY u.username",
                    {org.id})) {
        auto roles = RoleSet::Parse(r.Text(1)).value_or(RoleSet());
        if (!ciso && roles.Has(Role::kCiso)) ciso = r.Text(0), ciso_name = r.Text(2);
        if (!manager && roles.Has(Role::kManagement)) manager = r.Text(0), manager_name = r.Text(2);
        if (!auditor && roles.Has(Role::kAuditor)) auditor = r.Text(0), auditor_name = r.Text(2);
      }
      const std::string by = ciso.value_or("");
      const std::string by_name = ciso ? ciso_name : "demo";

      Scope scope;
      scope.organisation_id = org.id;
      scope.version = 1;
      scope.statement = "The information security management system of " + org.name +
                        " covers the services it provides as an operator of critical "
                        "information infrastructure, the information they process, and the "
                        "people, sites and systems that support them.";
      scope.interested_parties = {
          {"Sector regulator", "Timely incident reports; controls in line with its rules."},
          {"Customers", "Services available when needed; their data kept confidential."},
          {"Staff", "Clear rules, training, and tools that let them work safely."},
          {"National CERT", "Early warning of incidents and cooperation during response."}};
      scope.boundaries =
          "Head office and the primary and backup data centres. Outsourced services are in "
          "scope through their contracts; the staff canteen and public website hosting are not.";
      scope.recorded_by = by;
      scope.recorded_by_name = by_name;
      scope.recorded_at = now - 200 * kDay;
      InsertScope(tx, scope);

      // The internal audit, its findings and the actions decided on them.
      Evaluation audit;
      audit.id = crypto::NewUuid();
      audit.organisation_id = org.id;
      audit.kind = "internal_audit";
      audit.title = "Internal audit of operations and access control";
      audit.done_at = now - 40 * kDay;
      audit.evaluator = auditor ? auditor_name : "Internal audit";
      audit.summary =
          "Sampled backups, account management and onboarding. Three findings; the backup one "
          "needs action before the next management review.";
      audit.created_by = auditor.value_or(by);
      audit.created_at = audit.updated_at = now - 40 * kDay;
      InsertEvaluation(tx, audit);

      auto framework = org.soa_ref.empty() ? nullptr : FindFramework(tx, org.soa_ref);
      auto soa = org.soa_ref.empty() ? std::nullopt : FindSoa(tx, org.id, org.soa_ref);
      auto policy = FindFramework(tx, "policy11");
      std::optional<std::string> scenario;
      if (auto r = tx.QueryOne(
              "SELECT s.id FROM risk_scenarios s JOIN risk_analyses a ON a.id = s.analysis_id "
              "WHERE a.organisation_id = $1 AND a.is_current = 1 ORDER BY s.id LIMIT 1",
              {org.id})) {
        scenario = r->Text(0);
      }
      std::vector<std::string> finding_ids;
      for (const auto& d : kFindings) {
        Finding f;
        f.id = crypto::NewUuid();
        f.organisation_id = org.id;
        f.evaluation_id = audit.id;
        f.title = d.title;
        f.description = d.description;
        f.severity = d.severity;
        f.created_by = audit.created_by;
        f.created_at = f.updated_at = now - 40 * kDay;
        if (soa && LoadEntry(tx, soa->id, d.control)) {
          f.links.push_back({"control", soa->framework_ref, d.control, ""});
        }
        if (policy) {
          if (auto urn = Urn(*policy, d.policy); !urn.empty()) {
            f.links.push_back({"policy", "", urn, ""});
          }
        }
        if (scenario && finding_ids.empty()) f.links.push_back({"risk", "", *scenario, ""});
        InsertFinding(tx, f);
        SetLinks(tx, "finding", f.id, f.links);
        finding_ids.push_back(f.id);
      }
      for (const auto& d : kActions) {
        ImprovementAction a;
        a.id = crypto::NewUuid();
        a.organisation_id = org.id;
        a.level = d.level;
        a.title = d.title;
        a.description = d.description;
        a.owner_id = ciso;
        a.created_at = now - 38 * kDay;
        a.updated_at = now - 5 * kDay;
        a.due_at = now + static_cast<Millis>(d.due_in_days) * kDay;
        a.status = d.status;
        if (a.status == "done") a.completed_at = now - 31 * kDay;
        a.created_by = by;
        a.links.push_back({"finding", "", finding_ids[static_cast<std::size_t>(d.finding)], ""});
        if (soa && LoadEntry(tx, soa->id, kFindings[d.finding].control)) {
          a.links.push_back({"control", soa->framework_ref, kFindings[d.finding].control, ""});
        }
        InsertAction(tx, a);
        SetLinks(tx, "action", a.id, a.links);
        AppendActionChange(tx, a.id, a.created_at, by_name,
                           nlohmann::json{{"status", {{"before", nullptr}, {"after", "open"}}},
                                          {"title", {{"before", nullptr}, {"after", a.title}}}}
                               .dump());
        if (a.status != "open") {
          AppendActionChange(
              tx, a.id, a.updated_at, by_name,
              nlohmann::json{{"status", {{"before", "open"}, {"after", a.status}}}}.dump());
        }
      }

      // Planned formal audit: every third operator let the date slip.
      Evaluation formal;
      formal.id = crypto::NewUuid();
      formal.organisation_id = org.id;
      formal.kind = "formal_audit";
      formal.title = "External audit against ISO/IEC 27001";
      formal.planned_for = now + ((made % 3 == 0) ? -6 : 60) * kDay;
      formal.evaluator = "Accredited audit firm";
      formal.created_by = by;
      formal.created_at = formal.updated_at = now - 90 * kDay;
      InsertEvaluation(tx, formal);

      // Management review, held and signed by management.
      if (manager) {
        Evaluation review;
        review.id = crypto::NewUuid();
        review.organisation_id = org.id;
        review.kind = "management_review";
        review.title = "Management review of the ISMS";
        review.done_at = now - 20 * kDay;
        review.evaluator = manager_name;
        review.minutes =
            "The CISO presented the audit findings, the status of the statement of "
            "applicability and the results of the nightly configuration scan.";
        review.decisions =
            "Fund the connection of the HR system to the directory. Restore tests become "
            "quarterly. Next review in six months.";
        review.chair_id = manager;
        review.signed_by = manager;
        review.signed_by_name = manager_name;
        review.signed_at = now - 19 * kDay;
        review.created_by = by;
        review.created_at = review.updated_at = now - 20 * kDay;
        InsertEvaluation(tx, review);
      }

      // Last night's configuration scan.
      if (framework) {
        const std::string run = "nightly-" + std::to_string((now - kDay) / kDay);
        for (const auto& d : kResults) {
          const std::string urn = Urn(*framework, d.control);
          if (urn.empty()) continue;
          AutomatedResult r;
          r.id = crypto::NewUuid();
          r.run_id = run;
          r.control_urn = urn;
          r.framework_ref = framework->ref;
          r.requirement_id = d.control;
          r.outcome = d.outcome;
          r.value = d.value;
          r.tool = "baseline-scanner 3.2";
          r.observed_at = now - kDay + 2 * 3600 * 1000;
          r.posted_by = "Configuration scanner (API token)";
          r.posted_at = r.observed_at + 15 * 60 * 1000;
          InsertResult(tx, org.id, r);
        }
      }

      // Certification: the bank holds a certificate, one utility is working towards it.
      if (org.short_name == "HCB" || org.short_name == "WSU") {
        Certification c;
        c.organisation_id = org.id;
        c.updated_by = by_name;
        c.updated_at = now - 100 * kDay;
        if (org.short_name == "HCB") {
          c.status = "certified";
          c.certifier = "Island Certification Services";
          c.scope = "Retail and corporate banking services, core banking and payment systems.";
          c.certificate_number = "ICS-27001-0142";
          c.issued_at = now - 400 * kDay;
          c.expires_at = now + 695 * kDay;
        } else {
          c.status = "in_progress";
          c.certifier = "Island Certification Services";
          c.scope = "Drinking water treatment and distribution control systems.";
        }
        SaveCertification(tx, c);
      }

      // The register: the general laws, and the sector's own regulation where the library has it.
      int k = 0;
      for (const auto& law : ObligationLibrary()) {
        bool applies = law.sectors.empty();
        for (const auto& s : law.sectors) {
          for (const auto& mine : org.sectors) applies = applies || s == mine;
        }
        if (!applies) continue;
        for (const auto& lo : law.obligations) {
          Obligation o;
          o.id = crypto::NewUuid();
          o.organisation_id = org.id;
          o.law_urn = law.urn;
          o.obligation_urn = lo.urn;
          o.law_kind = law.kind;
          o.law_title = law.title;
          o.title = lo.title;
          o.description = lo.description;
          static constexpr const char* kStatuses[] = {"compliant", "partial", "compliant",
                                                      "not_assessed", "non_compliant"};
          o.status = kStatuses[k++ % 5];
          o.created_by = by;
          o.created_at = o.updated_at = now - 150 * kDay;
          InsertObligation(tx, o);
          if (o.status == "compliant") {
            Evidence ev;
            ev.id = crypto::NewUuid();
            ev.kind = "link";
            ev.url = "https://intranet." + std::string(org.short_name) + ".example/compliance/" +
                     lo.urn.substr(lo.urn.rfind(':') + 1);
            for (auto& c : *ev.url)
              c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            ev.name = "Compliance file: " + lo.title;
            ev.added_by = by;
            ev.added_by_name = by_name;
            ev.added_at = o.created_at;
            InsertObligationEvidence(tx, o.id, ev);
          }
        }
      }

      auto e = audit::By(nullptr, "isms.cycle.demo", "organisation", org.id);
      e.after = nlohmann::json{{"organisation", org.name}}.dump();
      audit::Append(tx, e, now);
    });
    ++made;
  }
  return made;
}

}  // namespace rampart::isms
