#include "incidents/assistance.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "incidents/cases.h"
#include "platform/audit.h"
#include "platform/crypto.h"
#include "platform/json_writer.h"

namespace rampart::incidents {

namespace {

constexpr std::string_view kKindNames[] = {
    "incident_response",      "forensics", "malware_analysis",
    "vulnerability_handling", "advice",    "other"};
constexpr std::string_view kUrgencyNames[] = {"low", "medium", "high", "critical"};
constexpr std::string_view kStateNames[] = {
    "open",     "accepted", "in_progress", "waiting_for_requester",
    "resolved", "closed",   "declined",    "withdrawn"};

template <class E, std::size_t N>
std::optional<E> ParseByName(const std::string_view (&names)[N], std::string_view name) {
  for (std::size_t k = 0; k < N; ++k) {
    if (names[k] == name) return static_cast<E>(k);
  }
  return std::nullopt;
}

}  // namespace

std::string_view Name(AssistanceKind kind) { return kKindNames[static_cast<int>(kind)]; }
std::optional<AssistanceKind> ParseAssistanceKind(std::string_view name) {
  return ParseByName<AssistanceKind>(kKindNames, name);
}
std::string_view Name(Urgency urgency) { return kUrgencyNames[static_cast<int>(urgency)]; }
std::optional<Urgency> ParseUrgency(std::string_view name) {
  return ParseByName<Urgency>(kUrgencyNames, name);
}
std::string_view Name(AssistanceState state) { return kStateNames[static_cast<int>(state)]; }
std::optional<AssistanceState> ParseAssistanceState(std::string_view name) {
  return ParseByName<AssistanceState>(kStateNames, name);
}

std::vector<CaseParty> PartiesOf(const AssistanceRequest& r) {
  return {{r.asking_org_id, Relation::kReporter}, {r.cert_org_id, r.cert_relation}};
}

// ---- rules ----

std::string FormatAssistanceReference(int year, std::int64_t number) {
  std::string digits = std::to_string(number);
  if (digits.size() < 6) digits.insert(0, 6 - digits.size(), '0');
  return "AST-" + std::to_string(year) + "-" + digits;
}

Millis ResponseTarget(Urgency urgency) {
  switch (urgency) {
    case Urgency::kCritical:
      return 2 * kHour;
    case Urgency::kHigh:
      return 8 * kHour;
    case Urgency::kMedium:
      return 2 * kDay;
    case Urgency::kLow:
      return 5 * kDay;
  }
  return 5 * kDay;
}

bool ResponseOverdue(const AssistanceRequest& r, Millis now) {
  return !r.responded_at && r.state == AssistanceState::kOpen && now > r.respond_by;
}

bool MayMoveAssistance(AssistanceState from, AssistanceState to, Side side) {
  using S = AssistanceState;
  if (from == to) return false;
  if (side == Side::kReporter) {
    // The asking organisation takes back what nobody has taken up, and has the last word on
    // whether what the CERT resolved is resolved.
    return (from == S::kOpen && to == S::kWithdrawn) ||
           (from == S::kResolved && (to == S::kClosed || to == S::kInProgress));
  }
  switch (from) {
    case S::kOpen:
      return to == S::kAccepted || to == S::kDeclined;
    case S::kAccepted:
      return to == S::kInProgress || to == S::kWaitingForRequester || to == S::kResolved;
    case S::kInProgress:
      return to == S::kWaitingForRequester || to == S::kResolved;
    case S::kWaitingForRequester:
      return to == S::kInProgress || to == S::kResolved;
    case S::kResolved:
      return to == S::kInProgress || to == S::kClosed;
    case S::kClosed:
    case S::kDeclined:
    case S::kWithdrawn:
      return false;
  }
  return false;
}

std::vector<AssistanceState> NextAssistanceStates(AssistanceState from, Side side) {
  std::vector<AssistanceState> out;
  for (AssistanceState to : kAllAssistanceStates) {
    if (MayMoveAssistance(from, to, side)) out.push_back(to);
  }
  return out;
}

bool IsOpen(AssistanceState s) {
  return s != AssistanceState::kResolved && s != AssistanceState::kClosed &&
         s != AssistanceState::kDeclined && s != AssistanceState::kWithdrawn;
}

bool NeedsReason(AssistanceState to) { return to == AssistanceState::kDeclined; }

AssistanceState AfterMessage(AssistanceState state, Side side) {
  if (side == Side::kReporter && state == AssistanceState::kWaitingForRequester) {
    return AssistanceState::kInProgress;
  }
  return state;
}

void ApplyMove(AssistanceRequest& r, AssistanceState to, Side side, Millis now) {
  if (side == Side::kCert && !r.responded_at) r.responded_at = now;
  if (to == AssistanceState::kResolved) r.resolved_at = now;
  if (r.state == AssistanceState::kResolved && to == AssistanceState::kInProgress) {
    r.resolved_at.reset();
  }
  if (to == AssistanceState::kClosed || to == AssistanceState::kDeclined ||
      to == AssistanceState::kWithdrawn) {
    r.closed_at = now;
  }
  r.state = to;
}

// ---- store ----

namespace {

constexpr std::string_view kColumns =
    "a.id, a.reference, a.asking_org_id, a.cert_org_id, a.cert_relation, a.incident_id, a.kind, "
    "a.urgency, a.title, a.description, a.contact, a.state, a.state_reason, a.assignee_id, "
    "a.requested_by, a.respond_by, a.responded_at, a.resolved_at, a.closed_at, a.version, "
    "a.created_at, a.updated_at";
constexpr std::size_t kColumnCount = 22;

AssistanceRequest FromRow(const db::Row& r) {
  AssistanceRequest a;
  a.id = r.Text(0);
  a.reference = r.Text(1);
  a.asking_org_id = r.Text(2);
  a.cert_org_id = r.Text(3);
  a.cert_relation = ParseRelation(r.Text(4)).value_or(Relation::kSectorCert);
  a.incident_id = r.OptText(5);
  a.kind = ParseAssistanceKind(r.Text(6)).value_or(AssistanceKind::kOther);
  a.urgency = ParseUrgency(r.Text(7)).value_or(Urgency::kMedium);
  a.title = r.Text(8);
  a.description = r.Text(9);
  a.contact = r.Text(10);
  a.state = ParseAssistanceState(r.Text(11)).value_or(AssistanceState::kOpen);
  a.state_reason = r.Text(12);
  a.assignee_id = r.OptText(13);
  a.requested_by = r.Text(14);
  a.respond_by = r.Int(15);
  a.responded_at = r.OptInt(16);
  a.resolved_at = r.OptInt(17);
  a.closed_at = r.OptInt(18);
  a.version = r.Int(19);
  a.created_at = r.Int(20);
  a.updated_at = r.Int(21);
  return a;
}

}  // namespace

std::string NextAssistanceReference(db::Tx& tx, int year) {
  // One statement, so that two servers asking at once get different numbers on both stores.
  auto r = tx.QueryOne(
      "INSERT INTO reference_counters (series, year, last) VALUES ('AST', $1, 1) "
      "ON CONFLICT (series, year) DO UPDATE SET last = reference_counters.last + 1 "
      "RETURNING last",
      {year});
  return FormatAssistanceReference(year, r->Int(0));
}

void InsertAssistance(db::Tx& tx, const AssistanceRequest& a) {
  tx.Exec(
      "INSERT INTO assistance_requests (id, reference, asking_org_id, cert_org_id, cert_relation, "
      "incident_id, kind, urgency, title, description, contact, state, state_reason, assignee_id, "
      "requested_by, respond_by, responded_at, resolved_at, closed_at, version, created_at, "
      "updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, "
      "$17, $18, $19, $20, $21, $22)",
      {a.id,
       a.reference,
       a.asking_org_id,
       a.cert_org_id,
       std::string(Name(a.cert_relation)),
       a.incident_id,
       std::string(Name(a.kind)),
       std::string(Name(a.urgency)),
       a.title,
       a.description,
       a.contact,
       std::string(Name(a.state)),
       a.state_reason,
       a.assignee_id,
       a.requested_by,
       a.respond_by,
       a.responded_at,
       a.resolved_at,
       a.closed_at,
       a.version,
       a.created_at,
       a.updated_at});
}

std::optional<AssistanceRequest> FindAssistance(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT " + std::string(kColumns) + " FROM assistance_requests a WHERE a.id = $1", {id});
  if (!r) return std::nullopt;
  return FromRow(*r);
}

bool UpdateAssistance(db::Tx& tx, const AssistanceRequest& a, std::int64_t expected_version,
                      Millis now) {
  // What a request's handling changes; what was asked (kind, title, parties, case) stays as asked.
  return tx.Exec(
             "UPDATE assistance_requests SET urgency = $1, state = $2, state_reason = $3, "
             "assignee_id = $4, responded_at = $5, resolved_at = $6, closed_at = $7, "
             "version = version + 1, updated_at = $8 WHERE id = $9 AND version = $10",
             {std::string(Name(a.urgency)), std::string(Name(a.state)), a.state_reason,
              a.assignee_id, a.responded_at, a.resolved_at, a.closed_at, now, a.id,
              expected_version}) == 1;
}

std::string AuditState(const AssistanceRequest& a) {
  JsonWriter w;
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("reference", a.reference)
      .KeyString("asking_organisation_id", a.asking_org_id)
      .KeyString("cert_organisation_id", a.cert_org_id)
      .KeyOptString("incident_id", a.incident_id)
      .KeyString("kind", Name(a.kind))
      .KeyString("urgency", Name(a.urgency))
      .KeyString("title", a.title)
      .KeyString("state", Name(a.state))
      .KeyString("state_reason", a.state_reason)
      .KeyOptString("assignee_id", a.assignee_id)
      .KeyInt("version", a.version)
      .EndObject();
  return std::move(w).Take();
}

void InsertAssistanceEvent(db::Tx& tx, const AssistanceEvent& e) {
  tx.Exec(
      "INSERT INTO assistance_events (id, request_id, at, actor_id, actor_name, actor_org_id, "
      "side, kind, internal, text, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
      {e.id.empty() ? crypto::NewUuid() : e.id, e.request_id, e.at, e.actor_id, e.actor_name,
       e.actor_org_id, e.side, e.kind, e.internal, e.text, e.data});
}

std::vector<AssistanceEvent> AssistanceEventsOf(db::Tx& tx, std::string_view request_id,
                                                bool with_internal) {
  std::vector<AssistanceEvent> out;
  // Ordered by time, then id (UUID v7: creation order) for entries of the same millisecond; the
  // demo writes entries at past times, so the id alone would not do.
  for (const auto& r :
       tx.Query("SELECT id, request_id, at, actor_id, actor_name, actor_org_id, side, kind, "
                "internal, text, data FROM assistance_events WHERE request_id = $1 AND "
                "(internal = 0 OR $2 = 1) ORDER BY at, id",
                {request_id, with_internal})) {
    AssistanceEvent e;
    e.id = r.Text(0);
    e.request_id = r.Text(1);
    e.at = r.Int(2);
    e.actor_id = r.Text(3);
    e.actor_name = r.Text(4);
    e.actor_org_id = r.OptText(5);
    e.side = r.Text(6);
    e.kind = r.Text(7);
    e.internal = r.Bool(8);
    e.text = r.Text(9);
    e.data = r.Text(10);
    out.push_back(std::move(e));
  }
  return out;
}

std::vector<ListedAssistance> ListAssistance(db::Tx& tx, const std::vector<CaseParty>& scopes,
                                             const AssistanceFilter& filter,
                                             const std::optional<std::string>& after_id,
                                             int limit) {
  std::vector<ListedAssistance> out;
  db::Params params;
  auto param = [&](db::Value v) {
    params.push_back(std::move(v));
    return "$" + std::to_string(params.size());
  };
  // The caller's parts: organisations it asks for, and (organisation, relation) it is asked as.
  std::vector<std::string> asking;
  std::map<std::string, std::vector<Relation>> asked;
  for (const auto& s : scopes) {
    if (s.relation == Relation::kReporter) {
      asking.push_back(s.org_id);
    } else if (s.relation == Relation::kSectorCert || s.relation == Relation::kNationalCert) {
      asked[s.org_id].push_back(s.relation);
    }
  }
  if (filter.side == "asked") asking.clear();
  if (filter.side == "asking") asked.clear();
  std::string scope;
  if (!asking.empty()) {
    scope = "a.asking_org_id IN (";
    for (std::size_t k = 0; k < asking.size(); ++k) scope += (k ? ", " : "") + param(asking[k]);
    scope += ")";
  }
  for (const auto& [org, relations] : asked) {
    if (!scope.empty()) scope += " OR ";
    scope += "(a.cert_org_id = " + param(org) + " AND a.cert_relation IN (";
    for (std::size_t k = 0; k < relations.size(); ++k) {
      scope += (k ? ", " : "") + param(std::string(Name(relations[k])));
    }
    scope += "))";
  }
  if (scope.empty()) return out;

  std::string where = " WHERE (" + scope + ")";
  auto add = [&](const std::string& condition) { where += " AND " + condition; };
  if (filter.state == "open") {
    add("a.state IN ('open', 'accepted', 'in_progress', 'waiting_for_requester')");
  } else if (!filter.state.empty()) {
    add("a.state = " + param(filter.state));
  }
  if (!filter.urgency.empty()) add("a.urgency = " + param(filter.urgency));
  if (!filter.kind.empty()) add("a.kind = " + param(filter.kind));
  if (!filter.assignee_id.empty()) add("a.assignee_id = " + param(filter.assignee_id));
  if (!filter.query.empty()) {
    std::string like = "%";
    for (char c : filter.query) {
      if (c == '%' || c == '_' || c == '\\') like += '\\';
      like += c;
    }
    like += "%";
    add("(a.reference = " + param(filter.query) + " OR LOWER(a.title) LIKE LOWER(" + param(like) +
        ") ESCAPE '\\')");
  }
  if (after_id) add("a.id < " + param(*after_id));

  const std::string sql =
      "SELECT " + std::string(kColumns) +
      ", ao.name, co.name, u.display_name, i.reference FROM assistance_requests a "
      "JOIN organisations ao ON ao.id = a.asking_org_id "
      "JOIN organisations co ON co.id = a.cert_org_id "
      "LEFT JOIN users u ON u.id = a.assignee_id LEFT JOIN incidents i ON i.id = a.incident_id" +
      where + " ORDER BY a.id DESC LIMIT " + param(limit);
  for (const auto& r : tx.Query(sql, params)) {
    ListedAssistance l;
    l.request = FromRow(r);
    l.asking_org_name = r.Text(kColumnCount);
    l.cert_org_name = r.Text(kColumnCount + 1);
    l.assignee_name = r.OptText(kColumnCount + 2);
    l.incident_reference = r.OptText(kColumnCount + 3);
    out.push_back(std::move(l));
  }
  return out;
}

std::vector<AskableCert> CertsToAsk(db::Tx& tx, std::string_view org_id) {
  std::vector<AskableCert> out;
  for (const auto& r : tx.Query(
           "SELECT o.id, o.name, o.short_name, o.kind FROM organisations o WHERE o.id <> $1 AND "
           "(o.kind = 'national_cert' OR (o.kind = 'sector_cert' AND EXISTS (SELECT 1 FROM "
           "organisation_sectors c JOIN organisation_sectors m ON m.sector_id = c.sector_id "
           "WHERE c.organisation_id = o.id AND m.organisation_id = $1))) "
           "ORDER BY CASE o.kind WHEN 'sector_cert' THEN 0 ELSE 1 END, o.name, o.id",
           {org_id})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2),
                   r.Text(3) == "national_cert" ? Relation::kNationalCert : Relation::kSectorCert});
  }
  return out;
}

// ---- demo ----

namespace {

using nlohmann::json;

// One step of a demo request's life, `hours` after it was made.
struct DemoStep {
  double hours;
  Side side;
  std::string_view kind;  // "message", "note" (the CERT's, internal) or a state to move to
  std::string_view text;
};

// What the demo country's organisations ask. Written for the demo; any likeness to a real
// request is chance. `cert` is the short name of the CERT asked; "" for the asker's sector CERT.
struct DemoRequest {
  std::string_view asker;
  std::string_view cert;
  AssistanceKind kind;
  Urgency urgency;
  bool link_case;  // linked to the asker's latest case the CERT holds, when there is one
  double days_ago;
  std::string_view title;
  std::string_view description;
  std::vector<DemoStep> steps;
};

std::vector<DemoRequest> DemoRequests() {
  using K = AssistanceKind;
  using U = Urgency;
  const Side cert = Side::kCert;
  const Side asker = Side::kReporter;
  return {
      {"HCB",
       "",
       K::kIncidentResponse,
       U::kCritical,
       true,
       0.05,
       "Ransom note on branch file servers",
       "Two branch file servers show encrypted files and a ransom note since 06:40. We have "
       "isolated the branch network but need help to scope the intrusion before reconnecting.",
       {}},
      {"StAnne",
       "",
       K::kAdvice,
       U::kLow,
       false,
       9.0,
       "Advice on retiring an old imaging workstation",
       "An imaging workstation runs an operating system without updates. The vendor offers no "
       "upgrade. What compensating measures do you expect until it is replaced next year?",
       {}},
      {"NPC",
       "",
       K::kForensics,
       U::kHigh,
       true,
       3.0,
       "Forensic copy of an engineering laptop",
       "An engineering laptop with remote access to substations behaved oddly. We kept it "
       "powered on and off the network. We need a forensic image and an analysis of its "
       "persistence.",
       {{1.5, cert, "accepted", ""},
        {2.0, cert, "message",
         "We will collect the laptop at 14:00. Please keep it powered and do not log in."},
        {2.2, asker, "message", "Understood, it is in the control room safe, still powered."},
        {20.0, cert, "in_progress", ""},
        {22.0, cert, "note",
         "Memory image taken; a scheduled task runs an unsigned binary every hour. Hash shared "
         "with EnerCERT colleagues."}}},
      {"TelNat",
       "",
       K::kMalwareAnalysis,
       U::kMedium,
       true,
       6.0,
       "Unknown binary on a provisioning server",
       "Our antivirus quarantined an unknown ELF binary on a provisioning server. We attach "
       "its hash in the conversation; could you analyse what it does?",
       {{4.0, cert, "accepted", ""},
        {5.0, asker, "message",
         "SHA-256 is in our ticket system; we can share the sample through your upload portal."},
        {26.0, cert, "in_progress", ""},
        {50.0, cert, "message",
         "The sample is a cryptocurrency miner with a backdoor. Which accounts could write to "
         "/opt/provision on that server in the last month? We need the list before we go on."},
        {50.1, cert, "waiting_for_requester", ""}}},
      {"MoF",
       "",
       K::kVulnerabilityHandling,
       U::kHigh,
       false,
       12.0,
       "Critical flaw in the budget portal's framework",
       "A researcher told us of a remote code execution flaw in the framework of the budget "
       "portal. The vendor has not answered in ten days. We need help to coordinate the "
       "disclosure.",
       {{3.0, cert, "accepted", ""},
        {4.0, cert, "in_progress", ""},
        {6.0, cert, "message",
         "We contacted the vendor's security team through their national CERT; a fix is "
         "promised within a week. Meanwhile block the /api/upload path at the reverse proxy."},
        {6.5, asker, "message", "Blocked at 16:10; the portal still works for users."},
        {150.0, cert, "message",
         "The vendor released version 4.2.1 with the fix. Please update and tell us when done."},
        {170.0, asker, "message", "Updated on all three servers this morning."},
        {171.0, cert, "resolved", "Fixed by the vendor's 4.2.1; the portal is updated."}}},
      {"WSU",
       "NatCERT",
       K::kIncidentResponse,
       U::kHigh,
       true,
       40.0,
       "Remote access tool on the treatment plant's station",
       "A remote support tool was found on the operator station of the treatment plant, "
       "reachable from the internet. We removed it but want to be sure nobody used it.",
       {{2.0, cert, "accepted", ""},
        {3.0, cert, "in_progress", ""},
        {30.0, cert, "note", "Logs show two sessions from abroad in March; no set-point change."},
        {72.0, cert, "message",
         "Two sessions in March came from addresses abroad; nothing was changed. Rotate the "
         "station's passwords and keep remote support behind the VPN."},
        {96.0, cert, "resolved", "Sessions reviewed; recommendations given."},
        {120.0, asker, "closed", "Thank you, passwords rotated and the VPN rule in place."}}},
      {"IAC",
       "NatCERT",
       K::kAdvice,
       U::kMedium,
       false,
       25.0,
       "Review of our incident response plan",
       "We rewrote our incident response plan after the check-in outage. Would you review it "
       "before the exercise next month?",
       {{10.0, cert, "accepted", ""},
        {12.0, cert, "in_progress", ""},
        {200.0, cert, "message",
         "Our comments: name a deputy for the crisis lead, add the regulator's 24-hour early "
         "warning to the first hour's checklist, and test the out-of-band call tree."},
        {210.0, cert, "resolved", "Plan reviewed; comments sent."},
        {260.0, asker, "closed", ""}}},
      {"ISB",
       "NatCERT",
       K::kOther,
       U::kLow,
       false,
       15.0,
       "Speaker for our staff awareness day",
       "Could someone of the national CERT speak at our staff awareness day on phishing?",
       {{30.0, cert, "declined",
         "We do not send speakers to single organisations; our awareness kit and recorded talk "
         "are on the guidelines page, and the finance sector day is in March."}}},
      {"Lagoon",
       "",
       K::kIncidentResponse,
       U::kMedium,
       false,
       4.0,
       "Suspicious SIM changes in one shop",
       "A shop made several SIM changes that customers did not ask for. We suspect an insider.",
       {{2.0, asker, "withdrawn",
         "Our own fraud team found the cause: a misused shop account. Handled internally."}}},
      {"NPS",
       "",
       K::kMalwareAnalysis,
       U::kCritical,
       true,
       1.0,
       "Implant on the payment switch's jump host",
       "An implant was found on the jump host of the payment switch. Payments still run. We "
       "need analysts on site.",
       {{0.5, cert, "accepted", ""},
        {0.7, cert, "message",
         "Two analysts are on their way. Keep the jump host running, cut its outbound traffic."},
        {1.0, cert, "in_progress", ""},
        {3.0, cert, "note", "Implant family matches last year's bank cases; check the C2 list."},
        {5.0, asker, "message", "Outbound traffic cut at 10:05; the switch runs normally."}}},
      {"PA",
       "NatCERT",
       K::kVulnerabilityHandling,
       U::kMedium,
       false,
       2.0,
       "Exposed management interface of the crane system",
       "A scan by a partner showed the web management page of our crane control system on the "
       "internet. We want to know how urgent this is and what to do first.",
       {{6.0, cert, "accepted", ""}}},
      {"Eastgrid",
       "",
       K::kAdvice,
       U::kLow,
       false,
       70.0,
       "Hardening guide for substation RTUs",
       "Do you have a hardening guide for the remote terminal units we install next quarter?",
       {{20.0, cert, "accepted", ""},
        {30.0, cert, "message",
         "Attached to our guidelines library as 'RTU hardening, 2026 edition'. Tell us whether "
         "it fits your models."},
        {31.0, cert, "resolved", "Guide shared."},
        {100.0, asker, "closed", "It fits; thank you."}}},
  };
}

struct DemoPerson {
  std::string id;
  std::string name;
};

}  // namespace

int SeedDemoAssistance(db::Database& db, Millis now) {
  const auto requests = DemoRequests();
  return db.Write([&](db::Tx& tx) {
    std::map<std::string, std::string> org_by_short;
    for (const auto& r : tx.Query("SELECT short_name, id FROM organisations", {})) {
      org_by_short[r.Text(0)] = r.Text(1);
    }
    // The first member of `org` holding one of `roles`, by username: the same one every time.
    auto person = [&](const std::string& org,
                      std::initializer_list<std::string_view> roles) -> std::optional<DemoPerson> {
      for (auto role : roles) {
        auto r = tx.QueryOne(
            "SELECT u.id, u.display_name FROM memberships m JOIN users u ON u.id = m.user_id "
            "WHERE m.organisation_id = $1 AND u.disabled = 0 AND (',' || m.roles || ',') LIKE $2 "
            "ORDER BY u.username LIMIT 1",
            {org, "%," + std::string(role) + ",%"});
        if (r) return DemoPerson{r->Text(0), r->Text(1)};
      }
      return std::nullopt;
    };

    int made = 0;
    for (const auto& d : requests) {
      auto asker_it = org_by_short.find(std::string(d.asker));
      if (asker_it == org_by_short.end()) continue;
      const std::string& asker = asker_it->second;
      std::optional<AskableCert> cert;
      for (const auto& c : CertsToAsk(tx, asker)) {
        if (d.cert.empty() ? c.relation == Relation::kSectorCert : c.short_name == d.cert) {
          cert = c;
          break;
        }
      }
      auto requester = person(asker, {"ciso", "reporter"});
      if (!cert || !requester) continue;
      auto analyst = person(cert->id, {"analyst"});
      if (!analyst) continue;

      const Millis created = now - static_cast<Millis>(d.days_ago * static_cast<double>(kDay));
      AssistanceRequest a;
      a.id = crypto::NewUuid();
      a.reference = NextAssistanceReference(tx, YearOf(created));
      a.asking_org_id = asker;
      a.cert_org_id = cert->id;
      a.cert_relation = cert->relation;
      if (d.link_case) {
        auto c = tx.QueryOne(
            "SELECT i.id FROM incidents i JOIN incident_parties p ON p.incident_id = i.id "
            "WHERE i.organisation_id = $1 AND p.organisation_id = $2 AND p.relation IN "
            "('sector_cert', 'national_cert', 'national_cert_anonymised') AND i.aware_at <= $3 "
            "ORDER BY i.aware_at DESC LIMIT 1",
            {asker, cert->id, created});
        if (c) a.incident_id = c->Text(0);
      }
      a.kind = d.kind;
      a.urgency = d.urgency;
      a.title = std::string(d.title);
      a.description = std::string(d.description);
      a.requested_by = requester->id;
      a.respond_by = created + ResponseTarget(d.urgency);
      a.created_at = a.updated_at = created;
      InsertAssistance(tx, a);
      auto event = [&](Side side, std::string kind, bool internal, std::string text, Millis at,
                       std::string data = "{}") {
        const DemoPerson& who = side == Side::kCert ? *analyst : *requester;
        InsertAssistanceEvent(
            tx, {crypto::NewUuid(), a.id, at, who.id, who.name,
                 side == Side::kCert ? cert->id : asker, side == Side::kCert ? "cert" : "requester",
                 std::move(kind), internal, std::move(text), std::move(data)});
      };
      event(Side::kReporter, "filed", false, "Request for assistance made", created);

      const std::int64_t version = a.version;
      Millis last = created;
      for (const auto& step : d.steps) {
        const Millis at = created + static_cast<Millis>(step.hours * static_cast<double>(kHour));
        if (at >= now) break;
        last = at;
        if (step.kind == "message" || step.kind == "note") {
          const bool note = step.kind == "note";
          event(step.side, std::string(step.kind), note, std::string(step.text), at);
          if (!note && step.side == Side::kCert && !a.responded_at) a.responded_at = at;
          a.state = AfterMessage(a.state, step.side);
          continue;
        }
        const auto to = ParseAssistanceState(step.kind);
        if (!to || !MayMoveAssistance(a.state, *to, step.side)) {
          throw std::logic_error("a demo request moves where the rules forbid: " +
                                 std::string(d.title));
        }
        const AssistanceState from = a.state;
        ApplyMove(a, *to, step.side, at);
        a.state_reason = std::string(step.text);
        std::string text =
            "State changed from " + std::string(Name(from)) + " to " + std::string(Name(*to));
        if (!step.text.empty()) text += ": " + std::string(step.text);
        event(step.side, "state", false, text, at,
              json{{"from", Name(from)}, {"to", Name(*to)}}.dump());
        if (*to == AssistanceState::kAccepted && !a.assignee_id) {
          a.assignee_id = analyst->id;
          event(Side::kCert, "assigned", true, "Assigned to " + analyst->name, at,
                json{{"assignee_id", analyst->id}}.dump());
        }
      }
      if (!UpdateAssistance(tx, a, version, last)) {
        throw std::logic_error("a demo request changed under the demo");
      }
      ++made;
    }
    auto e = audit::By(nullptr, "demo.seed", "assistance_requests", "demo");
    e.after = json{{"assistance_requests", made}}.dump();
    audit::Append(tx, e, now);
    return made;
  });
}

}  // namespace rampart::incidents
