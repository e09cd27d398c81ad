// The charter and policy API: /api/v1/organisations/{id}/policy-documents/… for the organisation
// (read by its ISMS readers, drafted by its CISO's team, approved by management, published to its
// people), and /api/v1/me/policy-acknowledgements for each person asked to acknowledge one.
#include <nlohmann/json.hpp>
#include <set>

#include "isms/policy_docs.h"
#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/principal.h"

namespace rampart::isms {

namespace {

using nlohmann::json;

constexpr std::string_view kBase = "/api/v1/organisations/{id}/policy-documents";
// The longest a review may be put off at approval: three years.
constexpr Millis kMaxReviewPeriod = 3 * 366 * kPolicyDay;

void Audit(db::Tx& tx, const Context& ctx, std::string action, std::string type, std::string id,
           std::optional<std::string> before, std::optional<std::string> after, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), std::move(type), std::move(id),
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = std::move(after);
  audit::Append(tx, e, now);
}

std::string DocPath(const PolicyDoc& d) {
  return "/api/v1/organisations/" + d.organisation_id + "/policy-documents/" + d.id;
}

// Where the review stands: none (never approved), in_date, due_soon, overdue.
std::string_view ReviewState(const PolicyDoc& d, Millis now) {
  if (d.approved == 0 || !d.next_review_at) return "none";
  if (*d.next_review_at <= now) return "overdue";
  if (*d.next_review_at <= now + kReviewDueSoon) return "due_soon";
  return "in_date";
}

void WriteDocHead(JsonWriter& w, const PolicyDoc& d, Millis now) {
  w.KeyString("id", d.id)
      .KeyString("organisation_id", d.organisation_id)
      .KeyString("kind", d.kind)
      .KeyString("form", d.form)
      .KeyString("title", d.title)
      .KeyInt("newest", d.newest)
      .KeyOptInt("approved", d.approved > 0 ? std::optional(d.approved) : std::nullopt)
      .KeyOptTime("next_review_at", d.next_review_at)
      .KeyString("review_state", ReviewState(d, now))
      .KeyTime("created_at", d.created_at)
      .KeyTime("updated_at", d.updated_at)
      .KeyInt("version", d.version);
}

void WriteVersionFields(JsonWriter& w, const PolicyVersion& v) {
  w.KeyInt("number", v.number)
      .KeyString("state", v.IsApproved() ? "approved" : "draft")
      .KeyString("note", v.note)
      .KeyString("saved_by_name", v.saved_by_name)
      .KeyTime("saved_at", v.saved_at)
      .KeyOptString("sha256", v.sha256)
      .KeyOptString("approved_by", v.approved_by)
      .KeyOptString("approved_by_name", v.approved_by_name)
      .KeyOptTime("approved_at", v.approved_at)
      .KeyString("approval_note", v.approval_note)
      .KeyOptTime("next_review_at", v.next_review_at);
}

void WriteSections(JsonWriter& w, const std::vector<Section>& sections) {
  w.Key("sections").BeginArray();
  for (const auto& s : sections) {
    w.BeginObject()
        .KeyString("key", s.key)
        .KeyString("urn", s.urn)
        .KeyString("title", s.title)
        .KeyInt("level", s.level)
        .KeyString("body", s.body)
        .EndObject();
  }
  w.EndArray();
}

PolicyDoc LoadDoc(db::Tx& tx, const Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  auto d = FindDocument(tx, org, ctx.IdParam("doc_id", "policy document"));
  if (!d) throw NotFound("policy document");
  return std::move(*d);
}

std::optional<std::int64_t> ParseNumber(std::string_view text) {
  if (text.empty() || text.size() > 9) return std::nullopt;
  std::int64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? std::optional(n) : std::nullopt;
}

PolicyVersion LoadVersion(db::Tx& tx, const PolicyDoc& d, std::string_view text) {
  auto n = ParseNumber(text);
  auto v = n ? FindPolicyVersion(tx, d.id, *n) : std::nullopt;
  if (!v) throw NotFound("version " + std::string(text) + " of this document");
  return std::move(*v);
}

// A version named by a query parameter; `fallback` when absent.
PolicyVersion VersionParam(db::Tx& tx, const Context& ctx, const PolicyDoc& d, const char* name,
                           std::int64_t fallback) {
  auto raw = ctx.request.QueryParam(name);
  if (!raw || raw->empty()) {
    auto v = FindPolicyVersion(tx, d.id, fallback);
    if (!v) throw NotFound("version " + std::to_string(fallback) + " of this document");
    return std::move(*v);
  }
  auto n = ParseNumber(*raw);
  if (!n) throw InvalidField(name, "must be a version number");
  auto v = FindPolicyVersion(tx, d.id, *n);
  if (!v) throw InvalidField(name, *raw + " is not a version of this document");
  return std::move(*v);
}

std::string OrgName(db::Tx& tx, const std::string& org_id) {
  auto r = tx.QueryOne("SELECT name FROM organisations WHERE id = $1", {org_id});
  return r ? r->Text(0) : "";
}

http::Response DocResponse(db::Tx& tx, const PolicyDoc& d, int status, Millis now) {
  auto newest = FindPolicyVersion(tx, d.id, d.newest);
  JsonWriter w;
  w.BeginObject();
  WriteDocHead(w, d, now);
  w.Key("current").BeginObject();
  if (newest) {
    WriteVersionFields(w, *newest);
    WriteSections(w, ParseContent(newest->content));
  }
  w.EndObject().Key("versions").BeginArray();
  for (const auto& v : ListPolicyVersions(tx, d.id)) {
    w.BeginObject();
    WriteVersionFields(w, v);
    w.EndObject();
  }
  w.EndArray().EndObject();
  auto res = JsonText(status, std::move(w).Take());
  SetETag(res, d.version);
  return res;
}

// ---- documents ----

http::Response ListRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& d : ListDocuments(tx, org)) {
      w.BeginObject();
      WriteDocHead(w, d, now);
      auto pubs = ListPublications(tx, d.id);
      w.Key("latest_publication");
      if (pubs.empty()) {
        w.Null();
      } else {
        w.BeginObject()
            .KeyString("id", pubs.front().id)
            .KeyInt("number", pubs.front().number)
            .KeyInt("recipients", pubs.front().recipients)
            .KeyInt("acknowledged", pubs.front().acknowledged)
            .EndObject();
      }
      w.EndObject();
    }
    auto st = PolicyStatusOf(tx, org, now);
    w.EndArray().KeyNull("next_cursor").Key("status").BeginObject();
    w.KeyBool("in_date", st.in_date).KeyOptString("kind", st.kind);
    w.KeyOptTime("approved_at", st.approved_at).KeyOptTime("next_review_at", st.next_review_at);
    w.EndObject().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response ProposalRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  return ctx.db().Read([&](db::Tx& tx) {
    auto r =
        tx.QueryOne("SELECT size_class, criticality_tier FROM organisations WHERE id = $1", {org});
    if (!r) throw NotFound("organisation");
    auto size = r->OptText(0);
    std::optional<int> tier;
    if (auto t = r->OptInt(1)) tier = static_cast<int>(*t);
    auto maturity = MeanMaturity(tx, org);
    auto p = ProposePath(size, tier, maturity);
    bool charter = false, policy = false;
    for (const auto& d : ListDocuments(tx, org)) {
      charter |= d.kind == kCharter;
      policy |= d.kind == kPolicy;
    }
    JsonWriter w;
    w.BeginObject().KeyOptString("size_class", size);
    w.KeyOptInt("criticality_tier", tier ? std::optional<std::int64_t>(*tier) : std::nullopt);
    w.Key("maturity");
    if (maturity) {
      w.Raw(json(static_cast<double>(static_cast<int>(*maturity * 10 + 0.5)) / 10).dump());
    } else {
      w.Null();
    }
    w.Key("recommended").BeginObject().KeyString("kind", p.kind).KeyString("form", p.form);
    w.Key("reasons").BeginArray();
    for (const auto& s : p.reasons) w.String(s);
    w.EndArray().EndObject();
    w.Key("existing").BeginObject().KeyBool("charter", charter).KeyBool("policy", policy);
    w.EndObject().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CreateRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  auto kind = in.Text("kind", {.required = true, .one_of = {"charter", "policy"}});
  auto form = in.Text("form", {.one_of = {"short", "full"}});
  auto title = in.Text("title", {.min = 1, .max = 200});
  if (kind && *kind == kCharter && form && *form == kFullForm) {
    in.Fail("form", "a charter is short: only \"short\" applies");
  }
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    for (const auto& d : ListDocuments(tx, org)) {
      if (d.kind == *kind) {
        throw Conflict("The organisation already has a " + *kind + " (" + DocPath(d) +
                       "); edit it or start a new draft of it.");
      }
    }
    PolicyDoc d;
    d.id = crypto::NewUuid();
    d.organisation_id = org;
    d.kind = *kind;
    d.form = form.value_or(*kind == kCharter ? std::string(kShortForm) : std::string(kFullForm));
    d.title = title.value_or(DefaultTitle(d.kind));
    d.created_by = ctx.caller().user_id;
    d.created_at = d.updated_at = now;
    InsertDocument(tx, d);
    PolicyVersion v;
    v.document_id = d.id;
    v.number = 1;
    v.content = ContentJson(DraftFromTemplates(d.kind, d.form, ReadOrgFacts(tx, org)));
    v.note = "Started from Rampart's templates";
    v.saved_by = ctx.caller().user_id;
    v.saved_by_name = ctx.caller().display_name;
    v.saved_at = now;
    InsertPolicyVersion(tx, v);
    json state = {{"id", d.id},
                  {"organisation_id", org},
                  {"kind", d.kind},
                  {"form", d.form},
                  {"title", d.title}};
    Audit(tx, ctx, "policy.create", "policy_document", d.id, std::nullopt, state.dump(), now);
    auto res = DocResponse(tx, d, 201, now);
    res.Set("Location", DocPath(d));
    return res;
  });
}

http::Response GetRoute(Context& ctx) {
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) { return DocResponse(tx, LoadDoc(tx, ctx), 200, now); });
}

// ---- versions ----

http::Response ListPolicyVersionsRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& v : ListPolicyVersions(tx, d.id)) {
      w.BeginObject();
      WriteVersionFields(w, v);
      w.EndObject();
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response GetPolicyVersionRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    PolicyVersion v = LoadVersion(tx, d, ctx.Param("number"));
    JsonWriter w;
    w.BeginObject();
    WriteVersionFields(w, v);
    WriteSections(w, ParseContent(v.content));
    w.EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// Saves `sections` as the version after `d.newest` and moves the head on. The audit entry records
// what changed (`before`, `after`), not the whole document: the version row keeps that.
http::Response SaveNewVersion(db::Tx& tx, const Context& ctx, PolicyDoc& d,
                              std::int64_t expected_version, const std::vector<Section>& sections,
                              std::string note, std::string action,
                              std::optional<std::string> before, json after, Millis now) {
  PolicyVersion v;
  v.document_id = d.id;
  v.number = d.newest + 1;
  v.content = ContentJson(sections);
  v.note = std::move(note);
  v.saved_by = ctx.caller().user_id;
  v.saved_by_name = ctx.caller().display_name;
  v.saved_at = now;
  InsertPolicyVersion(tx, v);
  d.newest = v.number;
  if (!UpdateDocument(tx, d, expected_version, now)) throw PreconditionFailed();
  auto fresh = FindDocument(tx, d.organisation_id, d.id);
  Audit(tx, ctx, std::move(action), "policy_version", d.id + "/v" + std::to_string(v.number),
        std::move(before), after.dump(), now);
  JsonWriter w;
  w.BeginObject();
  WriteVersionFields(w, v);
  WriteSections(w, sections);
  w.EndObject();
  auto res = JsonText(201, std::move(w).Take());
  SetETag(res, fresh->version);
  res.Set("Location", DocPath(d) + "/versions/" + std::to_string(v.number));
  return res;
}

http::Response SaveSectionRoute(Context& ctx) {
  const auto expected = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  auto body = in.Text("body", {.required = true, .max = kMaxSectionBytes});
  auto note = in.Text("note", {.max = 1000});
  in.Done();
  const std::string& key = ctx.Param("key");
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    PolicyVersion v = LoadVersion(tx, d, ctx.Param("number"));
    if (v.IsApproved()) {
      throw Conflict("Version " + std::to_string(v.number) + " was approved on " +
                     FormatRfc3339(v.approved_at.value_or(0)).substr(0, 10) +
                     " and is frozen. Start a new draft (POST " + DocPath(d) +
                     "/drafts) and edit that.");
    }
    if (v.number != d.newest) {
      throw Conflict("Version " + std::to_string(v.number) + " is not the newest (version " +
                     std::to_string(d.newest) + " is): edit the newest version.");
    }
    if (d.version != expected) throw PreconditionFailed();
    auto sections = ParseContent(v.content);
    Section* target = nullptr;
    for (auto& s : sections) {
      if (s.key == key) target = &s;
    }
    if (target == nullptr) {
      throw InvalidField("key", key + " is not a section of this " + d.kind + " (" + d.form +
                                    " form); its sections are listed in the document");
    }
    if (target->body == *body) {
      // Nothing changed: no new version, the document as it is.
      return DocResponse(tx, d, 200, now);
    }
    const std::string before =
        json({{"number", v.number}, {"key", key}, {"body", target->body}}).dump();
    target->body = *body;
    return SaveNewVersion(tx, ctx, d, expected, sections,
                          note && !note->empty() ? *note : "Edited " + target->title, "policy.save",
                          before, json({{"number", d.newest + 1}, {"key", key}, {"body", *body}}),
                          now);
  });
}

http::Response StartDraftRoute(Context& ctx) {
  const auto expected = RequiredIfMatch(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    PolicyVersion newest = *FindPolicyVersion(tx, d.id, d.newest);
    if (!newest.IsApproved()) {
      throw Conflict("Version " + std::to_string(newest.number) + " is a draft already: edit it.");
    }
    if (d.version != expected) throw PreconditionFailed();
    return SaveNewVersion(tx, ctx, d, expected, ParseContent(newest.content),
                          "New draft from approved version " + std::to_string(newest.number),
                          "policy.draft", std::nullopt,
                          json({{"number", d.newest + 1}, {"from", newest.number}}), now);
  });
}

http::Response DiffRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    const std::int64_t default_from = d.approved > 0 && d.approved < d.newest
                                          ? d.approved
                                          : std::max<std::int64_t>(1, d.newest - 1);
    PolicyVersion from = VersionParam(tx, ctx, d, "from", default_from);
    PolicyVersion to = VersionParam(tx, ctx, d, "to", d.newest);
    JsonWriter w;
    w.BeginObject().KeyInt("from", from.number).KeyInt("to", to.number).Key("changes").BeginArray();
    for (const auto& c : DiffSections(ParseContent(from.content), ParseContent(to.content))) {
      w.BeginObject().KeyString("key", c.key).KeyString("title", c.title);
      w.KeyString("change", c.change).Key("lines").BeginArray();
      for (const auto& l : c.lines) {
        w.BeginObject()
            .KeyString("op", l.op == '+'   ? "added"
                             : l.op == '-' ? "removed"
                                           : "same")
            .KeyString("text", l.text)
            .EndObject();
      }
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// ---- approval ----

http::Response ApproveRoute(Context& ctx) {
  const auto expected = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  auto number = in.Int("number", {.required = true, .min = 1, .max = 999999999});
  auto note = in.Text("note", {.max = 4000});
  auto review = in.Time("next_review_at");
  const Millis now = NowMillis();
  if (review && *review <= now) in.Fail("next_review_at", "must be in the future");
  if (review && *review > now + kMaxReviewPeriod) {
    in.Fail("next_review_at", "must be within three years");
  }
  in.Done();
  return ctx.db().Write([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    auto v = FindPolicyVersion(tx, d.id, *number);
    if (!v)
      throw InvalidField("number", std::to_string(*number) + " is not a version of this document");
    if (v->IsApproved()) {
      throw Conflict("Version " + std::to_string(v->number) + " is approved already.");
    }
    if (v->number != d.newest) {
      throw Conflict("Version " + std::to_string(v->number) + " is not the newest (version " +
                     std::to_string(d.newest) + " is): management approves the newest draft.");
    }
    // Management approves what it read: a document changed since is approved only once re-read.
    if (d.version != expected) throw PreconditionFailed();
    v->sha256 = crypto::Sha256Hex(v->content);
    v->approved_by = ctx.caller().user_id;
    v->approved_by_name = ctx.caller().display_name;
    v->approved_at = now;
    v->approval_note = note.value_or("");
    v->next_review_at = review.value_or(now + kDefaultReviewPeriod);
    RecordApproval(tx, *v);
    d.approved = v->number;
    d.next_review_at = v->next_review_at;
    if (!UpdateDocument(tx, d, expected, now)) throw PreconditionFailed();
    json state = {{"number", v->number},
                  {"sha256", *v->sha256},
                  {"note", v->approval_note},
                  {"next_review_at", FormatRfc3339(*v->next_review_at)}};
    Audit(tx, ctx, "policy.approve", "policy_version", d.id + "/v" + std::to_string(v->number),
          std::nullopt, state.dump(), now);
    auto fresh = FindDocument(tx, d.organisation_id, d.id);
    JsonWriter w;
    w.BeginObject();
    WriteVersionFields(w, *v);
    w.EndObject();
    auto res = JsonText(201, std::move(w).Take());
    SetETag(res, fresh->version);
    res.Set("Location", DocPath(d) + "/versions/" + std::to_string(v->number));
    return res;
  });
}

// ---- publication ----

void WritePublication(JsonWriter& w, const Publication& p) {
  w.KeyString("id", p.id).KeyInt("number", p.number).Key("roles").BeginArray();
  for (const auto& r : p.roles) w.String(r);
  w.EndArray()
      .KeyString("message", p.message)
      .KeyString("published_by_name", p.published_by_name)
      .KeyTime("published_at", p.published_at)
      .KeyInt("recipients", p.recipients)
      .KeyInt("acknowledged", p.acknowledged);
}

http::Response PublishRoute(Context& ctx) {
  Input in(ctx.request);
  auto roles = in.TextList("roles", {.max = 40}, 16);
  auto message = in.Text("message", {.max = 2000});
  std::vector<std::string> wanted;
  if (roles) {
    std::set<std::string> seen;
    for (std::size_t i = 0; i < roles->size(); ++i) {
      const auto& r = (*roles)[i];
      if (!ParseRole(r)) {
        in.Fail("roles/" + std::to_string(i), r + " is not a role");
      } else if (seen.insert(r).second) {
        wanted.push_back(r);
      }
    }
  }
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    if (d.approved == 0) {
      throw Conflict("Nothing to publish: management has not approved a version of this " + d.kind +
                     " yet.");
    }
    Publication p;
    p.id = crypto::NewUuid();
    p.document_id = d.id;
    p.number = d.approved;
    p.roles = wanted;
    p.message = message.value_or("");
    p.published_by = ctx.caller().user_id;
    p.published_by_name = ctx.caller().display_name;
    p.published_at = now;
    if (InsertPublication(tx, d, p, now) == 0) {
      throw InvalidField("roles", "nobody in the organisation holds these roles");
    }
    json state = {{"document_id", d.id},
                  {"number", p.number},
                  {"roles", p.roles},
                  {"recipients", p.recipients}};
    Audit(tx, ctx, "policy.publish", "policy_publication", p.id, std::nullopt, state.dump(), now);
    JsonWriter w;
    w.BeginObject();
    WritePublication(w, p);
    w.EndObject();
    auto res = JsonText(201, std::move(w).Take());
    res.Set("Location", DocPath(d) + "/publications/" + p.id);
    return res;
  });
}

http::Response ListPublicationsRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& p : ListPublications(tx, d.id)) {
      w.BeginObject();
      WritePublication(w, p);
      w.EndObject();
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response GetPublicationRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    auto p = FindPublication(tx, d.id, ctx.IdParam("pub_id", "publication"));
    if (!p) throw NotFound("publication");
    JsonWriter w;
    w.BeginObject();
    WritePublication(w, *p);
    w.Key("people").BeginArray();
    for (const auto& a : ListAcknowledgements(tx, p->id)) {
      w.BeginObject()
          .KeyString("user_id", a.user_id)
          .KeyString("display_name", a.display_name)
          .Key("roles")
          .BeginArray();
      for (const auto& r : RoleSet::Parse(a.roles).value_or(RoleSet()).Names()) w.String(r);
      w.EndArray().KeyOptTime("acknowledged_at", a.acknowledged_at).EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// ---- exports ----

http::Response ExportDocxRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    PolicyVersion v = VersionParam(tx, ctx, d, "version", d.newest);
    return ExportDocx(d, v, OrgName(tx, d.organisation_id));
  });
}

http::Response ExportHtmlRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    PolicyDoc d = LoadDoc(tx, ctx);
    PolicyVersion v = VersionParam(tx, ctx, d, "version", d.newest);
    return ExportPolicyHtml(d, v, OrgName(tx, d.organisation_id));
  });
}

// ---- the person asked to acknowledge ----

void WriteToAck(JsonWriter& w, const ToAcknowledge& t) {
  w.KeyString("publication_id", t.publication.id)
      .KeyString("organisation_id", t.organisation_id)
      .KeyString("organisation_name", t.organisation_name)
      .KeyString("document_id", t.publication.document_id)
      .KeyString("kind", t.kind)
      .KeyString("title", t.title)
      .KeyInt("number", t.publication.number)
      .KeyString("message", t.publication.message)
      .KeyString("published_by_name", t.publication.published_by_name)
      .KeyTime("published_at", t.publication.published_at)
      .KeyOptTime("acknowledged_at", t.acknowledged_at);
}

http::Response MyListRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    std::int64_t pending = 0;
    for (const auto& t : ListToAcknowledge(tx, ctx.caller().user_id)) {
      if (!t.acknowledged_at) ++pending;
      w.BeginObject();
      WriteToAck(w, t);
      w.EndObject();
    }
    w.EndArray().KeyInt("pending", pending).KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response MyGetRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    auto t = FindToAcknowledge(tx, ctx.caller().user_id, ctx.IdParam("pub_id", "publication"));
    if (!t) throw NotFound("publication");
    auto v = FindPolicyVersion(tx, t->publication.document_id, t->publication.number);
    if (!v) throw NotFound("publication");
    JsonWriter w;
    w.BeginObject();
    WriteToAck(w, *t);
    w.KeyOptString("sha256", v->sha256).KeyOptString("approved_by_name", v->approved_by_name);
    w.KeyOptTime("approved_at", v->approved_at);
    WriteSections(w, ParseContent(v->content));
    w.EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response MyAcknowledgeRoute(Context& ctx) {
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    const std::string& user = ctx.caller().user_id;
    const std::string& pub = ctx.IdParam("pub_id", "publication");
    auto t = FindToAcknowledge(tx, user, pub);
    if (!t) throw NotFound("publication");
    // Acknowledging twice keeps the first time: it is when the person first confirmed.
    if (Acknowledge(tx, user, pub, now)) {
      json state = {{"publication_id", pub},
                    {"document_id", t->publication.document_id},
                    {"number", t->publication.number}};
      Audit(tx, ctx, "policy.acknowledge", "policy_publication", pub, std::nullopt, state.dump(),
            now);
      t->acknowledged_at = now;
    }
    JsonWriter w;
    w.BeginObject();
    WriteToAck(w, *t);
    w.EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

}  // namespace

void AddPolicyRoutes(Router& r) {
  const std::string base(kBase);
  const std::string doc = base + "/{doc_id}";
  auto add = [&](std::string method, std::string path, Action action, RouteHandler h,
                 std::size_t limit) {
    r.Add({std::move(method), std::move(path), action, "id", std::move(h), limit});
  };
  add("GET", base, Action::kIsmsRead, ListRoute, kNoBody);
  add("POST", base, Action::kIsmsWrite, CreateRoute, 4 * 1024);
  add("GET", base + "/proposal", Action::kIsmsRead, ProposalRoute, kNoBody);
  add("GET", doc, Action::kIsmsRead, GetRoute, kNoBody);
  add("GET", doc + "/versions", Action::kIsmsRead, ListPolicyVersionsRoute, kNoBody);
  add("GET", doc + "/versions/{number}", Action::kIsmsRead, GetPolicyVersionRoute, kNoBody);
  // A section's Markdown is at most kMaxSectionBytes; JSON escaping may double it.
  add("POST", doc + "/versions/{number}/sections/{key}", Action::kIsmsWrite, SaveSectionRoute,
      2 * kMaxSectionBytes + 4 * 1024);
  add("POST", doc + "/drafts", Action::kIsmsWrite, StartDraftRoute, kNoBody);
  add("GET", doc + "/diff", Action::kIsmsRead, DiffRoute, kNoBody);
  add("POST", doc + "/approve", Action::kIsmsApprove, ApproveRoute, 8 * 1024);
  add("POST", doc + "/publications", Action::kIsmsWrite, PublishRoute, 8 * 1024);
  add("GET", doc + "/publications", Action::kIsmsRead, ListPublicationsRoute, kNoBody);
  add("GET", doc + "/publications/{pub_id}", Action::kIsmsRead, GetPublicationRoute, kNoBody);
  add("GET", doc + "/export.docx", Action::kIsmsRead, ExportDocxRoute, kNoBody);
  add("GET", doc + "/export.html", Action::kIsmsRead, ExportHtmlRoute, kNoBody);
  r.Add({"GET", "/api/v1/me/policy-acknowledgements", Action::kSelf, "", MyListRoute, kNoBody});
  r.Add({"GET", "/api/v1/me/policy-acknowledgements/{pub_id}", Action::kSelf, "", MyGetRoute,
         kNoBody});
  r.Add({"POST", "/api/v1/me/policy-acknowledgements/{pub_id}", Action::kSelf, "",
         MyAcknowledgeRoute, kNoBody});
}

}  // namespace rampart::isms
