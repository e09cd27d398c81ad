#include "isms/api.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "isms/cycle_api.h"
#include "isms/exports.h"
#include "isms/frameworks.h"
#include "isms/policy_docs.h"
#include "isms/rules.h"
#include "isms/store.h"
#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/files.h"
#include "platform/input.h"
#include "platform/json_writer.h"

namespace rampart::isms {

namespace {

using nlohmann::json;

constexpr std::string_view kSoaBase = "/api/v1/organisations/{id}/soa/{framework_ref}";
constexpr std::size_t kMaxBulk = 1000;
constexpr std::size_t kMaxRisks = 200;
constexpr int kBatch = 500;

void Audit(db::Tx& tx, const Context& ctx, std::string action, std::string type, std::string id,
           std::optional<std::string> before, std::optional<std::string> after, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), std::move(type), std::move(id),
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = std::move(after);
  audit::Append(tx, e, now);
}

// ---- frameworks ----

void WriteFrameworkHead(JsonWriter& w, const Framework& f) {
  w.KeyString("urn", f.urn)
      .KeyString("ref", f.ref)
      .KeyString("name", f.name)
      .KeyInt("revision", f.revision)
      .KeyString("edition", f.edition)
      .KeyString("kind", f.kind)
      .KeyString("provider", f.provider)
      .KeyString("description", f.description)
      .KeyString("source", f.builtin ? "shipped" : "imported")
      .KeyString("sha256", f.sha256)
      .Key("counts")
      .BeginObject()
      .KeyInt("requirements", static_cast<std::int64_t>(f.requirements.size()))
      .KeyInt("assessable", static_cast<std::int64_t>(f.AssessableCount()))
      .EndObject();
}

void WriteRequirement(JsonWriter& w, const Framework& f, const Requirement& q) {
  w.BeginObject()
      .KeyString("id", q.id)
      .KeyString("urn", f.UrnOf(q))
      .KeyOptString("parent", q.parent.empty() ? std::nullopt : std::optional(q.parent))
      .KeyString("group", q.group)
      .KeyInt("depth", q.depth)
      .KeyString("title", q.title)
      .KeyString("description", q.description)
      .KeyString("guidance", q.guidance)
      .KeyBool("assessable", q.assessable)
      .Key("tags")
      .BeginArray();
  for (const auto& t : q.tags) w.String(t);
  w.EndArray().EndObject();
}

std::optional<int> RevisionParam(const Context& ctx) {
  auto v = ctx.request.QueryParam("revision");
  if (!v || v->empty()) return std::nullopt;
  try {
    std::size_t used = 0;
    int n = std::stoi(*v, &used);
    if (used == v->size() && n > 0) return n;
  } catch (const std::exception&) {
  }
  throw InvalidField("revision", "must be a revision number");
}

std::shared_ptr<const Framework> LoadFramework(db::Tx& tx, const Context& ctx,
                                               const std::string& param) {
  const auto& ref = ctx.Param(param);
  auto f = FindFramework(tx, ref, RevisionParam(ctx));
  if (!f) throw NotFound("framework " + ref);
  return f;
}

http::Response ListFrameworksRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& s : ListFrameworks(tx)) {
      w.BeginObject();
      WriteFrameworkHead(w, *s.framework);
      w.Key("revisions").BeginArray();
      for (int r : s.revisions) w.Int(r);
      w.EndArray().EndObject();
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response GetFrameworkRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    auto f = LoadFramework(tx, ctx, "ref");
    JsonWriter w;
    w.BeginObject();
    WriteFrameworkHead(w, *f);
    w.Key("requirements").BeginArray();
    for (const auto& q : f->requirements) WriteRequirement(w, *f, q);
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

void WriteMapped(JsonWriter& w, const Mapped& m) {
  w.KeyString("framework_ref", m.framework->ref)
      .KeyString("framework_name", m.framework->name)
      .KeyString("requirement_id", m.requirement->id)
      .KeyString("urn", m.framework->UrnOf(*m.requirement))
      .KeyString("title", m.requirement->title)
      .KeyString("relationship", Name(m.relationship));
}

http::Response GetRequirementRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    auto f = LoadFramework(tx, ctx, "ref");
    const auto& id = ctx.Param("req_id");
    const Requirement* q = f->Find(id);
    if (q == nullptr) throw NotFound("requirement " + id + " in " + f->ref);
    JsonWriter w;
    w.BeginObject().Key("framework").BeginObject();
    w.KeyString("urn", f->urn).KeyString("ref", f->ref).KeyString("name", f->name);
    w.KeyInt("revision", f->revision).EndObject().Key("requirement");
    WriteRequirement(w, *f, *q);
    w.Key("children").BeginArray();
    for (const auto& c : f->requirements) {
      if (c.parent == q->id) WriteRequirement(w, *f, c);
    }
    w.EndArray().Key("mappings").BeginArray();
    for (const auto& m : MappedRequirements(tx, *f, q->id)) {
      w.BeginObject();
      WriteMapped(w, m);
      w.EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response ImportFrameworkRoute(Context& ctx) {
  json doc = ParseJsonBody(ctx.request);
  const Millis now = NowMillis();
  auto result = ctx.db().Write([&](db::Tx& tx) {
    auto r = ImportFramework(tx, doc, ctx.caller().user_id, now);
    json state = {{"urn", r.framework->urn},
                  {"ref", r.framework->ref},
                  {"revision", r.framework->revision},
                  {"sha256", r.framework->sha256},
                  {"requirements", r.framework->requirements.size()}};
    Audit(tx, ctx, r.superseded ? "framework.revise" : "framework.import", "framework",
          r.framework->urn, std::nullopt, state.dump(), now);
    return r;
  });
  JsonWriter w;
  w.BeginObject();
  WriteFrameworkHead(w, *result.framework);
  w.KeyBool("superseded", result.superseded).EndObject();
  auto res = JsonText(201, std::move(w).Take());
  res.Set("Location", "/api/v1/frameworks/" + result.framework->ref);
  return res;
}

// ---- the Statement of Applicability ----

struct Loaded {
  Soa soa;
  std::shared_ptr<const Framework> framework;  // the revision the SoA was made against
};

Loaded LoadSoa(db::Tx& tx, const Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& ref = ctx.Param("framework_ref");
  auto soa = FindSoa(tx, org, ref);
  if (!soa) {
    if (!FindFramework(tx, ref)) throw NotFound("framework " + ref);
    throw NotFound("statement of applicability for " + ref + " (create it first)");
  }
  auto f = FrameworkRevision(tx, soa->framework_urn, soa->framework_revision);
  if (!f) throw NotFound("framework " + ref);
  return {std::move(*soa), std::move(f)};
}

// The requirement named by the path: 404 naming it when the framework has no such one, or when it
// is a group, which an SoA does not assess.
Entry LoadEntryOf(db::Tx& tx, const Context& ctx, const Loaded& l) {
  const auto& id = ctx.Param("req_id");
  const Requirement* q = l.framework->Find(id);
  if (q == nullptr) throw NotFound("requirement " + id + " in " + l.framework->ref);
  if (!q->assessable) {
    throw NotFound("assessable requirement " + id + " in " + l.framework->ref + " (it is a group)");
  }
  auto e = LoadEntry(tx, l.soa.id, id);
  if (!e) throw NotFound("requirement " + id + " in this statement of applicability");
  return std::move(*e);
}

void WriteSummary(JsonWriter& w, const Counts& c) {
  w.BeginObject().KeyInt("total", c.total).KeyInt("applicable", c.applicable);
  w.KeyInt("excluded", c.total - c.applicable).Key("by_status").BeginObject();
  for (Status s : kAllStatuses) w.KeyInt(Name(s), c.Of(s));
  w.EndObject().Key("posture");
  if (auto p = Posture(c)) {
    w.Raw(json(*p).dump());
  } else {
    w.Null();
  }
  w.KeyInt("changed_since_approval", c.changed_since_approval).EndObject();
}

void WriteSoaHead(JsonWriter& w, db::Tx& tx, const Loaded& l) {
  auto newest = FindFramework(tx, l.framework->ref);
  w.KeyString("id", l.soa.id)
      .KeyString("organisation_id", l.soa.organisation_id)
      .Key("framework")
      .BeginObject()
      .KeyString("urn", l.framework->urn)
      .KeyString("ref", l.framework->ref)
      .KeyString("name", l.framework->name)
      .KeyInt("revision", l.framework->revision)
      .KeyInt("newest_revision", newest ? newest->revision : l.framework->revision)
      .EndObject()
      .KeyOptInt("approved_version",
                 l.soa.approved > 0 ? std::optional<std::int64_t>(l.soa.approved) : std::nullopt)
      .KeyTime("created_at", l.soa.created_at)
      .KeyTime("updated_at", l.soa.updated_at)
      .KeyInt("version", l.soa.version);
}

void WriteJustification(JsonWriter& w, const Justification& j) {
  w.BeginObject()
      .KeyBool("legal", j.legal)
      .KeyBool("contractual", j.contractual)
      .KeyBool("business", j.business)
      .KeyBool("best_practice", j.best_practice)
      .KeyBool("risk_analysis", j.risk_analysis)
      .KeyString("text", j.text)
      .EndObject();
}

void WriteEntryFields(JsonWriter& w, const Loaded& l, const Entry& e) {
  const Requirement* q = l.framework->Find(e.requirement_id);
  w.KeyString("requirement_id", e.requirement_id)
      .KeyString("urn", q ? l.framework->UrnOf(*q) : "")
      .KeyString("group", e.group)
      .KeyString("title", e.title)
      .KeyBool("applicable", e.applicable)
      .Key("justification");
  WriteJustification(w, e.justification);
  w.KeyString("status", Name(e.status))
      .KeyOptInt("maturity", e.maturity ? std::optional<std::int64_t>(*e.maturity) : std::nullopt)
      .KeyOptString("owner_id", e.owner_id)
      .KeyOptString("owner_name", e.owner_id ? std::optional(e.owner_name) : std::nullopt)
      .KeyString("note", e.note)
      .KeyInt("evidence_count", e.evidence_count)
      .KeyBool("changed_since_approval", e.ChangedSinceApproval(l.soa.approved))
      .KeyString("updated_by", e.updated_by)
      .KeyTime("updated_at", e.updated_at)
      .KeyInt("version", e.version);
}

std::string EvidenceUrl(const Soa& soa, const std::string& req, const Evidence& ev) {
  return "/api/v1/organisations/" + soa.organisation_id + "/soa/" + soa.framework_ref +
         "/entries/" + req + "/evidence/" + ev.id + "/content";
}

void WriteEvidence(JsonWriter& w, const Soa& soa, const std::string& req, const Evidence& ev) {
  w.BeginObject()
      .KeyString("id", ev.id)
      .KeyString("kind", ev.kind)
      .KeyOptString("url", ev.url)
      .KeyOptString("sha256", ev.sha256)
      .KeyString("name", ev.name)
      .KeyString("media_type", ev.media_type)
      .KeyInt("size", ev.size)
      .KeyString("description", ev.description)
      .KeyString("added_by", ev.added_by)
      .KeyString("added_by_name", ev.added_by_name)
      .KeyTime("added_at", ev.added_at)
      .KeyOptString("content_url",
                    ev.kind == "file" ? std::optional(EvidenceUrl(soa, req, ev)) : std::nullopt)
      .EndObject();
}

// The entry in full: the requirement's text, evidence, risks, and what the organisation recorded
// against the requirements it maps to in its other SoAs (read-only, computed on each read).
std::string EntryDetailJson(db::Tx& tx, const Loaded& l, const Entry& e) {
  const Requirement* q = l.framework->Find(e.requirement_id);
  JsonWriter w;
  w.BeginObject();
  WriteEntryFields(w, l, e);
  w.KeyString("description", q ? q->description : "")
      .KeyString("guidance", q ? q->guidance : "")
      .Key("evidence")
      .BeginArray();
  for (const auto& ev : e.evidence) WriteEvidence(w, l.soa, e.requirement_id, ev);
  w.EndArray().Key("risks").BeginArray();
  for (const auto& id : e.risks) {
    auto r = tx.QueryOne(
        "SELECT s.id, s.description, a.name, t.name, v.name FROM risk_scenarios s "
        "JOIN risk_assets a ON a.id = s.asset_id JOIN risk_threats t ON t.id = s.threat_id "
        "JOIN risk_vulnerabilities v ON v.id = s.vulnerability_id WHERE s.id = $1",
        {id});
    w.BeginObject().KeyString("id", id);
    w.KeyString("label", r ? r->Text(2) + " × " + r->Text(3) + " × " + r->Text(4) : id);
    w.EndObject();
  }
  w.EndArray().Key("mapped").BeginArray();
  if (q != nullptr) {
    for (const auto& m : MappedRequirements(tx, *l.framework, q->id)) {
      w.BeginObject();
      WriteMapped(w, m);
      auto other = FindSoa(tx, l.soa.organisation_id, m.framework->ref);
      std::optional<Entry> theirs;
      if (other) theirs = LoadEntry(tx, other->id, m.requirement->id);
      if (theirs) {
        w.KeyBool("assessed", true)
            .KeyBool("applicable", theirs->applicable)
            .KeyString("status", Name(theirs->status))
            .KeyOptInt("maturity", theirs->maturity ? std::optional<std::int64_t>(*theirs->maturity)
                                                    : std::nullopt);
      } else {
        w.KeyBool("assessed", false).KeyNull("applicable").KeyNull("status").KeyNull("maturity");
      }
      w.EndObject();
    }
  }
  w.EndArray().EndObject();
  return std::move(w).Take();
}

http::Response EntryResponse(db::Tx& tx, const Loaded& l, const Entry& e, int status = 200) {
  auto res = JsonText(status, EntryDetailJson(tx, l, e));
  SetETag(res, e.version);
  return res;
}

// ---- reading changes from a body ----

// Applies the fields of `in` to `e`. Consequences people expect are drawn here: excluding a
// control makes it not_applicable without maturity unless the body says otherwise, and including
// it again starts it over. Mistakes are recorded in `in`; consistency is checked by CheckEntry.
void ApplyChanges(db::Tx& tx, Input& in, Entry& e, const std::string& org_id,
                  std::vector<std::string>* risks) {
  auto applicable = in.Bool("applicable");
  auto status_name = in.Text(
      "status", {.one_of = {"not_started", "planned", "partial", "implemented", "not_applicable"}});
  if (applicable && *applicable != e.applicable) {
    e.applicable = *applicable;
    if (!e.applicable && !status_name) e.status = Status::kNotApplicable;
    if (!e.applicable && !in.Has("maturity")) e.maturity.reset();
    if (e.applicable && !status_name && e.status == Status::kNotApplicable) {
      e.status = Status::kNotStarted;
    }
  }
  if (status_name) e.status = *ParseStatus(*status_name);
  if (in.Has("maturity")) {
    auto m = in.Int("maturity", {.nullable = true, .min = 0, .max = 5});
    if (in.IsNull("maturity")) {
      e.maturity.reset();
    } else if (m) {
      e.maturity = static_cast<int>(*m);
    }
  }
  if (in.Has("owner_id")) {
    auto owner = in.Text("owner_id", {.nullable = true, .uuid = true});
    if (in.IsNull("owner_id")) {
      e.owner_id.reset();
    } else if (owner) {
      if (IsMember(tx, org_id, *owner)) {
        e.owner_id = *owner;
      } else {
        in.Fail("owner_id", "is not a person of this organisation");
      }
    }
  }
  if (auto v = in.Text("note", {.max = 4000})) e.note = *v;
  if (auto j = in.Object("justification")) {
    if (auto v = j->Bool("legal")) e.justification.legal = *v;
    if (auto v = j->Bool("contractual")) e.justification.contractual = *v;
    if (auto v = j->Bool("business")) e.justification.business = *v;
    if (auto v = j->Bool("best_practice")) e.justification.best_practice = *v;
    if (auto v = j->Bool("risk_analysis")) e.justification.risk_analysis = *v;
    if (auto v = j->Text("text", {.max = 4000})) e.justification.text = *v;
    in.Absorb(*j);
  }
  if (risks != nullptr && in.Has("risks")) {
    auto ids = in.TextList("risks", {.uuid = true}, kMaxRisks);
    if (ids) {
      std::set<std::string> unique(ids->begin(), ids->end());
      std::vector<std::string> wanted(unique.begin(), unique.end());
      auto own = OwnScenarios(tx, org_id, wanted);
      if (own.size() != wanted.size()) {
        for (const auto& id : wanted) {
          if (std::find(own.begin(), own.end(), id) == own.end()) {
            in.Fail("risks",
                    id + " is not a scenario of this organisation's current risk analysis");
            break;
          }
        }
      }
      *risks = std::move(wanted);
    }
  }
}

std::string StateText(const Entry& e) { return EntryState(e).dump(); }

// ---- SoA routes ----

http::Response ListSoasRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& soa : ListSoas(tx, org)) {
      auto f = FrameworkRevision(tx, soa.framework_urn, soa.framework_revision);
      if (!f) continue;
      Loaded l{soa, f};
      w.BeginObject();
      WriteSoaHead(w, tx, l);
      w.Key("summary");
      WriteSummary(w, CountEntries(tx, soa));
      w.EndObject();
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CreateSoaRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& ref = ctx.Param("framework_ref");
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    auto f = FindFramework(tx, ref);
    if (!f) throw NotFound("framework " + ref);
    if (FindSoa(tx, org, ref)) throw Conflict("The organisation has a statement for " + ref + ".");
    Soa soa;
    soa.id = crypto::NewUuid();
    soa.organisation_id = org;
    soa.created_by = ctx.caller().user_id;
    CreateSoa(tx, soa, *f, now);
    json state = {{"id", soa.id},
                  {"organisation_id", org},
                  {"framework_urn", f->urn},
                  {"framework_revision", f->revision},
                  {"entries", f->AssessableCount()}};
    Audit(tx, ctx, "soa.create", "soa", soa.id, std::nullopt, state.dump(), now);
  });
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    JsonWriter w;
    w.BeginObject();
    WriteSoaHead(w, tx, l);
    w.Key("summary");
    WriteSummary(w, CountEntries(tx, l.soa));
    w.EndObject();
    auto res = JsonText(201, std::move(w).Take());
    SetETag(res, l.soa.version);
    res.Set("Location", "/api/v1/organisations/" + org + "/soa/" + ref);
    return res;
  });
}

http::Response GetSoaRoute(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  EntryFilter f;
  const auto& q = ctx.request;
  if (auto v = q.QueryParam("group"); v && !v->empty()) f.group = *v;
  if (auto v = q.QueryParam("status"); v && !v->empty()) {
    f.status = ParseStatus(*v);
    if (!f.status) {
      errors.push_back(
          {"status", "must be not_started, planned, partial, implemented or not_applicable"});
    }
  }
  if (auto v = q.QueryParam("applicable"); v && !v->empty()) {
    if (*v == "true" || *v == "false") {
      f.applicable = *v == "true";
    } else {
      errors.push_back({"applicable", "must be true or false"});
    }
  }
  if (auto v = q.QueryParam("owner"); v && !v->empty()) {
    if (!crypto::IsUuid(*v)) errors.push_back({"owner", "must be a person's id"});
    f.owner_id = *v;
  }
  if (auto v = q.QueryParam("maturity"); v && !v->empty()) {
    if (v->size() == 1 && (*v)[0] >= '0' && (*v)[0] <= '5') {
      f.maturity = (*v)[0] - '0';
    } else {
      errors.push_back({"maturity", "must be 0 to 5"});
    }
  }
  if (auto v = q.QueryParam("q"); v && !v->empty()) {
    if (v->size() > 200) errors.push_back({"q", "must be at most 200 bytes"});
    f.text = *v;
  }
  if (auto v = q.QueryParam("changed"); v && !v->empty()) {
    if (*v == "true") {
      f.changed_only = true;
    } else if (*v != "false") {
      errors.push_back({"changed", "must be true or false"});
    }
  }
  std::int64_t after = 0;
  if (page.after) {
    const json& k = *page.after;
    if (k.size() != 1 || !k[0].is_number_integer()) {
      errors.push_back({"cursor", "is not a cursor of this list"});
    } else {
      after = k[0].get<std::int64_t>();
    }
  }
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    if (f.group && l.framework->Find(*f.group) == nullptr) {
      errors.push_back({"group", *f.group + " is not a group of " + l.framework->ref});
    }
    if (!errors.empty()) throw InvalidInput(std::move(errors));
    auto rows = ListEntries(tx, l.soa, f, after, page.limit + 1);
    std::optional<std::string> next;
    if (static_cast<int>(rows.size()) > page.limit) {
      rows.resize(static_cast<std::size_t>(page.limit));
      next = EncodeCursor(json::array({rows.back().position}));
    }
    JsonWriter w;
    w.BeginObject();
    WriteSoaHead(w, tx, l);
    w.Key("summary");
    WriteSummary(w, CountEntries(tx, l.soa));
    w.Key("groups").BeginArray();
    for (const auto& g : l.framework->requirements) {
      if (g.parent.empty()) {
        w.BeginObject().KeyString("id", g.id).KeyString("title", g.title).EndObject();
      }
    }
    w.EndArray().Key("items").BeginArray();
    for (const auto& e : rows) {
      w.BeginObject();
      WriteEntryFields(w, l, e);
      w.EndObject();
    }
    w.EndArray().KeyOptString("next_cursor", next).EndObject();
    auto res = JsonText(200, std::move(w).Take());
    SetETag(res, l.soa.version);
    return res;
  });
}

http::Response GetEntryRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    return EntryResponse(tx, l, LoadEntryOf(tx, ctx, l));
  });
}

http::Response PatchEntryRoute(Context& ctx) {
  const auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    Entry e = LoadEntryOf(tx, ctx, l);
    if (e.version != version) throw PreconditionFailed();
    const std::string before = StateText(e);
    std::vector<std::string> risks = e.risks;
    ApplyChanges(tx, in, e, l.soa.organisation_id, &risks);
    for (auto& err : CheckEntry(e)) in.Fail(err.field.substr(1), err.message);
    in.Done();
    e.updated_by = ctx.caller().display_name;
    if (!UpdateEntry(tx, e, version, now)) throw PreconditionFailed();
    SetRisks(tx, l.soa.id, e.requirement_id, risks);
    TouchSoa(tx, l.soa.id, now);
    Entry after = *LoadEntry(tx, l.soa.id, e.requirement_id);
    Audit(tx, ctx, "soa.entry.update", "soa_entry", l.soa.id + "/" + e.requirement_id, before,
          StateText(after), now);
    return EntryResponse(tx, l, after);
  });
}

http::Response BulkRoute(Context& ctx) {
  json raw = ParseJsonBody(ctx.request);
  json rest = raw;
  rest.erase("set");
  Input in(std::move(rest));
  auto ids = in.TextList("ids", {.required = true, .min = 1, .max = 64}, kMaxBulk);
  std::optional<Input> set;
  if (!raw.contains("set") || !raw["set"].is_object()) {
    in.Fail("set", "is required: the fields to set on every entry");
  } else {
    static const std::set<std::string> kAllowed = {"applicable", "status", "maturity",
                                                   "owner_id",   "note",   "justification"};
    for (const auto& [k, v] : raw["set"].items()) {
      if (!kAllowed.contains(k)) in.Fail("set/" + k, "cannot be set in bulk");
    }
    if (raw["set"].empty()) in.Fail("set", "names no field to set");
  }
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    json before = json::array(), after = json::array();
    std::vector<Entry> changed;
    if (ids && raw.contains("set") && raw["set"].is_object()) {
      std::set<std::string> seen;
      for (std::size_t i = 0; i < ids->size(); ++i) {
        const std::string& id = (*ids)[i];
        const std::string field = "ids/" + std::to_string(i);
        if (!seen.insert(id).second) {
          in.Fail(field, id + " is listed twice");
          continue;
        }
        const Requirement* q = l.framework->Find(id);
        if (q == nullptr || !q->assessable) {
          in.Fail(field, id + (q == nullptr ? " is not a requirement of " + l.framework->ref
                                            : " is a group, not an assessable requirement"));
          continue;
        }
        auto e = LoadEntry(tx, l.soa.id, id);
        if (!e) {
          in.Fail(field, id + " is not in this statement of applicability");
          continue;
        }
        before.push_back(EntryState(*e));
        // Each entry reads the same "set" object; only the first reading's errors are kept, so a
        // wrong value is reported once, not once per entry.
        Input one(raw["set"], "/set");
        ApplyChanges(tx, one, *e, l.soa.organisation_id, nullptr);
        if (i == 0 || changed.empty()) in.Absorb(one);
        for (auto& err : CheckEntry(*e, "/set")) in.Fail(err.field.substr(1), err.message);
        changed.push_back(std::move(*e));
      }
    }
    in.Done();
    for (auto& e : changed) {
      e.updated_by = ctx.caller().display_name;
      UpdateEntry(tx, e, std::nullopt, now);
      after.push_back(EntryState(e));
    }
    TouchSoa(tx, l.soa.id, now);
    json note_before = {{"entries", before}};
    json note_after = {{"entries", after}, {"set", raw["set"]}};
    Audit(tx, ctx, "soa.entry.bulk_update", "soa", l.soa.id, note_before.dump(), note_after.dump(),
          now);
    JsonWriter w;
    w.BeginObject().KeyInt("updated", static_cast<std::int64_t>(changed.size()));
    w.Key("items").BeginArray();
    for (const auto& e : changed) {
      auto fresh = LoadEntry(tx, l.soa.id, e.requirement_id);
      w.BeginObject();
      WriteEntryFields(w, l, *fresh);
      w.EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// A link people can follow: http or https, a host, no spaces or control characters.
bool IsWebLink(std::string_view url) {
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return false;
  }
  const auto host_end = rest.find_first_of("/?#");
  const auto host = rest.substr(0, host_end);
  if (host.empty() || host.find('@') != std::string_view::npos) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>';
  });
}

void RecordEvidence(db::Tx& tx, const Context& ctx, const Loaded& l, const Entry& e,
                    const Evidence& ev, Millis now) {
  InsertEvidence(tx, l.soa.id, e.requirement_id, ev);
  BumpEntry(tx, l.soa.id, e.requirement_id, ctx.caller().display_name, now);
  TouchSoa(tx, l.soa.id, now);
  json state = {{"soa_id", l.soa.id}, {"requirement_id", e.requirement_id},
                {"kind", ev.kind},    {"url", ev.url ? json(*ev.url) : json(nullptr)},
                {"name", ev.name},    {"sha256", ev.sha256 ? json(*ev.sha256) : json(nullptr)},
                {"size", ev.size},    {"description", ev.description}};
  Audit(tx, ctx, "soa.evidence.add", "soa_evidence", ev.id, std::nullopt, state.dump(), now);
}

http::Response EvidenceCreated(db::Tx& tx, const Loaded& l, const std::string& req,
                               const Evidence& ev) {
  JsonWriter w;
  WriteEvidence(w, l.soa, req, ev);
  auto res = JsonText(201, std::move(w).Take());
  (void)tx;
  res.Set("Location", "/api/v1/organisations/" + l.soa.organisation_id + "/soa/" +
                          l.soa.framework_ref + "/entries/" + req + "/evidence/" + ev.id);
  return res;
}

http::Response AddLinkRoute(Context& ctx) {
  Input in(ctx.request);
  auto url = in.Text("url", {.required = true, .min = 1, .max = 2000});
  if (url && !IsWebLink(*url)) {
    in.Fail("url", "must be an http or https address with a host, without spaces");
  }
  auto name = in.Text("name", {.max = 200});
  auto description = in.Text("description", {.max = 4000});
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    Entry e = LoadEntryOf(tx, ctx, l);
    Evidence ev;
    ev.id = crypto::NewUuid();
    ev.kind = "link";
    ev.url = *url;
    ev.name = name && !name->empty() ? *name : *url;
    ev.description = description.value_or("");
    ev.added_by = ctx.caller().user_id;
    ev.added_by_name = ctx.caller().display_name;
    ev.added_at = now;
    RecordEvidence(tx, ctx, l, e, ev, now);
    return EvidenceCreated(tx, l, e.requirement_id, ev);
  });
}

// The body is the file itself, its name and description in the query string; its type is read
// from the bytes (platform/files.h), exactly as case attachments are.
http::Response AddFileRoute(Context& ctx) {
  const http::Request& req = ctx.request;
  std::vector<FieldError> errors;
  const files::Upload upload =
      files::ReadUpload(req, static_cast<std::size_t>(ctx.services.config.max_file_bytes), errors);
  const std::string& name = upload.name;
  const std::string& description = upload.description;
  const std::optional<files::Detected>& type = upload.type;
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    Entry e = LoadEntryOf(tx, ctx, l);
    // After the lookups: an entry the caller cannot reach is 404 whatever was sent.
    if (!errors.empty()) throw InvalidInput(errors);
    auto stored = files::Put(tx, req.body, type->media_type, now);
    Evidence ev;
    ev.id = crypto::NewUuid();
    ev.kind = "file";
    ev.sha256 = stored.file.sha256;
    ev.name = name;
    ev.media_type = type->media_type;
    ev.size = stored.file.size;
    ev.description = description;
    ev.added_by = ctx.caller().user_id;
    ev.added_by_name = ctx.caller().display_name;
    ev.added_at = now;
    RecordEvidence(tx, ctx, l, e, ev, now);
    return EvidenceCreated(tx, l, e.requirement_id, ev);
  });
}

http::Response DeleteEvidenceRoute(Context& ctx) {
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    Entry e = LoadEntryOf(tx, ctx, l);
    auto ev = FindEvidence(tx, l.soa.id, e.requirement_id, ctx.IdParam("evidence_id", "evidence"));
    if (!ev) throw NotFound("evidence");
    DeleteEvidence(tx, ev->id);
    BumpEntry(tx, l.soa.id, e.requirement_id, ctx.caller().display_name, now);
    TouchSoa(tx, l.soa.id, now);
    json state = {{"soa_id", l.soa.id},
                  {"requirement_id", e.requirement_id},
                  {"kind", ev->kind},
                  {"name", ev->name},
                  {"target", ev->url ? *ev->url : "sha256:" + ev->sha256.value_or("")}};
    Audit(tx, ctx, "soa.evidence.remove", "soa_evidence", ev->id, state.dump(), std::nullopt, now);
  });
  return NoContent();
}

http::Response EvidenceContentRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    Entry e = LoadEntryOf(tx, ctx, l);
    auto ev = FindEvidence(tx, l.soa.id, e.requirement_id, ctx.IdParam("evidence_id", "evidence"));
    if (!ev || ev->kind != "file" || !ev->sha256) throw NotFound("evidence file");
    auto bytes = files::Get(tx, *ev->sha256);
    if (!bytes) throw NotFound("evidence file");
    return files::Download(std::move(*bytes), ev->name, *ev->sha256);
  });
}

void WriteVersion(JsonWriter& w, const SoaVersion& v) {
  w.BeginObject()
      .KeyInt("number", v.number)
      .KeyString("sha256", v.sha256)
      .KeyInt("entries", v.entries)
      .KeyString("note", v.note)
      .KeyString("approved_by", v.approved_by)
      .KeyString("approved_by_name", v.approved_by_name)
      .KeyTime("approved_at", v.approved_at)
      .EndObject();
}

http::Response ApproveRoute(Context& ctx) {
  const auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  auto note = in.Text("note", {.max = 4000});
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    // Management approves what it read: a statement changed since is approved only once re-read.
    if (l.soa.version != version) throw PreconditionFailed();
    SoaVersion v;
    v.soa_id = l.soa.id;
    v.number = l.soa.approved + 1;
    v.note = note.value_or("");
    v.approved_by = ctx.caller().user_id;
    v.approved_by_name = ctx.caller().display_name;
    v.approved_at = now;
    v.document = VersionDocument(tx, l.soa, v.number, now, v.approved_by_name, &v.entries);
    v.sha256 = crypto::Sha256Hex(v.document);
    InsertVersion(tx, v);
    MarkApproved(tx, l.soa.id, v.number);
    TouchSoa(tx, l.soa.id, now);
    json state = {{"soa_id", l.soa.id},
                  {"number", v.number},
                  {"sha256", v.sha256},
                  {"entries", v.entries},
                  {"note", v.note}};
    Audit(tx, ctx, "soa.approve", "soa_version", l.soa.id + "/v" + std::to_string(v.number),
          std::nullopt, state.dump(), now);
    JsonWriter w;
    WriteVersion(w, v);
    auto res = JsonText(201, std::move(w).Take());
    res.Set("Location", "/api/v1/organisations/" + l.soa.organisation_id + "/soa/" +
                            l.soa.framework_ref + "/versions/" + std::to_string(v.number));
    return res;
  });
}

http::Response ListVersionsRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& v : ListVersions(tx, l.soa.id)) WriteVersion(w, v);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

std::optional<std::int64_t> VersionNumber(std::string_view text) {
  if (text.size() < 2 || text.size() > 10 || text[0] != 'v') return std::nullopt;
  std::int64_t n = 0;
  for (char c : text.substr(1)) {
    if (c < '0' || c > '9') return std::nullopt;
    n = n * 10 + (c - '0');
  }
  return n > 0 ? std::optional(n) : std::nullopt;
}

http::Response GetVersionRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    auto n = VersionNumber("v" + ctx.Param("number"));
    auto v = n ? FindVersion(tx, l.soa.id, *n) : std::nullopt;
    if (!v) throw NotFound("approved version " + ctx.Param("number"));
    JsonWriter w;
    w.BeginObject().KeyInt("number", v->number).KeyString("sha256", v->sha256);
    w.KeyString("approved_by_name", v->approved_by_name).KeyTime("approved_at", v->approved_at);
    w.Key("document").Raw(v->document).EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// The entries of a side of the diff: an approved version's, or the statement as it is now.
json SideEntries(db::Tx& tx, const Loaded& l, const std::string& which, const char* param) {
  if (which == "current") {
    json out = json::array();
    ForEachEntry(tx, l.soa.id, kBatch, [&](std::vector<Entry>& batch) {
      for (const auto& e : batch) out.push_back(EntryState(e));
    });
    return out;
  }
  auto n = VersionNumber(which);
  if (!n) throw InvalidField(param, "must be vN (an approved version) or current");
  auto v = FindVersion(tx, l.soa.id, *n);
  if (!v) throw InvalidField(param, which + " is not an approved version of this statement");
  return json::parse(v->document).at("entries");
}

http::Response DiffRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    std::string from = ctx.request.QueryParam("from").value_or("");
    if (from.empty()) {
      if (l.soa.approved == 0) throw InvalidField("from", "is required: no version was approved");
      from = "v" + std::to_string(l.soa.approved);
    }
    const std::string to = ctx.request.QueryParam("to").value_or("current");
    auto changes = Diff(SideEntries(tx, l, from, "from"), SideEntries(tx, l, to, "to"));
    JsonWriter w;
    w.BeginObject().KeyString("from", from).KeyString("to", to).Key("changes").BeginArray();
    for (const auto& c : changes) {
      const Requirement* q = l.framework->Find(c.requirement_id);
      w.BeginObject()
          .KeyString("requirement_id", c.requirement_id)
          .KeyString("title", q ? q->title : "")
          .Key("fields")
          .BeginArray();
      for (const auto& f : c.fields) {
        w.BeginObject().KeyString("field", f.field);
        w.Key("before").Raw(f.before.dump()).Key("after").Raw(f.after.dump()).EndObject();
      }
      w.EndArray().EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response ExportXlsxRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    return ExportXlsx(tx, l.soa, *l.framework);
  });
}

http::Response ExportHtmlRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Loaded l = LoadSoa(tx, ctx);
    return ExportHtml(tx, l.soa, *l.framework);
  });
}

}  // namespace

std::string VersionDocument(db::Tx& tx, const Soa& soa, std::int64_t number, Millis at,
                            const std::string& by, std::int64_t* entries) {
  JsonWriter w;
  w.BeginObject()
      .KeyString("format", "rampart-soa/1")
      .KeyString("soa_id", soa.id)
      .KeyString("organisation_id", soa.organisation_id)
      .Key("framework")
      .BeginObject()
      .KeyString("urn", soa.framework_urn)
      .KeyString("ref", soa.framework_ref)
      .KeyInt("revision", soa.framework_revision)
      .EndObject()
      .KeyInt("number", number)
      .KeyTime("approved_at", at)
      .KeyString("approved_by", by)
      .Key("entries")
      .BeginArray();
  std::int64_t n = 0;
  ForEachEntry(tx, soa.id, kBatch, [&](std::vector<Entry>& batch) {
    for (const auto& e : batch) {
      w.Raw(EntryState(e).dump());
      ++n;
    }
  });
  w.EndArray().EndObject();
  if (entries != nullptr) *entries = n;
  return std::move(w).Take();
}

void AddRoutes(Router& r) {
  // The shipped library is read and checked when the routes are built, at start: a broken file
  // stops the server with its name, field and requirement rather than failing the first reader.
  (void)Shipped();
  r.Add({"GET", "/api/v1/frameworks", Action::kReferenceRead, "", ListFrameworksRoute, kNoBody});
  r.Add({"POST", "/api/v1/frameworks", Action::kFrameworkImport, "", ImportFrameworkRoute,
         16 * 1024 * 1024});
  r.Add(
      {"GET", "/api/v1/frameworks/{ref}", Action::kReferenceRead, "", GetFrameworkRoute, kNoBody});
  r.Add({"GET", "/api/v1/frameworks/{ref}/requirements/{req_id}", Action::kReferenceRead, "",
         GetRequirementRoute, kNoBody});

  const std::string base(kSoaBase);
  const std::string entry = base + "/entries/{req_id}";
  auto add = [&](std::string method, std::string path, Action action, RouteHandler h,
                 std::size_t limit) {
    r.Add({std::move(method), std::move(path), action, "id", std::move(h), limit});
  };
  add("GET", "/api/v1/organisations/{id}/soa", Action::kIsmsRead, ListSoasRoute, kNoBody);
  add("GET", base, Action::kIsmsRead, GetSoaRoute, kNoBody);
  add("POST", base, Action::kIsmsWrite, CreateSoaRoute, kNoBody);
  add("POST", base + "/bulk", Action::kIsmsWrite, BulkRoute, 256 * 1024);
  add("GET", entry, Action::kIsmsRead, GetEntryRoute, kNoBody);
  add("PATCH", entry, Action::kIsmsWrite, PatchEntryRoute, 64 * 1024);
  add("POST", entry + "/evidence", Action::kIsmsWrite, AddLinkRoute, 16 * 1024);
  Route upload{"POST", entry + "/evidence/files", Action::kIsmsWrite, "id", AddFileRoute};
  upload.body_is_file = true;
  r.Add(std::move(upload));
  add("DELETE", entry + "/evidence/{evidence_id}", Action::kIsmsWrite, DeleteEvidenceRoute,
      kNoBody);
  add("GET", entry + "/evidence/{evidence_id}/content", Action::kIsmsRead, EvidenceContentRoute,
      kNoBody);
  add("POST", base + "/approve", Action::kIsmsApprove, ApproveRoute, 16 * 1024);
  add("GET", base + "/versions", Action::kIsmsRead, ListVersionsRoute, kNoBody);
  add("GET", base + "/versions/{number}", Action::kIsmsRead, GetVersionRoute, kNoBody);
  add("GET", base + "/diff", Action::kIsmsRead, DiffRoute, kNoBody);
  add("GET", base + "/export.xlsx", Action::kIsmsRead, ExportXlsxRoute, kNoBody);
  add("GET", base + "/export.html", Action::kIsmsRead, ExportHtmlRoute, kNoBody);
  AddCycleRoutes(r);
  AddPolicyRoutes(r);  // the charter and the policy (policy_docs_api.cc)
}

}  // namespace rampart::isms
