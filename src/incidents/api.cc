#include "incidents/api.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <nlohmann/json.hpp>

#include "incidents/access.h"
#include "incidents/cases.h"
#include "incidents/notices.h"
#include "incidents/observables.h"
#include "incidents/profiles.h"
#include "incidents/rules.h"
#include "incidents/store.h"
#include "incidents/tasks.h"
#include "incidents/taxonomy.h"
#include "incidents/views.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "sharing/tlp.h"

namespace rampart::incidents {

namespace {

using nlohmann::json;

// ---- reference data ----

// The taxonomy never changes while the server runs: its JSON is written once.
const std::string& TaxonomyJson() {
  static const std::string kText = [] {
    const Taxonomy& t = Taxonomy::Rsit();
    JsonWriter w;
    w.BeginObject()
        .KeyString("urn", t.Urn())
        .KeyString("name", t.Name())
        .KeyString("version", t.Version())
        .KeyString("source", t.Source())
        .Key("classes")
        .BeginArray();
    for (const auto& c : t.Classes()) {
      w.BeginObject()
          .KeyString("id", c.id)
          .KeyString("name", c.name)
          .KeyString("description", c.description)
          .KeyBool("data_quality", false)
          .Key("types")
          .BeginArray();
      for (const auto& type : c.types) {
        w.BeginObject()
            .KeyString("id", type.id)
            .KeyString("name", type.name)
            .KeyString("description", type.description)
            .KeyBool("data_quality", IsDataQualityClass(c.id, type.id))
            .EndObject();
      }
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
    return std::move(w).Take();
  }();
  return kText;
}

http::Response GetTaxonomy(Context&) {
  auto res = JsonText(200, TaxonomyJson());
  res.Set("Cache-Control", "private, max-age=3600");
  return res;
}

http::Response ListProfiles(Context&) {
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& p : Profiles()) WriteProfile(w, p);
  w.EndArray().KeyNull("next_cursor").EndObject();
  return JsonText(200, std::move(w).Take());
}

// ---- a case as one caller sees it ----

struct OrgName {
  std::string name;
  std::string short_name;
  std::string kind;
  std::optional<std::string> size_class;
};

std::map<std::string, OrgName> OrgNames(db::Tx& tx, const std::vector<std::string>& ids) {
  std::map<std::string, OrgName> out;
  if (ids.empty()) return out;
  std::string sql =
      "SELECT id, name, short_name, kind, size_class FROM organisations WHERE id IN (";
  db::Params params;
  for (std::size_t k = 0; k < ids.size(); ++k) {
    sql += (k ? ", $" : "$") + std::to_string(k + 1);
    params.emplace_back(ids[k]);
  }
  sql += ")";
  for (const auto& r : tx.Query(sql, params)) {
    out[r.Text(0)] = {r.Text(1), r.Text(2), r.Text(3), r.OptText(4)};
  }
  return out;
}

// What an anonymised case says instead of the organisation: "Finance operator (large)".
std::string AnonymousLabel(std::string_view sector_name, std::string_view kind,
                           const std::optional<std::string>& size) {
  std::string out = std::string(sector_name) + " " + std::string(kind);
  if (size) out += " (" + *size + ")";
  return out;
}

// The case as written for one caller: it names the case it repeats or was merged into only to
// those who can read that one too (a reporter is not told which organisation reported first).
Incident Shown(db::Tx& tx, const Principal& me, Incident i) {
  if (i.duplicate_of && StandingOn(me, PartiesOf(tx, *i.duplicate_of)).read_as.empty()) {
    i.duplicate_of.reset();
  }
  return i;
}

void WriteOrganisation(JsonWriter& w, const std::string& id, const OrgName& org, bool anonymised,
                       std::string_view sector_name) {
  w.Key("organisation").BeginObject();
  if (anonymised) {
    w.KeyNull("id").KeyNull("name").KeyNull("short_name");
  } else {
    w.KeyString("id", id).KeyString("name", org.name).KeyString("short_name", org.short_name);
  }
  w.KeyString("label",
              anonymised ? AnonymousLabel(sector_name, org.kind, org.size_class) : org.name)
      .KeyBool("anonymised", anonymised)
      .EndObject();
}

std::string JsonOfReportBody(const std::string& stored) { return stored.empty() ? "{}" : stored; }

// The whole case as the caller may see it.
std::string CaseJson(db::Tx& tx, const Context& ctx, const Case& c, Millis now) {
  const Incident& i = c.incident;
  const bool anon = c.standing.anonymised;
  const Principal& me = ctx.caller();

  std::vector<std::string> org_ids;
  for (const auto& p : c.standing.parties) org_ids.push_back(p.org_id);
  auto handovers = HandoversOf(tx, i.id);
  for (const auto& h : handovers) {
    org_ids.push_back(h.handover.from_org_id);
    org_ids.push_back(h.handover.to_org_id);
  }
  auto names = OrgNames(tx, org_ids);
  auto sector = tx.QueryOne("SELECT name FROM sectors WHERE id = $1", {i.sector_id});
  const std::string sector_name = sector ? sector->Text(0) : "";
  auto name_of = [&](const std::string& org_id) -> std::string {
    if (anon && org_id == i.organisation_id) return "Reporting organisation";
    auto it = names.find(org_id);
    return it == names.end() ? "" : it->second.name;
  };

  JsonWriter w;
  w.BeginObject();
  WriteCore(w, Shown(tx, me, i), anon, now);
  WriteOrganisation(w, i.organisation_id, names[i.organisation_id], anon, sector_name);
  w.KeyString("sector_name", sector_name);
  std::optional<std::string> assignee_name;
  if (i.assignee_id && !anon) {
    if (auto r = tx.QueryOne("SELECT display_name FROM users WHERE id = $1", {*i.assignee_id})) {
      assignee_name = r->Text(0);
    }
  }
  w.KeyOptString("assignee_name", assignee_name);

  // What the caller may do now.
  const Side side = SideOf(me, c.standing);
  w.Key("you").BeginObject().Key("relations").BeginArray();
  for (Relation r : c.standing.read_as) w.String(Name(r));
  w.EndArray()
      .KeyBool("may_report", c.standing.May(me, Action::kIncidentReport))
      .KeyBool("may_comment", c.standing.May(me, Action::kIncidentComment))
      .KeyBool("may_request", c.standing.May(me, Action::kIncidentRequest))
      .KeyBool("may_handle", c.standing.May(me, Action::kIncidentHandle))
      .KeyBool("may_forward", c.standing.May(me, Action::kIncidentForward))
      .KeyBool("may_task", c.standing.May(me, Action::kIncidentTask))
      .KeyBool("may_attach", c.standing.May(me, Action::kIncidentAttach))
      .Key("next_states")
      .BeginArray();
  if (c.standing.May(me, Action::kIncidentHandle) || c.standing.May(me, Action::kIncidentReport)) {
    for (CaseState s : NextStates(i.state, side)) w.String(Name(s));
  }
  w.EndArray().Key("comment_visibilities").BeginArray();
  for (Visibility v : c.standing.Visible()) w.String(Name(v));
  w.EndArray().EndObject();

  w.Key("clocks").BeginArray();
  for (const auto& k : ClocksOf(tx, i, now)) {
    w.BeginObject()
        .KeyString("stage", Name(k.stage))
        .KeyOptTime("due_at", k.due_at)
        .KeyOptTime("submitted_at", k.submitted_at)
        .KeyString("state", Name(k.state))
        .EndObject();
  }
  w.EndArray();

  w.Key("parties").BeginArray();
  for (const auto& p : c.standing.parties) {
    w.BeginObject()
        .KeyOptString("organisation_id", anon && p.org_id == i.organisation_id
                                             ? std::nullopt
                                             : std::optional<std::string>(p.org_id))
        .KeyString("name", name_of(p.org_id))
        .KeyString("relation", Name(p.relation))
        .EndObject();
  }
  w.EndArray();

  w.Key("handovers").BeginArray();
  for (const auto& h : handovers) {
    w.BeginObject()
        .KeyString("id", h.id)
        .KeyString("from", name_of(h.handover.from_org_id))
        .KeyOptString("from_organisation_id",
                      anon && h.handover.from_org_id == i.organisation_id
                          ? std::nullopt
                          : std::optional<std::string>(h.handover.from_org_id))
        .KeyString("to", name_of(h.handover.to_org_id))
        .KeyString("to_organisation_id", h.handover.to_org_id)
        .KeyString("mode", h.handover.mode)
        .KeyTime("created_at", h.created_at)
        .KeyOptTime("due_at", h.handover.due_at)
        .KeyOptTime("delivered_at", h.delivered_at)
        .KeyBool("anonymised", h.handover.anonymised)
        .KeyBool("overdue", !h.delivered_at && h.handover.due_at && *h.handover.due_at < now)
        .EndObject();
  }
  w.EndArray();

  w.Key("reports").BeginArray();
  for (const auto& r : ReportsOf(tx, i.id)) {
    w.BeginObject()
        .KeyString("id", r.id)
        .KeyInt("seq", r.seq)
        .KeyString("stage", Name(r.stage))
        .KeyOptTime("due_at", r.due_at)
        .KeyTime("submitted_at", r.submitted_at)
        .KeyString("on_time", Name(StateOf(r.due_at, r.submitted_at, now)))
        .KeyString("submitted_by", anon ? "Reporting organisation" : r.submitted_by_name)
        .KeyOptString("request_id", r.request_id)
        .Key("body")
        .Raw(JsonOfReportBody(r.body))
        .EndObject();
  }
  w.EndArray();

  w.Key("requests").BeginArray();
  for (const auto& q : RequestsOf(tx, i.id)) {
    w.BeginObject()
        .KeyString("id", q.id)
        .KeyString("requested_by", name_of(q.requested_by_org_id))
        .KeyString("question", q.question)
        .KeyTime("requested_at", q.requested_at)
        .KeyTime("due_at", q.due_at)
        .KeyOptTime("answered_at", q.answered_at)
        .EndObject();
  }
  w.EndArray();

  w.Key("observables").BeginArray();
  for (const auto& o : ObservablesOf(tx, i.id)) {
    auto tlp = sharing::TlpFromMarkingId(o.tlp);
    w.BeginObject()
        .KeyString("id", o.id)
        .KeyString("type", o.type)
        .KeyString("value", o.value)
        .KeyString("tlp", tlp ? sharing::Label(*tlp) : "")
        .KeyString("tlp_marking", o.tlp)
        .KeyString("pap", o.pap)
        .KeyString("note", o.note)
        .KeyTime("created_at", o.created_at)
        .EndObject();
  }
  w.EndArray();

  // Matches with other organisations' cases: for the CERTs, and only cases they can read.
  w.Key("correlations").BeginArray();
  const auto visible = c.standing.Visible();
  if (std::find(visible.begin(), visible.end(), Visibility::kCerts) != visible.end()) {
    for (const auto& k : CorrelationsOf(tx, i.id)) {
      if (StandingOn(me, PartiesOf(tx, k.other_incident_id)).read_as.empty()) continue;
      w.BeginObject()
          .KeyString("incident_id", k.other_incident_id)
          .KeyString("reference", k.other_reference)
          .KeyString("type", k.type)
          .KeyString("value", k.value)
          .KeyTime("found_at", k.found_at)
          .EndObject();
    }
  }
  w.EndArray();

  // Links to other cases: only those the caller can read too.
  w.Key("links").BeginArray();
  for (const auto& l : LinksOf(tx, i.id)) {
    Standing other = StandingOn(me, PartiesOf(tx, l.related_id));
    if (other.read_as.empty()) continue;
    w.BeginObject()
        .KeyString("incident_id", l.related_id)
        .KeyString("reference", l.related_reference)
        .KeyString("title", l.related_title)
        .KeyString("state", l.related_state)
        .KeyString("kind", l.kind)
        .KeyString("note", l.note)
        .KeyTime("created_at", l.created_at)
        .EndObject();
  }
  w.EndArray();

  WriteTasks(w, TasksForCaller(tx, me, c), now);

  w.Key("timeline").BeginArray();
  for (auto e : EventsOf(tx, i.id, c.standing.Visible())) {
    const bool hide_actor = anon && e.actor_org_id == i.organisation_id;
    // An entry about another case (a link, a merge) names it only to those who can read it.
    if (e.kind == "link" || e.kind == "merged" || e.kind == "absorbed") {
      auto data = json::parse(e.data, nullptr, false);
      if (data.is_object() && data.contains("other_id") && data["other_id"].is_string() &&
          StandingOn(me, PartiesOf(tx, data["other_id"].get<std::string>())).read_as.empty()) {
        e.text = e.kind == "link"       ? "Link to another case changed"
                 : e.kind == "merged"   ? "Merged into another case"
                                        : "Another case merged into this one";
        e.data = "{}";
      }
    }
    w.BeginObject()
        .KeyString("id", e.id)
        .KeyTime("at", e.at)
        .KeyString("kind", e.kind)
        .KeyString("visibility", Name(e.visibility))
        .KeyString("actor", hide_actor ? "Reporting organisation" : e.actor_name)
        .KeyString("actor_organisation",
                   e.actor_org_id ? name_of(*e.actor_org_id) : std::string("Rampart"))
        .KeyString("text", e.text)
        .Key("data")
        .Raw(e.data)
        .EndObject();
  }
  w.EndArray().EndObject();
  return std::move(w).Take();
}

http::Response CaseResponse(int status, db::Tx& tx, const Context& ctx, const Case& c, Millis now) {
  auto res = JsonText(status, CaseJson(tx, ctx, c, now));
  SetETag(res, c.incident.version);
  return res;
}

// The case as the caller sees it once a change is committed: rendered from a read snapshot, so
// that the single writer is not held while the page is written.
http::Response RenderCase(const Context& ctx, const std::string& id, int status, Millis now) {
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCaseById(tx, ctx, id);
    return CaseResponse(status, tx, ctx, c, now);
  });
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, const Incident& incident,
           std::optional<std::string> before, Millis now) {
  auto e =
      audit::By(ctx.principal, std::move(action), "incident", incident.id, ctx.request.request_id);
  e.before = std::move(before);
  e.after = AuditState(incident);
  audit::Append(tx, e, now);
}

Actor ActorOf(const Context& ctx) {
  const Principal& me = ctx.caller();
  return {&me, me.user_id, me.display_name, ctx.request.request_id};
}

// Saves the case after a change: clocks, version check, audit. Throws 409 when it moved on.
void Save(db::Tx& tx, const Context& ctx, std::string action, Incident& i, const Incident& before,
          Millis now) {
  RefreshNextDue(tx, i, now);
  if (!UpdateIncident(tx, i, before.version, now)) {
    throw Conflict("The case changed while you were working on it; reload it and try again.");
  }
  i.version = before.version + 1;
  i.updated_at = now;
  Audit(tx, ctx, std::move(action), i, AuditState(before), now);
}

// ---- reading the parts of a report ----

bool IsRequired(const std::vector<std::string>& required, std::string_view field) {
  return std::find(required.begin(), required.end(), field) != required.end();
}

// Impact measures and classification, which any stage from the notification on may give or
// correct. Writes what was given into `body` (the report as stored) and onto the case.
void ReadAssessment(Input& in, const std::vector<std::string>& required, Incident& i, json& body,
                    bool classification_known) {
  auto int_field = [&](std::string_view name, std::optional<std::int64_t>& target) {
    auto v =
        in.Int(name, {.required = IsRequired(required, name), .min = 0, .max = 1'000'000'000'000});
    if (v) {
      target = *v;
      body[std::string(name)] = *v;
    }
  };
  int_field("users_affected", i.impact.users_affected);
  int_field("duration_hours", i.impact.duration_hours);
  int_field("financial_loss_eur", i.impact.financial_loss_eur);
  int_field("sites_or_regions", i.impact.sites_or_regions);
  if (auto v = in.Bool("cross_border", IsRequired(required, "cross_border"))) {
    i.impact.cross_border = *v;
    body["cross_border"] = *v;
  }
  const bool need_class = IsRequired(required, "rsit_class") && !classification_known;
  auto cls = in.Text("rsit_class", {.required = need_class, .max = 64});
  auto type = in.Text("rsit_type", {.required = need_class, .max = 64});
  if (auto error = CheckClassification(cls, type)) {
    in.Fail(error->field, error->message);
  } else if (cls) {
    i.rsit_class = *cls;
    i.rsit_type = *type;
    body["rsit_class"] = *cls;
    body["rsit_type"] = *type;
  }

  if (auto v = in.Text("severity", {.one_of = {"low", "medium", "high", "critical"}})) {
    body["severity"] = *v;
  }
}

std::vector<NewObservable> ReadObservables(Input& in, std::string_view field, bool required) {
  std::vector<NewObservable> out;
  for (auto& item : in.Objects(field, 500, required)) {
    NewObservable o;
    auto type = item.Text("type", {.required = true, .max = 16});
    auto value = item.Text("value", {.required = true, .max = 2048});
    auto tlp = item.Text("tlp", {.max = 32});
    auto pap = item.Text("pap", {.max = 16});
    auto note = item.Text("note", {.max = 1000});
    auto opt = [](const std::optional<std::string>& v) -> std::optional<std::string_view> {
      if (!v) return std::nullopt;
      return std::string_view(*v);
    };
    for (auto& e : CheckObservable(opt(type), opt(value), opt(tlp), opt(pap), o)) {
      item.Fail(e.field, std::move(e.message));
    }
    if (note) o.note = *note;
    in.Absorb(item);
    out.push_back(std::move(o));
  }
  return out;
}

std::string ObservablesJson(const std::vector<NewObservable>& list) {
  json out = json::array();
  for (const auto& o : list) {
    out.push_back({{"type", o.type},
                   {"value", o.value},
                   {"tlp", std::string(sharing::Label(o.tlp))},
                   {"pap", o.pap}});
  }
  return out.dump();
}

// ---- routes ----

http::Response FileIncident(Context& ctx) {
  const auto& org_id = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  Input in(ctx.request);
  Incident i;
  i.title = in.Text("title", {.required = true, .min = 3, .max = 200}).value_or("");
  i.summary = in.Text("summary", {.max = 4000}).value_or("");
  i.aware_at = in.Time("aware_at", true).value_or(0);
  i.occurred_at = in.Time("occurred_at");
  i.suspected_malicious =
      in.Text("suspected_malicious", {.required = true, .one_of = {"yes", "no", "unknown"}})
          .value_or("unknown");
  i.may_affect_others = in.Bool("may_affect_others", true).value_or(false);
  i.affects_others_note = in.Text("affects_others_note", {.max = 2000}).value_or("");
  i.affected_services = in.TextList("affected_services", {.min = 1, .max = 200}, 50)
                            .value_or(std::vector<std::string>{});
  i.voluntary = in.Bool("voluntary").value_or(false);
  auto sector_id = in.Text("sector_id", {.uuid = true});
  auto observables = ReadObservables(in, "observables", false);
  if (i.aware_at != 0) {
    for (auto& e : CheckTimes({.aware_at = i.aware_at}, now)) in.Fail(e.field.substr(1), e.message);
  }
  if (i.occurred_at && i.aware_at != 0 && *i.occurred_at > i.aware_at) {
    in.Fail("occurred_at",
            "must not be after aware_at: an organisation becomes aware of what "
            "has already happened");
  }
  in.Done();

  const std::string id = ctx.db().Write([&](db::Tx& tx) {
    auto sectors = tx.Query(
        "SELECT sector_id FROM organisation_sectors WHERE organisation_id = $1 ORDER BY sector_id",
        {org_id});
    if (!tx.QueryOne("SELECT 1 FROM organisations WHERE id = $1", {org_id})) {
      throw NotFound("organisation");
    }
    if (sector_id) {
      bool ours = std::any_of(sectors.begin(), sectors.end(),
                              [&](const db::Row& r) { return r.Text(0) == *sector_id; });
      if (!ours) throw InvalidField("/sector_id", "is not a sector of this organisation");
      i.sector_id = *sector_id;
    } else if (sectors.size() == 1) {
      i.sector_id = sectors[0].Text(0);
    } else if (sectors.empty()) {
      throw Conflict(
          "This organisation belongs to no sector, so no regulator can receive its report; ask "
          "the platform administrator to classify it.");
    } else {
      throw InvalidField("/sector_id", "is required: this organisation is in several sectors");
    }
    i.organisation_id = org_id;
    // `i` is the draft; a retried transaction files it again from the start.
    Incident filed =
        FileCase(tx, i, ActorOf(ctx), ParseJsonBody(ctx.request).dump(), observables, now);
    const auto parties = PartiesOf(tx, filed.id);
    TellParties(tx, filed, parties, "incident.filed", "new incident report", ctx.caller().user_id,
                false, now);
    return filed.id;
  });
  return RenderCase(ctx, id, 201, now);
}

http::Response GetIncident(Context& ctx) {
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    return CaseResponse(200, tx, ctx, c, now);
  });
}

http::Response ListIncidentsRoute(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  IncidentFilter f;
  auto param = [&](std::string_view name) { return ctx.request.QueryParam(name).value_or(""); };
  f.state = param("state");
  if (!f.state.empty() && f.state != "open" && !ParseCaseState(f.state)) {
    errors.push_back({"state", "must be open or a state of a case (submitted, acknowledged, …)"});
  }
  f.severity = param("severity");
  if (!f.severity.empty() && !ParseSeverity(f.severity)) {
    errors.push_back({"severity", "must be low, medium, high or critical"});
  }
  f.sector_id = param("sector_id");
  f.organisation_id = param("organisation_id");
  f.rsit_class = param("rsit_class");
  f.query = param("q");
  if (f.query.size() > 200) errors.push_back({"q", "must be at most 200 characters"});
  for (auto [name, field] :
       {std::pair{"aware_from", &f.aware_from}, std::pair{"aware_to", &f.aware_to}}) {
    const std::string v = param(name);
    if (v.empty()) continue;
    *field = ParseRfc3339(v);
    if (!*field) errors.push_back({name, "must be an RFC 3339 time"});
  }
  const std::string overdue = param("overdue");
  if (!overdue.empty() && overdue != "true" && overdue != "false") {
    errors.push_back({"overdue", "must be true or false"});
  }
  f.overdue = overdue == "true";
  const std::string assignee = param("assignee");
  if (assignee == "me") {
    f.assignee_id = ctx.caller().user_id;
  } else if (!assignee.empty()) {
    errors.push_back({"assignee", "must be me"});
  }
  std::optional<std::string> after;
  if (page.after) {
    const json& a = *page.after;
    if (a.size() != 1 || !a[0].is_string()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after = a[0].get<std::string>();
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));

  const Millis now = NowMillis();
  const Principal& me = ctx.caller();
  return ctx.db().Read([&](db::Tx& tx) {
    auto rows = ListIncidents(tx, ReadableScopes(me), f, now, after, page.limit + 1);
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.resize(static_cast<std::size_t>(page.limit));
      next = EncodeCursor(json::array({rows.back().incident.id}));
    }
    auto parties = PartiesOfMany(tx, rows);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (std::size_t k = 0; k < rows.size(); ++k) {
      const auto& r = rows[k];
      Standing s = StandingOn(me, parties[k]);
      if (s.read_as.empty()) continue;  // the list's SQL and the policy disagree: trust the policy
      w.BeginObject();
      WriteCore(w, Shown(tx, me, r.incident), s.anonymised, now);
      WriteOrganisation(w, r.incident.organisation_id,
                        {r.organisation_name, r.organisation_short_name, r.organisation_kind,
                         r.organisation_size},
                        s.anonymised, r.sector_name);
      w.KeyString("sector_name", r.sector_name).EndObject();
    }
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response AddReport(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto stage_name = in.Text(
      "stage", {.required = true, .one_of = {"notification", "intermediate", "final", "progress"}});
  // Fields of every stage are read (so none is reported unknown); the stage decides which are
  // required, once the case's profile is known. Validation runs inside the transaction.
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentReport);
    Incident i = c.incident;
    const Incident before = c.incident;
    if (!stage_name) in.Done();
    const Stage stage = *ParseStage(*stage_name);
    const auto required = RequiredFields(ProfileOf(tx, i), stage);
    json body = json::object();
    body["stage"] = *stage_name;
    auto text = [&](std::string_view name, std::size_t max) {
      auto v = in.Text(name, {.required = IsRequired(required, name), .max = max});
      if (v) body[std::string(name)] = *v;
      return v;
    };
    text("initial_assessment", 8000);
    text("update", 8000);
    text("description", 16000);
    text("mitigations_applied", 8000);
    text("mitigations_ongoing", 8000);
    text("cross_border_impact", 4000);
    text("status", 8000);
    auto root_cause =
        in.Text("root_cause", {.required = IsRequired(required, "root_cause"),
                               .one_of = {"system_failure", "human_error", "malicious_action",
                                          "third_party_failure", "natural_phenomenon"}});
    if (root_cause) body["root_cause"] = *root_cause;
    auto request_id = in.Text("request_id", {.uuid = true});
    auto resolved_at = in.Time("resolved_at");
    auto expected_resolution =
        in.Time("expected_resolution_at", IsRequired(required, "expected_resolution_at"));
    if (expected_resolution) body["expected_resolution_at"] = FormatRfc3339(*expected_resolution);
    ReadAssessment(in, required, i, body, i.rsit_class.has_value());
    auto observables = ReadObservables(in, "observables", false);
    if (!observables.empty()) body["observables"] = json::parse(ObservablesJson(observables));

    // What the stage must not contradict.
    if (stage == Stage::kNotification && i.notification_at) {
      throw Conflict(
          "The notification was filed already; send an intermediate report to add "
          "to it or correct it.");
    }
    if (stage == Stage::kFinal && i.final_at) {
      throw Conflict(
          "The final report was filed already; send an intermediate report to "
          "correct it.");
    }
    if (request_id && stage != Stage::kIntermediate) {
      in.Fail("request_id", "answers a request only in an intermediate report");
    }
    if (resolved_at && stage != Stage::kFinal) {
      in.Fail("resolved_at", "is given with the final report");
    }
    if (resolved_at) {
      auto errors = CheckTimes({.aware_at = i.aware_at, .resolved_at = resolved_at}, now);
      for (auto& e : errors) in.Fail(e.field.substr(1), e.message);
    }
    if (stage == Stage::kProgress && !i.notification_at) {
      in.Fail("stage", "a progress report follows the notification");
    }
    in.Done();

    // The clock this report answers, as it stood.
    std::optional<Millis> due;
    for (const auto& k : ClocksOf(tx, i, now)) {
      if (k.stage == stage && !k.submitted_at) {
        due = k.due_at;
        break;
      }
    }
    if (request_id) {
      auto requests = RequestsOf(tx, i.id);
      auto it = std::find_if(requests.begin(), requests.end(),
                             [&](const ReportRequest& q) { return q.id == *request_id; });
      if (it == requests.end()) throw InvalidField("/request_id", "is not a request of this case");
      due = it->due_at;
      if (!AnswerRequest(tx, *request_id, i.id, now)) {
        throw Conflict("That request was answered already.");
      }
      body["request_id"] = *request_id;
    }

    switch (stage) {
      case Stage::kNotification:
        i.notification_at = now;
        break;
      case Stage::kFinal:
        i.final_at = now;
        if (root_cause) i.root_cause = *root_cause;
        if (!i.resolved_at) i.resolved_at = resolved_at.value_or(now);
        break;
      default:
        break;
    }
    std::optional<Severity> declared;
    if (body.contains("severity")) declared = ParseSeverity(body["severity"].get<std::string>());
    Assess(tx, i, declared);
    std::string state_note;
    if (stage == Stage::kFinal && IsOpen(i.state)) {
      i.state = CaseState::kResolved;
      state_note = "; the case is resolved";
    }

    StoredReport report;
    report.id = crypto::NewUuid();
    report.stage = stage;
    report.body = body.dump();
    report.due_at = due;
    report.submitted_at = now;
    report.submitted_by = ctx.caller().user_id;
    report.request_id = request_id;
    InsertReport(tx, i.id, report);
    std::vector<CorrelationMatch> matches;
    SaveObservables(tx, i, observables, ctx.caller().user_id, now, &matches);
    for (const auto& m : matches) TellCorrelation(tx, i, m.other_incident_id, m.type, m.value, now);

    const auto org = ActingOrg(ctx.caller(), Action::kIncidentReport, c.standing);
    const bool late = due && now > *due;
    std::string what = std::string(Name(stage));
    what[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(what[0])));
    std::replace(what.begin(), what.end(), '_', ' ');
    Record(tx, ActorOf(ctx), i, org, "report", Visibility::kAll,
           what + " report filed" + (late ? " (late)" : "") + state_note, now,
           json{{"stage", *stage_name}, {"report_id", report.id}}.dump());
    TellParties(tx, i, c.standing.parties, "incident.report_filed", what + " report filed",
                ctx.caller().user_id, false, now);
    Save(tx, ctx, "incident.report", i, before, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 201, now);
}

http::Response AddObservables(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto observables = ReadObservables(in, "observables", true);
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentReport);
    in.Done();  // after LoadCase: a case one may not see is 404 whatever the body
    Incident i = c.incident;
    const Incident before = c.incident;
    std::vector<CorrelationMatch> matches;
    int added = SaveObservables(tx, i, observables, ctx.caller().user_id, now, &matches);
    for (const auto& m : matches) TellCorrelation(tx, i, m.other_incident_id, m.type, m.value, now);
    Record(tx, ActorOf(ctx), i, ActingOrg(ctx.caller(), Action::kIncidentReport, c.standing),
           "observable", Visibility::kAll,
           std::to_string(added) + " observable" + (added == 1 ? "" : "s") + " added", now,
           json{{"added", added}}.dump());
    Save(tx, ctx, "incident.observables", i, before, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 201, now);
}

// The CERT's first word to the reporter, due within 24 hours of the early warning.
void MarkFeedback(Incident& i, const Standing& s, const Principal& p, Millis now) {
  if (!i.feedback_at && s.May(p, Action::kIncidentHandle)) i.feedback_at = now;
}

http::Response AddComment(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto text = in.Text("text", {.required = true, .min = 1, .max = 8000});
  auto visibility = in.Text("visibility", {.one_of = {"all", "authorities", "certs"}});
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentComment);
    in.Done();  // after LoadCase: a case one may not see is 404 whatever the body
    Incident i = c.incident;
    const Incident before = c.incident;
    const Visibility v = ParseVisibility(visibility.value_or("all")).value_or(Visibility::kAll);
    auto allowed = c.standing.Visible();
    if (std::find(allowed.begin(), allowed.end(), v) == allowed.end()) {
      throw InvalidField("/visibility", "is wider than you may choose: you would not read it");
    }
    if (v == Visibility::kAll) MarkFeedback(i, c.standing, ctx.caller(), now);
    Record(tx, ActorOf(ctx), i, ActingOrg(ctx.caller(), Action::kIncidentComment, c.standing),
           "comment", v, *text, now);
    {
      // Those who read the comment hear of it.
      std::vector<CaseParty> audience;
      for (const auto& p : c.standing.parties) {
        if (Reads(p.relation, v)) audience.push_back(p);
      }
      TellParties(tx, i, audience, "incident.comment", "new comment", ctx.caller().user_id, true,
                  now);
    }
    Save(tx, ctx, "incident.comment", i, before, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 201, now);
}

// The other case a duplicate, a link or a merge names, by reference or id: one the caller handles too (a
// reference is not a way to probe for cases one cannot see). 422 naming `field` otherwise.
Case OtherCase(db::Tx& tx, const Context& ctx, const std::string& ref, const std::string& self_id,
               const char* field) {
  auto id = FindIncidentIdByReference(tx, ref);
  if (!id && FindIncident(tx, ref)) id = ref;
  const std::string pointer = std::string("/") + field;
  if (!id || *id == self_id) throw InvalidField(pointer, "names no other case you handle");
  auto other = FindIncident(tx, *id);
  Standing s = StandingOn(ctx.caller(), PartiesOf(tx, *id));
  if (!other || !s.May(ctx.caller(), Action::kIncidentHandle)) {
    throw InvalidField(pointer, "names no other case you handle");
  }
  return {std::move(*other), std::move(s)};
}

http::Response Transition(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto to_name = in.Text("state", {.required = true, .max = 20});
  auto note = in.Text("note", {.max = 4000});
  auto duplicate_of = in.Text("duplicate_of", {.max = 40});
  std::optional<CaseState> to;
  if (to_name) {
    to = ParseCaseState(*to_name);
    if (!to) in.Fail("state", "is not a state of a case");
  }
  if (to == CaseState::kDuplicate && !duplicate_of) {
    in.Fail("duplicate_of", "is required: the reference of the case this one repeats");
  }
  if (duplicate_of && to != CaseState::kDuplicate) {
    in.Fail("duplicate_of", "is given only when marking a duplicate");
  }
  if (to == CaseState::kMerged) in.Fail("state", "merging is not done by a state change");
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    in.Done();  // after LoadCase: a case one may not see is 404 whatever the body
    const Principal& me = ctx.caller();
    const bool cert = c.standing.May(me, Action::kIncidentHandle);
    if (!cert && !c.standing.May(me, Action::kIncidentReport)) {
      throw Forbidden("Only the CERTs handling the case and the reporting organisation move it.");
    }
    Incident i = c.incident;
    const Incident before = c.incident;
    const Side side = cert ? Side::kCert : Side::kReporter;
    if (!MayTransition(i.state, *to, side)) {
      throw HttpError(409, "illegal-transition", "This change of state is not allowed",
                      "A case that is " + std::string(Name(i.state)) + " cannot become " +
                          std::string(Name(*to)) + " by " +
                          (cert ? "the CERT" : "the reporting organisation") + ".",
                      {{"/state", "cannot follow " + std::string(Name(i.state))}});
    }
    if (duplicate_of) {
      // The case repeated must be one the caller handles too: a reference is not a way to probe.
      Case other = OtherCase(tx, ctx, *duplicate_of, i.id, "duplicate_of");
      i.duplicate_of = other.incident.id;
      if (!AddLink(tx, i.id, other.incident.id, "repeats", "repeated_by", note.value_or(""),
                   me.user_id, now)) {
        tx.Exec("UPDATE incident_links SET kind = 'repeats' WHERE incident_id = $1 AND "
                "related_id = $2",
                {i.id, other.incident.id});
        tx.Exec("UPDATE incident_links SET kind = 'repeated_by' WHERE incident_id = $1 AND "
                "related_id = $2",
                {other.incident.id, i.id});
      }
    }
    if (before.state == CaseState::kDuplicate && before.duplicate_of) {
      // Reconsidered: no longer a repetition of the other case (a link drawn before stays).
      tx.Exec("DELETE FROM incident_links WHERE kind IN ('repeats', 'repeated_by') AND "
              "((incident_id = $1 AND related_id = $2) OR (incident_id = $2 AND related_id = $1))",
              {i.id, *before.duplicate_of});
      i.duplicate_of.reset();
    }
    i.state = *to;
    if (*to == CaseState::kResolved && !i.resolved_at) i.resolved_at = now;
    if (*to == CaseState::kInProgress && before.state == CaseState::kResolved) {
      i.resolved_at.reset();
    }
    if (*to == CaseState::kClosed) i.closed_at = now;
    if (*to == CaseState::kAcknowledged) MarkFeedback(i, c.standing, me, now);
    const auto org =
        ActingOrg(me, cert ? Action::kIncidentHandle : Action::kIncidentReport, c.standing);
    std::string text =
        "State changed from " + std::string(Name(before.state)) + " to " + std::string(Name(*to));
    if (note && !note->empty()) text += ": " + *note;
    Record(tx, ActorOf(ctx), i, org, "state", Visibility::kAll, text, now,
           json{{"from", Name(before.state)}, {"to", Name(*to)}}.dump());
    TellParties(tx, i, c.standing.parties, "incident.state_changed",
                "state changed to " + std::string(Name(*to)), me.user_id, true, now);
    Save(tx, ctx, "incident.transition", i, before, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 200, now);
}

// ---- links between cases and merges ----

http::Response LinkCase(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto ref = in.Text("incident", {.required = true, .min = 3, .max = 40});
  auto note = in.Text("note", {.max = 2000}).value_or("");
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    in.Done();
    Case other = OtherCase(tx, ctx, *ref, c.incident.id, "incident");
    if (!AddLink(tx, c.incident.id, other.incident.id, "related", "related", note,
                 ctx.caller().user_id, now)) {
      throw Conflict("These cases are linked already.");
    }
    Record(tx, ActorOf(ctx), c.incident,
           ActingOrg(ctx.caller(), Action::kIncidentHandle, c.standing), "link", Visibility::kCerts,
           "Linked to " + other.incident.reference + (note.empty() ? "" : ": " + note), now,
           json{{"other_id", other.incident.id}}.dump());
    Record(tx, ActorOf(ctx), other.incident,
           ActingOrg(ctx.caller(), Action::kIncidentHandle, other.standing), "link",
           Visibility::kCerts,
           "Linked to " + c.incident.reference + (note.empty() ? "" : ": " + note), now,
           json{{"other_id", c.incident.id}}.dump());
    auto e = audit::By(ctx.principal, "incident.link", "incident", c.incident.id,
                       ctx.request.request_id);
    e.after = json{{"related_id", other.incident.id}, {"note", note}}.dump();
    audit::Append(tx, e, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 201, now);
}

http::Response UnlinkCase(Context& ctx) {
  const Millis now = NowMillis();
  const auto& related_id = ctx.IdParam("related_id", "link");
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    // A link to a case the caller does not handle too does not exist for it.
    auto other = FindIncident(tx, related_id);
    Standing theirs = StandingOn(ctx.caller(), PartiesOf(tx, related_id));
    if (!other || !theirs.May(ctx.caller(), Action::kIncidentHandle) ||
        !RemoveRelatedLink(tx, c.incident.id, related_id)) {
      throw NotFound("link");
    }
    Record(tx, ActorOf(ctx), c.incident,
           ActingOrg(ctx.caller(), Action::kIncidentHandle, c.standing), "link", Visibility::kCerts,
           "Link to " + other->reference + " removed", now, json{{"other_id", other->id}}.dump());
    Record(tx, ActorOf(ctx), *other, ActingOrg(ctx.caller(), Action::kIncidentHandle, theirs),
           "link", Visibility::kCerts, "Link to " + c.incident.reference + " removed", now,
           json{{"other_id", c.incident.id}}.dump());
    auto e = audit::By(ctx.principal, "incident.unlink", "incident", c.incident.id,
                       ctx.request.request_id);
    e.before = json{{"related_id", related_id}}.dump();
    audit::Append(tx, e, now);
  });
  return NoContent();
}

// Merges this case into another report of the same incident, which goes on: this one ends as
// merged, its clocks stop, its reporter is told, and the CERTs find each from the other. Nothing
// of one reporter's case is copied into the other's: each organisation keeps seeing its own.
http::Response MergeCase(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto into_ref = in.Text("into", {.required = true, .min = 3, .max = 40});
  auto note = in.Text("note", {.max = 2000}).value_or("");
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    in.Done();
    Case into = OtherCase(tx, ctx, *into_ref, c.incident.id, "into");
    Incident i = c.incident;
    const Incident before = c.incident;
    if (!MayMerge(i.state, into.incident.state)) {
      throw HttpError(409, "illegal-merge", "These cases cannot be merged",
                      "A case that is " + std::string(Name(i.state)) +
                          " cannot be merged into one that is " +
                          std::string(Name(into.incident.state)) + ".",
                      {{"/into", "must be an open or resolved case, and this case still open"}});
    }
    i.state = CaseState::kMerged;
    i.duplicate_of = into.incident.id;
    AddLink(tx, i.id, into.incident.id, "merged_into", "absorbed", note, ctx.caller().user_id,
            now);
    tx.Exec("UPDATE incident_links SET kind = 'merged_into' WHERE incident_id = $1 AND "
            "related_id = $2",
            {i.id, into.incident.id});
    tx.Exec("UPDATE incident_links SET kind = 'absorbed' WHERE incident_id = $1 AND "
            "related_id = $2",
            {into.incident.id, i.id});
    const auto org = ActingOrg(ctx.caller(), Action::kIncidentHandle, c.standing);
    // The reporter reads that its report goes on elsewhere, not where: the other case may be
    // another organisation's.
    Record(tx, ActorOf(ctx), i, org, "merged", Visibility::kAll,
           "Merged: the CERT handles this report together with another report of the same "
           "incident; no further reports are due on this case",
           now, json{{"from", Name(before.state)}, {"to", "merged"}}.dump());
    Record(tx, ActorOf(ctx), i, org, "merged", Visibility::kCerts,
           "Merged into " + into.incident.reference + (note.empty() ? "" : ": " + note), now,
           json{{"other_id", into.incident.id}}.dump());
    Record(tx, ActorOf(ctx), into.incident,
           ActingOrg(ctx.caller(), Action::kIncidentHandle, into.standing), "absorbed",
           Visibility::kCerts,
           i.reference + " merged into this case" + (note.empty() ? "" : ": " + note), now,
           json{{"other_id", i.id}}.dump());
    // The case that goes on must still be as the caller saw it (not closed or merged meanwhile).
    if (tx.Exec("UPDATE incidents SET version = version + 1, updated_at = $1 "
                "WHERE id = $2 AND version = $3",
                {now, into.incident.id, into.incident.version}) != 1) {
      throw Conflict("The other case changed while you were working on it; reload it and try again.");
    }
    TellParties(tx, i, c.standing.parties, "incident.state_changed", "merged with another case",
                ctx.caller().user_id, true, now);
    Save(tx, ctx, "incident.merge", i, before, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 200, now);
}

http::Response Assign(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  const bool given = in.Has("assignee_id");
  auto assignee = in.Text("assignee_id", {.nullable = true, .uuid = true});
  if (!given) in.Fail("assignee_id", "is required (null to unassign)");
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    in.Done();  // after LoadCase: a case one may not see is 404 whatever the body
    Incident i = c.incident;
    const Incident before = c.incident;
    std::string text = "Unassigned";
    if (assignee) {
      // Only an analyst of a CERT holding the case can be given it.
      // (LoadPrincipal finds only active people.)
      auto candidate = auth::LoadPrincipal(tx, *assignee);
      if (!candidate || !c.standing.May(*candidate, Action::kIncidentHandle)) {
        throw InvalidField("/assignee_id",
                           "is not an active analyst of a CERT that holds this case");
      }
      text = "Assigned to " + candidate->display_name;
    }
    i.assignee_id = assignee;
    Record(tx, ActorOf(ctx), i, ActingOrg(ctx.caller(), Action::kIncidentHandle, c.standing),
           "assigned", Visibility::kAuthorities, text, now,
           json{{"assignee_id", assignee ? json(*assignee) : json(nullptr)}}.dump());
    Save(tx, ctx, "incident.assign", i, before, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 200, now);
}

http::Response RequestReport(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto question = in.Text("question", {.required = true, .min = 3, .max = 4000});
  auto due_at = in.Time("due_at");
  if (due_at && *due_at <= now) in.Fail("due_at", "must be in the future");
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentRequest);
    in.Done();  // after LoadCase: a case one may not see is 404 whatever the body
    Incident i = c.incident;
    const Incident before = c.incident;
    const auto org = ActingOrg(ctx.caller(), Action::kIncidentRequest, c.standing);
    ReportRequest q;
    q.id = crypto::NewUuid();
    q.incident_id = i.id;
    q.requested_by = ctx.caller().user_id;
    q.requested_by_org_id = org.value_or("");
    q.question = *question;
    q.requested_at = now;
    q.due_at = due_at.value_or(now + ProfileOf(tx, i).intermediate_within);
    InsertRequest(tx, q);
    MarkFeedback(i, c.standing, ctx.caller(), now);
    Record(tx, ActorOf(ctx), i, org, "request", Visibility::kAll,
           "Intermediate report requested: " + *question, now,
           json{{"request_id", q.id}, {"due_at", FormatRfc3339(q.due_at)}}.dump());
    TellReporter(tx, i, "incident.report_requested", "an intermediate report is requested",
                 ctx.caller().user_id, now);
    Save(tx, ctx, "incident.request", i, before, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 201, now);
}

http::Response Forward(Context& ctx) {
  const Millis now = NowMillis();
  const auto& handover_id = ctx.IdParam("handover_id", "hand-over");
  Input in(ctx.request);
  auto anonymised = in.Bool("anonymised").value_or(false);
  auto note = in.Text("note", {.max = 2000}).value_or("");
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    in.Done();  // after LoadCase: a case one may not see is 404 whatever the body
    auto h = FindHandover(tx, handover_id);
    if (!h || h->incident_id != c.incident.id) throw NotFound("hand-over");
    // Only the regulator the hand-over waits at forwards it.
    std::vector<CaseParty> sender;
    for (const auto& p : c.standing.parties) {
      if (p.org_id == h->handover.from_org_id) sender.push_back(p);
    }
    if (Decide(&ctx.caller(), Action::kIncidentForward, {.parties = &sender}) != Decision::kAllow) {
      throw Forbidden("Only the regulator this report waits at forwards it.");
    }
    if (!DeliverHandover(tx, handover_id, ctx.caller().user_id, anonymised, note, now)) {
      throw Conflict("This report was forwarded already.");
    }
    Incident i = c.incident;
    const Incident before = c.incident;
    // Forwarded in full, the national CERT holds the case in full even if it held it anonymised.
    Relation relation = anonymised ? Relation::kNationalCertAnonymised : Relation::kNationalCert;
    for (const auto& p : c.standing.parties) {
      if (p.org_id == h->handover.to_org_id && p.relation == Relation::kNationalCert) {
        relation = Relation::kNationalCert;
      }
    }
    SetParty(tx, i.id, {h->handover.to_org_id, relation}, now);
    const bool late = h->handover.due_at && now > *h->handover.due_at;
    Record(tx, ActorOf(ctx), i, h->handover.from_org_id, "handover", Visibility::kAuthorities,
           std::string("Forwarded to the national CERT") + (anonymised ? " anonymised" : "") +
               (late ? " (late)" : "") + (note.empty() ? "" : ": " + note),
           now, json{{"handover_id", handover_id}, {"anonymised", anonymised}}.dump());
    TellParties(tx, i, {{h->handover.to_org_id, relation}}, "incident.forwarded",
                "report forwarded by the regulator", ctx.caller().user_id, false, now);
    Save(tx, ctx, "incident.forward", i, before, now);
  });
  return RenderCase(ctx, ctx.IdParam("id", "incident"), 200, now);
}

// The regulator's inbox: reports waiting to be forwarded, the soonest due first.
http::Response ForwardingInbox(Context& ctx) {
  const Millis now = NowMillis();
  const Principal& me = ctx.caller();
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& m : me.memberships) {
      std::vector<CaseParty> as_regulator = {{m.org_id, Relation::kRegulator}};
      if (Decide(&me, Action::kIncidentForward, {.parties = &as_regulator}) != Decision::kAllow) {
        continue;
      }
      for (const auto& p : PendingFrom(tx, m.org_id, 500)) {
        const auto& h = p.handover;
        w.BeginObject()
            .KeyString("handover_id", h.id)
            .KeyString("incident_id", h.incident_id)
            .KeyString("reference", p.reference)
            .KeyString("title", p.title)
            .KeyString("sector_name", p.sector_name)
            .KeyString("organisation_name", p.organisation_name)
            .KeyOptString("severity", p.severity)
            .KeyString("state", p.state)
            .KeyString("from_organisation_id", h.handover.from_org_id)
            .KeyString("to_organisation_id", h.handover.to_org_id)
            .KeyString("mode", h.handover.mode)
            .KeyTime("received_at", h.created_at)
            .KeyOptTime("due_at", h.handover.due_at)
            .KeyOptInt("remaining_minutes",
                       h.handover.due_at
                           ? std::optional<std::int64_t>((*h.handover.due_at - now) / 60'000)
                           : std::nullopt)
            .KeyBool("overdue", h.handover.due_at && *h.handover.due_at < now)
            .EndObject();
      }
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

void WriteFigures(JsonWriter& w, const ComplianceFigures& f) {
  auto opt = [&](std::string_view key, const std::optional<double>& v) {
    w.Key(key);
    if (v) {
      // Two decimals are all anyone reads; the writer has no floating point of its own.
      w.Raw(nlohmann::json(std::round(*v * 100) / 100).dump());
    } else {
      w.Null();
    }
  };
  w.BeginObject()
      .KeyString("id", f.id)
      .KeyString("name", f.name)
      .KeyInt("incidents", f.incidents)
      .KeyInt("stages_due", f.stages_due)
      .KeyInt("stages_on_time", f.stages_on_time);
  opt("on_time_share", f.on_time_share);
  opt("median_hours_to_early_warning", f.median_hours_to_early_warning);
  opt("median_days_to_final", f.median_days_to_final);
  w.KeyInt("overdue_now", f.overdue_now).EndObject();
}

// Reporting compliance over the cases the caller holds: per organisation (those it sees by name),
// per sector and in all, for a period of awareness (the last year by default).
http::Response GetCompliance(Context& ctx) {
  const Millis now = NowMillis();
  std::vector<FieldError> errors;
  auto time_param = [&](std::string_view name, Millis fallback) {
    auto v = ctx.request.QueryParam(name);
    if (!v || v->empty()) return fallback;
    auto t = ParseRfc3339(*v);
    if (!t) {
      errors.push_back({std::string(name), "must be an RFC 3339 time"});
      return fallback;
    }
    return *t;
  };
  const Millis from = time_param("from", now - 365 * kDay);
  const Millis to = time_param("to", now + 1);
  if (errors.empty() && from >= to) errors.push_back({"from", "must be before to"});
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  const Principal& me = ctx.caller();
  return ctx.db().Read([&](db::Tx& tx) {
    auto cases = ComplianceCases(tx, ReadableScopes(me), from, to);
    for (auto& c : cases) c.profile = &ProfileById(tx, c.profile_id);
    auto figures = ComputeCompliance(cases, now);
    JsonWriter w;
    w.BeginObject().KeyTime("from", from).KeyTime("to", to).Key("organisations").BeginArray();
    for (const auto& f : figures.organisations) WriteFigures(w, f);
    w.EndArray().Key("sectors").BeginArray();
    for (const auto& f : figures.sectors) WriteFigures(w, f);
    w.EndArray().Key("total");
    WriteFigures(w, figures.total);
    w.EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// ---- law-enforcement requests ----

struct Disclosure {
  std::string id;
  std::string cert_org_id;
  std::string authority;
  std::string legal_basis;
  std::string scope;
  std::string state;
  std::string recorded_by_name;
  Millis recorded_at = 0;
  std::optional<Millis> released_at;
  std::optional<std::string> released_by_name;
  std::vector<DisclosureDecision> decisions;
  std::vector<std::pair<std::string, Millis>> decided;  // display name, time: same order
  std::vector<std::string> reasons;
};

std::vector<Disclosure> DisclosuresOf(db::Tx& tx, std::string_view incident_id,
                                      std::optional<std::string_view> only = std::nullopt) {
  std::vector<Disclosure> out;
  std::string sql =
      "SELECT d.id, d.cert_org_id, d.authority, d.legal_basis, d.scope, d.state, u.display_name, "
      "d.recorded_at, d.released_at, r.display_name FROM disclosure_requests d "
      "JOIN users u ON u.id = d.recorded_by LEFT JOIN users r ON r.id = d.released_by "
      "WHERE d.incident_id = $1";
  db::Params params = {incident_id};
  if (only) {
    sql += " AND d.id = $2";
    params.emplace_back(*only);
  }
  sql += " ORDER BY d.recorded_at, d.id";
  for (const auto& r : tx.Query(sql, params)) {
    Disclosure d{r.Text(0), r.Text(1),   r.Text(2),    r.Text(3), r.Text(4), r.Text(5), r.Text(6),
                 r.Int(7),  r.OptInt(8), r.OptText(9), {},        {},        {}};
    for (const auto& k :
         tx.Query("SELECT c.user_id, c.decision, u.display_name, c.at, c.reason FROM "
                  "disclosure_decisions c JOIN users u ON u.id = c.user_id WHERE c.request_id = $1 "
                  "ORDER BY c.at, c.user_id",
                  {d.id})) {
      d.decisions.push_back({k.Text(0), k.Text(1) == "approve"});
      d.decided.emplace_back(k.Text(2), k.Int(3));
      d.reasons.push_back(k.Text(4));
    }
    out.push_back(std::move(d));
  }
  return out;
}

void Write(JsonWriter& w, const Disclosure& d) {
  w.BeginObject()
      .KeyString("id", d.id)
      .KeyString("authority", d.authority)
      .KeyString("legal_basis", d.legal_basis)
      .KeyString("scope", d.scope)
      .KeyString("state", d.state)
      .KeyString("recorded_by", d.recorded_by_name)
      .KeyTime("recorded_at", d.recorded_at)
      .KeyOptTime("released_at", d.released_at)
      .KeyOptString("released_by", d.released_by_name)
      .KeyInt("approvals_needed", kDisclosureApprovals)
      .Key("decisions")
      .BeginArray();
  for (std::size_t k = 0; k < d.decisions.size(); ++k) {
    w.BeginObject()
        .KeyString("by", d.decided[k].first)
        .KeyString("decision", d.decisions[k].approve ? "approve" : "refuse")
        .KeyString("reason", d.reasons[k])
        .KeyTime("at", d.decided[k].second)
        .EndObject();
  }
  w.EndArray().EndObject();
}

std::string DisclosureJson(const Disclosure& d) {
  JsonWriter w;
  Write(w, d);
  return std::move(w).Take();
}

// Only the CERT a request was recorded at decides on it and releases it.
void RequireCertOf(const Context& ctx, const Case& c, const std::string& cert_org_id) {
  std::vector<CaseParty> cert;
  for (const auto& p : c.standing.parties) {
    if (p.org_id == cert_org_id) cert.push_back(p);
  }
  if (Decide(ctx.principal, Action::kIncidentHandle, {.parties = &cert}) != Decision::kAllow) {
    throw Forbidden("Only analysts of the CERT that recorded the request decide on it.");
  }
}

void AuditDisclosure(db::Tx& tx, const Context& ctx, std::string action,
                     std::optional<std::string> before, const Disclosure& after, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), "disclosure_request", after.id,
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = DisclosureJson(after);
  audit::Append(tx, e, now);
}

http::Response ListDisclosures(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& d : DisclosuresOf(tx, c.incident.id)) Write(w, d);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response RecordDisclosure(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto authority = in.Text("authority", {.required = true, .min = 3, .max = 300});
  auto legal_basis = in.Text("legal_basis", {.required = true, .min = 3, .max = 1000});
  auto scope = in.Text("scope", {.required = true, .min = 3, .max = 4000});
  auto out = ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    in.Done();
    const auto org = ActingOrg(ctx.caller(), Action::kIncidentHandle, c.standing);
    const std::string id = crypto::NewUuid();
    tx.Exec(
        "INSERT INTO disclosure_requests (id, incident_id, cert_org_id, authority, legal_basis, "
        "scope, state, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, 'pending', $7, "
        "$8)",
        {id, c.incident.id, *org, *authority, *legal_basis, *scope, ctx.caller().user_id, now});
    Record(tx, ActorOf(ctx), c.incident, org, "disclosure", Visibility::kCerts,
           "Law-enforcement request recorded: " + *authority + " (" + *legal_basis + ")", now,
           json{{"request_id", id}}.dump());
    auto d = DisclosuresOf(tx, c.incident.id, id).front();
    AuditDisclosure(tx, ctx, "disclosure.record", std::nullopt, d, now);
    return DisclosureJson(d);
  });
  return JsonText(201, std::move(out));
}

http::Response DecideDisclosure(Context& ctx) {
  const Millis now = NowMillis();
  const auto& request_id = ctx.IdParam("request_id", "request");
  Input in(ctx.request);
  auto decision = in.Text("decision", {.required = true, .one_of = {"approve", "refuse"}});
  auto reason = in.Text("reason", {.max = 2000}).value_or("");
  if (decision == "refuse" && reason.empty()) in.Fail("reason", "is required to refuse");
  auto out = ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    auto found = DisclosuresOf(tx, c.incident.id, request_id);
    if (found.empty()) throw NotFound("request");
    in.Done();
    const Disclosure before = found.front();
    RequireCertOf(ctx, c, before.cert_org_id);
    if (before.state != "pending") {
      throw Conflict("This request is " + before.state + " already.");
    }
    for (const auto& d : before.decisions) {
      if (d.user_id == ctx.caller().user_id) {
        throw Conflict("You decided on this request already: a second person must.");
      }
    }
    tx.Exec(
        "INSERT INTO disclosure_decisions (request_id, user_id, decision, reason, at) "
        "VALUES ($1, $2, $3, $4, $5)",
        {request_id, ctx.caller().user_id, *decision, reason, now});
    auto decisions = before.decisions;
    decisions.push_back({ctx.caller().user_id, *decision == "approve"});
    const auto state = StateOfDisclosure(decisions);
    tx.Exec("UPDATE disclosure_requests SET state = $1, version = version + 1 WHERE id = $2",
            {std::string(Name(state)), request_id});
    Record(tx, ActorOf(ctx), c.incident, before.cert_org_id, "disclosure", Visibility::kCerts,
           std::string(*decision == "approve" ? "Approved" : "Refused") +
               " the law-enforcement request of " + before.authority +
               (state == DisclosureState::kApproved ? "; it may now be released" : ""),
           now, json{{"request_id", request_id}}.dump());
    auto after = DisclosuresOf(tx, c.incident.id, request_id).front();
    AuditDisclosure(tx, ctx, "disclosure.decide", DisclosureJson(before), after, now);
    return DisclosureJson(after);
  });
  return JsonText(200, std::move(out));
}

// Releases an approved request: the case as the CERT holds it, once, logged.
http::Response ReleaseDisclosure(Context& ctx) {
  const Millis now = NowMillis();
  const auto& request_id = ctx.IdParam("request_id", "request");
  return ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    auto found = DisclosuresOf(tx, c.incident.id, request_id);
    if (found.empty()) throw NotFound("request");
    const Disclosure before = found.front();
    RequireCertOf(ctx, c, before.cert_org_id);
    if (before.state != "approved") {
      throw Conflict(
          "Nothing is released before two people of the CERT approve it; this "
          "request is " +
          before.state + ".");
    }
    tx.Exec(
        "UPDATE disclosure_requests SET state = 'released', released_by = $1, "
        "released_at = $2, version = version + 1 WHERE id = $3 AND state = 'approved'",
        {ctx.caller().user_id, now, request_id});
    Record(tx, ActorOf(ctx), c.incident, before.cert_org_id, "disclosure", Visibility::kCerts,
           "Released to " + before.authority + " under " + before.legal_basis, now,
           json{{"request_id", request_id}}.dump());
    auto after = DisclosuresOf(tx, c.incident.id, request_id).front();
    AuditDisclosure(tx, ctx, "disclosure.release", DisclosureJson(before), after, now);
    JsonWriter w;
    w.BeginObject().Key("request");
    Write(w, after);
    w.Key("case").Raw(CaseJson(tx, ctx, c, now)).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// A reporting profile by id: a built-in one or a version of a sector's own (cases name the version
// they were filed under).
http::Response GetProfile(Context& ctx) {
  const std::string id(ctx.Param("profile_id"));
  return ctx.db().Read([&](db::Tx& tx) {
    const ReportingProfile& p = ProfileById(tx, id);
    if (p.id != id) throw NotFound("reporting profile");
    JsonWriter w;
    WriteProfile(w, p);
    auto res = JsonText(200, std::move(w).Take());
    res.Set("Cache-Control", "private, max-age=3600");  // a version never changes
    return res;
  });
}

// The profile a sector's new cases are filed under, beside the national default it must stay
// within.
http::Response GetSectorProfile(Context& ctx) {
  const auto& sector_id = ctx.IdParam("id", "sector");
  return ctx.db().Read([&](db::Tx& tx) {
    auto row = tx.QueryOne("SELECT reporting_profile FROM sectors WHERE id = $1", {sector_id});
    if (!row) throw NotFound("sector");
    const ReportingProfile& p = ProfileById(tx, ProfileOfSector(tx, sector_id));
    auto base = tx.QueryOne(
        "SELECT base_id, version, created_at, created_by FROM reporting_profiles WHERE id = $1",
        {p.id});
    JsonWriter w;
    w.BeginObject().KeyString("sector_id", sector_id).Key("profile");
    WriteProfile(w, p);
    w.KeyString("base_id", base ? base->Text(0) : p.id)
        .KeyBool("own", base.has_value())
        .KeyOptInt("version", base ? std::optional(base->Int(1)) : std::nullopt)
        .Key("law");
    WriteProfile(w, Nis2Default());
    w.Key("may_add_fields").BeginObject();
    for (Stage s : kAllStages) {
      w.Key(Name(s)).BeginArray();
      for (const auto& f : OptionalFields(s)) w.String(f);
      w.EndArray();
    }
    w.EndObject().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// Reads a sector's own adjustments onto `p` (a copy of the base profile). Returns whether any
// adjustment was given.
bool ReadAdjustments(Input& in, ReportingProfile& p) {
  bool any = false;
  auto duration = [&](std::string_view name, Millis& target, Millis unit, std::int64_t max) {
    if (auto v = in.Int(name, {.min = 1, .max = max})) {
      target = *v * unit;
      any = true;
    }
  };
  duration("early_warning_within_hours", p.early_warning_within, kHour, 24 * 365);
  duration("notification_within_hours", p.notification_within, kHour, 24 * 365);
  duration("final_within_days", p.final_within, kDay, 365);
  duration("intermediate_within_hours", p.intermediate_within, kHour, 24 * 365);
  if (auto name = in.Text("name", {.min = 3, .max = 120})) {
    p.name = *name;
    any = true;
  }
  auto severity = [&](std::string_view name, Severity& target) {
    if (auto v = in.Text(name, {.one_of = {"low", "medium", "high", "critical"}})) {
      target = *ParseSeverity(*v);
      any = true;
    }
  };
  severity("significant_from", p.significant_from);
  severity("cross_border_at_least", p.cross_border_at_least);
  if (auto t = in.Object("thresholds")) {
    any = true;
    auto measure = [&](std::string_view name, Thresholds& target) {
      if (auto m = t->Object(name)) {
        for (auto [level, slot] : {std::pair{"medium", &target.medium},
                                   std::pair{"high", &target.high},
                                   std::pair{"critical", &target.critical}}) {
          // Null removes a level (which the law check then refuses where the law has one).
          if (m->Has(level) && m->IsNull(level)) {
            *slot = std::nullopt;
            m->Int(level, {.nullable = true});
          } else if (auto v = m->Int(level, {.min = 0, .max = 1'000'000'000'000})) {
            *slot = *v;
          }
        }
        t->Absorb(*m);
      }
    };
    measure("users_affected", p.users_affected);
    measure("duration_hours", p.duration_hours);
    measure("financial_loss_eur", p.financial_loss_eur);
    measure("sites_or_regions", p.sites_or_regions);
    in.Absorb(*t);
  }
  if (auto a = in.Object("also_required")) {
    any = true;
    p.also_required.clear();
    for (Stage s : kAllStages) {
      if (auto fields = a->TextList(Name(s), {.max = 64}, 20)) {
        for (const auto& f : *fields) p.also_required.emplace_back(s, f);
      }
    }
    in.Absorb(*a);
  }
  return any;
}

// The sector's regulator chooses the profile its new cases are filed under: a built-in one as it
// is, or adjusted within the national law's bounds (a new version of the sector's own profile).
// Cases filed already keep theirs.
http::Response SetSectorProfile(Context& ctx) {
  const auto& sector_id = ctx.IdParam("id", "sector");
  if (Decide(ctx.principal, Action::kSectorProfileWrite, {.sector_id = sector_id}) !=
      Decision::kAllow) {
    throw Forbidden("Only the head of a regulator of this sector chooses how it reports.");
  }
  Input in(ctx.request);
  auto base_id = in.Text("profile_id", {.required = true, .max = 64});
  const ReportingProfile* base = base_id ? FindProfile(*base_id) : nullptr;
  if (base_id && base == nullptr) {
    in.Fail("profile_id", "is not a built-in reporting profile (see /api/v1/reporting-profiles)");
  }
  ReportingProfile adjusted = base != nullptr ? *base : Nis2Default();
  const bool own = ReadAdjustments(in, adjusted);
  if (own) {
    for (auto& e : CheckWithinLaw(adjusted)) in.Fail(e.field.substr(1), e.message);
  }
  in.Done();
  const Millis now = NowMillis();
  std::string profile_id = base->id;
  ctx.db().Write([&](db::Tx& tx) {
    auto before = tx.QueryOne("SELECT reporting_profile, name FROM sectors WHERE id = $1", {sector_id});
    if (!before) throw NotFound("sector");
    if (own) {
      if (adjusted.name == base->name) adjusted.name = before->Text(1) + " (" + base->name + ")";
      profile_id = SaveSectorProfile(tx, sector_id, base->id, adjusted, ctx.caller().user_id, now).id;
    } else {
      tx.Exec(
          "UPDATE sectors SET reporting_profile = $1, version = version + 1, updated_at = $2 "
          "WHERE id = $3",
          {profile_id, now, sector_id});
    }
    auto e =
        audit::By(ctx.principal, "sector.profile", "sector", sector_id, ctx.request.request_id);
    e.before = json{{"reporting_profile", before->Text(0)}}.dump();
    e.after = json{{"reporting_profile", profile_id}}.dump();
    audit::Append(tx, e, now);
  });
  return Json(200, {{"sector_id", sector_id}, {"reporting_profile", profile_id}});
}

}  // namespace

void AddRoutes(Router& r) {
  r.Add({"GET", "/api/v1/taxonomies/rsit", Action::kReferenceRead, "", GetTaxonomy, kNoBody});
  r.Add({"GET", "/api/v1/reporting-profiles", Action::kReferenceRead, "", ListProfiles, kNoBody});
  r.Add({"GET", "/api/v1/reporting-profiles/{profile_id}", Action::kReferenceRead, "", GetProfile,
         kNoBody});
  r.Add({"GET", "/api/v1/sectors/{id}/reporting-profile", Action::kDirectoryRead, "",
         GetSectorProfile, kNoBody});
  r.Add({"PUT", "/api/v1/sectors/{id}/reporting-profile", Action::kSectorProfileWrite, "",
         SetSectorProfile, 16 * 1024});
  r.Add({"POST", "/api/v1/organisations/{id}/incidents", Action::kIncidentFile, "id", FileIncident,
         256 * 1024});
  r.Add({"GET", "/api/v1/incidents", Action::kIncidentRead, "", ListIncidentsRoute, kNoBody});
  r.Add({"GET", "/api/v1/incidents/compliance", Action::kIncidentRead, "", GetCompliance, kNoBody});
  r.Add({"GET", "/api/v1/incidents/forwarding", Action::kIncidentForward, "", ForwardingInbox,
         kNoBody});
  r.Add({"GET", "/api/v1/incidents/{id}", Action::kIncidentRead, "", GetIncident, kNoBody});
  r.Add({"POST", "/api/v1/incidents/{id}/reports", Action::kIncidentReport, "", AddReport,
         512 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/observables", Action::kIncidentReport, "", AddObservables,
         512 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/comments", Action::kIncidentComment, "", AddComment,
         64 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/transitions", Action::kIncidentHandle, "", Transition,
         16 * 1024});
  r.Add(
      {"POST", "/api/v1/incidents/{id}/assignment", Action::kIncidentHandle, "", Assign, 4 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/links", Action::kIncidentHandle, "", LinkCase, 8 * 1024});
  r.Add({"DELETE", "/api/v1/incidents/{id}/links/{related_id}", Action::kIncidentHandle, "",
         UnlinkCase, kNoBody});
  r.Add({"POST", "/api/v1/incidents/{id}/merge", Action::kIncidentHandle, "", MergeCase,
         8 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/requests", Action::kIncidentRequest, "", RequestReport,
         16 * 1024});
  r.Add({"GET", "/api/v1/incidents/{id}/disclosures", Action::kIncidentHandle, "", ListDisclosures,
         kNoBody});
  r.Add({"POST", "/api/v1/incidents/{id}/disclosures", Action::kIncidentHandle, "",
         RecordDisclosure, 16 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/disclosures/{request_id}/decisions",
         Action::kIncidentHandle, "", DecideDisclosure, 8 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/disclosures/{request_id}/release", Action::kIncidentHandle,
         "", ReleaseDisclosure, kNoBody});
  r.Add({"POST", "/api/v1/incidents/{id}/handovers/{handover_id}/forward", Action::kIncidentForward,
         "", Forward, 8 * 1024});
  AddTaskRoutes(r);
}

}  // namespace rampart::incidents
