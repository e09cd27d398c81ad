// The HTTP handlers of requests for assistance (see assistance.h). Like the case handlers, every
// route on one request loads it through LoadRequest, so a request the caller holds no part in is
// 404 whatever the body; writes run in one transaction with their timeline entry, notifications
// and audit entry, and answer with the request rendered from a read snapshot after commit.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "incidents/assistance.h"
#include "incidents/cases.h"
#include "incidents/store.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/notify.h"

namespace rampart::incidents {

namespace {

using nlohmann::json;

const RoleSet kRequesterRoles = RoleSet::Of({Role::kCiso, Role::kReporter});
const RoleSet kAnalystRoles = RoleSet::Of({Role::kAnalyst});

// ---- who stands where ----

struct Loaded {
  AssistanceRequest request;
  std::vector<CaseParty> parties;
  Side side = Side::kReporter;  // the side the caller reads and writes from

  [[nodiscard]] bool May(const Principal& p, Action action) const {
    return Decide(&p, action, {.parties = &parties}) == Decision::kAllow;
  }
};

// The request the caller may read, or 404; with `action`, 403 unless the caller may perform it.
Loaded LoadRequest(db::Tx& tx, const Context& ctx, const std::string& id,
                   std::optional<Action> action = std::nullopt) {
  auto found = FindAssistance(tx, id);
  if (!found) throw NotFound("assistance request");
  Loaded l{std::move(*found), {}, Side::kReporter};
  l.parties = PartiesOf(l.request);
  const Principal& me = ctx.caller();
  if (!l.May(me, Action::kAssistanceRead)) throw NotFound("assistance request");
  if (action && !l.May(me, *action)) {
    throw Forbidden("Your organisation's part in this request does not let you do this.");
  }
  l.side = l.May(me, Action::kAssistanceHandle) ? Side::kCert : Side::kReporter;
  return l;
}

const std::string& RequestId(const Context& ctx) { return ctx.IdParam("id", "assistance request"); }

// The organisation the caller acts for on this side of the request.
std::string ActingOrg(const Loaded& l) {
  return l.side == Side::kCert ? l.request.cert_org_id : l.request.asking_org_id;
}

std::string_view SideName(Side side) { return side == Side::kCert ? "cert" : "requester"; }

// An If-Match, when sent, must name the version the change is based on.
void CheckIfMatch(const Context& ctx, const AssistanceRequest& r) {
  if (ctx.request.Find("If-Match") && RequiredIfMatch(ctx.request) != r.version) {
    throw PreconditionFailed();
  }
}

// ---- rendering ----

struct OrgNames {
  std::string name;
  std::string short_name;
};

OrgNames OrgNamed(db::Tx& tx, const std::string& id) {
  auto r = tx.QueryOne("SELECT name, short_name FROM organisations WHERE id = $1", {id});
  return r ? OrgNames{r->Text(0), r->Text(1)} : OrgNames{};
}

std::optional<std::string> UserName(db::Tx& tx, const std::optional<std::string>& id) {
  if (!id) return std::nullopt;
  auto r = tx.QueryOne("SELECT display_name FROM users WHERE id = $1", {*id});
  if (!r) return std::nullopt;
  return r->Text(0);
}

std::string RequestJson(db::Tx& tx, const Context& ctx, const Loaded& l, Millis now) {
  const AssistanceRequest& a = l.request;
  const Principal& me = ctx.caller();
  const bool cert = l.side == Side::kCert;
  const OrgNames asking = OrgNamed(tx, a.asking_org_id);
  const OrgNames certorg = OrgNamed(tx, a.cert_org_id);

  JsonWriter w;
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("reference", a.reference)
      .KeyString("kind", Name(a.kind))
      .KeyString("urgency", Name(a.urgency))
      .KeyString("title", a.title)
      .KeyString("description", a.description)
      .KeyString("contact", a.contact)
      .KeyString("state", Name(a.state))
      .KeyString("state_reason", a.state_reason)
      .Key("asking_organisation")
      .BeginObject()
      .KeyString("id", a.asking_org_id)
      .KeyString("name", asking.name)
      .KeyString("short_name", asking.short_name)
      .EndObject()
      .Key("cert")
      .BeginObject()
      .KeyString("id", a.cert_org_id)
      .KeyString("name", certorg.name)
      .KeyString("short_name", certorg.short_name)
      .KeyString("relation", Name(a.cert_relation))
      .EndObject()
      .Key("incident");
  std::optional<Incident> incident;
  if (a.incident_id) incident = FindIncident(tx, *a.incident_id);
  if (incident) {
    w.BeginObject()
        .KeyString("id", incident->id)
        .KeyString("reference", incident->reference)
        .KeyString("title", incident->title)
        .KeyString("state", Name(incident->state))
        .EndObject();
  } else {
    w.Null();
  }
  // Who at the CERT handles it is the CERT's business.
  w.KeyOptString("requested_by", UserName(tx, a.requested_by))
      .KeyOptString("assignee_id", cert ? a.assignee_id : std::nullopt)
      .KeyOptString("assignee_name", cert ? UserName(tx, a.assignee_id) : std::nullopt)
      .KeyTime("respond_by", a.respond_by)
      .KeyOptTime("responded_at", a.responded_at)
      .KeyBool("response_overdue", ResponseOverdue(a, now))
      .KeyOptTime("resolved_at", a.resolved_at)
      .KeyOptTime("closed_at", a.closed_at)
      .KeyTime("created_at", a.created_at)
      .KeyTime("updated_at", a.updated_at)
      .KeyInt("version", a.version);

  const bool may_write = l.May(me, Action::kAssistanceWrite);
  const bool may_handle = l.May(me, Action::kAssistanceHandle);
  w.Key("you")
      .BeginObject()
      .KeyString("side", SideName(l.side))
      .KeyBool("may_write", may_write && (IsOpen(a.state) || a.state == AssistanceState::kResolved))
      .KeyBool("may_note", may_handle)
      .KeyBool("may_handle", may_handle)
      .Key("next_states")
      .BeginArray();
  if (may_write) {
    for (AssistanceState s : NextAssistanceStates(a.state, l.side)) w.String(Name(s));
  }
  w.EndArray().EndObject();

  const auto events = AssistanceEventsOf(tx, a.id, cert);
  auto org_name = [&](const std::optional<std::string>& id) -> std::string {
    if (!id) return "Rampart";
    if (*id == a.asking_org_id) return asking.name;
    if (*id == a.cert_org_id) return certorg.name;
    return "";
  };
  auto write_event = [&](const AssistanceEvent& e) {
    w.BeginObject()
        .KeyString("id", e.id)
        .KeyTime("at", e.at)
        .KeyString("kind", e.kind)
        .KeyString("side", e.side)
        .KeyBool("internal", e.internal)
        .KeyString("actor", e.actor_name)
        .KeyString("actor_organisation", org_name(e.actor_org_id))
        .KeyString("text", e.text)
        .Key("data")
        .Raw(e.data)
        .EndObject();
  };
  w.Key("messages").BeginArray();
  for (const auto& e : events) {
    if (e.kind == "message" || e.kind == "note") write_event(e);
  }
  w.EndArray().Key("timeline").BeginArray();
  for (const auto& e : events) write_event(e);
  w.EndArray().EndObject();
  return std::move(w).Take();
}

http::Response RenderRequest(const Context& ctx, const std::string& id, int status, Millis now) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadRequest(tx, ctx, id);
    auto res = JsonText(status, RequestJson(tx, ctx, l, now));
    SetETag(res, l.request.version);
    return res;
  });
}

// ---- writing ----

void Audit(db::Tx& tx, const Context& ctx, std::string action, const AssistanceRequest& after,
           std::optional<std::string> before, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), "assistance_request", after.id,
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = AuditState(after);
  audit::Append(tx, e, now);
}

// Saves the handled request: version check and audit. Throws 409 when it moved on meanwhile.
void Save(db::Tx& tx, const Context& ctx, std::string action, AssistanceRequest& a,
          const AssistanceRequest& before, Millis now) {
  if (!UpdateAssistance(tx, a, before.version, now)) {
    throw Conflict("The request changed while you were working on it; reload it and try again.");
  }
  a.version = before.version + 1;
  a.updated_at = now;
  Audit(tx, ctx, std::move(action), a, AuditState(before), now);
}

void Record(db::Tx& tx, const Context& ctx, const Loaded& l, std::string kind, bool internal,
            std::string text, Millis now, std::string data = "{}") {
  const Principal& me = ctx.caller();
  InsertAssistanceEvent(tx, {crypto::NewUuid(), l.request.id, now, me.user_id, me.display_name,
                             ActingOrg(l), std::string(SideName(l.side)), std::move(kind), internal,
                             std::move(text), std::move(data)});
}

// Tells the other side than `from`'s: the CERT's analysts, or the asking organisation's CISO and
// reporters. What leaves by e-mail names the request by its reference and kind only.
void TellOtherSide(db::Tx& tx, const AssistanceRequest& a, Side from, std::string_view type,
                   std::string_view what, const std::string& actor_id, Millis now) {
  notify::Event e;
  e.type = std::string(type);
  e.actor_id = actor_id;
  e.subject = a.reference + ": " + std::string(what);
  std::string kind(Name(a.kind));
  std::replace(kind.begin(), kind.end(), '_', ' ');
  e.text = std::string(what) + "\n\nRequest for assistance " + a.reference + " (" + kind +
           "). Open it in Rampart to read it.";
  e.link = "/assistance/" + a.id;
  e.payload = json{{"assistance_request_id", a.id}, {"reference", a.reference},
                   {"kind", Name(a.kind)},          {"urgency", Name(a.urgency)},
                   {"state", Name(a.state)},        {"event", std::string(what)}}
                  .dump();
  if (from == Side::kCert) {
    e.org_id = a.asking_org_id;
    e.roles = kRequesterRoles;
  } else {
    e.org_id = a.cert_org_id;
    e.roles = kAnalystRoles;
  }
  notify::Enqueue(tx, e, now);
}

// ---- routes ----

http::Response ListCerts(Context& ctx) {
  const auto& org_id = ctx.IdParam("id", "organisation");
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& c : CertsToAsk(tx, org_id)) {
      w.BeginObject()
          .KeyString("id", c.id)
          .KeyString("name", c.name)
          .KeyString("short_name", c.short_name)
          .KeyString("relation", Name(c.relation))
          .EndObject();
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response Ask(Context& ctx) {
  const auto& org_id = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto cert_id = in.Text("cert_id", {.required = true, .uuid = true});
  auto kind = in.Text("kind", {.required = true,
                               .one_of = {"incident_response", "forensics", "malware_analysis",
                                          "vulnerability_handling", "advice", "other"}});
  auto urgency =
      in.Text("urgency", {.required = true, .one_of = {"low", "medium", "high", "critical"}});
  auto title = in.Text("title", {.required = true, .min = 3, .max = 200});
  auto description = in.Text("description", {.required = true, .min = 1, .max = 8000});
  auto contact = in.Text("contact", {.max = 300});
  auto incident_id = in.Text("incident_id", {.nullable = true, .uuid = true});

  const std::string id = ctx.db().Write([&](db::Tx& tx) {
    std::optional<AskableCert> cert;
    if (cert_id) {
      for (const auto& c : CertsToAsk(tx, org_id)) {
        if (c.id == *cert_id) cert = c;
      }
      if (!cert) {
        in.Fail("cert_id",
                "is not a CERT your organisation may ask: the CERT of one of its sectors, or the "
                "national CERT (see …/assistance/certs)");
      }
    }
    if (incident_id) {
      // Only a case the organisation reports, held by the CERT asked: a request is not a way to
      // show a CERT a case it does not hold, nor to probe for cases one cannot see.
      auto incident = FindIncident(tx, *incident_id);
      bool ours = incident && incident->organisation_id == org_id;
      bool held = false;
      if (ours) {
        for (const auto& p : incidents::PartiesOf(tx, *incident_id)) {
          if (cert && p.org_id == cert->id && IsCert(p.relation)) held = true;
        }
      }
      if (!ours) {
        in.Fail("incident_id", "is not a case your organisation reports");
      } else if (cert && !held) {
        in.Fail("incident_id", "is a case the CERT you ask does not hold");
      }
    }
    in.Done();

    AssistanceRequest a;
    a.id = crypto::NewUuid();
    a.reference = NextAssistanceReference(tx, YearOf(now));
    a.asking_org_id = org_id;
    a.cert_org_id = cert->id;
    a.cert_relation = cert->relation;
    a.incident_id = incident_id;
    a.kind = *ParseAssistanceKind(*kind);
    a.urgency = *ParseUrgency(*urgency);
    a.title = *title;
    a.description = *description;
    a.contact = contact.value_or("");
    a.requested_by = ctx.caller().user_id;
    a.respond_by = now + ResponseTarget(a.urgency);
    a.created_at = a.updated_at = now;
    InsertAssistance(tx, a);
    Loaded l{a, PartiesOf(a), Side::kReporter};
    Record(tx, ctx, l, "filed", false, "Request for assistance made", now,
           json{{"cert_organisation_id", a.cert_org_id},
                {"incident_id", incident_id ? json(*incident_id) : json(nullptr)}}
               .dump());
    TellOtherSide(tx, a, Side::kReporter, "assistance.requested", "new request for assistance",
                  ctx.caller().user_id, now);
    Audit(tx, ctx, "assistance.request", a, std::nullopt, now);
    return a.id;
  });
  return RenderRequest(ctx, id, 201, now);
}

http::Response GetRequest(Context& ctx) {
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadRequest(tx, ctx, RequestId(ctx));
    auto res = JsonText(200, RequestJson(tx, ctx, l, now));
    SetETag(res, l.request.version);
    return res;
  });
}

http::Response List(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  auto param = [&](std::string_view name) { return ctx.request.QueryParam(name).value_or(""); };
  AssistanceFilter f;
  f.state = param("state");
  if (!f.state.empty() && f.state != "open" && !ParseAssistanceState(f.state)) {
    errors.push_back({"state", "must be open or a state of a request (open, accepted, …)"});
  }
  f.urgency = param("urgency");
  if (!f.urgency.empty() && !ParseUrgency(f.urgency)) {
    errors.push_back({"urgency", "must be low, medium, high or critical"});
  }
  f.kind = param("kind");
  if (!f.kind.empty() && !ParseAssistanceKind(f.kind)) {
    errors.push_back({"kind",
                      "must be incident_response, forensics, malware_analysis, "
                      "vulnerability_handling, advice or other"});
  }
  f.side = param("side");
  if (!f.side.empty() && f.side != "asking" && f.side != "asked") {
    errors.push_back({"side", "must be asking or asked"});
  }
  const std::string assignee = param("assignee");
  if (assignee == "me") {
    f.assignee_id = ctx.caller().user_id;
  } else if (!assignee.empty()) {
    errors.push_back({"assignee", "must be me"});
  }
  f.query = param("q");
  if (f.query.size() > 200) errors.push_back({"q", "must be at most 200 characters"});
  std::optional<std::string> after;
  if (page.after) {
    const json& k = *page.after;
    if (k.size() != 1 || !k[0].is_string()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after = k[0].get<std::string>();
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));

  const Millis now = NowMillis();
  const Principal& me = ctx.caller();
  return ctx.db().Read([&](db::Tx& tx) {
    auto rows = ListAssistance(tx, ReadableScopes(me), f, after, page.limit + 1);
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.resize(static_cast<std::size_t>(page.limit));
      next = EncodeCursor(json::array({rows.back().request.id}));
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& r : rows) {
      const AssistanceRequest& a = r.request;
      const auto parties = PartiesOf(a);
      if (Decide(&me, Action::kAssistanceRead, {.parties = &parties}) != Decision::kAllow) {
        continue;  // the list's SQL and the policy disagree: trust the policy
      }
      const bool cert =
          Decide(&me, Action::kAssistanceHandle, {.parties = &parties}) == Decision::kAllow;
      w.BeginObject()
          .KeyString("id", a.id)
          .KeyString("reference", a.reference)
          .KeyString("kind", Name(a.kind))
          .KeyString("urgency", Name(a.urgency))
          .KeyString("title", a.title)
          .KeyString("state", Name(a.state))
          .KeyString("side", cert ? "cert" : "requester")
          .Key("asking_organisation")
          .BeginObject()
          .KeyString("id", a.asking_org_id)
          .KeyString("name", r.asking_org_name)
          .EndObject()
          .Key("cert")
          .BeginObject()
          .KeyString("id", a.cert_org_id)
          .KeyString("name", r.cert_org_name)
          .EndObject()
          .KeyOptString("incident_id", a.incident_id)
          .KeyOptString("incident_reference", r.incident_reference)
          .KeyOptString("assignee_name", cert ? r.assignee_name : std::nullopt)
          .KeyTime("respond_by", a.respond_by)
          .KeyBool("response_overdue", ResponseOverdue(a, now))
          .KeyTime("created_at", a.created_at)
          .KeyTime("updated_at", a.updated_at)
          .EndObject();
    }
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response AddMessage(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto text = in.Text("text", {.required = true, .min = 1, .max = 8000});
  const bool internal = in.Bool("internal").value_or(false);
  ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadRequest(tx, ctx, RequestId(ctx), Action::kAssistanceWrite);
    if (internal && l.side != Side::kCert) {
      in.Fail("internal", "only the CERT's analysts write internal notes");
    }
    in.Done();  // after LoadRequest: a request one may not see is 404 whatever the body
    AssistanceRequest a = l.request;
    const AssistanceRequest before = l.request;
    if (!IsOpen(a.state) && a.state != AssistanceState::kResolved && !internal) {
      throw Conflict("This request is " + std::string(Name(a.state)) +
                     "; make a new request to ask again.");
    }
    Record(tx, ctx, l, internal ? "note" : "message", internal, *text, now);
    if (!internal) {
      if (l.side == Side::kCert && !a.responded_at) a.responded_at = now;
      const AssistanceState to = AfterMessage(a.state, l.side);
      if (to != a.state) {
        Record(tx, ctx, l, "state", false,
               "State changed from " + std::string(Name(a.state)) + " to " + std::string(Name(to)) +
                   " by the requester's answer",
               now, json{{"from", Name(a.state)}, {"to", Name(to)}}.dump());
        a.state = to;
      }
      TellOtherSide(tx, a, l.side, "assistance.message", "new message", ctx.caller().user_id, now);
    }
    Save(tx, ctx, internal ? "assistance.note" : "assistance.message", a, before, now);
  });
  return RenderRequest(ctx, RequestId(ctx), 201, now);
}

http::Response Transition(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto to_name = in.Text("state", {.required = true, .max = 40});
  auto reason = in.Text("reason", {.max = 4000}).value_or("");
  std::optional<AssistanceState> to;
  if (to_name) {
    to = ParseAssistanceState(*to_name);
    if (!to) in.Fail("state", "is not a state of a request");
  }
  if (to && NeedsReason(*to) && reason.empty()) {
    in.Fail("reason", "is required to decline: the requester is owed a reason");
  }
  ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadRequest(tx, ctx, RequestId(ctx), Action::kAssistanceWrite);
    in.Done();  // after LoadRequest: a request one may not see is 404 whatever the body
    CheckIfMatch(ctx, l.request);
    AssistanceRequest a = l.request;
    const AssistanceRequest before = l.request;
    if (!MayMoveAssistance(a.state, *to, l.side)) {
      throw HttpError(409, "illegal-transition", "This change of state is not allowed",
                      "A request that is " + std::string(Name(a.state)) + " cannot become " +
                          std::string(Name(*to)) + " by " +
                          (l.side == Side::kCert ? "the CERT" : "the asking organisation") + ".",
                      {{"/state", "cannot follow " + std::string(Name(a.state))}});
    }
    ApplyMove(a, *to, l.side, now);
    a.state_reason = reason;
    std::string text =
        "State changed from " + std::string(Name(before.state)) + " to " + std::string(Name(*to));
    if (!reason.empty()) text += ": " + reason;
    Record(tx, ctx, l, "state", false, text, now,
           json{{"from", Name(before.state)}, {"to", Name(*to)}}.dump());
    // Whoever accepts a request nobody holds yet takes it.
    if (*to == AssistanceState::kAccepted && !a.assignee_id) {
      a.assignee_id = ctx.caller().user_id;
      Record(tx, ctx, l, "assigned", true, "Assigned to " + ctx.caller().display_name, now,
             json{{"assignee_id", ctx.caller().user_id}}.dump());
    }
    TellOtherSide(tx, a, l.side, "assistance.state_changed",
                  "state changed to " + std::string(Name(*to)), ctx.caller().user_id, now);
    Save(tx, ctx, "assistance.transition", a, before, now);
  });
  return RenderRequest(ctx, RequestId(ctx), 200, now);
}

http::Response Assign(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  const bool given = in.Has("assignee_id");
  auto assignee = in.Text("assignee_id", {.nullable = true, .uuid = true});
  if (!given) in.Fail("assignee_id", "is required (null to unassign)");
  ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadRequest(tx, ctx, RequestId(ctx), Action::kAssistanceHandle);
    in.Done();  // after LoadRequest: a request one may not see is 404 whatever the body
    CheckIfMatch(ctx, l.request);
    AssistanceRequest a = l.request;
    const AssistanceRequest before = l.request;
    std::string text = "Unassigned";
    std::optional<Principal> candidate;
    if (assignee) {
      // Only an active analyst of the CERT asked (LoadPrincipal finds only active people).
      candidate = auth::LoadPrincipal(tx, *assignee);
      if (!candidate || !l.May(*candidate, Action::kAssistanceHandle)) {
        throw InvalidField("/assignee_id", "is not an active analyst of the CERT asked");
      }
      text = "Assigned to " + candidate->display_name;
    }
    a.assignee_id = assignee;
    Record(tx, ctx, l, "assigned", true, text, now,
           json{{"assignee_id", assignee ? json(*assignee) : json(nullptr)}}.dump());
    if (candidate && candidate->user_id != ctx.caller().user_id) {
      // The one person concerned, in the application and by e-mail.
      notify::Event e;
      e.type = "assistance.assigned";
      e.subject = a.reference + ": assigned to you";
      e.text = "Request for assistance " + a.reference +
               " is now yours to handle. Open it in Rampart to read it.";
      e.link = "/assistance/" + a.id;
      notify::AddNotification(tx, candidate->user_id, e, now);
      if (auto u = tx.QueryOne("SELECT email FROM users WHERE id = $1", {candidate->user_id});
          u && !u->Text(0).empty()) {
        notify::QueueEmail(tx, u->Text(0), candidate->display_name, e, now);
      }
    }
    Save(tx, ctx, "assistance.assign", a, before, now);
  });
  return RenderRequest(ctx, RequestId(ctx), 200, now);
}

}  // namespace

void AddAssistanceRoutes(Router& r) {
  r.Add({"POST", "/api/v1/organisations/{id}/assistance", Action::kAssistanceAsk, "id", Ask,
         32 * 1024});
  r.Add({"GET", "/api/v1/organisations/{id}/assistance/certs", Action::kAssistanceAsk, "id",
         ListCerts, kNoBody});
  r.Add({"GET", "/api/v1/assistance", Action::kAssistanceRead, "", List, kNoBody});
  r.Add({"GET", "/api/v1/assistance/{id}", Action::kAssistanceRead, "", GetRequest, kNoBody});
  r.Add({"POST", "/api/v1/assistance/{id}/messages", Action::kAssistanceWrite, "", AddMessage,
         32 * 1024});
  r.Add({"POST", "/api/v1/assistance/{id}/transitions", Action::kAssistanceWrite, "", Transition,
         16 * 1024});
  r.Add({"POST", "/api/v1/assistance/{id}/assignment", Action::kAssistanceHandle, "", Assign,
         4 * 1024});
}

}  // namespace rampart::incidents
