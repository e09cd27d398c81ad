#include "isms/demo.h"

#include <nlohmann/json.hpp>
#include <random>

#include "isms/api.h"
#include "isms/cycle_demo.h"
#include "isms/frameworks.h"
#include "isms/policy_docs.h"
#include "isms/rules.h"
#include "isms/store.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/principal.h"

namespace rampart::isms {

namespace {

// Controls an operator commonly leaves out, with the reason it writes down.
struct Exclusion {
  const char* id;
  const char* reason;
};
constexpr Exclusion kExclusions[] = {
    {"A.8.30", "No software development is outsourced; all changes are made by our own team."},
    {"A.8.11", "No production data is copied to test or analytics systems, so nothing to mask."},
    {"A.7.4",
     "Our premises are in a shared building whose owner runs the monitoring under "
     "contract; covered by A.5.19 and A.5.20."},
};

struct Link {
  const char* id;
  const char* name;
  const char* path;
};
constexpr Link kLinks[] = {
    {"A.5.1", "Information security policy (approved)", "/policies/information-security.pdf"},
    {"A.8.13", "Restore test report, last quarter", "/reports/restore-test.html"},
    {"A.6.3", "Awareness training attendance", "/hr/training/security-awareness"},
};

}  // namespace

int SeedDemoSoas(db::Database& db, Millis now) {
  const Builtin& lib = Shipped();
  std::shared_ptr<const Framework> framework;
  for (const char* ref : {"iso27001-2022", "policy11"}) {
    for (const auto& f : lib.frameworks) {
      if (!framework && f->ref == ref) framework = f;
    }
  }
  if (!framework) return 0;
  struct Org {
    std::string id, name, short_name;
  };
  auto orgs = db.Read([&](db::Tx& tx) {
    std::vector<Org> out;
    for (const auto& r : tx.Query(
             "SELECT o.id, o.name, o.short_name FROM organisations o WHERE o.kind = 'operator' AND "
             "NOT EXISTS (SELECT 1 FROM soas s WHERE s.organisation_id = o.id AND "
             "s.framework_ref = $1) ORDER BY o.name",
             {framework->ref})) {
      out.push_back({r.Text(0), r.Text(1), r.Text(2)});
    }
    return out;
  });
  int made = 0;
  for (const auto& org : orgs) {
    std::mt19937 rng(static_cast<std::uint32_t>(7000 + made));
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    db.Write([&](db::Tx& tx) {
      std::vector<std::string> owners;
      std::optional<std::string> manager, ciso;
      std::string manager_name;
      for (const auto& r :
           tx.Query("SELECT m.user_id, m.roles, u.display_name FROM memberships m JOIN users u ON "
                    "u.id = m.user_id WHERE m.organisation_id = $1 ORDER BY u.username",
                    {org.id})) {
        auto roles = RoleSet::Parse(r.Text(1)).value_or(RoleSet());
        if (roles.HasAny(RoleSet::Of({Role::kCiso, Role::kRiskOwner, Role::kOrgAdmin}))) {
          owners.push_back(r.Text(0));
        }
        if (!ciso && roles.Has(Role::kCiso)) ciso = r.Text(0);
        if (!manager && roles.Has(Role::kManagement)) {
          manager = r.Text(0);
          manager_name = r.Text(2);
        }
      }
      Soa soa;
      soa.id = crypto::NewUuid();
      soa.organisation_id = org.id;
      soa.created_by = ciso.value_or(owners.empty() ? "" : owners.front());
      CreateSoa(tx, soa, *framework, now);
      std::vector<std::string> scenarios;
      for (const auto& r : tx.Query(
               "SELECT s.id FROM risk_scenarios s JOIN risk_analyses a ON a.id = s.analysis_id "
               "WHERE a.organisation_id = $1 AND a.is_current = 1 ORDER BY s.id LIMIT 6",
               {org.id})) {
        scenarios.push_back(r.Text(0));
      }
      // Earlier clauses and themes are further along, as a programme usually starts there.
      int k = 0;
      ForEachEntry(tx, soa.id, 500, [&](std::vector<Entry>& batch) {
        for (auto& e : batch) {
          ++k;
          bool excluded = false;
          for (const auto& x : kExclusions) {
            if (e.requirement_id == x.id) {
              e.applicable = false;
              e.status = Status::kNotApplicable;
              e.justification.text = x.reason;
              e.justification.business = true;
              excluded = true;
            }
          }
          if (!excluded) {
            const int roll = pick(0, 99) - (k < 40 ? 25 : 0);
            e.status = roll < 30   ? Status::kImplemented
                       : roll < 55 ? Status::kPartial
                       : roll < 75 ? Status::kPlanned
                                   : Status::kNotStarted;
            e.justification.risk_analysis = pick(0, 2) > 0;
            e.justification.legal = pick(0, 4) == 0;
            e.justification.best_practice = pick(0, 1) == 0;
            e.justification.contractual = pick(0, 6) == 0;
            if (e.status != Status::kNotStarted) {
              e.maturity = e.status == Status::kImplemented ? pick(3, 5)
                           : e.status == Status::kPartial   ? pick(1, 3)
                                                            : pick(0, 1);
              if (!owners.empty()) {
                e.owner_id =
                    owners[static_cast<std::size_t>(pick(0, static_cast<int>(owners.size()) - 1))];
              }
            }
          }
          e.updated_by = "demo";
          UpdateEntry(tx, e, std::nullopt, now);
        }
      });
      for (const auto& l : kLinks) {
        if (!framework->Find(l.id)) continue;
        Evidence ev;
        ev.id = crypto::NewUuid();
        ev.kind = "link";
        ev.url = "https://intranet." +
                 (org.short_name.empty() ? std::string("example") : org.short_name) + ".example" +
                 l.path;
        for (char& c : *ev.url) {
          if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        }
        ev.name = l.name;
        ev.added_by = soa.created_by;
        ev.added_by_name = "demo";
        ev.added_at = now;
        InsertEvidence(tx, soa.id, l.id, ev);
        BumpEntry(tx, soa.id, l.id, "demo", now);
      }
      if (!scenarios.empty() && framework->Find("A.8.13"))
        SetRisks(tx, soa.id, "A.8.13", scenarios);
      if (!scenarios.empty() && framework->Find("A.8.7")) {
        SetRisks(tx, soa.id, "A.8.7", {scenarios.front()});
      }
      auto e = audit::By(nullptr, "soa.demo", "soa", soa.id);
      e.after = nlohmann::json{{"organisation", org.name}, {"framework", framework->urn}}.dump();
      audit::Append(tx, e, now);
      // One bank shows the whole cycle: approved by its management, then changed since.
      if (org.short_name == "HCB" && manager) {
        Soa fresh = *FindSoa(tx, org.id, framework->ref);
        SoaVersion v;
        v.soa_id = fresh.id;
        v.number = 1;
        v.note = "Approved at the management review.";
        v.approved_by = *manager;
        v.approved_by_name = manager_name;
        v.approved_at = now;
        v.document = VersionDocument(tx, fresh, 1, now, manager_name, &v.entries);
        v.sha256 = crypto::Sha256Hex(v.document);
        InsertVersion(tx, v);
        MarkApproved(tx, fresh.id, 1);
        for (const char* id : {"A.5.7", "A.8.16"}) {
          auto changed = LoadEntry(tx, fresh.id, id);
          if (!changed || !changed->applicable) continue;
          changed->status = Status::kImplemented;
          changed->maturity = 3;
          changed->note = "Completed after the review.";
          UpdateEntry(tx, *changed, std::nullopt, now);
        }
      }
      TouchSoa(tx, soa.id, now);
    });
    ++made;
  }
  SeedDemoPolicies(db, now);  // charters and policies (policy_docs_demo.cc)
  SeedDemoCycle(db, now);     // scopes, audits, findings, actions (cycle_demo.cc)
  return made;
}

}  // namespace rampart::isms
