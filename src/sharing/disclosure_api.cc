// The HTTP handlers of the disclosure protocol (disclosure.h). The case's own routes decide who
// stands where on it (incidents/access.h): a CERT holding the case asks and publishes
// (incident.handle), the reporting organisation's head, CISO or management answers and withdraws
// (incident.consent), and every party reads the requests (incident.read). Published shares are
// read by everyone through the audience engine (shared.read, then MaySee on each item); one the
// caller may not see answers 404.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "incidents/access.h"
#include "incidents/cases.h"
#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/notify.h"
#include "sharing/api.h"
#include "sharing/audience_input.h"
#include "sharing/disclosure.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

using incidents::Case;
using incidents::LoadCase;
using nlohmann::json;

// Told of a new or changed request in the reporting organisation: those who may answer it.
const RoleSet kConsenters = RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kManagement});
// Told of an answer in the CERT, and of a published share in each organisation of its audience.
const RoleSet kCertAnalysts = RoleSet::Of({Role::kAnalyst});
const RoleSet kDeliverTo =
    RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kRiskOwner, Role::kReporter, Role::kAnalyst});

struct OrgFacts {
  std::string name, short_name, kind;
  std::optional<std::string> size_class;
};

OrgFacts FindOrgFacts(db::Tx& tx, const std::string& id) {
  auto r = tx.QueryOne("SELECT name, short_name, kind, size_class FROM organisations WHERE id = $1",
                       {id});
  if (!r) return {};
  return {r->Text(0), r->Text(1), r->Text(2), r->OptText(3)};
}

void WriteOrg(JsonWriter& w, db::Tx& tx, const std::string& id) {
  const auto o = FindOrgFacts(tx, id);
  w.BeginObject()
      .KeyString("id", id)
      .KeyString("name", o.name)
      .KeyString("short_name", o.short_name)
      .KeyString("kind", o.kind)
      .EndObject();
}

std::optional<std::string> UserName(db::Tx& tx, const std::optional<std::string>& id) {
  if (!id) return std::nullopt;
  auto r = tx.QueryOne("SELECT display_name FROM users WHERE id = $1", {*id});
  if (!r) return std::nullopt;
  return r->Text(0);
}

std::string SectorName(db::Tx& tx, const std::string& id) {
  auto r = tx.QueryOne("SELECT name FROM sectors WHERE id = $1", {id});
  return r ? r->Text(0) : "";
}

void WriteTlp(JsonWriter& w, Tlp tlp) {
  w.BeginObject()
      .KeyString("label", Label(tlp))
      .KeyString("marking_id", MarkingId(tlp))
      .EndObject();
}

void WriteObservables(JsonWriter& w, const std::vector<SharedObservable>& list, bool with_ids) {
  w.Key("observables").BeginArray();
  for (const auto& o : list) {
    w.BeginObject();
    if (with_ids) w.KeyString("observable_id", o.observable_id);
    w.KeyString("type", o.type).KeyString("value", o.value).Key("tlp");
    WriteTlp(w, o.tlp);
    w.EndObject();
  }
  w.EndArray();
}

// The audience fields as stored, with names for people.
void WriteAudienceFields(JsonWriter& w, db::Tx& tx, const ShareAudience& a) {
  w.Key("tlp");
  WriteTlp(w, a.tlp);
  w.KeyString("distribution", Name(a.distribution)).Key("sectors").BeginArray();
  for (const auto& s : a.sector_ids) {
    w.BeginObject().KeyString("id", s).KeyString("name", SectorName(tx, s)).EndObject();
  }
  w.EndArray().Key("group");
  if (a.group_id) {
    auto r = tx.QueryOne("SELECT name FROM sharing_groups WHERE id = $1", {*a.group_id});
    w.BeginObject().KeyString("id", *a.group_id).KeyString("name", r ? r->Text(0) : "").EndObject();
  } else {
    w.Null();
  }
}

// Reads what a request asks (content and audience) into `q`, from the case `c`.
void ReadRequest(Input& in, db::Tx& tx, const Case& c, ShareRequest& q, bool create) {
  if (auto v = in.Text("form", {.required = create, .one_of = {"named", "anonymised"}})) {
    q.form = *ParseShareForm(*v);
  }
  if (auto v = in.Text("title", {.required = create, .min = 3, .max = 300})) q.title = *v;
  if (auto v = in.Text("text", {.required = create, .min = 10, .max = 16000})) q.text = *v;
  if (auto ids = in.TextList("observable_ids", {.uuid = true}, 500)) {
    q.observables.clear();
    const auto all = incidents::ObservablesOf(tx, c.incident.id);
    for (std::size_t k = 0; k < ids->size(); ++k) {
      auto o =
          std::find_if(all.begin(), all.end(), [&](const auto& x) { return x.id == (*ids)[k]; });
      if (o == all.end()) {
        in.Fail("observable_ids/" + std::to_string(k), "is not an observable of this case");
        continue;
      }
      if (std::any_of(q.observables.begin(), q.observables.end(),
                      [&](const auto& x) { return x.observable_id == o->id; })) {
        continue;
      }
      q.observables.push_back(
          {o->id, o->type, o->value, TlpFromMarkingId(o->tlp).value_or(Tlp::kRed)});
    }
  }
  ReadAudienceFields(in, tx, q.audience, create);
}

// 422 naming the field at fault when what is asked may not be shared: the engine's refusal of
// the audience, an observable labelled narrower than the share, an anonymised share whose text
// names the organisation, a named share asked by a CERT that holds the case anonymised.
void CheckRequestOrThrow(db::Tx& tx, const Case& c, const ShareRequest& q, const Directory& dir) {
  auto refuse = [](const std::string& field, const std::string& reason) {
    throw HttpError(422, "share-refused", "This share is not allowed", reason,
                    {{"/" + field, reason}});
  };
  if (auto r = CheckShare(ItemOf(q.audience, q.cert_org_id), dir)) refuse(r->field, r->reason);
  for (std::size_t k = 0; k < q.observables.size(); ++k) {
    if (auto why = ObservableRefusal(q.observables[k], q.audience.tlp)) {
      refuse("observable_ids/" + std::to_string(k),
             "The observable " + q.observables[k].value + " " + *why + ".");
    }
  }
  if (q.form == ShareForm::kNamed && c.standing.anonymised) {
    refuse("form",
           "Your CERT holds this case anonymised: it may only ask to share an anonymised version.");
  }
  if (q.form == ShareForm::kAnonymised) {
    const auto org = FindOrgFacts(tx, c.incident.organisation_id);
    for (const auto& [field, text] : {std::pair<std::string, std::string>{"title", q.title},
                                      std::pair<std::string, std::string>{"text", q.text}}) {
      if (NamesOrganisation(text, org.name, org.short_name)) {
        refuse(field,
               "The " + field +
                   " names the reporting organisation, which an anonymised share must not do.");
      }
    }
  }
}

// The CERT of the case whose analysts the caller is, with incident.handle; 403 otherwise.
std::string HandlingCert(const Context& ctx, const Case& c) {
  auto org = incidents::ActingOrg(ctx.caller(), Action::kIncidentHandle, c.standing);
  if (!org) throw Forbidden("Only the analysts of a CERT holding this case ask to share it.");
  return *org;
}

// 403 unless the caller is an analyst of the CERT that asked.
void RequireAskingCert(const Context& ctx, const Case& c, const ShareRequest& q) {
  std::vector<CaseParty> cert;
  for (const auto& p : c.standing.parties) {
    if (p.org_id == q.cert_org_id) cert.push_back(p);
  }
  if (cert.empty() ||
      Decide(ctx.principal, Action::kIncidentHandle, {.parties = &cert}) != Decision::kAllow) {
    throw Forbidden("Only analysts of the CERT that asked act on this request.");
  }
}

// 403, saying who may, unless the caller answers for the reporting organisation.
void RequireConsenter(const Context& ctx, const Case& c) {
  if (!c.standing.May(ctx.caller(), Action::kIncidentConsent)) {
    throw Forbidden(
        "Only the head, CISO or management of the reporting organisation answer a request to "
        "share its incident.");
  }
}

// The request of the case named by the path, or 404.
ShareRequest LoadRequest(db::Tx& tx, const Context& ctx, const Case& c) {
  auto q = FindShareRequest(tx, ctx.IdParam("request_id", "request"));
  if (!q || q->incident_id != c.incident.id) throw NotFound("request");
  return *q;
}

incidents::Actor ActorOf(const Context& ctx) {
  const Principal& me = ctx.caller();
  return {&me, me.user_id, me.display_name, ctx.request.request_id};
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, const ShareRequest& after,
           std::optional<std::string> before, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), "incident_share_request", after.id,
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = AuditState(after);
  audit::Append(tx, e, now);
}

// Tells the reporting organisation's consenters what is asked of them.
void TellReporter(db::Tx& tx, const Context& ctx, const Case& c, const ShareRequest& q,
                  bool changed, Millis now) {
  notify::Event e;
  e.type = "incident.share_requested";
  e.org_id = q.reporter_org_id;
  e.roles = kConsenters;
  e.actor_id = ctx.caller().user_id;
  e.subject = c.incident.reference + (changed ? ": a changed request to share this incident"
                                              : ": a CERT asks to share this incident");
  e.text = "A CERT holding " + c.incident.reference +
           " asks your organisation's consent to share " +
           (q.form == ShareForm::kAnonymised ? "an anonymised" : "a named") +
           " version of it, labelled " + std::string(Label(q.audience.tlp)) +
           ". Open the case in Rampart to read exactly what would be shared, and with whom, and "
           "to consent or refuse.";
  e.link = "/incidents/" + c.incident.id;
  e.incident_id = c.incident.id;
  e.payload = json{{"incident_id", c.incident.id}, {"request_id", q.id}}.dump();
  notify::Enqueue(tx, e, now);
}

// Tells the asking CERT's analysts how the reporting organisation answered.
void TellCert(db::Tx& tx, const Context& ctx, const Case& c, const ShareRequest& q, Millis now) {
  notify::Event e;
  e.type = "incident.share_answered";
  e.org_id = q.cert_org_id;
  e.roles = kCertAnalysts;
  e.actor_id = ctx.caller().user_id;
  e.subject = c.incident.reference + ": request to share " + std::string(Name(q.state));
  e.text = "The reporting organisation answered the request to share " + c.incident.reference +
           ": " + std::string(Name(q.state)) + ". Open the case in Rampart for its reason.";
  e.link = "/incidents/" + c.incident.id;
  e.incident_id = c.incident.id;
  e.payload =
      json{{"incident_id", c.incident.id}, {"request_id", q.id}, {"state", Name(q.state)}}.dump();
  notify::Enqueue(tx, e, now);
}

// The request as the caller reads it: what is asked, who would see it (the engine's answer, so
// that the reporting organisation consents knowing the audience), and what the caller may do.
std::string RequestJson(db::Tx& tx, const Context& ctx, const Case& c, const ShareRequest& q,
                        const Directory& dir) {
  const Principal& me = ctx.caller();
  const bool consenter = c.standing.May(me, Action::kIncidentConsent);
  std::vector<CaseParty> cert;
  for (const auto& p : c.standing.parties) {
    if (p.org_id == q.cert_org_id) cert.push_back(p);
  }
  const bool asker =
      !cert.empty() && Decide(&me, Action::kIncidentHandle, {.parties = &cert}) == Decision::kAllow;
  const Item item = ItemOf(q.audience, q.cert_org_id);
  JsonWriter w;
  w.BeginObject().KeyString("id", q.id).KeyString("incident_id", q.incident_id).Key("cert");
  WriteOrg(w, tx, q.cert_org_id);
  w.KeyString("form", Name(q.form)).KeyString("title", q.title).KeyString("text", q.text);
  WriteObservables(w, q.observables, true);
  WriteAudienceFields(w, tx, q.audience);
  w.Key("recipient_organisations").BeginArray();
  for (const auto& o : q.audience.recipient_org_ids) WriteOrg(w, tx, o);
  w.EndArray().Key("recipient_people").BeginArray();
  for (const auto& u : q.audience.recipient_user_ids) {
    w.BeginObject().KeyString("id", u).KeyOptString("display_name", UserName(tx, u)).EndObject();
  }
  w.EndArray().Key("audience").BeginObject().Key("organisations").BeginArray();
  const auto orgs = AudienceOrgs(item, dir);
  for (const auto& o : orgs) WriteOrg(w, tx, o);
  w.EndArray()
      .KeyInt("organisation_count", static_cast<std::int64_t>(orgs.size()))
      .Key("people")
      .BeginArray();
  for (const auto& u : AudiencePeople(item, dir)) {
    w.BeginObject().KeyString("id", u).KeyOptString("display_name", UserName(tx, u)).EndObject();
  }
  w.EndArray()
      .KeyBool("anonymous_public", MaySee(item, Viewer{}, dir))
      .EndObject()
      .KeyString("digest", q.digest)
      .KeyString("state", Name(q.state))
      .KeyOptString("requested_by", UserName(tx, q.requested_by))
      .KeyTime("requested_at", q.requested_at)
      .Key("answer");
  if (q.answered_at) {
    w.BeginObject()
        .KeyOptString("by", UserName(tx, q.answered_by))
        .KeyTime("at", *q.answered_at)
        .KeyString("reason", q.answer_reason)
        .KeyBool("consent_matches", q.consent_digest && *q.consent_digest == q.digest)
        .EndObject();
  } else {
    w.Null();
  }
  const bool open = q.state != ShareState::kPublished;
  w.KeyOptString("shared_incident_id", q.shared_incident_id)
      .KeyTime("updated_at", q.updated_at)
      .KeyInt("version", q.version)
      .Key("you")
      .BeginObject()
      .KeyBool("may_edit", asker && open)
      .KeyBool("may_answer", consenter && q.state == ShareState::kPending)
      .KeyBool("may_withdraw", consenter && q.state == ShareState::kConsented)
      .KeyBool("may_publish", asker && q.state == ShareState::kConsented)
      .EndObject()
      .EndObject();
  return std::move(w).Take();
}

http::Response RenderRequest(Context& ctx, const std::string& incident_id,
                             const std::string& request_id, int status) {
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = incidents::LoadCaseById(tx, ctx, incident_id);
    auto q = FindShareRequest(tx, request_id);
    if (!q || q->incident_id != c.incident.id) throw NotFound("request");
    auto res = JsonText(status, RequestJson(tx, ctx, c, *q, LoadDirectory(tx, true)));
    SetETag(res, q->version);
    return res;
  });
}

// ---- the protocol ----

http::Response ListRequests(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    const Directory dir = LoadDirectory(tx, true);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& q : ShareRequestsOf(tx, c.incident.id)) {
      w.Raw(RequestJson(tx, ctx, c, q, dir));
    }
    w.EndArray()
        .Key("you")
        .BeginObject()
        .KeyBool("may_ask", c.standing.May(ctx.caller(), Action::kIncidentHandle))
        .KeyBool("may_ask_named", !c.standing.anonymised)
        .EndObject()
        .KeyNull("next_cursor")
        .EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response Ask(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  std::string incident_id, id;
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    ShareRequest q;
    ReadRequest(in, tx, c, q, true);
    in.Done();  // after LoadCase: a case one may not see is 404 whatever the body
    q.id = crypto::NewUuid();
    q.incident_id = c.incident.id;
    q.cert_org_id = HandlingCert(ctx, c);
    q.reporter_org_id = c.incident.organisation_id;
    q.state = ShareState::kPending;
    q.requested_by = ctx.caller().user_id;
    q.requested_at = q.updated_at = now;
    CheckRequestOrThrow(tx, c, q, LoadDirectory(tx, true));
    q.digest = Digest(q);
    InsertShareRequest(tx, q);
    incidents::Record(
        tx, ActorOf(ctx), c.incident, q.cert_org_id, "disclosure", incidents::Visibility::kAll,
        "Asked the reporting organisation's consent to share " +
            std::string(q.form == ShareForm::kAnonymised ? "an anonymised" : "a named") +
            " version of this case (" + std::string(Label(q.audience.tlp)) + ", " +
            std::string(Name(q.audience.distribution)) + ")",
        now, json{{"share_request_id", q.id}}.dump());
    TellReporter(tx, ctx, c, q, false, now);
    Audit(tx, ctx, "incident.share.ask", q, std::nullopt, now);
    incident_id = c.incident.id;
    id = q.id;
  });
  return RenderRequest(ctx, incident_id, id, 201);
}

http::Response Edit(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  std::string incident_id, id;
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    ShareRequest q = LoadRequest(tx, ctx, c);
    const auto version = RequiredIfMatch(ctx.request);
    RequireAskingCert(ctx, c, q);
    const ShareRequest before = q;
    ReadRequest(in, tx, c, q, false);
    in.Done();
    if (q.state == ShareState::kPublished) {
      throw Conflict("This request is published; a new share needs a new request.");
    }
    CheckRequestOrThrow(tx, c, q, LoadDirectory(tx, true));
    q.digest = Digest(q);
    if (q.digest != before.digest) {
      // A changed request needs new consent: whatever was answered was answered to another text.
      q.state = ShareState::kPending;
      q.answered_by.reset();
      q.answered_at.reset();
      q.answer_reason.clear();
      q.consent_digest.reset();
    }
    q.updated_at = now;
    if (!UpdateShareRequest(tx, q, version)) throw PreconditionFailed();
    q.version = before.version + 1;
    if (q.digest != before.digest) {
      incidents::Record(tx, ActorOf(ctx), c.incident, q.cert_org_id, "disclosure",
                        incidents::Visibility::kAll,
                        "Changed the request to share this case; it needs consent again", now,
                        json{{"share_request_id", q.id}}.dump());
      TellReporter(tx, ctx, c, q, true, now);
    }
    Audit(tx, ctx, "incident.share.update", q, AuditState(before), now);
    incident_id = c.incident.id;
    id = q.id;
  });
  return RenderRequest(ctx, incident_id, id, 200);
}

http::Response Answer(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto decision = in.Text("decision", {.required = true, .one_of = {"consent", "refuse"}});
  auto reason = in.Text("reason", {.max = 4000}).value_or("");
  auto digest = in.Text("digest", {.required = true, .min = 64, .max = 64});
  if (decision == "refuse" && reason.empty()) in.Fail("reason", "is required to refuse");
  std::string incident_id, id;
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    ShareRequest q = LoadRequest(tx, ctx, c);
    RequireConsenter(ctx, c);
    in.Done();
    if (q.state != ShareState::kPending) {
      throw Conflict("This request is " + std::string(Name(q.state)) +
                     ": there is nothing to answer.");
    }
    if (*digest != q.digest) {
      throw HttpError(409, "share-request-changed", "The request changed",
                      "The request was changed after you read it; read it again before you answer.",
                      {{"/digest", "is not the digest of the request as it is now"}});
    }
    const ShareRequest before = q;
    q.state = *decision == "consent" ? ShareState::kConsented : ShareState::kRefused;
    q.answered_by = ctx.caller().user_id;
    q.answered_at = now;
    q.answer_reason = reason;
    if (q.state == ShareState::kConsented) q.consent_digest = q.digest;
    q.updated_at = now;
    if (!UpdateShareRequest(tx, q, before.version)) throw PreconditionFailed();
    q.version = before.version + 1;
    incidents::Record(tx, ActorOf(ctx), c.incident, q.reporter_org_id, "disclosure",
                      incidents::Visibility::kAll,
                      std::string(q.state == ShareState::kConsented ? "Consented to" : "Refused") +
                          " the request to share this case" + (reason.empty() ? "" : ": " + reason),
                      now, json{{"share_request_id", q.id}}.dump());
    TellCert(tx, ctx, c, q, now);
    Audit(tx, ctx,
          q.state == ShareState::kConsented ? "incident.share.consent" : "incident.share.refuse", q,
          AuditState(before), now);
    incident_id = c.incident.id;
    id = q.id;
  });
  return RenderRequest(ctx, incident_id, id, 200);
}

http::Response Withdraw(Context& ctx) {
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto reason = in.Text("reason", {.required = true, .min = 3, .max = 4000});
  std::string incident_id, id;
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    ShareRequest q = LoadRequest(tx, ctx, c);
    RequireConsenter(ctx, c);
    in.Done();
    if (q.state == ShareState::kPublished) {
      throw Conflict("This share is published already; consent can only be withdrawn before.");
    }
    if (q.state != ShareState::kConsented) {
      throw Conflict("This request is " + std::string(Name(q.state)) +
                     ": there is no consent to withdraw.");
    }
    const ShareRequest before = q;
    q.state = ShareState::kWithdrawn;
    q.answered_by = ctx.caller().user_id;
    q.answered_at = now;
    q.answer_reason = *reason;
    q.consent_digest.reset();
    q.updated_at = now;
    if (!UpdateShareRequest(tx, q, before.version)) throw PreconditionFailed();
    q.version = before.version + 1;
    incidents::Record(tx, ActorOf(ctx), c.incident, q.reporter_org_id, "disclosure",
                      incidents::Visibility::kAll,
                      "Withdrew consent to share this case: " + *reason, now,
                      json{{"share_request_id", q.id}}.dump());
    TellCert(tx, ctx, c, q, now);
    Audit(tx, ctx, "incident.share.withdraw", q, AuditState(before), now);
    incident_id = c.incident.id;
    id = q.id;
  });
  return RenderRequest(ctx, incident_id, id, 200);
}

// Tells the audience of a newly published share (as advisories do: for RED the named people,
// otherwise those who act on shared items in each organisation), and the reporting organisation.
void Deliver(db::Tx& tx, const Context& ctx, const SharedIncident& s, const Directory& dir,
             Millis now) {
  notify::Event e;
  e.type = "incident.shared";
  e.actor_id = ctx.caller().user_id;
  const bool open = s.audience.tlp == Tlp::kClear || s.audience.tlp == Tlp::kGreen;
  e.subject = s.reference + ": shared incident (" + std::string(Label(s.audience.tlp)) + ")" +
              (open ? " " + s.title : "");
  e.text = "A CERT shared an incident, " + s.reference + ", labelled " +
           std::string(Label(s.audience.tlp)) + ", with your organisation. Open it in Rampart.";
  e.link = "/shared-incidents/" + s.id;
  e.payload = json{{"shared_incident_id", s.id}, {"reference", s.reference}}.dump();
  const Item item = ItemOf(s);
  if (s.audience.tlp == Tlp::kRed) {
    for (const auto& user : AudiencePeople(item, dir)) {
      if (user == e.actor_id) continue;
      auto u = tx.QueryOne("SELECT email, display_name FROM users WHERE id = $1 AND disabled = 0",
                           {user});
      if (!u) continue;
      notify::AddNotification(tx, user, e, now);
      if (!u->Text(0).empty()) notify::QueueEmail(tx, u->Text(0), u->Text(1), e, now);
    }
  } else {
    for (const auto& org : AudienceOrgs(item, dir)) {
      if (org == s.author_org_id) continue;
      e.org_id = org;
      e.roles = kDeliverTo;
      notify::Enqueue(tx, e, now);
    }
  }
}

http::Response Publish(Context& ctx) {
  const Millis now = NowMillis();
  std::string shared_id;
  ctx.db().Write([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx, Action::kIncidentHandle);
    ShareRequest q = LoadRequest(tx, ctx, c);
    RequireAskingCert(ctx, c, q);
    if (ctx.request.Find("If-Match") && RequiredIfMatch(ctx.request) != q.version) {
      throw PreconditionFailed();
    }
    if (q.state == ShareState::kPublished) throw Conflict("This request is published already.");
    if (q.state != ShareState::kConsented) {
      throw HttpError(409, "consent-required", "Consent is required",
                      "Nothing is shared without the reporting organisation's consent; this "
                      "request is " +
                          std::string(Name(q.state)) + ".");
    }
    // Consent binds to exactly what was asked: compute the digest again from what is stored.
    if (!q.consent_digest || *q.consent_digest != Digest(q)) {
      throw HttpError(409, "consent-required", "Consent is required",
                      "The consent given does not match the request as it stands; ask again.");
    }
    // The directory may have moved since the request was made: decide the audience again now.
    const Directory dir = LoadDirectory(tx, true);
    CheckRequestOrThrow(tx, c, q, dir);
    const auto org = FindOrgFacts(tx, c.incident.organisation_id);
    SharedIncident s;
    s.id = crypto::NewUuid();
    s.reference = NextSharedIncidentReference(tx, incidents::YearOf(now));
    s.request_id = q.id;
    s.incident_id = c.incident.id;
    s.author_org_id = q.cert_org_id;
    s.form = q.form;
    if (q.form == ShareForm::kNamed) {
      s.organisation_id = c.incident.organisation_id;
      s.organisation_label = org.name;
    } else {
      s.organisation_label =
          AnonymousOrgLabel(SectorName(tx, c.incident.sector_id), org.kind, org.size_class);
    }
    s.sector_id = c.incident.sector_id;
    s.rsit_class = c.incident.rsit_class;
    s.rsit_type = c.incident.rsit_type;
    if (c.incident.severity) s.severity = std::string(incidents::Name(*c.incident.severity));
    s.title = q.title;
    s.text = q.text;
    s.observables = q.observables;
    s.audience = q.audience;
    s.consent_digest = *q.consent_digest;
    s.published_by = ctx.caller().user_id;
    s.published_at = now;
    InsertSharedIncident(tx, s);
    const ShareRequest before = q;
    q.state = ShareState::kPublished;
    q.shared_incident_id = s.id;
    q.updated_at = now;
    if (!UpdateShareRequest(tx, q, before.version)) throw PreconditionFailed();
    incidents::Record(tx, ActorOf(ctx), c.incident, q.cert_org_id, "disclosure",
                      incidents::Visibility::kAll,
                      "Published the consented share of this case as " + s.reference, now,
                      json{{"share_request_id", q.id}, {"shared_incident_id", s.id}}.dump());
    Deliver(tx, ctx, s, dir, now);
    // The reporting organisation learns that what it consented to is out.
    notify::Event told;
    told.type = "incident.shared";
    told.org_id = q.reporter_org_id;
    told.roles = kConsenters;
    told.actor_id = ctx.caller().user_id;
    told.subject =
        c.incident.reference + ": the share you consented to is published as " + s.reference;
    told.text = "The CERT published the version of " + c.incident.reference +
                " your organisation consented to share.";
    told.link = "/incidents/" + c.incident.id;
    told.incident_id = c.incident.id;
    told.payload = json{{"incident_id", c.incident.id}, {"shared_incident_id", s.id}}.dump();
    notify::Enqueue(tx, told, now);
    Audit(tx, ctx, "incident.share.publish", q, AuditState(before), now);
    auto e = audit::By(ctx.principal, "shared_incident.publish", "shared_incident", s.id,
                       ctx.request.request_id);
    e.after = json{{"reference", s.reference},
                   {"request_id", q.id},
                   {"incident_id", c.incident.id},
                   {"consent_digest", s.consent_digest}}
                  .dump();
    audit::Append(tx, e, now);
    shared_id = s.id;
  });
  return ctx.db().Read([&](db::Tx& tx) {
    Case c = LoadCase(tx, ctx);
    ShareRequest q = LoadRequest(tx, ctx, c);
    return JsonText(200, RequestJson(tx, ctx, c, q, LoadDirectory(tx, true)));
  });
}

// ---- reading shared incidents ----

void WriteShared(JsonWriter& w, db::Tx& tx, const SharedIncident& s, bool full) {
  w.BeginObject()
      .KeyString("id", s.id)
      .KeyString("reference", s.reference)
      .KeyString("form", Name(s.form))
      .Key("organisation")
      .BeginObject()
      .KeyOptString("id", s.organisation_id)
      .KeyString("label", s.organisation_label)
      .KeyBool("anonymised", s.form == ShareForm::kAnonymised)
      .EndObject()
      .Key("sector")
      .BeginObject()
      .KeyString("id", s.sector_id)
      .KeyString("name", SectorName(tx, s.sector_id))
      .EndObject()
      .KeyOptString("rsit_class", s.rsit_class)
      .KeyOptString("rsit_type", s.rsit_type)
      .KeyOptString("severity", s.severity)
      .KeyString("title", s.title);
  if (full) {
    w.KeyString("text", s.text);
    WriteObservables(w, s.observables, false);
  } else {
    w.KeyInt("observable_count", static_cast<std::int64_t>(s.observables.size()));
  }
  w.Key("tlp");
  WriteTlp(w, s.audience.tlp);
  w.KeyString("distribution", Name(s.audience.distribution)).Key("author");
  WriteOrg(w, tx, s.author_org_id);
  w.KeyTime("published_at", s.published_at).EndObject();
}

http::Response ListShared(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  std::optional<std::pair<Millis, std::string>> after;
  if (page.after) {
    const json& k = *page.after;
    if (k.size() != 2 || !k[0].is_number_integer() || !k[1].is_string()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after = std::pair{k[0].get<Millis>(), k[1].get<std::string>()};
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return ctx.db().Read([&](db::Tx& tx) {
    const Viewer viewer = ViewerOf(ctx.principal);
    const Directory dir = LoadDirectory(tx, false);
    // Rows come newest first in batches; the engine decides each, and batches continue until a
    // page is full, so rows it drops never shorten a page.
    std::vector<SharedIncident> shown;
    bool more = false;
    auto cursor = after;
    for (int round = 0; round < 50 && !more; ++round) {
      const int batch = page.limit + 1;
      auto rows = ListSharedIncidents(tx, cursor, batch);
      for (auto& s : rows) {
        cursor = std::pair{s.published_at, s.id};
        if (!MaySee(ItemOf(s), viewer, dir)) continue;
        if (static_cast<int>(shown.size()) == page.limit) {
          more = true;
          break;
        }
        shown.push_back(std::move(s));
      }
      if (static_cast<int>(rows.size()) < batch) break;
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& s : shown) WriteShared(w, tx, s, false);
    std::optional<std::string> next;
    if (more) next = EncodeCursor(json::array({shown.back().published_at, shown.back().id}));
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response GetShared(Context& ctx) {
  const auto& id = ctx.IdParam("id", "shared incident");
  return ctx.db().Read([&](db::Tx& tx) {
    auto s = FindSharedIncident(tx, id);
    if (!s || !MaySee(ItemOf(*s), ViewerOf(ctx.principal), LoadDirectory(tx, false))) {
      throw NotFound("shared incident");
    }
    JsonWriter w;
    WriteShared(w, tx, *s, true);
    return JsonText(200, std::move(w).Take());
  });
}

}  // namespace

void AddDisclosureRoutes(Router& r) {
  r.Add({"GET", "/api/v1/incidents/{id}/share-requests", Action::kIncidentRead, "", ListRequests,
         kNoBody});
  r.Add({"POST", "/api/v1/incidents/{id}/share-requests", Action::kIncidentHandle, "", Ask,
         64 * 1024});
  r.Add({"PATCH", "/api/v1/incidents/{id}/share-requests/{request_id}", Action::kIncidentHandle, "",
         Edit, 64 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/share-requests/{request_id}/answer",
         Action::kIncidentConsent, "", Answer, 16 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/share-requests/{request_id}/withdraw",
         Action::kIncidentConsent, "", Withdraw, 16 * 1024});
  r.Add({"POST", "/api/v1/incidents/{id}/share-requests/{request_id}/publish",
         Action::kIncidentHandle, "", Publish, kNoBody});
  r.Add({"GET", "/api/v1/shared-incidents", Action::kSharedRead, "", ListShared, kNoBody});
  r.Add({"GET", "/api/v1/shared-incidents/{id}", Action::kSharedRead, "", GetShared, kNoBody});
}

}  // namespace rampart::sharing
