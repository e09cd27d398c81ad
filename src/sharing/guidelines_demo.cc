// The demo country's guidelines: the national CERT's minimum measures for information security
// management (published, with adoptions recorded by operators) and a draft on remote access to
// operational technology, open for comments. Written for Rampart in our own words.
#include <map>
#include <nlohmann/json.hpp>

#include "incidents/cases.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "sharing/guidelines.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

constexpr Millis kDay = 86'400'000;

constexpr std::string_view kIsmBody = R"(## Why these measures

Operators of critical information infrastructure depend on systems that others depend on in turn.
These measures are the minimum the national CERT expects of every operator's information security
management. They follow the plan, do, check, act cycle and can be met with the ISO/IEC 27001
management system, but they do not require a certification.

## 1. Leadership

- Management approves a written security policy and reviews it **at least once a year**.
- One named person (usually the CISO) answers for information security and reports to management.
- Residual risks are accepted by management, in writing, with a date for the next review.

## 2. Know what you protect

- Keep an inventory of the business processes, information and supporting assets you run.
- Classify each by the harm its loss of confidentiality, integrity or availability would cause.
- Record who owns each asset and who may change it.

## 3. Analyse and treat risks

1. Analyse risks on the assets at least yearly, and after any major change or serious incident.
2. Decide a treatment for every risk above your threshold: reduce, avoid, share or accept.
3. Keep a Statement of Applicability that says which controls apply and why.

## 4. Detect and report

- Log security events on internet-facing systems and keep the logs for at least **six months**.
- Report significant incidents to your regulator within the deadlines of your sector.
- Share indicators with the sector CERT so that others can look for them.

## 5. Improve

Audit the management system internally, correct what the audit finds, and keep the evidence.
Compare your maturity with the figures the national CERT publishes for your sector.
)";

constexpr std::string_view kOtBody = R"(## Scope

Remote access by staff, vendors and integrators to operational technology: control systems,
engineering workstations and the networks that carry their traffic.

## Measures

- Remote sessions pass through **one** managed access point in a demilitarised zone; no direct
  connection from the internet reaches a control network.
- Every session is authenticated with a second factor and tied to a named person, never a shared
  vendor account.
- Vendor access is switched on for an agreed window and switched off again afterwards.
- Sessions are recorded, and the records are kept for at least **ninety days**.
- The list of people who may connect is reviewed every quarter by the asset owner.

## Open questions for the consultation

1. Is ninety days of session recording workable for small operators?
2. Should the measures also cover read-only monitoring by vendors?
)";

}  // namespace

int SeedDemoGuidelines(db::Tx& tx, Millis now) {
  std::map<std::string, std::string, std::less<>> org;
  for (const auto& r : tx.Query("SELECT short_name, id FROM organisations", {})) {
    org[r.Text(0)] = r.Text(1);
  }
  if (!org.contains("NatCERT")) return 0;
  auto person = [&](const std::string& org_id, std::string_view role) -> std::string {
    auto r = tx.QueryOne(
        "SELECT u.id FROM memberships m JOIN users u ON u.id = m.user_id WHERE "
        "m.organisation_id = $1 AND u.disabled = 0 AND (',' || m.roles || ',') LIKE $2 ORDER "
        "BY u.username LIMIT 1",
        {org_id, "%," + std::string(role) + ",%"});
    return r ? r->Text(0) : "";
  };
  const std::string cert = org["NatCERT"];
  const std::string analyst = person(cert, "analyst");
  if (analyst.empty()) return 0;

  auto make = [&](std::string_view title, std::string_view summary, std::string_view body,
                  std::vector<std::string> topics, std::vector<std::string> controls, Millis at) {
    Guideline g;
    g.id = crypto::NewUuid();
    g.reference = NextGuidelineReference(tx, incidents::YearOf(at));
    g.author_org_id = cert;
    g.audience.tlp = Tlp::kClear;
    g.audience.distribution = Distribution::kNational;
    g.created_by = analyst;
    g.created_at = g.updated_at = at;
    InsertGuideline(tx, g);
    GuidelineVersion v;
    v.id = crypto::NewUuid();
    v.guideline_id = g.id;
    v.title = title;
    v.summary = summary;
    v.body = body;
    v.topics = std::move(topics);
    v.controls = std::move(controls);
    v.created_by = analyst;
    v.created_at = v.updated_at = at;
    return std::pair{g, v};
  };

  // 1. Published in two versions, the first consulted on, with adoptions.
  auto [ism, v1] = make(
      "Minimum measures for information security management",
      "What every operator of critical information infrastructure is expected to have in place: "
      "leadership, an asset inventory, risk analysis, detection and reporting, improvement.",
      kIsmBody, {"information security management", "governance", "risk"},
      {"urn:rampart:framework:policy11:1.1", "urn:rampart:framework:policy11:9.1",
       "urn:rampart:framework:iso27001-2022:5.2", "urn:rampart:framework:iso27001-2022:6.1.2"},
      now - 60 * kDay);
  std::string first = std::string(kIsmBody);
  first.replace(first.find("**six months**"), 14, "**three months**");
  v1.body = first;
  v1.state = GuidelineState::kSuperseded;
  v1.comments_until = now - 45 * kDay;
  v1.published_by = analyst;
  v1.published_at = now - 40 * kDay;
  InsertVersion(tx, v1);
  if (auto isb = org.find("ISB"); isb != org.end()) {
    const std::string by = person(isb->second, "ciso");
    if (!by.empty()) {
      InsertComment(tx, {crypto::NewUuid(), ism.id, v1.id, isb->second, by,
                         "Three months of logs is too short to investigate intrusions found late; "
                         "we suggest six.",
                         now - 50 * kDay, CommentAnswer::kAccepted,
                         "Agreed: version 2 asks for six months.", analyst, now - 44 * kDay});
    }
  }
  GuidelineVersion v2 = v1;
  v2.id = crypto::NewUuid();
  v2.number = 2;
  v2.body = std::string(kIsmBody);
  v2.state = GuidelineState::kPublished;
  v2.comments_until.reset();
  v2.changelog = "Logs are kept for six months instead of three, as the consultation asked.";
  v2.published_at = now - 20 * kDay;
  v2.created_at = v2.updated_at = now - 25 * kDay;
  InsertVersion(tx, v2);
  struct Adopted {
    std::string_view org;
    AdoptionStatus status;
    int days_ago;
    std::string_view note;
  };
  const Adopted adoptions[] = {
      {"HCB", AdoptionStatus::kAdopted, 15, "Approved by the board; evidence in our SoA."},
      {"ISB", AdoptionStatus::kAdopted, 12, ""},
      {"CCB", AdoptionStatus::kPlanned, -60, "Log retention to be extended next quarter."},
      {"NPS", AdoptionStatus::kAdopted, 10, ""},
      {"NPC", AdoptionStatus::kPlanned, -90, "Part of our ISO 27001 project."},
  };
  for (const auto& a : adoptions) {
    auto it = org.find(a.org);
    if (it == org.end()) continue;
    const std::string by = person(it->second, "ciso");
    if (by.empty()) continue;
    InsertAdoption(tx, {crypto::NewUuid(), ism.id, v2.id, it->second, a.status,
                        now - a.days_ago * kDay, std::string(a.note), by, now - 9 * kDay});
  }

  // 2. A draft open for comments for two more weeks.
  auto [ot, d1] = make(
      "Remote access to operational technology",
      "How vendors and staff should reach control systems from outside: one access point, named "
      "accounts with a second factor, access windows and recorded sessions.",
      kOtBody, {"operational technology", "remote access"},
      {"urn:rampart:framework:policy11:7.5", "urn:rampart:framework:policy11:7.6"}, now - 5 * kDay);
  d1.state = GuidelineState::kConsultation;
  d1.comments_until = now + 14 * kDay;
  InsertVersion(tx, d1);
  if (auto npc = org.find("NPC"); npc != org.end()) {
    const std::string by = person(npc->second, "ciso");
    if (!by.empty()) {
      InsertComment(tx, {crypto::NewUuid(), ot.id, d1.id, npc->second, by,
                         "Our substations have no room for a second access point; could a "
                         "central one per operator be enough?",
                         now - 2 * kDay});
    }
  }
  auto e = audit::By(nullptr, "demo.seed", "guidelines", "demo");
  e.after = nlohmann::json{{"guidelines", 2}}.dump();
  audit::Append(tx, e, now);
  return 2;
}

}  // namespace rampart::sharing
