// The HTTP handlers of advisories and alerts. A CERT's analysts (advisory.publish on the CERT,
// which the route's path names) write drafts, publish them and correct them with new revisions;
// everyone reads them through the audience engine (shared.read, then MaySee on each item, lists
// included), and an advisory the caller may not see answers 404, whatever its label. Publishing
// tells the audience, and only the audience, in the application and by e-mail; organisations of
// the audience acknowledge (advisory.ack), and the CERT follows who has not.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "incidents/cases.h"
#include "incidents/observables.h"
#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/notify.h"
#include "sharing/api.h"
#include "sharing/audience_input.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

using nlohmann::json;

// Who is told of a new advisory in each organisation of its audience: those who may act on it.
const RoleSet kDeliverTo =
    RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kRiskOwner, Role::kReporter, Role::kAnalyst});

struct OrgRow {
  std::string name, short_name, kind;
  std::optional<std::int64_t> tier;
};

std::optional<OrgRow> FindOrg(db::Tx& tx, const std::string& id) {
  auto r = tx.QueryOne(
      "SELECT name, short_name, kind, criticality_tier FROM organisations WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return OrgRow{r->Text(0), r->Text(1), r->Text(2), r->OptInt(3)};
}

void WriteOrg(JsonWriter& w, db::Tx& tx, const std::string& id) {
  const auto o = FindOrg(tx, id).value_or(OrgRow{});
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

bool MayPublishFor(const Principal& me, const std::string& org_id) {
  return Decide(&me, Action::kAdvisoryPublish, {.org_id = org_id}) == Decision::kAllow;
}

// The organisations for which the caller may acknowledge `item`: theirs, in its audience, not
// its author.
std::vector<std::string> AckOrgs(const Principal& me, const Item& item, const Directory& dir) {
  std::vector<std::string> out;
  for (const auto& m : me.memberships) {
    if (m.org_id == item.author_org_id) continue;
    if (Decide(&me, Action::kAdvisoryAck, {.org_id = m.org_id}) != Decision::kAllow) continue;
    if (MaySee(item, Viewer{me.user_id, {m.org_id}}, dir)) out.push_back(m.org_id);
  }
  return out;
}

// Whether `org` is one that may pass the item on (CheckPassOn says to whom).
bool MayPassOn(const Item& item, const std::string& org) {
  return item.tlp == Tlp::kAmber &&
         std::find(item.recipient_org_ids.begin(), item.recipient_org_ids.end(), org) !=
             item.recipient_org_ids.end();
}

// Whether the caller may read this revision: drafts only by the author's publishers; published
// and superseded revisions through the engine.
bool MayRead(const Principal* me, const Advisory& a, const Item& item, const Directory& dir) {
  if (a.state == AdvisoryState::kDraft) return me != nullptr && MayPublishFor(*me, a.author_org_id);
  return MaySee(item, ViewerOf(me), dir);
}

struct Loaded {
  Advisory advisory;
  Item item;
  Directory dir;
};

// The advisory the caller may read, or 404.
Loaded LoadReadable(db::Tx& tx, const Context& ctx, const std::string& id) {
  auto a = FindAdvisory(tx, id);
  if (!a) throw NotFound("advisory");
  Loaded l{*a, ItemOf(*a, PassesOf(tx, a->series_id)), LoadDirectory(tx, false)};
  if (!MayRead(ctx.principal, l.advisory, l.item, l.dir)) throw NotFound("advisory");
  return l;
}

// The advisory of the CERT the route names (`{id}`), or 404.
Advisory LoadAuthored(db::Tx& tx, const std::string& org_id, const std::string& id) {
  auto a = FindAdvisory(tx, id);
  if (!a || a->author_org_id != org_id) throw NotFound("advisory");
  return *a;
}

// ---- rendering ----

void WriteTlp(JsonWriter& w, Tlp tlp) {
  w.BeginObject()
      .KeyString("label", Label(tlp))
      .KeyString("marking_id", MarkingId(tlp))
      .EndObject();
}

void WriteAck(JsonWriter& w, db::Tx& tx, const std::optional<Acknowledgement>& k) {
  if (!k) {
    w.Null();
    return;
  }
  w.BeginObject()
      .KeyString("state", Name(k->state))
      .KeyString("note", k->note)
      .KeyString("advisory_id", k->advisory_id)
      .KeyOptString("by", UserName(tx, k->by_user_id))
      .KeyTime("at", k->at)
      .EndObject();
}

std::optional<Acknowledgement> CurrentAckOf(const std::vector<Acknowledgement>& acks,
                                            const std::string& org) {
  for (const auto& k : acks) {
    if (k.org_id == org) return k;
  }
  return std::nullopt;
}

std::string AdvisoryJson(db::Tx& tx, const Principal* me, const Loaded& l) {
  const Advisory& a = l.advisory;
  const bool author_side = me != nullptr && me->MemberOf(a.author_org_id) != nullptr;
  const bool publisher = me != nullptr && MayPublishFor(*me, a.author_org_id);
  JsonWriter w;
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("series_id", a.series_id)
      .KeyString("reference", a.reference)
      .KeyInt("revision", a.revision)
      .KeyString("state", Name(a.state))
      .KeyString("title", a.title)
      .KeyString("summary", a.summary)
      .KeyString("severity", Name(a.severity))
      .Key("affected_products")
      .BeginArray();
  for (const auto& p : a.products) {
    w.BeginObject()
        .KeyString("vendor", p.vendor)
        .KeyString("product", p.product)
        .KeyString("versions", p.versions)
        .EndObject();
  }
  w.EndArray().Key("cve_ids").BeginArray();
  for (const auto& c : a.cve_ids) w.String(c);
  w.EndArray()
      .KeyString("recommended_actions", a.recommended_actions)
      .Key("observables")
      .BeginArray();
  for (const auto& o : a.observables) {
    w.BeginObject().KeyString("type", o.type).KeyString("value", o.value).EndObject();
  }
  w.EndArray().Key("tlp");
  WriteTlp(w, a.tlp);
  w.KeyString("distribution", Name(a.distribution)).Key("sectors").BeginArray();
  for (const auto& s : a.sector_ids) {
    auto r = tx.QueryOne("SELECT name FROM sectors WHERE id = $1", {s});
    w.BeginObject().KeyString("id", s).KeyString("name", r ? r->Text(0) : "").EndObject();
  }
  w.EndArray().Key("group");
  if (a.group_id) {
    auto r = tx.QueryOne("SELECT name FROM sharing_groups WHERE id = $1", {*a.group_id});
    w.BeginObject().KeyString("id", *a.group_id).KeyString("name", r ? r->Text(0) : "").EndObject();
  } else {
    w.Null();
  }
  w.Key("author");
  WriteOrg(w, tx, a.author_org_id);
  // Who else was named is the author's business: a recipient learns it received the item, not
  // who else did.
  w.Key("recipient_organisations").BeginArray();
  if (author_side) {
    for (const auto& o : a.recipient_org_ids) WriteOrg(w, tx, o);
  }
  w.EndArray().Key("recipient_people").BeginArray();
  if (author_side) {
    for (const auto& u : a.recipient_user_ids) {
      w.BeginObject().KeyString("id", u).KeyOptString("display_name", UserName(tx, u)).EndObject();
    }
  }
  w.EndArray()
      .KeyString("changelog", a.changelog)
      .KeyOptTime("published_at", a.published_at)
      .KeyOptString("published_by", author_side ? UserName(tx, a.published_by) : std::nullopt)
      .KeyTime("created_at", a.created_at)
      .KeyTime("updated_at", a.updated_at)
      .KeyInt("version", a.version);

  // The revisions the caller may read, so a correction leads back to what it corrected.
  w.Key("revisions").BeginArray();
  for (const auto& r : RevisionsOf(tx, a.series_id)) {
    if (!MayRead(me, r, ItemOf(r, l.item.passed_on), l.dir)) continue;
    w.BeginObject()
        .KeyString("id", r.id)
        .KeyInt("revision", r.revision)
        .KeyString("state", Name(r.state))
        .KeyString("changelog", r.changelog)
        .KeyOptTime("published_at", r.published_at)
        .EndObject();
  }
  w.EndArray();

  const auto acks = a.state == AdvisoryState::kDraft ? std::vector<Acknowledgement>{}
                                                     : CurrentAcks(tx, a.series_id);
  w.Key("you").BeginObject().KeyBool("may_edit", publisher && a.state == AdvisoryState::kDraft);
  w.KeyBool("may_publish", publisher && a.state == AdvisoryState::kDraft)
      .KeyBool("may_correct", publisher && a.state == AdvisoryState::kPublished)
      .Key("acknowledge_as")
      .BeginArray();
  if (me != nullptr && a.state != AdvisoryState::kDraft) {
    for (const auto& org : AckOrgs(*me, l.item, l.dir)) {
      const auto o = FindOrg(tx, org).value_or(OrgRow{});
      w.BeginObject()
          .KeyString("organisation_id", org)
          .KeyString("name", o.name)
          .KeyBool("may_pass_on", MayPassOn(l.item, org))
          .Key("current");
      WriteAck(w, tx, CurrentAckOf(acks, org));
      w.EndObject();
    }
  }
  w.EndArray().EndObject().EndObject();
  return std::move(w).Take();
}

http::Response Render(Context& ctx, const std::string& id, int status) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadReadable(tx, ctx, id);
    auto res = JsonText(status, AdvisoryJson(tx, ctx.principal, l));
    SetETag(res, l.advisory.version);
    return res;
  });
}

// ---- reading a body ----

// Reads the content and audience fields into `a`; on create every required field must be there.
void ReadFields(Input& in, db::Tx& tx, Advisory& a, bool create) {
  if (auto v = in.Text("title", {.required = create, .min = 3, .max = 300})) a.title = *v;
  if (auto v = in.Text("summary", {.required = create, .min = 1, .max = 16000})) a.summary = *v;
  if (auto v = in.Text("severity", {.required = create,
                                    .one_of = {"info", "low", "medium", "high", "critical"}})) {
    a.severity = *ParseSeverity(*v);
  }
  if (in.Has("affected_products")) {
    a.products.clear();
    for (auto& p : in.Objects("affected_products", 200)) {
      auto vendor = p.Text("vendor", {.required = true, .min = 1, .max = 200});
      auto product = p.Text("product", {.required = true, .min = 1, .max = 200});
      auto versions = p.Text("versions", {.max = 500});
      if (vendor && product) a.products.push_back({*vendor, *product, versions.value_or("")});
      in.Absorb(p);
    }
  }
  if (auto cves = in.TextList("cve_ids", {.min = 1, .max = 40}, 500)) {
    a.cve_ids.clear();
    for (std::size_t i = 0; i < cves->size(); ++i) {
      auto c = CanonicalCve((*cves)[i]);
      if (!c) {
        in.Fail("cve_ids/" + std::to_string(i), "is not a CVE id (CVE-YYYY-NNNN or longer)");
      } else if (std::find(a.cve_ids.begin(), a.cve_ids.end(), *c) == a.cve_ids.end()) {
        a.cve_ids.push_back(*c);
      }
    }
  }
  if (auto v = in.Text("recommended_actions", {.max = 16000})) a.recommended_actions = *v;
  if (in.Has("observables")) {
    a.observables.clear();
    for (auto& o : in.Objects("observables", 2000)) {
      auto type = o.Text("type", {.required = true, .max = 20});
      auto value = o.Text("value", {.required = true, .min = 1, .max = 2048});
      std::optional<incidents::ObservableType> t;
      if (type) {
        t = incidents::ParseObservableType(*type);
        if (!t)
          o.Fail("type",
                 "must be one of ipv4, ipv6, domain, url, md5, sha1, sha256, sha512, email, cve");
      }
      if (t && value) {
        auto n = incidents::Normalise(*t, *value);
        if (!n.ok()) {
          o.Fail("value", n.error);
        } else {
          a.observables.push_back({*type, n.value});
        }
      }
      in.Absorb(o);
    }
  }
  ReadAudienceFields(in, tx, a, create);
}

// 422 naming the field at fault when the audience is wider than the label or contradicts itself.
void CheckShareOrThrow(const Advisory& a, const Directory& dir) {
  if (auto r = CheckShare(ItemOf(a), dir)) {
    throw HttpError(422, "share-refused", "This share is not allowed", r->reason,
                    {{"/" + r->field, r->reason}});
  }
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, const Advisory& after,
           std::optional<std::string> before, Millis now) {
  auto e =
      audit::By(ctx.principal, std::move(action), "advisory", after.id, ctx.request.request_id);
  e.before = std::move(before);
  e.after = AuditState(after);
  audit::Append(tx, e, now);
}

// Tells the audience of a newly published revision, and nobody else: for RED the named people
// themselves, otherwise those who act on advisories in each organisation of the audience. What
// leaves by e-mail names the advisory by reference, severity and label; the title only when the
// label lets it travel (CLEAR, GREEN).
int Deliver(db::Tx& tx, const Context& ctx, const Advisory& a, const Item& item,
            const Directory& dir, Millis now) {
  notify::Event e;
  e.type = "advisory.published";
  e.actor_id = ctx.caller().user_id;
  const bool open = a.tlp == Tlp::kClear || a.tlp == Tlp::kGreen;
  const std::string what = a.revision > 1 ? "corrected advisory" : "new advisory";
  e.subject = a.reference + ": " + what + " (" + std::string(Name(a.severity)) + ", " +
              std::string(Label(a.tlp)) + ")" + (open ? " " + a.title : "");
  e.text = "A " + std::string(Name(a.severity)) + " " + what + ", " + a.reference +
           (a.revision > 1 ? " revision " + std::to_string(a.revision) : "") + ", labelled " +
           std::string(Label(a.tlp)) +
           ", was published for your organisation. Open it in Rampart to read it and to record "
           "whether it applies to you.";
  e.link = "/advisories/" + a.id;
  e.payload = json{{"advisory_id", a.id},
                   {"reference", a.reference},
                   {"revision", a.revision},
                   {"severity", Name(a.severity)},
                   {"tlp", Label(a.tlp)}}
                  .dump();
  int told = 0;
  if (a.tlp == Tlp::kRed) {
    for (const auto& user : AudiencePeople(item, dir)) {
      if (user == e.actor_id) continue;
      auto u = tx.QueryOne("SELECT email, display_name FROM users WHERE id = $1 AND disabled = 0",
                           {user});
      if (!u) continue;
      notify::AddNotification(tx, user, e, now);
      if (!u->Text(0).empty()) notify::QueueEmail(tx, u->Text(0), u->Text(1), e, now);
      ++told;
    }
    return told;
  }
  for (const auto& org : AudienceOrgs(item, dir)) {
    if (org == a.author_org_id) continue;
    e.org_id = org;
    e.roles = kDeliverTo;
    notify::Enqueue(tx, e, now);
    ++told;
  }
  return told;
}

// ---- routes ----

http::Response Create(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  Input in(ctx.request);
  const std::string id = ctx.db().Write([&](db::Tx& tx) {
    Advisory a;
    ReadFields(in, tx, a, true);
    in.Done();
    a.id = crypto::NewUuid();
    a.series_id = a.id;
    a.reference = NextAdvisoryReference(tx, incidents::YearOf(now));
    a.author_org_id = org;
    a.state = AdvisoryState::kDraft;
    a.created_by = ctx.caller().user_id;
    a.created_at = a.updated_at = now;
    CheckShareOrThrow(a, LoadDirectory(tx, true));
    InsertAdvisory(tx, a);
    Audit(tx, ctx, "advisory.create", a, std::nullopt, now);
    return a.id;
  });
  return Render(ctx, id, 201);
}

http::Response Patch(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("advisory_id", "advisory");
  const Millis now = NowMillis();
  Input in(ctx.request);
  ctx.db().Write([&](db::Tx& tx) {
    Advisory a = LoadAuthored(tx, org, id);
    const auto version = RequiredIfMatch(ctx.request);
    if (a.state != AdvisoryState::kDraft) {
      throw Conflict(
          "A published advisory does not change; publish a correction (POST …/revisions).");
    }
    const Advisory before = a;
    ReadFields(in, tx, a, false);
    if (a.revision > 1) {
      if (auto c = in.Text("changelog", {.min = 3, .max = 4000})) a.changelog = *c;
    }
    in.Done();
    CheckShareOrThrow(a, LoadDirectory(tx, true));
    if (!UpdateAdvisory(tx, a, version, now)) throw PreconditionFailed();
    a.version = before.version + 1;
    Audit(tx, ctx, "advisory.update", a, AuditState(before), now);
  });
  return Render(ctx, id, 200);
}

http::Response DeleteDraftRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("advisory_id", "advisory");
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    Advisory a = LoadAuthored(tx, org, id);
    if (a.state != AdvisoryState::kDraft) {
      throw Conflict("Only a draft can be discarded; a published advisory stays on record.");
    }
    if (ctx.request.Find("If-Match") && RequiredIfMatch(ctx.request) != a.version) {
      throw PreconditionFailed();
    }
    DeleteDraft(tx, id);
    auto e = audit::By(ctx.principal, "advisory.discard", "advisory", id, ctx.request.request_id);
    e.before = AuditState(a);
    audit::Append(tx, e, now);
  });
  return NoContent();
}

http::Response Publish(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("advisory_id", "advisory");
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    Advisory a = LoadAuthored(tx, org, id);
    if (ctx.request.Find("If-Match") && RequiredIfMatch(ctx.request) != a.version) {
      throw PreconditionFailed();
    }
    if (a.state != AdvisoryState::kDraft) throw Conflict("This revision is published already.");
    // The directory may have moved since the draft was saved (a recipient left a group): decide
    // again now, on what the audience is now.
    const Directory dir = LoadDirectory(tx, true);
    CheckShareOrThrow(a, dir);
    const Advisory before = a;
    a.state = AdvisoryState::kPublished;
    a.published_at = now;
    a.published_by = ctx.caller().user_id;
    if (!UpdateAdvisory(tx, a, before.version, now)) throw PreconditionFailed();
    a.version = before.version + 1;
    SupersedeOthers(tx, a.series_id, a.id, now);
    Deliver(tx, ctx, a, ItemOf(a, PassesOf(tx, a.series_id)), dir, now);
    Audit(tx, ctx, "advisory.publish", a, AuditState(before), now);
  });
  return Render(ctx, id, 200);
}

http::Response Correct(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("advisory_id", "advisory");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto changelog = in.Text("changelog", {.required = true, .min = 3, .max = 4000});
  in.Done();
  const std::string draft_id = ctx.db().Write([&](db::Tx& tx) {
    Advisory a = LoadAuthored(tx, org, id);
    if (a.state != AdvisoryState::kPublished) {
      throw Conflict("Only the current published revision can be corrected.");
    }
    if (auto d = DraftOf(tx, a.series_id)) {
      throw Conflict("A correction of this advisory is already being drafted (" + *d + ").");
    }
    Advisory next = a;
    next.id = crypto::NewUuid();
    next.revision = a.revision + 1;
    next.state = AdvisoryState::kDraft;
    next.changelog = *changelog;
    next.created_by = ctx.caller().user_id;
    next.published_by.reset();
    next.published_at.reset();
    next.version = 1;
    next.created_at = next.updated_at = now;
    InsertAdvisory(tx, next);
    Audit(tx, ctx, "advisory.revise", next, std::nullopt, now);
    return next.id;
  });
  return Render(ctx, draft_id, 201);
}

http::Response List(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  auto param = [&](std::string_view name) { return ctx.request.QueryParam(name).value_or(""); };
  AdvisoryFilter f;
  f.state = param("state");
  if (f.state.empty()) f.state = "published";
  if (f.state != "published" && f.state != "draft") {
    errors.push_back({"state", "must be published or draft"});
  }
  f.severity = param("severity");
  if (!f.severity.empty() && !ParseSeverity(f.severity)) {
    errors.push_back({"severity", "must be info, low, medium, high or critical"});
  }
  f.query = param("q");
  if (f.query.size() > 200) errors.push_back({"q", "must be at most 200 characters"});
  std::optional<AdvisoryCursor> after;
  if (page.after) {
    const json& k = *page.after;
    if (k.size() != 2 || !k[0].is_number_integer() || !k[1].is_string()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after = AdvisoryCursor{k[0].get<Millis>(), k[1].get<std::string>()};
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));

  const Principal& me = ctx.caller();
  return ctx.db().Read([&](db::Tx& tx) {
    const Viewer viewer = ViewerOf(&me);
    const Directory dir = LoadDirectory(tx, false);
    std::vector<std::string> draft_orgs;
    for (const auto& m : me.memberships) {
      if (MayPublishFor(me, m.org_id)) draft_orgs.push_back(m.org_id);
    }
    // SQL narrows to rows that may concern the caller; the engine decides each. Fetch in
    // batches until a page is full, so rows the engine drops never shorten a page.
    std::vector<std::pair<Advisory, Item>> shown;
    bool more = false;
    auto cursor = after;
    for (int round = 0; round < 20; ++round) {
      const int batch = page.limit + 1;
      auto rows = ListAdvisoryCandidates(tx, viewer, draft_orgs, f, cursor, batch);
      for (auto& a : rows) {
        cursor = AdvisoryCursor{a.published_at.value_or(a.created_at), a.id};
        Item item = ItemOf(a, PassesOf(tx, a.series_id));
        if (!MayRead(&me, a, item, dir)) continue;
        if (static_cast<int>(shown.size()) == page.limit) {
          more = true;
          break;
        }
        shown.emplace_back(std::move(a), std::move(item));
      }
      if (more || static_cast<int>(rows.size()) < batch) break;
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& [a, item] : shown) {
      const auto acks = CurrentAcks(tx, a.series_id);
      w.BeginObject()
          .KeyString("id", a.id)
          .KeyString("reference", a.reference)
          .KeyInt("revision", a.revision)
          .KeyString("state", Name(a.state))
          .KeyString("title", a.title)
          .KeyString("severity", Name(a.severity))
          .Key("tlp");
      WriteTlp(w, a.tlp);
      w.KeyString("distribution", Name(a.distribution)).Key("cve_ids").BeginArray();
      for (const auto& c : a.cve_ids) w.String(c);
      w.EndArray().Key("author");
      WriteOrg(w, tx, a.author_org_id);
      w.KeyOptTime("published_at", a.published_at).KeyTime("updated_at", a.updated_at);
      w.Key("acknowledgements").BeginArray();
      for (const auto& org : AckOrgs(me, item, dir)) {
        w.BeginObject().KeyString("organisation_id", org).Key("current");
        WriteAck(w, tx, CurrentAckOf(acks, org));
        w.EndObject();
      }
      w.EndArray().EndObject();
    }
    std::optional<std::string> next;
    if (more) {
      const Advisory& last = shown.back().first;
      next = EncodeCursor(json::array({last.published_at.value_or(last.created_at), last.id}));
    }
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response Get(Context& ctx) { return Render(ctx, ctx.IdParam("id", "advisory"), 200); }

// One organisation's acknowledgement, with its history.
std::string AckJson(db::Tx& tx, const std::string& series_id, const std::string& org) {
  const auto history = AckHistory(tx, series_id, org);
  JsonWriter w;
  w.BeginObject().KeyString("organisation_id", org).Key("current");
  WriteAck(w, tx, history.empty() ? std::nullopt : std::optional(history.front()));
  w.Key("history").BeginArray();
  for (const auto& k : history) WriteAck(w, tx, k);
  w.EndArray().EndObject();
  return std::move(w).Take();
}

http::Response Acknowledge(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("advisory_id", "advisory");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto state = in.Text("state", {.required = true, .one_of = {"read", "applied", "not_affected"}});
  auto note = in.Text("note", {.max = 4000});
  std::string series;
  ctx.db().Write([&](db::Tx& tx) {
    auto a = FindAdvisory(tx, id);
    const Directory dir = LoadDirectory(tx, false);
    // The organisation acknowledges what reached it: it, through the caller, must be in the
    // audience; anything else does not exist for it.
    if (!a || a->state == AdvisoryState::kDraft ||
        !MaySee(ItemOf(*a, PassesOf(tx, a->series_id)), Viewer{ctx.caller().user_id, {org}}, dir)) {
      throw NotFound("advisory");
    }
    in.Done();
    if (a->author_org_id == org) {
      throw Conflict("The publishing CERT does not acknowledge its own advisory.");
    }
    series = a->series_id;
    Acknowledgement k{crypto::NewUuid(), a->series_id,         a->id, org, *ParseAckState(*state),
                      note.value_or(""), ctx.caller().user_id, now};
    InsertAck(tx, k);
    auto e =
        audit::By(ctx.principal, "advisory.acknowledge", "advisory", a->id, ctx.request.request_id);
    e.after = json{{"organisation_id", org}, {"state", *state}, {"note", k.note}}.dump();
    audit::Append(tx, e, now);
  });
  return ctx.db().Read([&](db::Tx& tx) { return JsonText(200, AckJson(tx, series, org)); });
}

http::Response Dashboard(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("advisory_id", "advisory");
  const bool pending_only = ctx.request.QueryParam("pending").value_or("") == "true";
  return ctx.db().Read([&](db::Tx& tx) {
    Advisory a = LoadAuthored(tx, org, id);
    if (a.state == AdvisoryState::kDraft) {
      throw Conflict("A draft has no audience yet: publish it first.");
    }
    const Directory dir = LoadDirectory(tx, true);
    const Item item = ItemOf(a, PassesOf(tx, a.series_id));
    const auto acks = CurrentAcks(tx, a.series_id);
    struct Row {
      std::string id;
      OrgRow org;
      std::optional<Acknowledgement> ack;
    };
    std::vector<Row> rows;
    for (const auto& o : AudienceOrgs(item, dir)) {
      if (o == a.author_org_id) continue;
      rows.push_back({o, FindOrg(tx, o).value_or(OrgRow{}), CurrentAckOf(acks, o)});
    }
    // Who has not answered first, the most critical of them first.
    std::sort(rows.begin(), rows.end(), [](const Row& x, const Row& y) {
      if (x.ack.has_value() != y.ack.has_value()) return !x.ack.has_value();
      const auto tier_x = x.org.tier.value_or(9), tier_y = y.org.tier.value_or(9);
      if (tier_x != tier_y) return tier_x < tier_y;
      return x.org.name < y.org.name;
    });
    std::map<std::string, int> counts{{"read", 0}, {"applied", 0}, {"not_affected", 0}};
    int pending = 0, pending_critical = 0;
    for (const auto& r : rows) {
      if (r.ack) {
        ++counts[std::string(Name(r.ack->state))];
      } else {
        ++pending;
        if (r.org.tier && *r.org.tier == 1) ++pending_critical;
      }
    }
    JsonWriter w;
    w.BeginObject()
        .KeyString("advisory_id", a.id)
        .KeyString("reference", a.reference)
        .KeyString("severity", Name(a.severity))
        .Key("summary")
        .BeginObject()
        .KeyInt("audience", static_cast<std::int64_t>(rows.size()))
        .KeyInt("acknowledged", static_cast<std::int64_t>(rows.size()) - pending)
        .KeyInt("read", counts["read"])
        .KeyInt("applied", counts["applied"])
        .KeyInt("not_affected", counts["not_affected"])
        .KeyInt("pending", pending)
        .KeyInt("pending_critical", pending_critical)
        .EndObject()
        .Key("items")
        .BeginArray();
    for (const auto& r : rows) {
      if (pending_only && r.ack) continue;
      w.BeginObject()
          .Key("organisation")
          .BeginObject()
          .KeyString("id", r.id)
          .KeyString("name", r.org.name)
          .KeyString("short_name", r.org.short_name)
          .KeyString("kind", r.org.kind)
          .KeyOptInt("criticality_tier", r.org.tier)
          .EndObject()
          .Key("current");
      WriteAck(w, tx, r.ack);
      w.EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response PassOnRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("advisory_id", "advisory");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto to = in.Text("to_org_id", {.required = true, .uuid = true});
  ctx.db().Write([&](db::Tx& tx) {
    auto a = FindAdvisory(tx, id);
    const Directory dir = LoadDirectory(tx, false);
    if (!a || a->state == AdvisoryState::kDraft) throw NotFound("advisory");
    const Item item = ItemOf(*a, PassesOf(tx, a->series_id));
    if (!MaySee(item, Viewer{ctx.caller().user_id, {org}}, dir)) throw NotFound("advisory");
    in.Done();
    if (auto r = CheckPassOn(item, org, *to, dir)) {
      throw HttpError(
          422, "share-refused", "This share is not allowed", r->reason,
          {{"/" + (r->field == "to_org_id" ? r->field : std::string("to_org_id")), r->reason}});
    }
    const PassOn pass{org, *to, ctx.caller().user_id, now};
    InsertPass(tx, a->series_id, pass);
    notify::Event e;
    e.type = "advisory.passed_on";
    e.org_id = *to;
    e.roles = kDeliverTo;
    e.actor_id = ctx.caller().user_id;
    e.subject = a->reference + ": advisory passed on to you (" + std::string(Name(a->severity)) +
                ", TLP:AMBER)";
    e.text = "An advisory, " + a->reference +
             ", labelled TLP:AMBER, was passed on to your organisation by one of its recipients. "
             "Open it in Rampart to read it.";
    e.link = "/advisories/" + a->id;
    e.payload = json{{"advisory_id", a->id}, {"reference", a->reference}}.dump();
    notify::Enqueue(tx, e, now);
    auto ae =
        audit::By(ctx.principal, "advisory.pass_on", "advisory", a->id, ctx.request.request_id);
    ae.after = json{{"from_org_id", org}, {"to_org_id", *to}}.dump();
    audit::Append(tx, ae, now);
  });
  return Render(ctx, id, 201);
}

http::Response Preview(Context& ctx) {
  Input in(ctx.request);
  auto author = in.Text("author_org_id", {.required = true, .uuid = true});
  const Principal& me = ctx.caller();
  if (author && !me.MemberOf(*author)) {
    in.Fail("author_org_id", "is not an organisation you belong to");
  }
  return ctx.db().Read([&](db::Tx& tx) {
    Advisory a;
    a.tlp = Tlp::kRed;
    a.distribution = Distribution::kOrganisation;
    ReadFields(in, tx, a, false);
    if (!in.Has("tlp")) in.Fail("tlp", "is required");
    if (!in.Has("distribution")) in.Fail("distribution", "is required");
    // Only the audience fields mean anything here.
    in.Done();
    a.author_org_id = *author;
    const Directory dir = LoadDirectory(tx, true);
    const Item item = ItemOf(a);
    const auto refusal = CheckShare(item, dir);
    // A group the author neither owns nor belongs to is not shown: its members are its own.
    const bool hide = refusal && refusal->field == "group_id";
    JsonWriter w;
    w.BeginObject().KeyBool("allowed", !refusal).Key("refusal");
    if (refusal) {
      w.BeginObject()
          .KeyString("field", refusal->field)
          .KeyString("reason", refusal->reason)
          .EndObject();
    } else {
      w.Null();
    }
    w.Key("tlp");
    WriteTlp(w, a.tlp);
    w.Key("organisations").BeginArray();
    std::int64_t count = 0;
    if (!hide) {
      for (const auto& o : AudienceOrgs(item, dir)) {
        WriteOrg(w, tx, o);
        ++count;
      }
    }
    w.EndArray().KeyInt("organisation_count", count).Key("people").BeginArray();
    if (!hide) {
      for (const auto& u : AudiencePeople(item, dir)) {
        w.BeginObject()
            .KeyString("id", u)
            .KeyOptString("display_name", UserName(tx, u))
            .EndObject();
      }
    }
    w.EndArray()
        .KeyBool("anonymous_public",
                 MaySee(item, Viewer{}, dir))  // whether the public pages would show it
        .EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

}  // namespace

void AddAdvisoryRoutes(Router& r) {
  r.Add({"GET", "/api/v1/advisories", Action::kSharedRead, "", List, kNoBody});
  r.Add({"GET", "/api/v1/advisories/{id}", Action::kSharedRead, "", Get, kNoBody});
  r.Add({"POST", "/api/v1/organisations/{id}/advisories", Action::kAdvisoryPublish, "id", Create,
         256 * 1024});
  r.Add({"PATCH", "/api/v1/organisations/{id}/advisories/{advisory_id}", Action::kAdvisoryPublish,
         "id", Patch, 256 * 1024});
  r.Add({"DELETE", "/api/v1/organisations/{id}/advisories/{advisory_id}", Action::kAdvisoryPublish,
         "id", DeleteDraftRoute, kNoBody});
  r.Add({"POST", "/api/v1/organisations/{id}/advisories/{advisory_id}/publish",
         Action::kAdvisoryPublish, "id", Publish, kNoBody});
  r.Add({"POST", "/api/v1/organisations/{id}/advisories/{advisory_id}/revisions",
         Action::kAdvisoryPublish, "id", Correct, 16 * 1024});
  r.Add({"GET", "/api/v1/organisations/{id}/advisories/{advisory_id}/acknowledgements",
         Action::kAdvisoryPublish, "id", Dashboard, kNoBody});
  r.Add({"PUT", "/api/v1/organisations/{id}/advisory-acknowledgements/{advisory_id}",
         Action::kAdvisoryAck, "id", Acknowledge, 16 * 1024});
  r.Add({"POST", "/api/v1/organisations/{id}/advisory-passes/{advisory_id}", Action::kAdvisoryAck,
         "id", PassOnRoute, 4 * 1024});
  r.Add({"POST", "/api/v1/sharing/audience-preview", Action::kSharedRead, "", Preview, 64 * 1024});
}

}  // namespace rampart::sharing
