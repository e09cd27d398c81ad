#include "directory/api.h"

#include "directory/rules.h"
#include "directory/store.h"
#include "platform/audit.h"
#include "platform/auth.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/identity.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "platform/problem.h"

namespace rampart::directory {

namespace {

using nlohmann::json;

void Write(JsonWriter& w, const Sector& s) {
  w.BeginObject()
      .Key("id")
      .String(s.id)
      .Key("slug")
      .String(s.slug)
      .Key("name")
      .String(s.name)
      .Key("description")
      .String(s.description)
      .Key("reporting_profile")
      .String(s.reporting_profile)
      .Key("organisation_count")
      .Int(s.organisation_count)
      .Key("version")
      .Int(s.version)
      .Key("created_at")
      .Time(s.created_at)
      .Key("updated_at")
      .Time(s.updated_at)
      .EndObject();
}

void Write(JsonWriter& w, const Organisation& o) {
  w.BeginObject()
      .Key("id")
      .String(o.id)
      .Key("name")
      .String(o.name)
      .Key("short_name")
      .String(o.short_name)
      .Key("kind")
      .String(Name(o.kind))
      .Key("sector_ids")
      .BeginArray();
  for (const auto& s : o.sector_ids) w.String(s);
  w.EndArray()
      .Key("criticality_tier")
      .OptionalInt(o.criticality_tier)
      .Key("size_class")
      .OptionalString(o.size_class)
      .Key("website")
      .OptionalString(o.website)
      .Key("version")
      .Int(o.version)
      .Key("created_at")
      .Time(o.created_at)
      .Key("updated_at")
      .Time(o.updated_at)
      .EndObject();
}

void Write(JsonWriter& w, const Person& p) {
  w.BeginObject().Key("user");
  identity::Write(w, p.user);
  w.Key("roles").BeginArray();
  for (const auto& r : p.roles.Names()) w.String(r);
  w.EndArray().EndObject();
}

void Write(JsonWriter& w, const Mou& m) {
  w.BeginObject()
      .Key("id")
      .String(m.id)
      .Key("sector_id")
      .String(m.sector_id)
      .Key("regulator_id")
      .String(m.regulator_id)
      .Key("national_cert_id")
      .String(m.national_cert_id)
      .Key("forwarding_mode")
      .String(Name(m.mode))
      .Key("forward_within_hours")
      .Int(m.forward_within_hours)
      .Key("effective_from")
      .Time(m.effective_from)
      .Key("effective_to")
      .OptionalTime(m.effective_to)
      .Key("notes")
      .String(m.notes)
      .Key("version")
      .Int(m.version)
      .Key("created_at")
      .Time(m.created_at)
      .Key("updated_at")
      .Time(m.updated_at)
      .EndObject();
}

// The resource as the API shows it: the response body and the audit log's state.
template <class T>
std::string JsonOf(const T& resource) {
  JsonWriter w;
  Write(w, resource);
  return std::move(w).Take();
}

// The (key, id) cursor every list here uses.
std::optional<Cursor2> CursorOf(const PageRequest& page) {
  if (!page.after) return std::nullopt;
  const auto& a = *page.after;
  if (a.size() != 2 || !a[0].is_string() || !a[1].is_string()) {
    throw InvalidField("cursor", "is not a cursor of this list");
  }
  return Cursor2{a[0].get<std::string>(), a[1].get<std::string>()};
}

// Builds {items, next_cursor} from up to limit+1 rows fetched.
template <class T, class KeyFn>
http::Response Page(std::vector<T> rows, int limit, KeyFn key) {
  std::optional<std::string> next;
  if (static_cast<int>(rows.size()) > limit) {
    rows.resize(static_cast<std::size_t>(limit));
    auto [k, id] = key(rows.back());
    next = EncodeCursor(json::array({k, id}));
  }
  JsonWriter w;
  w.BeginObject().Key("items").BeginArray();
  for (const auto& r : rows) Write(w, r);
  w.EndArray().Key("next_cursor").OptionalString(next).EndObject();
  return JsonText(200, std::move(w).Take());
}

http::Response Resource(int status, std::string body, std::int64_t version) {
  auto res = JsonText(status, std::move(body));
  SetETag(res, version);
  return res;
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, std::string type, std::string id,
           std::optional<std::string> before, std::optional<std::string> after) {
  auto e = audit::By(ctx.principal, std::move(action), std::move(type), std::move(id),
                     ctx.request.request_id);
  e.before = std::move(before);
  e.after = std::move(after);
  audit::Append(tx, e, NowMillis());
}

// ---- sectors ----

void ReadSectorFields(Input& in, Sector& s, bool create) {
  if (auto v = in.Text("slug", {.required = create, .min = 2, .max = 40, .slug = true}))
    s.slug = *v;
  if (auto v = in.Text("name", {.required = create, .min = 2, .max = 100})) s.name = *v;
  if (auto v = in.Text("description", {.max = 2000})) s.description = *v;
}

http::Response ListSectorsRoute(Context& ctx) {
  auto page = ParsePage(ctx.request);
  auto rows =
      ctx.db().Read([&](db::Tx& tx) { return ListSectors(tx, CursorOf(page), page.limit + 1); });
  return Page(std::move(rows), page.limit, [](const Sector& s) { return std::pair(s.name, s.id); });
}

http::Response GetSector(Context& ctx) {
  const auto& id = ctx.IdParam("id", "sector");
  auto s = ctx.db().Read([&](db::Tx& tx) { return FindSector(tx, id); });
  if (!s) throw NotFound("sector");
  return Resource(200, JsonOf(*s), s->version);
}

http::Response CreateSector(Context& ctx) {
  Input in(ctx.request);
  Sector s;
  ReadSectorFields(in, s, true);
  in.Done();
  s.id = crypto::NewUuid();
  s.created_at = s.updated_at = NowMillis();
  auto out = ctx.db().Write([&](db::Tx& tx) {
    InsertSector(tx, s);
    auto saved = *FindSector(tx, s.id);
    Audit(tx, ctx, "sector.create", "sector", s.id, std::nullopt, JsonOf(saved));
    return saved;
  });
  auto res = Resource(201, JsonOf(out), out.version);
  res.Set("Location", "/api/v1/sectors/" + out.id);
  return res;
}

http::Response PatchSector(Context& ctx) {
  const auto& id = ctx.IdParam("id", "sector");
  auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  auto out = ctx.db().Write([&](db::Tx& tx) {
    auto s = FindSector(tx, id);
    if (!s) throw NotFound("sector");
    auto before = JsonOf(*s);
    ReadSectorFields(in, *s, false);
    in.Done();
    if (!UpdateSector(tx, *s, version, NowMillis())) throw PreconditionFailed();
    auto saved = *FindSector(tx, id);
    Audit(tx, ctx, "sector.update", "sector", id, before, JsonOf(saved));
    return saved;
  });
  return Resource(200, JsonOf(out), out.version);
}

// ---- organisations ----

// Reads the fields of an organisation; the classification fields only when `classify` is allowed.
void ReadOrgFields(Input& in, Organisation& o, bool create, bool classify) {
  if (auto v = in.Text("name", {.required = create, .min = 2, .max = 200})) o.name = *v;
  if (auto v = in.Text("short_name", {.max = 40})) o.short_name = *v;
  if (in.Has("size_class")) {
    o.size_class =
        in.Text("size_class", {.nullable = true, .one_of = {"micro", "small", "medium", "large"}});
  }
  if (in.Has("website")) o.website = in.Text("website", {.nullable = true, .max = 300});
  bool wants_classify = in.Has("kind") || in.Has("sector_ids") || in.Has("criticality_tier");
  if (wants_classify && !classify) {
    throw Forbidden(
        "Only a platform administrator changes an organisation's kind, sectors or "
        "criticality tier.");
  }
  if (auto v = in.Text("kind", {.required = create,
                                .one_of = {"operator", "government", "regulator", "sector_cert",
                                           "national_cert"}})) {
    o.kind = *ParseOrgKind(*v);
  }
  if (auto v = in.TextList("sector_ids", {.required = create, .uuid = true}, 20)) o.sector_ids = *v;
  if (in.Has("criticality_tier")) {
    auto t = in.Int("criticality_tier", {.nullable = true, .min = 1, .max = 3});
    o.criticality_tier = t ? std::optional<int>(static_cast<int>(*t)) : std::nullopt;
  }
}

void CheckOrgOrThrow(db::Tx& tx, const Organisation& o) {
  auto errors = CheckOrganisation(o);
  for (std::size_t i = 0; i < o.sector_ids.size(); ++i) {
    if (!FindSector(tx, o.sector_ids[i])) {
      errors.push_back({"/sector_ids/" + std::to_string(i), "no such sector"});
    }
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
}

http::Response ListOrganisationsRoute(Context& ctx) {
  std::vector<FieldError> errors;
  auto page = ParsePage(ctx.request, &errors);
  OrgFilter f;
  if (auto k = ctx.request.QueryParam("kind"); k && !k->empty()) {
    if (!ParseOrgKind(*k)) errors.push_back({"kind", "is not a kind of organisation"});
    f.kind = *k;
  }
  if (auto s = ctx.request.QueryParam("sector"); s && !s->empty()) {
    if (!crypto::IsUuid(*s)) errors.push_back({"sector", "must be a sector id"});
    f.sector_id = *s;
  }
  if (auto q = ctx.request.QueryParam("q")) {
    if (q->size() > 100) errors.push_back({"q", "must be at most 100 characters"});
    f.query = *q;
  }
  if (!errors.empty()) throw InvalidInput(std::move(errors));
  auto rows = ctx.db().Read(
      [&](db::Tx& tx) { return ListOrganisations(tx, f, CursorOf(page), page.limit + 1); });
  return Page(std::move(rows), page.limit,
              [](const Organisation& o) { return std::pair(o.name, o.id); });
}

http::Response GetOrganisation(Context& ctx) {
  const auto& id = ctx.IdParam("id", "organisation");
  auto o = ctx.db().Read([&](db::Tx& tx) { return FindOrganisation(tx, id); });
  if (!o) throw NotFound("organisation");
  return Resource(200, JsonOf(*o), o->version);
}

http::Response CreateOrganisation(Context& ctx) {
  Input in(ctx.request);
  Organisation o;
  ReadOrgFields(in, o, true, true);
  in.Done();
  o.id = crypto::NewUuid();
  o.created_at = o.updated_at = NowMillis();
  auto out = ctx.db().Write([&](db::Tx& tx) {
    CheckOrgOrThrow(tx, o);
    InsertOrganisation(tx, o);
    auto saved = *FindOrganisation(tx, o.id);
    Audit(tx, ctx, "organisation.create", "organisation", o.id, std::nullopt, JsonOf(saved));
    return saved;
  });
  auto res = Resource(201, JsonOf(out), out.version);
  res.Set("Location", "/api/v1/organisations/" + out.id);
  return res;
}

http::Response PatchOrganisation(Context& ctx) {
  const auto& id = ctx.IdParam("id", "organisation");
  auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  bool classify = Decide(ctx.principal, Action::kOrgClassify) == Decision::kAllow;
  auto out = ctx.db().Write([&](db::Tx& tx) {
    auto o = FindOrganisation(tx, id);
    if (!o) throw NotFound("organisation");
    auto before = JsonOf(*o);
    ReadOrgFields(in, *o, false, classify);
    in.Done();
    CheckOrgOrThrow(tx, *o);
    if (!UpdateOrganisation(tx, *o, version, NowMillis())) throw PreconditionFailed();
    auto saved = *FindOrganisation(tx, id);
    Audit(tx, ctx, "organisation.update", "organisation", id, before, JsonOf(saved));
    return saved;
  });
  return Resource(200, JsonOf(out), out.version);
}

// ---- people ----

std::optional<RoleSet> ReadRoles(Input& in, bool required) {
  auto names = in.TextList("roles",
                           {.required = required,
                            .one_of = {"org_admin", "ciso", "risk_owner", "reporter", "analyst",
                                       "auditor", "management", "viewer"}},
                           8);
  if (!names) return std::nullopt;
  RoleSet roles;
  for (const auto& n : *names) roles.Add(*ParseRole(n));
  if (roles.empty()) {
    in.Fail("roles", "must name at least one role");
    return std::nullopt;
  }
  return roles;
}

http::Response ListPeopleRoute(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  auto page = ParsePage(ctx.request);
  auto rows = ctx.db().Read([&](db::Tx& tx) {
    if (!FindOrganisation(tx, org)) throw NotFound("organisation");
    return ListPeople(tx, org, CursorOf(page), page.limit + 1);
  });
  return Page(std::move(rows), page.limit,
              [](const Person& p) { return std::pair(p.user.username, p.user.id); });
}

http::Response AddPerson(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  Input in(ctx.request);
  auto username = in.Text("username", {.required = true, .min = 3, .max = 64});
  if (username && !identity::ValidUsername(*username)) {
    in.Fail("username", "must use a–z, 0–9, '.', '_' or '-', starting with a letter or digit");
  }
  auto display = in.Text("display_name", {.required = true, .max = 200});
  auto email = in.Text("email", {.required = true, .max = 254, .email = true});
  auto password = in.Text("password", {.required = true, .max = 1024});
  if (password && username) {
    if (auto ok = auth::CheckPasswordPolicy(*password, *username); !ok) {
      in.Fail("password", ok.error().message);
    }
  }
  auto roles = ReadRoles(in, true);
  in.Done();
  std::string hash = auth::HashPassword(*password);  // slow: outside the transaction
  auto out = ctx.db().Write([&](db::Tx& tx) {
    if (!FindOrganisation(tx, org)) throw NotFound("organisation");
    if (identity::FindByName(tx, *username)) {
      throw HttpError(409, "conflict", "Username taken", "Someone already has that username.",
                      {{"/username", "is already taken"}});
    }
    Millis now = NowMillis();
    auto user = identity::Insert(tx, {*username, *display, *email, hash, false}, now);
    AddMembership(tx, user.id, org, *roles, now);
    auto saved = *FindPerson(tx, org, user.id);
    Audit(tx, ctx, "person.create", "user", user.id, std::nullopt,
          JsonWriter()
              .BeginObject()
              .Key("organisation_id")
              .String(org)
              .Key("person")
              .Raw(JsonOf(saved))
              .EndObject()
              .str());
    return saved;
  });
  auto res = Resource(201, JsonOf(out), out.user.version);
  res.Set("Location", "/api/v1/organisations/" + org + "/people/" + out.user.id);
  return res;
}

http::Response PatchPerson(Context& ctx) {
  const auto& org = ctx.IdParam("id", "organisation");
  const auto& user_id = ctx.IdParam("user_id", "person");
  auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  auto roles = ReadRoles(in, false);
  auto disabled = in.Bool("disabled");
  auto display = in.Text("display_name", {.min = 1, .max = 200});
  auto email = in.Text("email", {.max = 254, .email = true});
  in.Done();
  auto out = ctx.db().Write([&](db::Tx& tx) {
    // Take the organisation's row first: two administrators demoting each other at once are
    // then decided one after the other, and one of them keeps the role.
    if (tx.Exec("UPDATE organisations SET version = version WHERE id = $1", {org}) == 0) {
      throw NotFound("organisation");
    }
    auto p = FindPerson(tx, org, user_id);
    if (!p) throw NotFound("person");
    auto before = JsonOf(*p);
    if (!TouchUser(tx, user_id, version, NowMillis())) throw PreconditionFailed();
    bool admin_after = roles ? roles->Has(Role::kOrgAdmin) : p->roles.Has(Role::kOrgAdmin);
    bool active_after = disabled ? !*disabled : !p->user.disabled;
    if (!LeavesAnAdministrator(CountActiveAdmins(tx, org, user_id) +
                               (admin_after && active_after ? 1 : 0))) {
      throw Conflict(
          "The organisation would have no active administrator left; name another "
          "org_admin first.");
    }
    // The account (its access, name and e-mail) is the person's everywhere: an organisation
    // changes it only for someone who is nobody else's, and never for a platform administrator.
    bool account_change = (disabled && *disabled != p->user.disabled) || display || email;
    if (account_change && (p->user.is_admin || CountMemberships(tx, user_id) > 1) &&
        Decide(ctx.principal, Action::kUserAdminister) != Decision::kAllow) {
      throw Forbidden(
          "This account is a platform administrator's or also belongs to other "
          "organisations; ask a platform administrator.");
    }
    if (disabled && *disabled != p->user.disabled) {
      tx.Exec("UPDATE users SET disabled = $1 WHERE id = $2", {*disabled, user_id});
      if (*disabled) {
        auth::EndAccess(tx, user_id, NowMillis());
      }
    }
    if (roles) SetRoles(tx, user_id, org, *roles);
    if (display) tx.Exec("UPDATE users SET display_name = $1 WHERE id = $2", {*display, user_id});
    if (email) tx.Exec("UPDATE users SET email = $1 WHERE id = $2", {*email, user_id});
    auto saved = *FindPerson(tx, org, user_id);
    Audit(tx, ctx, "person.update", "user", user_id, before, JsonOf(saved));
    return saved;
  });
  return Resource(200, JsonOf(out), out.user.version);
}

http::Response ResetPassword(Context& ctx) {
  const auto& user_id = ctx.IdParam("id", "person");
  // A fresh random password, shown once to the administrator, who hands it over.
  std::string temporary = crypto::Base64Url(crypto::RandomBytes(12));
  std::string hash = auth::HashPassword(temporary);
  ctx.db().Write([&](db::Tx& tx) {
    if (!identity::Find(tx, user_id)) throw NotFound("person");
    Millis now = NowMillis();
    // A reset is how someone who lost access gets back in: their sessions and tokens end, and the
    // second factor is cleared so they can set up a new one.
    auth::SetPassword(tx, user_id, hash, now);
    tx.Exec("UPDATE users SET totp_secret = NULL, totp_pending_secret = NULL WHERE id = $1",
            {user_id});
    Audit(tx, ctx, "user.password_reset", "user", user_id, std::nullopt, std::nullopt);
  });
  return Json(200, {{"temporary_password", temporary}});
}

// ---- MOUs ----

void ReadMouFields(Input& in, Mou& m, bool create) {
  if (auto v = in.Text("sector_id", {.required = create, .uuid = true})) m.sector_id = *v;
  if (auto v = in.Text("regulator_id", {.required = create, .uuid = true})) m.regulator_id = *v;
  if (auto v = in.Text("national_cert_id", {.required = create, .uuid = true})) {
    m.national_cert_id = *v;
  }
  if (auto v =
          in.Text("forwarding_mode",
                  {.required = create, .one_of = {"on_receipt", "after_review", "anonymised"}})) {
    m.mode = ParseForwardingMode(*v);
  }
  if (auto v = in.Int("forward_within_hours", {.required = create, .min = 1, .max = 720})) {
    m.forward_within_hours = static_cast<int>(*v);
  }
  if (auto v = in.Time("effective_from", create)) m.effective_from = *v;
  if (in.Has("effective_to")) m.effective_to = in.Time("effective_to", false, true);
  if (auto v = in.Text("notes", {.max = 4000})) m.notes = *v;
}

void CheckMouOrThrow(db::Tx& tx, const Mou& m) {
  auto regulator = FindOrganisation(tx, m.regulator_id);
  auto cert = FindOrganisation(tx, m.national_cert_id);
  auto errors = CheckMou(m, regulator ? &*regulator : nullptr, cert ? &*cert : nullptr);
  if (!FindSector(tx, m.sector_id)) errors.insert(errors.begin(), {"/sector_id", "no such sector"});
  if (!errors.empty()) throw InvalidInput(std::move(errors));
}

http::Response ListMousRoute(Context& ctx) {
  auto page = ParsePage(ctx.request);
  auto rows =
      ctx.db().Read([&](db::Tx& tx) { return ListMous(tx, CursorOf(page), page.limit + 1); });
  return Page(std::move(rows), page.limit, [](const Mou& m) { return std::pair(m.id, m.id); });
}

http::Response GetMou(Context& ctx) {
  const auto& id = ctx.IdParam("id", "MOU");
  auto m = ctx.db().Read([&](db::Tx& tx) { return FindMou(tx, id); });
  if (!m) throw NotFound("MOU");
  return Resource(200, JsonOf(*m), m->version);
}

http::Response CreateMou(Context& ctx) {
  Input in(ctx.request);
  Mou m;
  ReadMouFields(in, m, true);
  in.Done();
  m.id = crypto::NewUuid();
  m.created_at = m.updated_at = NowMillis();
  auto out = ctx.db().Write([&](db::Tx& tx) {
    CheckMouOrThrow(tx, m);
    InsertMou(tx, m);
    auto saved = *FindMou(tx, m.id);
    Audit(tx, ctx, "mou.create", "mou", m.id, std::nullopt, JsonOf(saved));
    return saved;
  });
  auto res = Resource(201, JsonOf(out), out.version);
  res.Set("Location", "/api/v1/mous/" + out.id);
  return res;
}

http::Response PatchMou(Context& ctx) {
  const auto& id = ctx.IdParam("id", "MOU");
  auto version = RequiredIfMatch(ctx.request);
  Input in(ctx.request);
  auto out = ctx.db().Write([&](db::Tx& tx) {
    auto m = FindMou(tx, id);
    if (!m) throw NotFound("MOU");
    auto before = JsonOf(*m);
    ReadMouFields(in, *m, false);
    in.Done();
    CheckMouOrThrow(tx, *m);
    if (!UpdateMou(tx, *m, version, NowMillis())) throw PreconditionFailed();
    auto saved = *FindMou(tx, id);
    Audit(tx, ctx, "mou.update", "mou", id, before, JsonOf(saved));
    return saved;
  });
  return Resource(200, JsonOf(out), out.version);
}

}  // namespace

void AddRoutes(Router& r) {
  constexpr std::size_t kSmall = 16 * 1024;
  r.Add({"GET", "/api/v1/sectors", Action::kDirectoryRead, "", ListSectorsRoute, 0});
  r.Add({"POST", "/api/v1/sectors", Action::kSectorWrite, "", CreateSector, kSmall});
  r.Add({"GET", "/api/v1/sectors/{id}", Action::kDirectoryRead, "", GetSector, 0});
  r.Add({"PATCH", "/api/v1/sectors/{id}", Action::kSectorWrite, "", PatchSector, kSmall});
  r.Add({"GET", "/api/v1/organisations", Action::kDirectoryRead, "", ListOrganisationsRoute, 0});
  r.Add({"POST", "/api/v1/organisations", Action::kOrgCreate, "", CreateOrganisation, kSmall});
  r.Add({"GET", "/api/v1/organisations/{id}", Action::kDirectoryRead, "", GetOrganisation, 0});
  r.Add(
      {"PATCH", "/api/v1/organisations/{id}", Action::kOrgUpdate, "id", PatchOrganisation, kSmall});
  r.Add(
      {"GET", "/api/v1/organisations/{id}/people", Action::kPeopleRead, "id", ListPeopleRoute, 0});
  r.Add(
      {"POST", "/api/v1/organisations/{id}/people", Action::kPeopleWrite, "id", AddPerson, kSmall});
  r.Add({"PATCH", "/api/v1/organisations/{id}/people/{user_id}", Action::kPeopleWrite, "id",
         PatchPerson, kSmall});
  r.Add({"POST", "/api/v1/users/{id}/password-reset", Action::kUserAdminister, "", ResetPassword,
         kNoBody});
  r.Add({"GET", "/api/v1/mous", Action::kDirectoryRead, "", ListMousRoute, 0});
  r.Add({"POST", "/api/v1/mous", Action::kMouWrite, "", CreateMou, kSmall});
  r.Add({"GET", "/api/v1/mous/{id}", Action::kDirectoryRead, "", GetMou, 0});
  r.Add({"PATCH", "/api/v1/mous/{id}", Action::kMouWrite, "", PatchMou, kSmall});
}

}  // namespace rampart::directory
