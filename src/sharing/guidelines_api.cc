// The HTTP handlers of the guidelines library (guidelines.h). A CERT's analysts
// (guideline.publish on the CERT the path names) write a guideline's versions, open them for
// comments until a date, answer each comment and publish. Everyone reads through the audience
// engine (shared.read, then MaySee): drafts only by the author's publishers; a guideline the
// caller may not see answers 404. Organisations of the audience comment while the period is open
// and record their adoption (guideline.adopt on the organisation).
#include <algorithm>
#include <nlohmann/json.hpp>

#include "incidents/cases.h"
#include "isms/frameworks.h"
#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/notify.h"
#include "sharing/api.h"
#include "sharing/audience_input.h"
#include "sharing/guidelines.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

using nlohmann::json;

// Who is told of a consultation or a publication in each organisation of the audience.
const RoleSet kDeliverTo =
    RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kRiskOwner, Role::kAnalyst});

bool MayPublishFor(const Principal* me, const std::string& org_id) {
  return me != nullptr &&
         Decide(me, Action::kGuidelinePublish, {.org_id = org_id}) == Decision::kAllow;
}

// Whether the caller may read version `v` of `g`: drafts by the author's publishers only, the
// rest through the engine.
bool MayReadVersion(const Principal* me, const Guideline& g, const GuidelineVersion& v,
                    const Directory& dir) {
  if (MayPublishFor(me, g.author_org_id)) return true;
  if (v.state == GuidelineState::kDraft) return false;
  return MaySee(ItemOf(g.audience, g.author_org_id), ViewerOf(me), dir);
}

struct Loaded {
  Guideline guideline;
  std::vector<GuidelineVersion> versions;  // oldest first, those the caller may read
  Directory dir;
};

// The guideline the caller may read (some version of it), or 404.
Loaded LoadReadable(db::Tx& tx, const Principal* me, const std::string& id) {
  auto g = FindGuideline(tx, id);
  if (!g) throw NotFound("guideline");
  Loaded l{*g, {}, LoadDirectory(tx, false)};
  for (auto& v : VersionsOf(tx, id)) {
    if (MayReadVersion(me, l.guideline, v, l.dir)) l.versions.push_back(std::move(v));
  }
  if (l.versions.empty()) throw NotFound("guideline");
  return l;
}

// The guideline of the CERT the route names, or 404.
Guideline LoadAuthored(db::Tx& tx, const std::string& org_id, const std::string& id) {
  auto g = FindGuideline(tx, id);
  if (!g || g->author_org_id != org_id) throw NotFound("guideline");
  return *g;
}

const GuidelineVersion* Latest(const std::vector<GuidelineVersion>& vs) {
  return vs.empty() ? nullptr : &vs.back();
}

// The version being worked on (draft or consultation), if any.
std::optional<GuidelineVersion> Open(const std::vector<GuidelineVersion>& vs) {
  for (const auto& v : vs) {
    if (v.state == GuidelineState::kDraft || v.state == GuidelineState::kConsultation) return v;
  }
  return std::nullopt;
}

std::optional<GuidelineVersion> Current(const std::vector<GuidelineVersion>& vs) {
  for (const auto& v : vs) {
    if (v.state == GuidelineState::kPublished) return v;
  }
  return std::nullopt;
}

void WriteOrg(JsonWriter& w, db::Tx& tx, const std::string& id) {
  auto r = tx.QueryOne("SELECT name, short_name, kind FROM organisations WHERE id = $1", {id});
  w.BeginObject()
      .KeyString("id", id)
      .KeyString("name", r ? r->Text(0) : "")
      .KeyString("short_name", r ? r->Text(1) : "")
      .KeyString("kind", r ? r->Text(2) : "")
      .EndObject();
}

std::optional<std::string> UserName(db::Tx& tx, const std::optional<std::string>& id) {
  if (!id) return std::nullopt;
  auto r = tx.QueryOne("SELECT display_name FROM users WHERE id = $1", {*id});
  if (!r) return std::nullopt;
  return r->Text(0);
}

void WriteTlp(JsonWriter& w, Tlp tlp) {
  w.BeginObject()
      .KeyString("label", Label(tlp))
      .KeyString("marking_id", MarkingId(tlp))
      .EndObject();
}

// A control URN of a framework catalogue, with its framework and title; nullopt when unknown.
struct ControlRef {
  std::string urn, framework, id, title;
};
std::optional<ControlRef> ResolveControl(db::Tx& tx, std::string_view urn) {
  for (const auto& s : isms::ListFrameworks(tx)) {
    const auto& f = *s.framework;
    if (!urn.starts_with(f.urn + ":")) continue;
    for (const auto& r : f.requirements) {
      if (f.UrnOf(r) == urn) return ControlRef{std::string(urn), f.name, r.id, r.title};
    }
  }
  return std::nullopt;
}

void WriteStrings(JsonWriter& w, std::string_view key, const std::vector<std::string>& v) {
  w.Key(key).BeginArray();
  for (const auto& s : v) w.String(s);
  w.EndArray();
}

void WriteVersion(JsonWriter& w, db::Tx& tx, const GuidelineVersion& v, bool body, Millis now) {
  w.BeginObject()
      .KeyString("id", v.id)
      .KeyInt("number", v.number)
      .KeyString("state", Name(v.state))
      .KeyString("title", v.title)
      .KeyString("summary", v.summary);
  if (body) w.KeyString("body", v.body);
  WriteStrings(w, "topics", v.topics);
  w.Key("controls").BeginArray();
  for (const auto& c : v.controls) {
    auto ref = ResolveControl(tx, c);
    w.BeginObject()
        .KeyString("urn", c)
        .KeyString("framework", ref ? ref->framework : "")
        .KeyString("id", ref ? ref->id : "")
        .KeyString("title", ref ? ref->title : "")
        .EndObject();
  }
  w.EndArray()
      .KeyOptTime("comments_until", v.comments_until)
      .KeyBool("comments_open", CommentsOpen(v, now))
      .KeyString("changelog", v.changelog)
      .KeyTime("created_at", v.created_at)
      .KeyTime("updated_at", v.updated_at)
      .KeyOptTime("published_at", v.published_at)
      .EndObject();
}

void WriteAdoption(JsonWriter& w, const std::optional<Adoption>& a,
                   const std::vector<GuidelineVersion>& versions) {
  if (!a) {
    w.Null();
    return;
  }
  int number = 0;
  for (const auto& v : versions) {
    if (v.id == a->version_id) number = v.number;
  }
  w.BeginObject()
      .KeyString("status", Name(a->status))
      .KeyString("version_id", a->version_id)
      .KeyInt("version_number", number)
      .KeyString("date", FormatRfc3339(a->on).substr(0, 10))
      .KeyString("note", a->note)
      .KeyTime("at", a->at)
      .EndObject();
}

std::optional<Adoption> AdoptionOf(const std::vector<Adoption>& current, const std::string& org) {
  for (const auto& a : current) {
    if (a.org_id == org) return a;
  }
  return std::nullopt;
}

// The organisations for which the caller acts on `g` with `action`: theirs, in its audience,
// not its author.
std::vector<std::string> OrgsFor(const Principal* me, Action action, const Guideline& g,
                                 const Directory& dir) {
  std::vector<std::string> out;
  if (me == nullptr) return out;
  const Item item = ItemOf(g.audience, g.author_org_id);
  for (const auto& m : me->memberships) {
    if (m.org_id == g.author_org_id) continue;
    if (action != Action::kSharedRead &&
        Decide(me, action, {.org_id = m.org_id}) != Decision::kAllow) {
      continue;
    }
    if (MaySee(item, Viewer{me->user_id, {m.org_id}}, dir)) out.push_back(m.org_id);
  }
  return out;
}

std::string GuidelineJson(db::Tx& tx, const Principal* me, const Loaded& l, Millis now) {
  const Guideline& g = l.guideline;
  const bool publisher = MayPublishFor(me, g.author_org_id);
  const auto open = Open(l.versions);
  const auto current = Current(l.versions);
  const GuidelineVersion* latest = Latest(l.versions);
  JsonWriter w;
  w.BeginObject()
      .KeyString("id", g.id)
      .KeyString("reference", g.reference)
      .KeyString("title", (current ? *current : *latest).title)
      .Key("author");
  WriteOrg(w, tx, g.author_org_id);
  w.Key("tlp");
  WriteTlp(w, g.audience.tlp);
  w.KeyString("distribution", Name(g.audience.distribution));
  WriteStrings(w, "sector_ids", g.audience.sector_ids);
  w.KeyOptString("group_id", g.audience.group_id);
  WriteStrings(w, "recipient_org_ids",
               publisher ? g.audience.recipient_org_ids : std::vector<std::string>{});
  w.Key("versions").BeginArray();
  for (const auto& v : l.versions) WriteVersion(w, tx, v, true, now);
  const auto comments = CommentsOf(tx, g.id);
  std::int64_t unanswered = 0;
  for (const auto& c : comments) {
    if (open && c.version_id == open->id && c.answer == CommentAnswer::kOpen) ++unanswered;
  }
  w.EndArray().Key("comments").BeginArray();
  for (const auto& c : comments) {
    auto v = std::find_if(l.versions.begin(), l.versions.end(),
                          [&](const auto& x) { return x.id == c.version_id; });
    if (v == l.versions.end()) continue;
    w.BeginObject()
        .KeyString("id", c.id)
        .KeyString("version_id", c.version_id)
        .KeyInt("version_number", v->number)
        .Key("organisation");
    WriteOrg(w, tx, c.org_id);
    w.KeyOptString("by", UserName(tx, c.user_id))
        .KeyString("text", c.text)
        .KeyTime("created_at", c.created_at)
        .KeyString("answer", Name(c.answer))
        .KeyString("answer_reason", c.answer_reason)
        .KeyOptTime("answered_at", c.answered_at)
        .EndObject();
  }
  const auto adoptions = CurrentAdoptions(tx, g.id);
  w.EndArray()
      .KeyInt("version", g.version)
      .KeyTime("created_at", g.created_at)
      .KeyTime("updated_at", g.updated_at)
      .Key("you")
      .BeginObject()
      .KeyBool("may_edit", publisher && open && open->state == GuidelineState::kDraft)
      .KeyBool("may_open_comments", publisher && open && open->state == GuidelineState::kDraft)
      .KeyBool("may_publish", publisher && open && !PublishRefusal(*open, unanswered, now))
      .KeyBool("may_revise", publisher && !open && current.has_value())
      .KeyBool("may_answer", publisher)
      .Key("comment_as")
      .BeginArray();
  if (open && CommentsOpen(*open, now)) {
    for (const auto& org : OrgsFor(me, Action::kSharedRead, g, l.dir)) w.String(org);
  }
  w.EndArray().Key("adopt_as").BeginArray();
  if (current) {
    for (const auto& org : OrgsFor(me, Action::kGuidelineAdopt, g, l.dir)) {
      auto r = tx.QueryOne("SELECT name FROM organisations WHERE id = $1", {org});
      w.BeginObject()
          .KeyString("organisation_id", org)
          .KeyString("name", r ? r->Text(0) : "")
          .Key("current");
      WriteAdoption(w, AdoptionOf(adoptions, org), l.versions);
      w.EndObject();
    }
  }
  w.EndArray().EndObject().EndObject();
  return std::move(w).Take();
}

http::Response Render(Context& ctx, const std::string& id, int status) {
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadReadable(tx, ctx.principal, id);
    auto res = JsonText(status, GuidelineJson(tx, ctx.principal, l, now));
    SetETag(res, l.guideline.version);
    return res;
  });
}

// ---- reading a body ----

void ReadContent(Input& in, db::Tx& tx, GuidelineVersion& v, bool create) {
  if (auto s = in.Text("title", {.required = create, .min = 3, .max = 300})) v.title = *s;
  if (auto s = in.Text("summary", {.required = create, .min = 1, .max = 4000})) v.summary = *s;
  if (auto s = in.Text("body", {.required = create, .min = 1, .max = 200000})) v.body = *s;
  if (auto t = in.TextList("topics", {.min = 1, .max = 80}, 30)) {
    v.topics.clear();
    for (const auto& x : *t) {
      if (std::find(v.topics.begin(), v.topics.end(), x) == v.topics.end()) v.topics.push_back(x);
    }
  }
  if (auto c = in.TextList("controls", {.min = 5, .max = 300}, 200)) {
    v.controls.clear();
    for (std::size_t k = 0; k < c->size(); ++k) {
      const std::string& urn = (*c)[k];
      if (!ResolveControl(tx, urn)) {
        in.Fail("controls/" + std::to_string(k),
                "is not the URN of a requirement of a framework (see /api/v1/frameworks)");
      } else if (std::find(v.controls.begin(), v.controls.end(), urn) == v.controls.end()) {
        v.controls.push_back(urn);
      }
    }
  }
}

void CheckShareOrThrow(const Guideline& g, const Directory& dir) {
  if (auto r = CheckShare(ItemOf(g.audience, g.author_org_id), dir)) {
    throw HttpError(422, "share-refused", "This share is not allowed", r->reason,
                    {{"/" + r->field, r->reason}});
  }
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, const std::string& id, json after,
           Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), "guideline", id, ctx.request.request_id);
  e.after = after.dump();
  audit::Append(tx, e, now);
}

json AuditOf(const Guideline& g, const GuidelineVersion& v) {
  return {{"reference", g.reference},
          {"version", v.number},
          {"state", Name(v.state)},
          {"title", v.title},
          {"tlp", Label(g.audience.tlp)},
          {"distribution", Name(g.audience.distribution)},
          {"body_sha256", crypto::Sha256Hex(v.body)},
          {"comments_until", v.comments_until ? json(*v.comments_until) : json(nullptr)}};
}

// Tells the audience (those who act on shared items in each organisation of it).
void Tell(db::Tx& tx, const Context& ctx, const Guideline& g, const GuidelineVersion& v,
          const std::string& what, Millis now) {
  const Directory dir = LoadDirectory(tx, true);
  notify::Event e;
  e.type = "guideline." + what;
  e.actor_id = ctx.caller().user_id;
  const bool open = g.audience.tlp == Tlp::kClear || g.audience.tlp == Tlp::kGreen;
  e.subject = g.reference + (what == "consultation" ? ": open for comments" : ": published") +
              (open ? " — " + v.title : "");
  e.text = what == "consultation"
               ? "A draft guideline, " + g.reference + ", is open for your comments until " +
                     FormatRfc3339(*v.comments_until).substr(0, 10) + "."
               : "Version " + std::to_string(v.number) + " of the guideline " + g.reference +
                     " is published. Record in Rampart whether your organisation adopts it.";
  e.link = "/guidelines/" + g.id;
  e.payload = json{{"guideline_id", g.id}, {"version", v.number}}.dump();
  for (const auto& org : AudienceOrgs(ItemOf(g.audience, g.author_org_id), dir)) {
    if (org == g.author_org_id) continue;
    e.org_id = org;
    e.roles = kDeliverTo;
    notify::Enqueue(tx, e, now);
  }
}

// ---- routes ----

http::Response List(Context& ctx) {
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    const Directory dir = LoadDirectory(tx, false);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& g : ListGuidelines(tx)) {
      std::vector<GuidelineVersion> versions;
      for (auto& v : VersionsOf(tx, g.id)) {
        if (MayReadVersion(ctx.principal, g, v, dir)) versions.push_back(std::move(v));
      }
      if (versions.empty()) continue;
      const auto current = Current(versions);
      const auto open = Open(versions);
      const GuidelineVersion& shown = current ? *current : versions.back();
      const auto adoptions = CurrentAdoptions(tx, g.id);
      w.BeginObject()
          .KeyString("id", g.id)
          .KeyString("reference", g.reference)
          .KeyString("title", shown.title)
          .KeyString("summary", shown.summary);
      WriteStrings(w, "topics", shown.topics);
      w.Key("author");
      WriteOrg(w, tx, g.author_org_id);
      w.Key("tlp");
      WriteTlp(w, g.audience.tlp);
      w.KeyOptInt("published_version",
                  current ? std::optional<std::int64_t>(current->number) : std::nullopt)
          .KeyOptTime("published_at", current ? current->published_at : std::nullopt)
          .KeyOptString(
              "open_state",
              open ? std::optional<std::string>(std::string(Name(open->state))) : std::nullopt)
          .KeyOptTime("comments_until", open ? open->comments_until : std::nullopt)
          .KeyBool("comments_open", open && CommentsOpen(*open, now))
          .Key("adoption")
          .BeginArray();
      for (const auto& org : OrgsFor(ctx.principal, Action::kSharedRead, g, dir)) {
        w.BeginObject().KeyString("organisation_id", org).Key("current");
        WriteAdoption(w, AdoptionOf(adoptions, org), versions);
        w.EndObject();
      }
      w.EndArray().EndObject();
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response Get(Context& ctx) { return Render(ctx, ctx.IdParam("id", "guideline"), 200); }

http::Response Create(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  Input in(ctx.request);
  const std::string id = ctx.db().Write([&](db::Tx& tx) {
    Guideline g;
    GuidelineVersion v;
    g.audience.tlp = Tlp::kGreen;
    ReadContent(in, tx, v, true);
    ReadAudienceFields(in, tx, g.audience, true);
    in.Done();
    g.id = crypto::NewUuid();
    g.reference = NextGuidelineReference(tx, incidents::YearOf(now));
    g.author_org_id = org;
    g.created_by = ctx.caller().user_id;
    g.created_at = g.updated_at = now;
    CheckShareOrThrow(g, LoadDirectory(tx, true));
    InsertGuideline(tx, g);
    v.id = crypto::NewUuid();
    v.guideline_id = g.id;
    v.number = 1;
    v.state = GuidelineState::kDraft;
    v.created_by = g.created_by;
    v.created_at = v.updated_at = now;
    InsertVersion(tx, v);
    Audit(tx, ctx, "guideline.create", g.id, AuditOf(g, v), now);
    return g.id;
  });
  return Render(ctx, id, 201);
}

http::Response Patch(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("guideline_id", "guideline");
  const Millis now = NowMillis();
  Input in(ctx.request);
  ctx.db().Write([&](db::Tx& tx) {
    Guideline g = LoadAuthored(tx, org, id);
    const auto expected = RequiredIfMatch(ctx.request);
    auto open = Open(VersionsOf(tx, id));
    if (!open || open->state != GuidelineState::kDraft) {
      throw Conflict(
          "Only a draft changes: a version open for comments or published stays as it is.");
    }
    GuidelineVersion v = *open;
    ReadContent(in, tx, v, false);
    if (v.number > 1) {
      if (auto c = in.Text("changelog", {.min = 3, .max = 4000})) v.changelog = *c;
    }
    ReadAudienceFields(in, tx, g.audience, false);
    in.Done();
    CheckShareOrThrow(g, LoadDirectory(tx, true));
    g.updated_at = v.updated_at = now;
    if (!UpdateGuideline(tx, g, expected)) throw PreconditionFailed();
    UpdateVersion(tx, v);
    Audit(tx, ctx, "guideline.update", g.id, AuditOf(g, v), now);
  });
  return Render(ctx, id, 200);
}

// Touches the guideline's version, so that a colleague's stale edit gets 412.
void Touch(db::Tx& tx, Guideline& g, Millis now) {
  g.updated_at = now;
  if (!UpdateGuideline(tx, g, g.version)) throw PreconditionFailed();
  ++g.version;
}

http::Response OpenComments(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("guideline_id", "guideline");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto until = in.Time("comments_until", true);
  if (until && *until <= now) in.Fail("comments_until", "must be in the future");
  in.Done();
  ctx.db().Write([&](db::Tx& tx) {
    Guideline g = LoadAuthored(tx, org, id);
    if (ctx.request.Find("If-Match") && RequiredIfMatch(ctx.request) != g.version) {
      throw PreconditionFailed();
    }
    auto open = Open(VersionsOf(tx, id));
    if (!open || open->state != GuidelineState::kDraft) {
      throw Conflict("Only a draft is opened for comments.");
    }
    CheckShareOrThrow(g, LoadDirectory(tx, true));
    GuidelineVersion v = *open;
    v.state = GuidelineState::kConsultation;
    v.comments_until = *until;
    v.updated_at = now;
    UpdateVersion(tx, v);
    Touch(tx, g, now);
    Tell(tx, ctx, g, v, "consultation", now);
    Audit(tx, ctx, "guideline.consult", g.id, AuditOf(g, v), now);
  });
  return Render(ctx, id, 200);
}

http::Response Publish(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("guideline_id", "guideline");
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    Guideline g = LoadAuthored(tx, org, id);
    if (ctx.request.Find("If-Match") && RequiredIfMatch(ctx.request) != g.version) {
      throw PreconditionFailed();
    }
    auto versions = VersionsOf(tx, id);
    auto open = Open(versions);
    if (!open) throw Conflict("There is no draft to publish; start a new version first.");
    std::int64_t unanswered = 0;
    for (const auto& c : CommentsOf(tx, id)) {
      if (c.version_id == open->id && c.answer == CommentAnswer::kOpen) ++unanswered;
    }
    if (auto why = PublishRefusal(*open, unanswered, now)) throw Conflict(*why);
    CheckShareOrThrow(g, LoadDirectory(tx, true));
    for (auto v : versions) {
      if (v.state != GuidelineState::kPublished) continue;
      v.state = GuidelineState::kSuperseded;
      v.updated_at = now;
      UpdateVersion(tx, v);
    }
    GuidelineVersion v = *open;
    v.state = GuidelineState::kPublished;
    v.published_by = ctx.caller().user_id;
    v.published_at = now;
    v.updated_at = now;
    UpdateVersion(tx, v);
    Touch(tx, g, now);
    Tell(tx, ctx, g, v, "published", now);
    Audit(tx, ctx, "guideline.publish", g.id, AuditOf(g, v), now);
  });
  return Render(ctx, id, 200);
}

http::Response Revise(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("guideline_id", "guideline");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto changelog = in.Text("changelog", {.required = true, .min = 3, .max = 4000});
  in.Done();
  ctx.db().Write([&](db::Tx& tx) {
    Guideline g = LoadAuthored(tx, org, id);
    auto versions = VersionsOf(tx, id);
    if (Open(versions)) throw Conflict("A new version is already being written.");
    auto current = Current(versions);
    if (!current) throw Conflict("Publish the first version before starting another.");
    GuidelineVersion v = *current;
    v.id = crypto::NewUuid();
    v.number = versions.back().number + 1;
    v.state = GuidelineState::kDraft;
    v.comments_until.reset();
    v.changelog = *changelog;
    v.created_by = ctx.caller().user_id;
    v.created_at = v.updated_at = now;
    v.published_by.reset();
    v.published_at.reset();
    InsertVersion(tx, v);
    Touch(tx, g, now);
    Audit(tx, ctx, "guideline.revise", g.id, AuditOf(g, v), now);
  });
  return Render(ctx, id, 201);
}

http::Response Comment(Context& ctx) {
  const auto& id = ctx.IdParam("id", "guideline");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto org = in.Text("organisation_id", {.required = true, .uuid = true});
  auto text = in.Text("text", {.required = true, .min = 3, .max = 8000});
  ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadReadable(tx, ctx.principal, id);
    in.Done();  // after the load: a guideline one may not see is 404 whatever the body
    const auto mine = OrgsFor(ctx.principal, Action::kSharedRead, l.guideline, l.dir);
    if (std::find(mine.begin(), mine.end(), *org) == mine.end()) {
      throw HttpError(422, "invalid-input", "Invalid input",
                      "You comment for an organisation of yours that the guideline reaches.",
                      {{"/organisation_id", "is not an organisation of yours in the audience"}});
    }
    auto open = Open(l.versions);
    if (!open || !CommentsOpen(*open, now)) {
      throw Conflict("Comments on this guideline are closed.");
    }
    GuidelineComment c{crypto::NewUuid(), id, open->id, *org, ctx.caller().user_id, *text, now};
    InsertComment(tx, c);
    auto e = audit::By(ctx.principal, "guideline.comment", "guideline", id, ctx.request.request_id);
    e.after =
        json{{"comment_id", c.id}, {"organisation_id", *org}, {"version", open->number}}.dump();
    audit::Append(tx, e, now);
  });
  return Render(ctx, id, 201);
}

http::Response Answer(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("guideline_id", "guideline");
  const auto& comment_id = ctx.IdParam("comment_id", "comment");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto answer = in.Text("answer", {.required = true, .one_of = {"accepted", "rejected"}});
  auto reason = in.Text("reason", {.max = 4000}).value_or("");
  if (answer == "rejected" && reason.size() < 3) in.Fail("reason", "is required to reject");
  ctx.db().Write([&](db::Tx& tx) {
    LoadAuthored(tx, org, id);
    auto c = FindComment(tx, comment_id);
    if (!c || c->guideline_id != id) throw NotFound("comment");
    in.Done();
    c->answer = *answer == "accepted" ? CommentAnswer::kAccepted : CommentAnswer::kRejected;
    c->answer_reason = reason;
    c->answered_by = ctx.caller().user_id;
    c->answered_at = now;
    UpdateComment(tx, *c);
    auto e = audit::By(ctx.principal, "guideline.answer", "guideline", id, ctx.request.request_id);
    e.after = json{{"comment_id", c->id}, {"answer", *answer}, {"reason", reason}}.dump();
    audit::Append(tx, e, now);
  });
  return Render(ctx, id, 200);
}

http::Response Adopt(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("guideline_id", "guideline");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto status =
      in.Text("status", {.required = true, .one_of = {"adopted", "planned", "not_applicable"}});
  auto on = in.Time("date", true);
  auto note = in.Text("note", {.max = 4000}).value_or("");
  auto version_id = in.Text("version_id", {.uuid = true});
  ctx.db().Write([&](db::Tx& tx) {
    auto g = FindGuideline(tx, id);
    const Directory dir = LoadDirectory(tx, false);
    // The organisation adopts what reached it; anything else does not exist for it.
    if (!g ||
        !MaySee(ItemOf(g->audience, g->author_org_id), Viewer{ctx.caller().user_id, {org}}, dir)) {
      throw NotFound("guideline");
    }
    const auto versions = VersionsOf(tx, id);
    auto current = Current(versions);
    if (!current) throw NotFound("guideline");
    std::string version = current->id;
    if (version_id) {
      auto v = std::find_if(versions.begin(), versions.end(),
                            [&](const auto& x) { return x.id == *version_id; });
      if (v == versions.end() || v->state == GuidelineState::kDraft ||
          v->state == GuidelineState::kConsultation) {
        in.Fail("version_id", "is not a published version of this guideline");
      } else {
        version = v->id;
      }
    }
    in.Done();
    if (g->author_org_id == org) {
      throw Conflict("The publishing CERT does not record adopting its own guideline.");
    }
    Adoption a{crypto::NewUuid(),    id, version, org, *ParseAdoptionStatus(*status), *on, note,
               ctx.caller().user_id, now};
    InsertAdoption(tx, a);
    auto e = audit::By(ctx.principal, "guideline.adopt", "guideline", id, ctx.request.request_id);
    e.after = json{
        {"organisation_id", org},
        {"status", *status},
        {"version_id", version},
        {"date", FormatRfc3339(*on).substr(0, 10)},
        {"note",
         note}}.dump();
    audit::Append(tx, e, now);
  });
  return Render(ctx, id, 200);
}

http::Response AdoptionView(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("guideline_id", "guideline");
  return ctx.db().Read([&](db::Tx& tx) {
    Guideline g = LoadAuthored(tx, org, id);
    const auto versions = VersionsOf(tx, id);
    const Directory dir = LoadDirectory(tx, true);
    const auto adoptions = CurrentAdoptions(tx, id);
    JsonWriter w;
    w.BeginObject()
        .KeyString("guideline_id", g.id)
        .KeyString("reference", g.reference)
        .Key("sectors")
        .BeginArray();
    for (const auto& s : AdoptionBySector(tx, id)) {
      const auto share = s.Share();
      w.BeginObject()
          .KeyString("sector_id", s.sector_id)
          .KeyString("name", s.sector_name)
          .KeyInt("organisations", s.organisations)
          .KeyInt("adopted", s.adopted)
          .KeyInt("planned", s.planned)
          .KeyInt("not_applicable", s.not_applicable)
          .Key("share");
      if (share) {
        w.Raw(json(*share).dump());
      } else {
        w.Null();
      }
      w.EndObject();
    }
    w.EndArray().Key("items").BeginArray();
    for (const auto& o : Adopters(tx, g, dir)) {
      w.BeginObject().Key("organisation");
      WriteOrg(w, tx, o);
      w.Key("current");
      WriteAdoption(w, AdoptionOf(adoptions, o), versions);
      w.EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

}  // namespace

void AddGuidelineRoutes(Router& r) {
  r.Add({"GET", "/api/v1/guidelines", Action::kSharedRead, "", List, kNoBody});
  r.Add({"GET", "/api/v1/guidelines/{id}", Action::kSharedRead, "", Get, kNoBody});
  r.Add({"POST", "/api/v1/guidelines/{id}/comments", Action::kSharedRead, "", Comment, 32 * 1024});
  r.Add({"POST", "/api/v1/organisations/{id}/guidelines", Action::kGuidelinePublish, "id", Create,
         512 * 1024});
  r.Add({"PATCH", "/api/v1/organisations/{id}/guidelines/{guideline_id}", Action::kGuidelinePublish,
         "id", Patch, 512 * 1024});
  r.Add({"POST", "/api/v1/organisations/{id}/guidelines/{guideline_id}/consultation",
         Action::kGuidelinePublish, "id", OpenComments, 4 * 1024});
  r.Add({"POST", "/api/v1/organisations/{id}/guidelines/{guideline_id}/publish",
         Action::kGuidelinePublish, "id", Publish, kNoBody});
  r.Add({"POST", "/api/v1/organisations/{id}/guidelines/{guideline_id}/versions",
         Action::kGuidelinePublish, "id", Revise, 16 * 1024});
  r.Add({"POST",
         "/api/v1/organisations/{id}/guidelines/{guideline_id}/comments/{comment_id}/answer",
         Action::kGuidelinePublish, "id", Answer, 16 * 1024});
  r.Add({"GET", "/api/v1/organisations/{id}/guidelines/{guideline_id}/adoption",
         Action::kGuidelinePublish, "id", AdoptionView, kNoBody});
  r.Add({"PUT", "/api/v1/organisations/{id}/guideline-adoptions/{guideline_id}",
         Action::kGuidelineAdopt, "id", Adopt, 16 * 1024});
}

}  // namespace rampart::sharing
