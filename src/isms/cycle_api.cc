#include "isms/cycle_api.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "isms/cycle.h"
#include "isms/cycle_store.h"
#include "isms/frameworks.h"
#include "isms/obligations.h"
#include "isms/posture.h"
#include "isms/store.h"
#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/files.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/policy.h"

namespace rampart::isms {

namespace {

using nlohmann::json;

constexpr std::string_view kBase = "/api/v1/organisations/{id}/isms";
constexpr std::string_view kPolicyRef = "policy11";
constexpr std::size_t kMaxLinks = 100;
constexpr std::size_t kMaxResults = 1000;

void Audit(db::Tx& tx, const Context& ctx, std::string action, std::string type, std::string id,
           std::optional<std::string> before, std::optional<std::string> after, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), std::move(type), std::move(id),
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = std::move(after);
  audit::Append(tx, e, now);
}

std::string OrgBase(const std::string& org) { return "/api/v1/organisations/" + org + "/isms"; }

template <std::size_t N>
bool OneOf(const std::array<std::string_view, N>& list, std::string_view v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

json OptJson(const std::optional<std::string>& v) { return v ? json(*v) : json(nullptr); }
json OptJson(const std::optional<Millis>& v) { return v ? json(*v) : json(nullptr); }

// ---- links of findings and actions ----

// The requirement of the shipped or imported framework whose URN is `urn`, with its framework.
struct Resolved {
  std::shared_ptr<const Framework> framework;
  const Requirement* requirement = nullptr;
};

std::optional<Resolved> ResolveUrn(db::Tx& tx, std::string_view urn) {
  for (const auto& s : ListFrameworks(tx)) {
    const auto& f = s.framework;
    if (urn.size() <= f->urn.size() + 1 || urn.rfind(f->urn + ":", 0) != 0) continue;
    for (const auto& q : f->requirements) {
      if (q.assessable && f->UrnOf(q) == urn) return Resolved{f, &q};
    }
  }
  return std::nullopt;
}

// Reads `controls` (SoA entries of the organisation), `policy_sections` (requirement URNs of the
// 11-section policy) and `risks` (scenarios of its risk analysis) into links, naming every wrong
// element. `findings` is read too for actions.
std::vector<Link> ReadLinks(db::Tx& tx, Input& in, const std::string& org, bool with_findings) {
  std::vector<Link> links;
  for (auto& c : in.Objects("controls", kMaxLinks)) {
    auto ref = c.Text("framework_ref", {.required = true, .min = 1, .max = 100});
    auto req = c.Text("requirement_id", {.required = true, .min = 1, .max = 100});
    if (ref && req) {
      auto soa = FindSoa(tx, org, *ref);
      if (!soa) {
        c.Fail("framework_ref", "the organisation has no statement of applicability for " + *ref);
      } else if (!LoadEntry(tx, soa->id, *req)) {
        c.Fail("requirement_id",
               *req + " is not a control of the organisation's statement of applicability for " +
                   *ref);
      } else {
        links.push_back({"control", *ref, *req, ""});
      }
    }
    in.Absorb(c);
  }
  if (auto urns = in.TextList("policy_sections", {.min = 1, .max = 300}, kMaxLinks)) {
    auto policy = FindFramework(tx, kPolicyRef);
    for (const auto& urn : *urns) {
      const Requirement* found = nullptr;
      if (policy) {
        for (const auto& q : policy->requirements) {
          if (policy->UrnOf(q) == urn) found = &q;
        }
      }
      if (found == nullptr) {
        in.Fail("policy_sections", urn + " is not a section of the 11-section security policy");
      } else {
        links.push_back({"policy", "", urn, ""});
      }
    }
  }
  if (auto ids = in.TextList("risks", {.uuid = true}, kMaxLinks)) {
    std::set<std::string> unique(ids->begin(), ids->end());
    std::vector<std::string> wanted(unique.begin(), unique.end());
    auto own = OwnScenarios(tx, org, wanted);
    for (const auto& id : wanted) {
      if (std::find(own.begin(), own.end(), id) == own.end()) {
        in.Fail("risks", id + " is not a scenario of this organisation's current risk analysis");
      } else {
        links.push_back({"risk", "", id, ""});
      }
    }
  }
  if (with_findings) {
    if (auto ids = in.TextList("findings", {.uuid = true}, kMaxLinks)) {
      for (const auto& id : std::set<std::string>(ids->begin(), ids->end())) {
        if (!FindFinding(tx, org, id)) {
          in.Fail("findings", id + " is not a finding of this organisation");
        } else {
          links.push_back({"finding", "", id, ""});
        }
      }
    }
  }
  return links;
}

// Whether the body names any kind of link (a PATCH that names none keeps the stored ones).
bool NamesLinks(const Input& in, bool with_findings) {
  return in.Has("controls") || in.Has("policy_sections") || in.Has("risks") ||
         (with_findings && in.Has("findings"));
}

std::vector<Link> Merge(const std::vector<Link>& stored, const std::vector<Link>& read,
                        const Input& in) {
  std::vector<Link> out;
  auto named = [&](const std::string& kind) {
    if (kind == "control") return in.Has("controls");
    if (kind == "policy") return in.Has("policy_sections");
    if (kind == "risk") return in.Has("risks");
    return in.Has("findings");
  };
  for (const auto& l : stored) {
    if (!named(l.kind)) out.push_back(l);
  }
  for (const auto& l : read) out.push_back(l);
  return out;
}

std::string LabelOf(db::Tx& tx, const std::string& org, const Link& l) {
  if (l.kind == "control") {
    if (auto f = FindFramework(tx, l.framework_ref)) {
      if (const Requirement* q = f->Find(l.target)) return l.target + " " + q->title;
    }
  } else if (l.kind == "policy") {
    if (auto r = ResolveUrn(tx, l.target)) {
      return r->requirement->id + " " + r->requirement->title;
    }
  } else if (l.kind == "risk") {
    auto r = tx.QueryOne(
        "SELECT a.name, t.name, v.name FROM risk_scenarios s JOIN risk_assets a ON a.id = "
        "s.asset_id JOIN risk_threats t ON t.id = s.threat_id JOIN risk_vulnerabilities v ON "
        "v.id = s.vulnerability_id WHERE s.id = $1",
        {l.target});
    if (r) return r->Text(0) + " × " + r->Text(1) + " × " + r->Text(2);
  } else if (l.kind == "finding") {
    if (auto f = FindFinding(tx, org, l.target)) return f->title;
  }
  return l.target;
}

void WriteLinks(JsonWriter& w, db::Tx& tx, const std::string& org, const std::vector<Link>& links) {
  w.Key("links").BeginArray();
  for (const auto& l : links) {
    w.BeginObject()
        .KeyString("kind", l.kind)
        .KeyOptString("framework_ref",
                      l.framework_ref.empty() ? std::nullopt : std::optional(l.framework_ref))
        .KeyString("target", l.target)
        .KeyString("label", LabelOf(tx, org, l))
        .EndObject();
  }
  w.EndArray();
}

json LinksState(const std::vector<Link>& links) {
  json out = json::array();
  for (const auto& l : links) {
    out.push_back({{"kind", l.kind}, {"framework_ref", l.framework_ref}, {"target", l.target}});
  }
  return out;
}

// ---- design: the scope ----

void WriteScope(JsonWriter& w, const Scope& s) {
  w.BeginObject()
      .KeyInt("version", s.version)
      .KeyString("statement", s.statement)
      .Key("interested_parties")
      .BeginArray();
  for (const auto& p : s.interested_parties) {
    w.BeginObject().KeyString("name", p.name).KeyString("expectations", p.expectations).EndObject();
  }
  w.EndArray()
      .KeyString("boundaries", s.boundaries)
      .KeyString("recorded_by", s.recorded_by)
      .KeyString("recorded_by_name", s.recorded_by_name)
      .KeyTime("recorded_at", s.recorded_at)
      .EndObject();
}

http::Response ScopeResponse(db::Tx& tx, const std::string& org, int status) {
  auto history = ScopeHistory(tx, org);
  JsonWriter w;
  w.BeginObject().Key("current");
  if (history.empty()) {
    w.Null();
  } else {
    WriteScope(w, history.front());
  }
  w.Key("history").BeginArray();
  for (const auto& s : history) WriteScope(w, s);
  w.EndArray().EndObject();
  auto res = JsonText(status, std::move(w).Take());
  SetETag(res, history.empty() ? 0 : history.front().version);
  return res;
}

http::Response GetScopeRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  return ctx.db().Read([&](db::Tx& tx) { return ScopeResponse(tx, org, 200); });
}

http::Response PutScopeRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  Scope s;
  s.organisation_id = org;
  auto statement = in.Text("statement", {.required = true, .min = 1, .max = 20000});
  for (auto& p : in.Objects("interested_parties", 100, true)) {
    auto name = p.Text("name", {.required = true, .min = 1, .max = 300});
    auto expectations = p.Text("expectations", {.max = 4000});
    if (name) s.interested_parties.push_back({*name, expectations.value_or("")});
    in.Absorb(p);
  }
  auto boundaries = in.Text("boundaries", {.max = 20000});
  in.Done();
  s.statement = *statement;
  s.boundaries = boundaries.value_or("");
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    auto current = CurrentScope(tx, org);
    // The first scope has nothing to overwrite; every later one says which version it replaces.
    if (current && RequiredIfMatch(ctx.request) != current->version) throw PreconditionFailed();
    s.version = current ? current->version + 1 : 1;
    s.recorded_by = ctx.caller().user_id;
    s.recorded_by_name = ctx.caller().display_name;
    s.recorded_at = now;
    InsertScope(tx, s);
    json state = {{"version", s.version},
                  {"statement", s.statement},
                  {"interested_parties", s.interested_parties.size()},
                  {"boundaries", s.boundaries}};
    Audit(tx, ctx, "isms.scope.record", "isms_scope", org + "/v" + std::to_string(s.version),
          std::nullopt, state.dump(), now);
    return ScopeResponse(tx, org, current ? 200 : 201);
  });
}

// ---- evaluations ----

void WriteEvaluation(JsonWriter& w, const Evaluation& e, Millis now) {
  w.BeginObject()
      .KeyString("id", e.id)
      .KeyString("kind", e.kind)
      .KeyString("title", e.title)
      .KeyOptTime("planned_for", e.planned_for)
      .KeyOptTime("done_at", e.done_at)
      .KeyString("state", e.done_at ? "done" : "planned")
      .KeyBool("overdue", Overdue(e, now))
      .KeyString("evaluator", e.evaluator)
      .KeyString("summary", e.summary)
      .KeyString("minutes", e.minutes)
      .KeyString("decisions", e.decisions)
      .KeyOptString("chair_id", e.chair_id)
      .KeyOptString("chair_name", e.chair_id ? std::optional(e.chair_name) : std::nullopt)
      .KeyOptString("signed_by", e.signed_by)
      .KeyOptString("signed_by_name", e.signed_by_name)
      .KeyOptTime("signed_at", e.signed_at)
      .KeyInt("findings", e.findings)
      .KeyTime("created_at", e.created_at)
      .KeyTime("updated_at", e.updated_at)
      .KeyInt("version", e.version)
      .EndObject();
}

std::string EvaluationState(const Evaluation& e) {
  return json{{"kind", e.kind},
              {"title", e.title},
              {"planned_for", OptJson(e.planned_for)},
              {"done_at", OptJson(e.done_at)},
              {"evaluator", e.evaluator},
              {"summary", e.summary},
              {"minutes", e.minutes},
              {"decisions", e.decisions},
              {"chair_id", OptJson(e.chair_id)},
              {"signed_by", OptJson(e.signed_by)},
              {"signed_at", OptJson(e.signed_at)}}
      .dump();
}

http::Response EvaluationResponse(db::Tx& tx, const std::string& org, const std::string& id,
                                  int status, Millis now) {
  auto e = FindEvaluation(tx, org, id);
  JsonWriter w;
  WriteEvaluation(w, *e, now);
  auto res = JsonText(status, std::move(w).Take());
  SetETag(res, e->version);
  if (status == 201) res.Set("Location", OrgBase(org) + "/evaluations/" + id);
  return res;
}

// Reads the fields of an evaluation present in the body into `e` and checks them together. A
// management review alone carries minutes, decisions and a chair, who must hold the management
// role there: the review is management's.
void ApplyEvaluation(db::Tx& tx, Input& in, Evaluation& e, Millis now) {
  if (auto v = in.Text("title", {.required = e.title.empty(), .min = 1, .max = 300})) e.title = *v;
  if (in.Has("planned_for")) e.planned_for = in.Time("planned_for", false, true);
  if (in.Has("done_at")) e.done_at = in.Time("done_at", false, true);
  if (auto v = in.Text("evaluator", {.max = 300})) e.evaluator = *v;
  if (auto v = in.Text("summary", {.max = 20000})) e.summary = *v;
  const bool review = e.kind == "management_review";
  for (const char* field : {"minutes", "decisions"}) {
    if (!in.Has(field)) continue;
    auto v = in.Text(field, {.max = 50000});
    if (!review) {
      in.Fail(field, "is recorded for management reviews only");
    } else if (v) {
      (std::string_view(field) == "minutes" ? e.minutes : e.decisions) = *v;
    }
  }
  if (in.Has("chair_id")) {
    auto v = in.Text("chair_id", {.nullable = true, .uuid = true});
    if (!review) {
      in.Fail("chair_id", "is recorded for management reviews only");
    } else if (in.IsNull("chair_id")) {
      e.chair_id.reset();
    } else if (v) {
      if (!IsManager(tx, e.organisation_id, *v)) {
        in.Fail("chair_id", "is not a person of this organisation with the management role");
      } else {
        e.chair_id = *v;
      }
    }
  }
  if (!e.planned_for && !e.done_at) {
    in.Fail("planned_for", "is required unless done_at says when the evaluation was done");
  }
  if (e.done_at && *e.done_at > now + 60'000) {
    in.Fail("done_at", "is in the future: plan the evaluation with planned_for instead");
  }
}

http::Response ListEvaluationsRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& e : ListEvaluations(tx, org)) WriteEvaluation(w, e, now);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CreateEvaluationRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  auto kind = in.Text("kind", {.required = true,
                               .one_of = {"internal_audit", "automated", "peer_comparison",
                                          "formal_audit", "management_review"}});
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Evaluation e;
    e.id = crypto::NewUuid();
    e.organisation_id = org;
    e.kind = kind.value_or("internal_audit");
    ApplyEvaluation(tx, in, e, now);
    in.Done();
    e.created_by = ctx.caller().user_id;
    e.created_at = e.updated_at = now;
    InsertEvaluation(tx, e);
    Audit(tx, ctx, "isms.evaluation.create", "isms_evaluation", e.id, std::nullopt,
          EvaluationState(e), now);
    return EvaluationResponse(tx, org, e.id, 201, now);
  });
}

Evaluation LoadEvaluation(db::Tx& tx, const Context& ctx) {
  auto e = FindEvaluation(tx, ctx.IdParam("id", "organisation"),
                          ctx.IdParam("evaluation_id", "evaluation"));
  if (!e) throw NotFound("evaluation");
  return std::move(*e);
}

http::Response GetEvaluationRoute(Context& ctx) {
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    Evaluation e = LoadEvaluation(tx, ctx);
    return EvaluationResponse(tx, e.organisation_id, e.id, 200, now);
  });
}

http::Response PatchEvaluationRoute(Context& ctx) {
  const auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Evaluation e = LoadEvaluation(tx, ctx);
    if (e.version != version) throw PreconditionFailed();
    const std::string before = EvaluationState(e);
    ApplyEvaluation(tx, in, e, now);
    in.Done();
    // What management signed stays as it signed it.
    if (e.signed_at) throw Conflict("The management review was signed; it can no longer change.");
    e.updated_at = now;
    if (!UpdateEvaluation(tx, e, version)) throw PreconditionFailed();
    Audit(tx, ctx, "isms.evaluation.update", "isms_evaluation", e.id, before, EvaluationState(e),
          now);
    return EvaluationResponse(tx, e.organisation_id, e.id, 200, now);
  });
}

http::Response SignEvaluationRoute(Context& ctx) {
  const auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Evaluation e = LoadEvaluation(tx, ctx);
    if (e.version != version) throw PreconditionFailed();
    if (e.kind != "management_review") {
      throw Conflict("Only a management review is signed by management.");
    }
    if (e.signed_at) throw Conflict("The management review is already signed.");
    if (!e.done_at) throw Conflict("The management review has not been held yet (no done_at).");
    // The route lets only management in; checked again on the person, whose roles are the
    // organisation's record of who management is.
    if (!IsManager(tx, e.organisation_id, ctx.caller().user_id)) {
      throw InvalidField("signed_by", "the signer does not hold the management role here");
    }
    const std::string before = EvaluationState(e);
    e.signed_by = ctx.caller().user_id;
    e.signed_by_name = ctx.caller().display_name;
    e.signed_at = now;
    e.updated_at = now;
    if (!UpdateEvaluation(tx, e, version)) throw PreconditionFailed();
    Audit(tx, ctx, "isms.review.sign", "isms_evaluation", e.id, before, EvaluationState(e), now);
    return EvaluationResponse(tx, e.organisation_id, e.id, 200, now);
  });
}

// ---- findings ----

void WriteFinding(JsonWriter& w, db::Tx& tx, const Finding& f) {
  w.BeginObject()
      .KeyString("id", f.id)
      .KeyOptString("evaluation_id", f.evaluation_id)
      .KeyString("title", f.title)
      .KeyString("description", f.description)
      .KeyString("severity", f.severity)
      .KeyString("status", f.status);
  WriteLinks(w, tx, f.organisation_id, f.links);
  w.KeyTime("created_at", f.created_at)
      .KeyTime("updated_at", f.updated_at)
      .KeyInt("version", f.version)
      .EndObject();
}

std::string FindingState(const Finding& f) {
  return json{{"evaluation_id", OptJson(f.evaluation_id)},
              {"title", f.title},
              {"description", f.description},
              {"severity", f.severity},
              {"status", f.status},
              {"links", LinksState(f.links)}}
      .dump();
}

http::Response FindingResponse(db::Tx& tx, const std::string& org, const std::string& id,
                               int status) {
  auto f = FindFinding(tx, org, id);
  JsonWriter w;
  WriteFinding(w, tx, *f);
  auto res = JsonText(status, std::move(w).Take());
  SetETag(res, f->version);
  if (status == 201) res.Set("Location", OrgBase(org) + "/findings/" + id);
  return res;
}

void ApplyFinding(db::Tx& tx, Input& in, Finding& f) {
  if (auto v = in.Text("title", {.required = f.title.empty(), .min = 1, .max = 300})) f.title = *v;
  if (auto v = in.Text("description", {.max = 20000})) f.description = *v;
  if (auto v = in.Text("severity", {.one_of = {"low", "medium", "high", "critical"}})) {
    f.severity = *v;
  }
  if (auto v = in.Text("status", {.one_of = {"open", "closed"}})) f.status = *v;
  if (in.Has("evaluation_id")) {
    auto v = in.Text("evaluation_id", {.nullable = true, .uuid = true});
    if (in.IsNull("evaluation_id")) {
      f.evaluation_id.reset();
    } else if (v) {
      if (!FindEvaluation(tx, f.organisation_id, *v)) {
        in.Fail("evaluation_id", "is not an evaluation of this organisation");
      } else {
        f.evaluation_id = *v;
      }
    }
  }
  if (NamesLinks(in, false)) {
    auto read = ReadLinks(tx, in, f.organisation_id, false);
    f.links = Merge(f.links, read, in);
  }
}

FindingFilter ReadFindingFilter(const http::Request& q) {
  FindingFilter f;
  std::vector<FieldError> errors;
  if (auto v = q.QueryParam("status"); v && !v->empty()) {
    if (*v != "open" && *v != "closed") errors.push_back({"status", "must be open or closed"});
    f.status = *v;
  }
  if (auto v = q.QueryParam("severity"); v && !v->empty()) {
    if (!OneOf(kSeverities, *v)) {
      errors.push_back({"severity", "must be low, medium, high or critical"});
    }
    f.severity = *v;
  }
  if (auto v = q.QueryParam("evaluation_id"); v && !v->empty()) {
    if (!crypto::IsUuid(*v)) errors.push_back({"evaluation_id", "must be an evaluation's id"});
    f.evaluation_id = *v;
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return f;
}

http::Response ListFindingsRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  auto filter = ReadFindingFilter(ctx.request);
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& f : ListFindings(tx, org, filter)) WriteFinding(w, tx, f);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CreateFindingRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Finding f;
    f.id = crypto::NewUuid();
    f.organisation_id = org;
    if (!in.Has("severity")) in.Fail("severity", "is required: low, medium, high or critical");
    ApplyFinding(tx, in, f);
    in.Done();
    f.created_by = ctx.caller().user_id;
    f.created_at = f.updated_at = now;
    InsertFinding(tx, f);
    SetLinks(tx, "finding", f.id, f.links);
    Audit(tx, ctx, "isms.finding.create", "isms_finding", f.id, std::nullopt, FindingState(f), now);
    return FindingResponse(tx, org, f.id, 201);
  });
}

Finding LoadFinding(db::Tx& tx, const Context& ctx) {
  auto f = FindFinding(tx, ctx.IdParam("id", "organisation"), ctx.IdParam("finding_id", "finding"));
  if (!f) throw NotFound("finding");
  return std::move(*f);
}

http::Response GetFindingRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Finding f = LoadFinding(tx, ctx);
    return FindingResponse(tx, f.organisation_id, f.id, 200);
  });
}

http::Response PatchFindingRoute(Context& ctx) {
  const auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Finding f = LoadFinding(tx, ctx);
    if (f.version != version) throw PreconditionFailed();
    const std::string before = FindingState(f);
    ApplyFinding(tx, in, f);
    in.Done();
    f.updated_at = now;
    if (!UpdateFinding(tx, f, version)) throw PreconditionFailed();
    SetLinks(tx, "finding", f.id, f.links);
    Audit(tx, ctx, "isms.finding.update", "isms_finding", f.id, before, FindingState(f), now);
    return FindingResponse(tx, f.organisation_id, f.id, 200);
  });
}

// ---- improvement actions ----

json ActionFields(const ImprovementAction& a) {
  return json{{"level", a.level},
              {"title", a.title},
              {"description", a.description},
              {"owner_id", OptJson(a.owner_id)},
              {"due_at", a.due_at},
              {"status", a.status},
              {"links", LinksState(a.links)}};
}

// The fields that differ, as {"field": {"before": …, "after": …}}: one history entry.
json Changes(const json& before, const json& after) {
  json out = json::object();
  for (const auto& [k, v] : after.items()) {
    if (!before.contains(k) || before[k] != v) {
      out[k] = {{"before", before.contains(k) ? before[k] : json(nullptr)}, {"after", v}};
    }
  }
  return out;
}

void WriteAction(JsonWriter& w, db::Tx& tx, const ImprovementAction& a, Millis now,
                 bool with_history) {
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("level", a.level)
      .KeyString("title", a.title)
      .KeyString("description", a.description)
      .KeyOptString("owner_id", a.owner_id)
      .KeyOptString("owner_name", a.owner_id ? std::optional(a.owner_name) : std::nullopt)
      .KeyTime("due_at", a.due_at)
      .KeyString("status", a.status)
      .KeyBool("overdue", Overdue(a, now))
      .KeyOptTime("completed_at", a.completed_at);
  WriteLinks(w, tx, a.organisation_id, a.links);
  w.KeyTime("created_at", a.created_at)
      .KeyTime("updated_at", a.updated_at)
      .KeyInt("version", a.version);
  if (with_history) {
    w.Key("history").BeginArray();
    for (const auto& h : ActionHistory(tx, a.id)) {
      w.BeginObject()
          .KeyInt("seq", h.seq)
          .KeyTime("at", h.at)
          .KeyString("by_name", h.by_name)
          .Key("change")
          .Raw(h.change)
          .EndObject();
    }
    w.EndArray();
  }
  w.EndObject();
}

http::Response ActionResponse(db::Tx& tx, const std::string& org, const std::string& id, int status,
                              Millis now) {
  auto a = FindAction(tx, org, id);
  JsonWriter w;
  WriteAction(w, tx, *a, now, true);
  auto res = JsonText(status, std::move(w).Take());
  SetETag(res, a->version);
  if (status == 201) res.Set("Location", OrgBase(org) + "/actions/" + id);
  return res;
}

void ApplyAction(db::Tx& tx, Input& in, ImprovementAction& a, Millis now) {
  if (auto v = in.Text("level", {.required = a.level.empty(),
                                 .one_of = {"organisation", "procedures", "tools"}})) {
    a.level = *v;
  }
  if (auto v = in.Text("title", {.required = a.title.empty(), .min = 1, .max = 300})) a.title = *v;
  if (auto v = in.Text("description", {.max = 20000})) a.description = *v;
  if (in.Has("owner_id")) {
    auto v = in.Text("owner_id", {.nullable = true, .uuid = true});
    if (in.IsNull("owner_id")) {
      a.owner_id.reset();
    } else if (v) {
      if (!IsMember(tx, a.organisation_id, *v)) {
        in.Fail("owner_id", "is not a person of this organisation");
      } else {
        a.owner_id = *v;
      }
    }
  }
  if (auto v = in.Time("due_at", a.due_at == 0)) {
    if (DueBeforeCreation(*v, a.created_at)) {
      in.Fail("due_at", "is before the day the action was created");
    } else {
      a.due_at = *v;
    }
  }
  if (auto v = in.Text("status", {.one_of = {"open", "in_progress", "done", "cancelled"}})) {
    if (*v == "done" && a.status != "done") a.completed_at = now;
    if (*v != "done") a.completed_at.reset();
    a.status = *v;
  }
  if (NamesLinks(in, true)) {
    auto read = ReadLinks(tx, in, a.organisation_id, true);
    a.links = Merge(a.links, read, in);
  }
}

ActionFilter ReadActionFilter(const http::Request& q) {
  ActionFilter f;
  std::vector<FieldError> errors;
  if (auto v = q.QueryParam("status"); v && !v->empty()) {
    if (!OneOf(kActionStatuses, *v)) {
      errors.push_back({"status", "must be open, in_progress, done or cancelled"});
    }
    f.status = *v;
  }
  if (auto v = q.QueryParam("level"); v && !v->empty()) {
    if (!OneOf(kActionLevels, *v)) {
      errors.push_back({"level", "must be organisation, procedures or tools"});
    }
    f.level = *v;
  }
  if (auto v = q.QueryParam("overdue"); v && !v->empty()) {
    if (*v != "true" && *v != "false") errors.push_back({"overdue", "must be true or false"});
    f.overdue_only = *v == "true";
  }
  if (auto v = q.QueryParam("finding_id"); v && !v->empty()) {
    if (!crypto::IsUuid(*v)) errors.push_back({"finding_id", "must be a finding's id"});
    f.finding_id = *v;
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  return f;
}

http::Response ListActionsRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  auto filter = ReadActionFilter(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& a : ListActions(tx, org, filter, now)) WriteAction(w, tx, a, now, false);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CreateActionRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    ImprovementAction a;
    a.id = crypto::NewUuid();
    a.organisation_id = org;
    a.created_at = a.updated_at = now;
    a.level.clear();
    ApplyAction(tx, in, a, now);
    in.Done();
    a.created_by = ctx.caller().user_id;
    InsertAction(tx, a);
    SetLinks(tx, "action", a.id, a.links);
    const json state = ActionFields(a);
    AppendActionChange(tx, a.id, now, ctx.caller().display_name,
                       Changes(json::object(), state).dump());
    Audit(tx, ctx, "isms.action.create", "isms_action", a.id, std::nullopt, state.dump(), now);
    return ActionResponse(tx, org, a.id, 201, now);
  });
}

ImprovementAction LoadAction(db::Tx& tx, const Context& ctx) {
  auto a = FindAction(tx, ctx.IdParam("id", "organisation"), ctx.IdParam("action_id", "action"));
  if (!a) throw NotFound("action");
  return std::move(*a);
}

http::Response GetActionRoute(Context& ctx) {
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    ImprovementAction a = LoadAction(tx, ctx);
    return ActionResponse(tx, a.organisation_id, a.id, 200, now);
  });
}

http::Response PatchActionRoute(Context& ctx) {
  const auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    ImprovementAction a = LoadAction(tx, ctx);
    if (a.version != version) throw PreconditionFailed();
    const json before = ActionFields(a);
    ApplyAction(tx, in, a, now);
    in.Done();
    a.updated_at = now;
    if (!UpdateAction(tx, a, version)) throw PreconditionFailed();
    SetLinks(tx, "action", a.id, a.links);
    const json after = ActionFields(a);
    const json change = Changes(before, after);
    if (!change.empty())
      AppendActionChange(tx, a.id, now, ctx.caller().display_name, change.dump());
    Audit(tx, ctx, "isms.action.update", "isms_action", a.id, before.dump(), after.dump(), now);
    return ActionResponse(tx, a.organisation_id, a.id, 200, now);
  });
}

// ---- automated controls ----

void WriteResult(JsonWriter& w, const AutomatedResult& r) {
  w.BeginObject()
      .KeyString("id", r.id)
      .KeyString("run_id", r.run_id)
      .KeyString("control_urn", r.control_urn)
      .KeyString("framework_ref", r.framework_ref)
      .KeyString("requirement_id", r.requirement_id)
      .KeyString("outcome", r.outcome)
      .KeyString("value", r.value)
      .KeyString("tool", r.tool)
      .KeyTime("observed_at", r.observed_at)
      .KeyTime("posted_at", r.posted_at)
      .EndObject();
}

http::Response ListResultsRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  auto page = ParsePage(ctx.request);
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& r : ListResults(tx, org, page.limit)) WriteResult(w, r);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

// A tool (a nightly configuration scan, a vulnerability scanner) posts one run's results with an
// API token. The run id makes the post idempotent: sending the same run again, after a timeout
// say, stores nothing twice and answers with what the run holds.
http::Response PostResultsRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  auto run_id = in.Text("run_id", {.required = true, .min = 1, .max = 200});
  auto tool = in.Text("tool", {.required = true, .min = 1, .max = 200});
  auto observed_at = in.Time("observed_at", true);
  auto items = in.Objects("results", kMaxResults, true);
  if (in.Has("results") && items.empty()) in.Fail("results", "must list at least one result");
  const Millis now = NowMillis();
  if (observed_at && *observed_at > now + 5 * 60'000) {
    in.Fail("observed_at", "is in the future");
  }
  return ctx.db().Write([&](db::Tx& tx) {
    std::vector<AutomatedResult> results;
    std::set<std::string> seen;
    for (auto& item : items) {
      auto urn = item.Text("control_urn", {.required = true, .min = 1, .max = 300});
      auto outcome = item.Text("outcome", {.required = true, .one_of = {"pass", "fail", "value"}});
      auto value = item.Text("value", {.max = 2000});
      if (outcome && *outcome == "value" && value.value_or("").empty()) {
        item.Fail("value", "is required when the outcome is a value");
      }
      if (urn) {
        auto resolved = ResolveUrn(tx, *urn);
        if (!resolved) {
          item.Fail("control_urn", *urn + " is not a control of any framework");
        } else if (!seen.insert(*urn).second) {
          item.Fail("control_urn", *urn + " appears twice in this run");
        } else if (outcome) {
          AutomatedResult r;
          r.id = crypto::NewUuid();
          r.run_id = run_id.value_or("");
          r.control_urn = *urn;
          r.framework_ref = resolved->framework->ref;
          r.requirement_id = resolved->requirement->id;
          r.outcome = *outcome;
          r.value = value.value_or("");
          r.tool = tool.value_or("");
          r.observed_at = observed_at.value_or(now);
          r.posted_by = ctx.caller().display_name;
          r.posted_at = now;
          results.push_back(std::move(r));
        }
      }
      in.Absorb(item);
    }
    in.Done();
    std::int64_t stored = 0;
    for (const auto& r : results) stored += InsertResult(tx, org, r) ? 1 : 0;
    if (stored > 0) {
      json state = {{"run_id", *run_id},
                    {"tool", *tool},
                    {"observed_at", *observed_at},
                    {"results", results.size()},
                    {"stored", stored}};
      Audit(tx, ctx, "isms.automated.post", "isms_automated_run", org + "/" + *run_id, std::nullopt,
            state.dump(), now);
    }
    JsonWriter w;
    w.BeginObject()
        .KeyString("run_id", *run_id)
        .KeyInt("received", static_cast<std::int64_t>(results.size()))
        .KeyInt("stored", stored)
        .KeyInt("already_recorded", static_cast<std::int64_t>(results.size()) - stored)
        .EndObject();
    return JsonText(stored > 0 ? 201 : 200, std::move(w).Take());
  });
}

// ---- comparison, cycle board, posture ----

void WriteImplementation(JsonWriter& w, const Implementation& m) {
  auto number = [&](const std::optional<double>& v) {
    if (v) {
      w.Raw(json(*v).dump());
    } else {
      w.Null();
    }
  };
  w.BeginObject()
      .KeyInt("applicable", m.applicable)
      .KeyInt("implemented", m.implemented)
      .KeyInt("partial", m.partial)
      .Key("implemented_share");
  number(m.implemented_share);
  w.Key("weighted_share");
  number(m.weighted_share);
  w.EndObject();
}

void WriteComparison(JsonWriter& w, const std::vector<SectorComparison>& rows, int min) {
  w.BeginArray();
  for (const auto& c : rows) {
    w.BeginObject()
        .KeyString("sector_id", c.sector_id)
        .KeyString("sector_name", c.sector_name)
        .KeyInt("organisations", c.organisations)
        .KeyInt("min_cell_organisations", min)
        .KeyBool("withheld", c.withheld)
        .Key("average_implemented_share");
    if (c.average_implemented_share) {
      w.Raw(json(*c.average_implemented_share).dump());
    } else {
      w.Null();
    }
    w.Key("average_weighted_share");
    if (c.average_weighted_share) {
      w.Raw(json(*c.average_weighted_share).dump());
    } else {
      w.Null();
    }
    w.EndObject();
  }
  w.EndArray();
}

http::Response ComparisonRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const int min = ctx.services.config.min_cell_organisations;
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("organisation");
    WriteImplementation(w, ImplementationOf(tx, org));
    w.Key("sectors");
    WriteComparison(w, CompareWithSectors(tx, org, min), min);
    w.EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response CycleRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  const int min = ctx.services.config.min_cell_organisations;
  return ctx.db().Read([&](db::Tx& tx) {
    auto scope = CurrentScope(tx, org);
    const Implementation m = ImplementationOf(tx, org);
    const auto evaluations = ListEvaluations(tx, org);
    const auto findings = ListFindings(tx, org, {.status = "open"});
    const auto actions = ListActions(tx, org, {}, now);
    const auto results = ListResults(tx, org, 500);

    CycleFacts facts;
    facts.scope_recorded = scope.has_value();
    facts.applicable_controls = m.applicable;
    facts.implemented_controls = m.implemented + m.partial;
    for (const auto& e : evaluations) {
      if (e.done_at && (!facts.last_evaluation || *e.done_at > *facts.last_evaluation)) {
        facts.last_evaluation = e.done_at;
      }
    }
    if (!results.empty() &&
        (!facts.last_evaluation || results.front().observed_at > *facts.last_evaluation)) {
      facts.last_evaluation = results.front().observed_at;
    }
    facts.open_findings = static_cast<std::int64_t>(findings.size());
    for (const auto& a : actions) {
      if (a.status == "open" || a.status == "in_progress") ++facts.open_actions;
    }

    JsonWriter w;
    w.BeginObject()
        .KeyString("organisation_id", org)
        .KeyString("stage", Name(StageOf(facts, now)))
        .KeyTime("as_of", now);
    w.Key("design").BeginObject().Key("scope");
    if (scope) {
      WriteScope(w, *scope);
    } else {
      w.Null();
    }
    w.EndObject();
    w.Key("implementation")
        .BeginObject()
        .KeyInt("statements", static_cast<std::int64_t>(ListSoas(tx, org).size()));
    w.Key("figures");
    WriteImplementation(w, m);
    w.EndObject();

    w.Key("evaluation").BeginObject().Key("kinds").BeginArray();
    for (auto kind : kEvaluationKinds) {
      std::int64_t done = 0, planned = 0, overdue = 0;
      std::optional<Millis> last_done, next_planned;
      for (const auto& e : evaluations) {
        if (e.kind != kind) continue;
        if (e.done_at) {
          ++done;
          if (!last_done || *e.done_at > *last_done) last_done = e.done_at;
        } else {
          ++planned;
          if (Overdue(e, now)) ++overdue;
          if (e.planned_for && *e.planned_for >= now &&
              (!next_planned || *e.planned_for < *next_planned)) {
            next_planned = e.planned_for;
          }
        }
      }
      // Automated controls report through their results: the newest run is the last done.
      if (kind == "automated" && !results.empty() &&
          (!last_done || results.front().observed_at > *last_done)) {
        last_done = results.front().observed_at;
      }
      w.BeginObject()
          .KeyString("kind", kind)
          .KeyInt("done", done)
          .KeyInt("planned", planned)
          .KeyInt("overdue", overdue)
          .KeyOptTime("last_done_at", last_done)
          .KeyOptTime("next_planned_for", next_planned)
          .EndObject();
    }
    w.EndArray().Key("automated").BeginObject();
    if (results.empty()) {
      w.KeyNull("last_run_id").KeyNull("last_run_at").KeyNull("tool");
      w.KeyInt("pass", 0).KeyInt("fail", 0).KeyInt("value", 0);
    } else {
      const auto& last = results.front();
      std::int64_t pass = 0, fail = 0, value = 0;
      for (const auto& r : results) {
        if (r.run_id != last.run_id) continue;
        (r.outcome == "pass" ? pass : r.outcome == "fail" ? fail : value) += 1;
      }
      w.KeyString("last_run_id", last.run_id)
          .KeyTime("last_run_at", last.observed_at)
          .KeyString("tool", last.tool)
          .KeyInt("pass", pass)
          .KeyInt("fail", fail)
          .KeyInt("value", value);
    }
    w.EndObject().Key("comparison");
    WriteComparison(w, CompareWithSectors(tx, org, min), min);
    w.EndObject();

    std::map<std::string, std::int64_t> by_severity, by_level;
    for (auto s : kSeverities) by_severity[std::string(s)] = 0;
    for (auto l : kActionLevels) by_level[std::string(l)] = 0;
    for (const auto& f : findings) ++by_severity[f.severity];
    std::int64_t overdue_actions = 0, done_actions = 0;
    for (const auto& a : actions) {
      if (a.status == "open" || a.status == "in_progress") ++by_level[a.level];
      if (Overdue(a, now)) ++overdue_actions;
      if (a.status == "done") ++done_actions;
    }
    w.Key("improvement")
        .BeginObject()
        .KeyInt("open_findings", facts.open_findings)
        .Key("open_findings_by_severity")
        .BeginObject();
    for (auto s : kSeverities) w.KeyInt(s, by_severity[std::string(s)]);
    w.EndObject().KeyInt("open_actions", facts.open_actions).Key("open_actions_by_level");
    w.BeginObject();
    for (auto l : kActionLevels) w.KeyInt(l, by_level[std::string(l)]);
    w.EndObject()
        .KeyInt("done_actions", done_actions)
        .KeyInt("overdue_actions", overdue_actions)
        .EndObject();

    // What is late, oldest first: evaluations planned and not done, actions past due.
    struct Late {
      Millis due;
      std::string type, id, title, what;
    };
    std::vector<Late> late;
    for (const auto& e : evaluations) {
      if (Overdue(e, now)) late.push_back({*e.planned_for, "evaluation", e.id, e.title, e.kind});
    }
    for (const auto& a : actions) {
      if (Overdue(a, now)) late.push_back({a.due_at, "action", a.id, a.title, a.level});
    }
    std::sort(late.begin(), late.end(), [](const Late& a, const Late& b) { return a.due < b.due; });
    w.Key("overdue").BeginArray();
    for (const auto& l : late) {
      w.BeginObject()
          .KeyString("type", l.type)
          .KeyString("id", l.id)
          .KeyString("title", l.title)
          .KeyString("kind", l.what)
          .KeyTime("due_at", l.due)
          .KeyInt("days_late", (now - l.due) / (24LL * 3600 * 1000))
          .EndObject();
    }
    w.EndArray().EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

void WritePosture(JsonWriter& w, const Posture& p, const std::string& name) {
  w.BeginObject()
      .KeyString("organisation_id", p.organisation_id)
      .KeyString("organisation_name", name)
      .Key("implementation");
  WriteImplementation(w, p.implementation);
  w.Key("certification")
      .BeginObject()
      .KeyString("status", p.certification)
      .KeyOptTime("expires_at", p.certificate_expires_at)
      .EndObject()
      .Key("policy")
      .BeginObject()
      .KeyBool("in_date", p.policy.in_date)
      .KeyOptString("kind", p.policy.kind)
      .KeyOptTime("approved_at", p.policy.approved_at)
      .KeyOptTime("next_review_at", p.policy.next_review_at)
      .EndObject()
      .KeyInt("open_findings", p.open_findings)
      .KeyInt("open_actions", p.open_actions)
      .KeyInt("overdue_actions", p.overdue_actions)
      .KeyInt("overdue_evaluations", p.overdue_evaluations)
      .EndObject();
}

// The organisation itself (kIsmsRead), and the authorities the threat profile's rules name:
// the national CERT sees every organisation, a regulator or sector CERT the organisations of its
// sectors (ProfileViewOf). Anyone else signed in is refused.
http::Response PostureRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const Principal& me = ctx.caller();
  const Millis now = NowMillis();
  return ctx.db().Read([&](db::Tx& tx) {
    auto row = tx.QueryOne("SELECT name FROM organisations WHERE id = $1", {org});
    if (!row) throw NotFound("organisation");
    bool allowed = Decide(&me, Action::kIsmsRead, {.org_id = org}) == Decision::kAllow;
    if (!allowed) {
      const ProfileView view = ProfileViewOf(me);
      allowed = view.national;
      for (const auto& s : tx.Query(
               "SELECT sector_id FROM organisation_sectors WHERE organisation_id = $1", {org})) {
        if (!allowed && view.SeesInFull(s.Text(0))) allowed = true;
      }
    }
    if (!allowed) {
      throw Forbidden(
          "The posture of an organisation is for the organisation, its sector's regulator and "
          "CERT, and the national CERT.");
    }
    JsonWriter w;
    WritePosture(w, PostureOf(tx, org, now), row->Text(0));
    return JsonText(200, std::move(w).Take());
  });
}

// ---- certification ----

void WriteCertification(JsonWriter& w, const Certification& c, Millis now) {
  w.BeginObject()
      .KeyString("status", c.status)
      .KeyString("effective_status", EffectiveStatus(c, now))
      .KeyString("certifier", c.certifier)
      .KeyString("scope", c.scope)
      .KeyString("certificate_number", c.certificate_number)
      .KeyOptTime("issued_at", c.issued_at)
      .KeyOptTime("expires_at", c.expires_at)
      .KeyOptString("updated_by", c.version ? std::optional(c.updated_by) : std::nullopt)
      .KeyOptTime("updated_at", c.version ? std::optional(c.updated_at) : std::nullopt)
      .KeyInt("version", c.version)
      .EndObject();
}

std::string CertificationState(const Certification& c) {
  return json{{"status", c.status},
              {"certifier", c.certifier},
              {"scope", c.scope},
              {"certificate_number", c.certificate_number},
              {"issued_at", OptJson(c.issued_at)},
              {"expires_at", OptJson(c.expires_at)}}
      .dump();
}

http::Response CertificationResponse(const Certification& c, Millis now) {
  JsonWriter w;
  WriteCertification(w, c, now);
  auto res = JsonText(200, std::move(w).Take());
  SetETag(res, c.version);
  return res;
}

http::Response GetCertificationRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  return ctx.db().Read(
      [&](db::Tx& tx) { return CertificationResponse(LoadCertification(tx, org), now); });
}

// The whole record is replaced: a status and, for a certificate, who issued it, its scope, number
// and dates. Fields that do not belong to the status are refused rather than kept half-true.
http::Response PutCertificationRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  Certification c;
  c.organisation_id = org;
  auto status =
      in.Text("status", {.required = true, .one_of = {"none", "in_progress", "certified"}});
  c.status = status.value_or("none");
  c.certifier = in.Text("certifier", {.max = 300}).value_or("");
  c.scope = in.Text("scope", {.max = 4000}).value_or("");
  c.certificate_number = in.Text("certificate_number", {.max = 200}).value_or("");
  c.issued_at = in.Time("issued_at", false, true);
  c.expires_at = in.Time("expires_at", false, true);
  if (status == "certified") {
    if (c.certifier.empty()) in.Fail("certifier", "is required for a certificate");
    if (c.scope.empty()) in.Fail("scope", "is required for a certificate");
    if (c.certificate_number.empty()) {
      in.Fail("certificate_number", "is required for a certificate");
    }
    if (!in.Has("issued_at")) in.Fail("issued_at", "is required for a certificate");
    if (!in.Has("expires_at")) in.Fail("expires_at", "is required for a certificate");
    if (c.issued_at && c.expires_at && *c.expires_at <= *c.issued_at) {
      in.Fail("expires_at", "must be after issued_at");
    }
  } else if (status) {
    for (const char* f : {"certificate_number", "issued_at", "expires_at"}) {
      if (in.Has(f) && !in.IsNull(f)) in.Fail(f, "is recorded only for a certificate (certified)");
    }
  }
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Certification old = LoadCertification(tx, org);
    if (old.version > 0 && RequiredIfMatch(ctx.request) != old.version) {
      throw PreconditionFailed();
    }
    c.version = old.version;
    c.updated_by = ctx.caller().display_name;
    c.updated_at = now;
    if (!SaveCertification(tx, c)) throw PreconditionFailed();
    Audit(tx, ctx, "isms.certification.update", "isms_certification", org,
          old.version ? std::optional(CertificationState(old)) : std::nullopt,
          CertificationState(c), now);
    return CertificationResponse(LoadCertification(tx, org), now);
  });
}

// ---- obligations ----

http::Response LibraryRoute(Context& ctx) {
  (void)ctx;
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& l : ObligationLibrary()) {
    w.BeginObject()
        .KeyString("urn", l.urn)
        .KeyString("kind", l.kind)
        .KeyString("title", l.title)
        .KeyString("description", l.description)
        .Key("sectors")
        .BeginArray();
    for (const auto& s : l.sectors) w.String(s);
    w.EndArray().Key("obligations").BeginArray();
    for (const auto& o : l.obligations) {
      w.BeginObject()
          .KeyString("urn", o.urn)
          .KeyString("title", o.title)
          .KeyString("description", o.description)
          .EndObject();
    }
    w.EndArray().EndObject();
  }
  w.EndArray().KeyNull("next_cursor").EndObject();
  return JsonText(200, std::move(w).Take());
}

std::string ObligationEvidenceUrl(const Obligation& o, const Evidence& ev) {
  return OrgBase(o.organisation_id) + "/obligations/" + o.id + "/evidence/" + ev.id + "/content";
}

void WriteObligationEvidence(JsonWriter& w, const Obligation& o, const Evidence& ev) {
  w.BeginObject()
      .KeyString("id", ev.id)
      .KeyString("kind", ev.kind)
      .KeyOptString("url", ev.url)
      .KeyOptString("sha256", ev.sha256)
      .KeyString("name", ev.name)
      .KeyString("media_type", ev.media_type)
      .KeyInt("size", ev.size)
      .KeyString("description", ev.description)
      .KeyString("added_by_name", ev.added_by_name)
      .KeyTime("added_at", ev.added_at)
      .KeyOptString("content_url",
                    ev.kind == "file" ? std::optional(ObligationEvidenceUrl(o, ev)) : std::nullopt)
      .EndObject();
}

void WriteObligation(JsonWriter& w, const Obligation& o, bool with_evidence) {
  w.BeginObject()
      .KeyString("id", o.id)
      .KeyString("source", o.law_urn.empty() ? "own" : "library")
      .KeyOptString("law_urn", o.law_urn.empty() ? std::nullopt : std::optional(o.law_urn))
      .KeyOptString("obligation_urn",
                    o.obligation_urn.empty() ? std::nullopt : std::optional(o.obligation_urn))
      .KeyString("law_kind", o.law_kind)
      .KeyString("law_title", o.law_title)
      .KeyString("title", o.title)
      .KeyString("description", o.description)
      .KeyString("status", o.status)
      .KeyString("note", o.note)
      .KeyInt("evidence_count", o.evidence_count)
      .KeyTime("updated_at", o.updated_at)
      .KeyInt("version", o.version);
  if (with_evidence) {
    w.Key("evidence").BeginArray();
    for (const auto& ev : o.evidence) WriteObligationEvidence(w, o, ev);
    w.EndArray();
  }
  w.EndObject();
}

std::string ObligationState(const Obligation& o) {
  return json{{"law_urn", o.law_urn},   {"obligation_urn", o.obligation_urn},
              {"law_kind", o.law_kind}, {"law_title", o.law_title},
              {"title", o.title},       {"description", o.description},
              {"status", o.status},     {"note", o.note}}
      .dump();
}

http::Response ObligationResponse(db::Tx& tx, const std::string& org, const std::string& id,
                                  int status) {
  auto o = FindObligation(tx, org, id);
  JsonWriter w;
  WriteObligation(w, *o, true);
  auto res = JsonText(status, std::move(w).Take());
  SetETag(res, o->version);
  if (status == 201) res.Set("Location", OrgBase(org) + "/obligations/" + id);
  return res;
}

http::Response ListObligationsRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  return ctx.db().Read([&](db::Tx& tx) {
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& o : ListObligations(tx, org)) WriteObligation(w, o, false);
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

const std::initializer_list<std::string_view> kStatusNames = {
    "not_assessed", "compliant", "partial", "non_compliant", "not_applicable"};

http::Response CreateObligationRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  Obligation o;
  o.law_kind = in.Text("law_kind", {.required = true,
                                    .one_of = {"cybersecurity", "cybercrime", "data_protection",
                                               "sector_regulation", "other"}})
                   .value_or("");
  o.law_title = in.Text("law_title", {.required = true, .min = 1, .max = 300}).value_or("");
  o.title = in.Text("title", {.required = true, .min = 1, .max = 300}).value_or("");
  o.description = in.Text("description", {.max = 20000}).value_or("");
  o.status = in.Text("status", {.one_of = kStatusNames}).value_or("not_assessed");
  o.note = in.Text("note", {.max = 20000}).value_or("");
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    o.id = crypto::NewUuid();
    o.organisation_id = org;
    o.created_by = ctx.caller().user_id;
    o.created_at = o.updated_at = now;
    InsertObligation(tx, o);
    Audit(tx, ctx, "isms.obligation.create", "isms_obligation", o.id, std::nullopt,
          ObligationState(o), now);
    return ObligationResponse(tx, org, o.id, 201);
  });
}

// Adopts a law of the library: one obligation row per obligation it lists, not yet assessed.
http::Response AdoptLawRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  auto urn = in.Text("law_urn", {.required = true, .min = 1, .max = 300});
  auto title = in.Text("law_title", {.max = 300});
  const LibraryLaw* law = urn ? FindLibraryLaw(*urn) : nullptr;
  if (urn && law == nullptr) in.Fail("law_urn", *urn + " is not a law of the library");
  in.Done();
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    if (HasAdopted(tx, org, law->urn)) {
      throw Conflict("The organisation's register already holds " + law->title + ".");
    }
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& lo : law->obligations) {
      Obligation o;
      o.id = crypto::NewUuid();
      o.organisation_id = org;
      o.law_urn = law->urn;
      o.obligation_urn = lo.urn;
      o.law_kind = law->kind;
      // The organisation may name the law as its own statute calls it.
      o.law_title = title && !title->empty() ? *title : law->title;
      o.title = lo.title;
      o.description = lo.description;
      o.created_by = ctx.caller().user_id;
      o.created_at = o.updated_at = now;
      InsertObligation(tx, o);
      WriteObligation(w, o, false);
    }
    w.EndArray().KeyNull("next_cursor").EndObject();
    json state = {{"law_urn", law->urn},
                  {"law_title", title && !title->empty() ? *title : law->title},
                  {"obligations", law->obligations.size()}};
    Audit(tx, ctx, "isms.obligation.adopt", "isms_obligations", org + "/" + law->urn, std::nullopt,
          state.dump(), now);
    return JsonText(201, std::move(w).Take());
  });
}

Obligation LoadObligation(db::Tx& tx, const Context& ctx) {
  auto o = FindObligation(tx, ctx.IdParam("id", "organisation"),
                          ctx.IdParam("obligation_id", "obligation"));
  if (!o) throw NotFound("obligation");
  return std::move(*o);
}

http::Response GetObligationRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Obligation o = LoadObligation(tx, ctx);
    return ObligationResponse(tx, o.organisation_id, o.id, 200);
  });
}

http::Response PatchObligationRoute(Context& ctx) {
  const auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Obligation o = LoadObligation(tx, ctx);
    if (o.version != version) throw PreconditionFailed();
    const std::string before = ObligationState(o);
    if (auto v = in.Text("status", {.one_of = kStatusNames})) o.status = *v;
    if (auto v = in.Text("note", {.max = 20000})) o.note = *v;
    if (auto v = in.Text("law_title", {.min = 1, .max = 300})) o.law_title = *v;
    // A library obligation keeps the library's wording; the organisation's own ones are its text.
    for (const char* f : {"title", "description", "law_kind"}) {
      if (!in.Has(f)) continue;
      if (!o.law_urn.empty()) {
        in.Fail(f, "is the library's for an adopted law; write a note instead");
        continue;
      }
      if (std::string_view(f) == "law_kind") {
        if (auto v = in.Text(f, {.one_of = {"cybersecurity", "cybercrime", "data_protection",
                                            "sector_regulation", "other"}})) {
          o.law_kind = *v;
        }
      } else if (auto v =
                     in.Text(f, {.min = std::string_view(f) == "title" ? 1u : 0u, .max = 20000})) {
        (std::string_view(f) == "title" ? o.title : o.description) = *v;
      }
    }
    in.Done();
    o.updated_at = now;
    if (!UpdateObligation(tx, o, version)) throw PreconditionFailed();
    Audit(tx, ctx, "isms.obligation.update", "isms_obligation", o.id, before, ObligationState(o),
          now);
    return ObligationResponse(tx, o.organisation_id, o.id, 200);
  });
}

bool IsWebLink(std::string_view url) {
  std::string_view rest;
  if (url.rfind("https://", 0) == 0) {
    rest = url.substr(8);
  } else if (url.rfind("http://", 0) == 0) {
    rest = url.substr(7);
  } else {
    return false;
  }
  const auto host = rest.substr(0, rest.find_first_of("/?#"));
  if (host.empty() || host.find('@') != std::string_view::npos) return false;
  return std::none_of(url.begin(), url.end(), [](char c) {
    return static_cast<unsigned char>(c) <= 0x20 || c == 0x7f || c == '"' || c == '<' || c == '>';
  });
}

http::Response RecordObligationEvidence(db::Tx& tx, const Context& ctx, const Obligation& o,
                                        const Evidence& ev, Millis now) {
  InsertObligationEvidence(tx, o.id, ev);
  TouchObligation(tx, o.id, now);
  json state = {{"obligation_id", o.id},        {"kind", ev.kind}, {"url", OptJson(ev.url)},
                {"sha256", OptJson(ev.sha256)}, {"name", ev.name}, {"size", ev.size}};
  Audit(tx, ctx, "isms.obligation.evidence.add", "isms_obligation_evidence", ev.id, std::nullopt,
        state.dump(), now);
  JsonWriter w;
  WriteObligationEvidence(w, o, ev);
  auto res = JsonText(201, std::move(w).Take());
  res.Set("Location", OrgBase(o.organisation_id) + "/obligations/" + o.id + "/evidence/" + ev.id);
  return res;
}

http::Response AddObligationLinkRoute(Context& ctx) {
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
    Obligation o = LoadObligation(tx, ctx);
    Evidence ev;
    ev.id = crypto::NewUuid();
    ev.kind = "link";
    ev.url = *url;
    ev.name = name && !name->empty() ? *name : *url;
    ev.description = description.value_or("");
    ev.added_by = ctx.caller().user_id;
    ev.added_by_name = ctx.caller().display_name;
    ev.added_at = now;
    return RecordObligationEvidence(tx, ctx, o, ev, now);
  });
}

// The body is the file; its name and description come in the query string, its type is read from
// the bytes, as for SoA evidence.
http::Response AddObligationFileRoute(Context& ctx) {
  const http::Request& req = ctx.request;
  std::vector<FieldError> errors;
  const files::Upload upload =
      files::ReadUpload(req, static_cast<std::size_t>(ctx.services.config.max_file_bytes), errors);
  const std::string& name = upload.name;
  const std::string& description = upload.description;
  const std::optional<files::Detected>& type = upload.type;
  const Millis now = NowMillis();
  return ctx.db().Write([&](db::Tx& tx) {
    Obligation o = LoadObligation(tx, ctx);
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
    return RecordObligationEvidence(tx, ctx, o, ev, now);
  });
}

http::Response DeleteObligationEvidenceRoute(Context& ctx) {
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    Obligation o = LoadObligation(tx, ctx);
    auto ev = FindObligationEvidence(tx, o.id, ctx.IdParam("evidence_id", "evidence"));
    if (!ev) throw NotFound("evidence");
    DeleteObligationEvidence(tx, ev->id);
    TouchObligation(tx, o.id, now);
    json state = {{"obligation_id", o.id},
                  {"kind", ev->kind},
                  {"name", ev->name},
                  {"target", ev->url ? *ev->url : "sha256:" + ev->sha256.value_or("")}};
    Audit(tx, ctx, "isms.obligation.evidence.remove", "isms_obligation_evidence", ev->id,
          state.dump(), std::nullopt, now);
  });
  return NoContent();
}

http::Response ObligationEvidenceContentRoute(Context& ctx) {
  return ctx.db().Read([&](db::Tx& tx) {
    Obligation o = LoadObligation(tx, ctx);
    auto ev = FindObligationEvidence(tx, o.id, ctx.IdParam("evidence_id", "evidence"));
    if (!ev || ev->kind != "file" || !ev->sha256) throw NotFound("evidence file");
    auto bytes = files::Get(tx, *ev->sha256);
    if (!bytes) throw NotFound("evidence file");
    return files::Download(std::move(*bytes), ev->name, *ev->sha256);
  });
}

}  // namespace

void AddCycleRoutes(Router& r) {
  // Read at start so that a broken shipped library stops the server with its problem.
  (void)ObligationLibrary();
  r.Add({"GET", "/api/v1/obligations-library", Action::kReferenceRead, "", LibraryRoute, kNoBody});
  r.Add({"GET", "/api/v1/organisations/{id}/posture", Action::kProfileRead, "id", PostureRoute,
         kNoBody});

  const std::string base(kBase);
  auto add = [&](std::string method, std::string path, Action action, RouteHandler h,
                 std::size_t limit) {
    r.Add({std::move(method), base + path, action, "id", std::move(h), limit});
  };
  add("GET", "/cycle", Action::kIsmsRead, CycleRoute, kNoBody);
  add("GET", "/scope", Action::kIsmsRead, GetScopeRoute, kNoBody);
  add("PUT", "/scope", Action::kIsmsWrite, PutScopeRoute, 256 * 1024);
  add("GET", "/evaluations", Action::kIsmsRead, ListEvaluationsRoute, kNoBody);
  add("POST", "/evaluations", Action::kIsmsAudit, CreateEvaluationRoute, 256 * 1024);
  add("GET", "/evaluations/{evaluation_id}", Action::kIsmsRead, GetEvaluationRoute, kNoBody);
  add("PATCH", "/evaluations/{evaluation_id}", Action::kIsmsAudit, PatchEvaluationRoute,
      256 * 1024);
  add("POST", "/evaluations/{evaluation_id}/sign", Action::kIsmsApprove, SignEvaluationRoute,
      kNoBody);
  add("GET", "/findings", Action::kIsmsRead, ListFindingsRoute, kNoBody);
  add("POST", "/findings", Action::kIsmsAudit, CreateFindingRoute, 64 * 1024);
  add("GET", "/findings/{finding_id}", Action::kIsmsRead, GetFindingRoute, kNoBody);
  add("PATCH", "/findings/{finding_id}", Action::kIsmsAudit, PatchFindingRoute, 64 * 1024);
  add("GET", "/actions", Action::kIsmsRead, ListActionsRoute, kNoBody);
  add("POST", "/actions", Action::kIsmsWrite, CreateActionRoute, 64 * 1024);
  add("GET", "/actions/{action_id}", Action::kIsmsRead, GetActionRoute, kNoBody);
  add("PATCH", "/actions/{action_id}", Action::kIsmsWrite, PatchActionRoute, 64 * 1024);
  add("GET", "/automated-results", Action::kIsmsRead, ListResultsRoute, kNoBody);
  add("POST", "/automated-results", Action::kIsmsAudit, PostResultsRoute, 1024 * 1024);
  add("GET", "/comparison", Action::kIsmsRead, ComparisonRoute, kNoBody);
  add("GET", "/certification", Action::kIsmsRead, GetCertificationRoute, kNoBody);
  add("PUT", "/certification", Action::kIsmsWrite, PutCertificationRoute, 16 * 1024);
  add("GET", "/obligations", Action::kIsmsRead, ListObligationsRoute, kNoBody);
  add("POST", "/obligations", Action::kIsmsWrite, CreateObligationRoute, 64 * 1024);
  add("POST", "/obligations/adopt", Action::kIsmsWrite, AdoptLawRoute, 16 * 1024);
  add("GET", "/obligations/{obligation_id}", Action::kIsmsRead, GetObligationRoute, kNoBody);
  add("PATCH", "/obligations/{obligation_id}", Action::kIsmsWrite, PatchObligationRoute, 64 * 1024);
  add("POST", "/obligations/{obligation_id}/evidence", Action::kIsmsWrite, AddObligationLinkRoute,
      16 * 1024);
  Route upload{"POST", base + "/obligations/{obligation_id}/evidence/files", Action::kIsmsWrite,
               "id", AddObligationFileRoute};
  upload.body_is_file = true;
  r.Add(std::move(upload));
  add("DELETE", "/obligations/{obligation_id}/evidence/{evidence_id}", Action::kIsmsWrite,
      DeleteObligationEvidenceRoute, kNoBody);
  add("GET", "/obligations/{obligation_id}/evidence/{evidence_id}/content", Action::kIsmsRead,
      ObligationEvidenceContentRoute, kNoBody);
}

}  // namespace rampart::isms
