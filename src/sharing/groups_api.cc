// The HTTP handlers of sharing groups. A group is read by the people of its owner and of its
// member organisations (anyone else gets 404), and kept by its owner's administrators and
// analysts (share.group.write on the owner, which the route's path names). Every change runs in
// one transaction with its audit entry; a member change is a change of the group (its version
// moves), and takes effect on every item shared with the group at once, since the audience engine
// reads membership when it decides.
#include <nlohmann/json.hpp>

#include "platform/audit.h"
#include "platform/context.h"
#include "platform/crypto.h"
#include "platform/input.h"
#include "platform/json_writer.h"
#include "sharing/api.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

struct OrgRow {
  std::string name, short_name, kind;
};

std::optional<OrgRow> OrgNamed(db::Tx& tx, const std::string& id) {
  auto r = tx.QueryOne("SELECT name, short_name, kind FROM organisations WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return OrgRow{r->Text(0), r->Text(1), r->Text(2)};
}

void WriteOrg(JsonWriter& w, db::Tx& tx, const std::string& id) {
  const auto o = OrgNamed(tx, id).value_or(OrgRow{});
  w.BeginObject()
      .KeyString("id", id)
      .KeyString("name", o.name)
      .KeyString("short_name", o.short_name)
      .KeyString("kind", o.kind)
      .EndObject();
}

bool Keeps(const Principal& me, const SharingGroup& g) {
  return Decide(&me, Action::kShareGroupWrite, {.org_id = g.owner_org_id}) == Decision::kAllow;
}

bool BelongsTo(const Principal& me, const SharingGroup& g) {
  if (me.MemberOf(g.owner_org_id)) return true;
  for (const auto& m : g.member_org_ids) {
    if (me.MemberOf(m)) return true;
  }
  return false;
}

std::string GroupJson(db::Tx& tx, const Principal& me, const SharingGroup& g) {
  JsonWriter w;
  w.BeginObject()
      .KeyString("id", g.id)
      .KeyString("name", g.name)
      .KeyString("description", g.description)
      .Key("owner");
  WriteOrg(w, tx, g.owner_org_id);
  w.Key("members").BeginArray();
  for (const auto& m : g.member_org_ids) WriteOrg(w, tx, m);
  w.EndArray()
      .KeyInt("member_count", static_cast<std::int64_t>(g.member_org_ids.size()))
      .KeyInt("uses", CountGroupUses(tx, g.id))
      .Key("you")
      .BeginObject()
      .KeyBool("may_edit", Keeps(me, g))
      .EndObject()
      .KeyInt("version", g.version)
      .KeyTime("created_at", g.created_at)
      .KeyTime("updated_at", g.updated_at)
      .EndObject();
  return std::move(w).Take();
}

http::Response Render(Context& ctx, const std::string& id, int status) {
  return ctx.db().Read([&](db::Tx& tx) {
    auto g = FindGroup(tx, id);
    if (!g) throw NotFound("sharing group");
    auto res = JsonText(status, GroupJson(tx, ctx.caller(), *g));
    SetETag(res, g->version);
    return res;
  });
}

// The group `group_id` of owner `owner_id` (the route's organisation); 404 when it is another's.
SharingGroup LoadOwned(db::Tx& tx, const std::string& owner_id, const std::string& group_id) {
  auto g = FindGroup(tx, group_id);
  if (!g || g->owner_org_id != owner_id) throw NotFound("sharing group");
  return *g;
}

void Audit(db::Tx& tx, const Context& ctx, std::string action, const std::string& id,
           std::optional<std::string> before, std::optional<std::string> after, Millis now) {
  auto e = audit::By(ctx.principal, std::move(action), "sharing_group", id, ctx.request.request_id);
  e.before = std::move(before);
  e.after = std::move(after);
  audit::Append(tx, e, now);
}

void CheckNameFree(db::Tx& tx, Input& in, const std::string& owner, const std::string& name,
                   const std::string& except_id) {
  auto r = tx.QueryOne(
      "SELECT id FROM sharing_groups WHERE owner_org_id = $1 AND name = $2 AND id <> $3",
      {owner, name, except_id});
  if (r) in.Fail("name", "is already the name of another group of this organisation");
}

// ---- routes ----

http::Response List(Context& ctx) {
  const Principal& me = ctx.caller();
  return ctx.db().Read([&](db::Tx& tx) {
    const Viewer v = ViewerOf(&me);
    JsonWriter w;
    w.BeginObject().Key("items").BeginArray();
    for (const auto& g : GroupsOf(tx, v.org_ids)) w.Raw(GroupJson(tx, me, g));
    w.EndArray().KeyNull("next_cursor").EndObject();
    return JsonText(200, std::move(w).Take());
  });
}

http::Response Get(Context& ctx) {
  const auto& id = ctx.IdParam("id", "sharing group");
  return ctx.db().Read([&](db::Tx& tx) {
    auto g = FindGroup(tx, id);
    if (!g || !BelongsTo(ctx.caller(), *g)) throw NotFound("sharing group");
    auto res = JsonText(200, GroupJson(tx, ctx.caller(), *g));
    SetETag(res, g->version);
    return res;
  });
}

http::Response Create(Context& ctx) {
  const auto& owner = ctx.IdParam("id", "organisation");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto name = in.Text("name", {.required = true, .min = 1, .max = 200});
  auto description = in.Text("description", {.max = 2000});
  auto members = in.TextList("member_org_ids", {.uuid = true}, 500);
  const std::string id = ctx.db().Write([&](db::Tx& tx) {
    if (name) CheckNameFree(tx, in, owner, *name, "");
    std::vector<std::string> unique;
    if (members) {
      for (const auto& m : *members) {
        if (m == owner) {
          in.Fail("member_org_ids", "names the owner, which belongs to its group already");
        } else if (!OrgNamed(tx, m)) {
          in.Fail("member_org_ids", "names an organisation that does not exist: " + m);
        } else if (std::find(unique.begin(), unique.end(), m) == unique.end()) {
          unique.push_back(m);
        }
      }
    }
    in.Done();
    SharingGroup g;
    g.id = crypto::NewUuid();
    g.owner_org_id = owner;
    g.name = *name;
    g.description = description.value_or("");
    g.created_by = ctx.caller().user_id;
    g.member_org_ids = unique;
    g.created_at = g.updated_at = now;
    InsertGroup(tx, g);
    Audit(tx, ctx, "sharing_group.create", g.id, std::nullopt, AuditState(*FindGroup(tx, g.id)),
          now);
    return g.id;
  });
  return Render(ctx, id, 201);
}

http::Response Patch(Context& ctx) {
  const auto& owner = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("group_id", "sharing group");
  const Millis now = NowMillis();
  Input in(ctx.request);
  auto name = in.Text("name", {.min = 1, .max = 200});
  auto description = in.Text("description", {.max = 2000});
  ctx.db().Write([&](db::Tx& tx) {
    SharingGroup g = LoadOwned(tx, owner, id);
    const auto version = RequiredIfMatch(ctx.request);
    if (name) CheckNameFree(tx, in, owner, *name, id);
    in.Done();
    const std::string before = AuditState(g);
    if (name) g.name = *name;
    if (description) g.description = *description;
    if (!UpdateGroup(tx, g, version, now)) throw PreconditionFailed();
    Audit(tx, ctx, "sharing_group.update", id, before, AuditState(*FindGroup(tx, id)), now);
  });
  return Render(ctx, id, 200);
}

http::Response Delete(Context& ctx) {
  const auto& owner = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("group_id", "sharing group");
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    SharingGroup g = LoadOwned(tx, owner, id);
    if (ctx.request.Find("If-Match") && RequiredIfMatch(ctx.request) != g.version) {
      throw PreconditionFailed();
    }
    // Deleting a group in use would silently shrink what was shared with it to its author alone.
    if (const auto uses = CountGroupUses(tx, id); uses > 0) {
      throw Conflict("This group is the audience of " + std::to_string(uses) +
                     " advisories; it cannot be deleted while they name it.");
    }
    const std::string before = AuditState(g);
    DeleteGroup(tx, id);
    Audit(tx, ctx, "sharing_group.delete", id, before, std::nullopt, now);
  });
  return NoContent();
}

http::Response ChangeMember(Context& ctx, bool add) {
  const auto& owner = ctx.IdParam("id", "organisation");
  const auto& id = ctx.IdParam("group_id", "sharing group");
  const auto& member = ctx.IdParam("org_id", "organisation");
  const Millis now = NowMillis();
  ctx.db().Write([&](db::Tx& tx) {
    SharingGroup g = LoadOwned(tx, owner, id);
    if (ctx.request.Find("If-Match") && RequiredIfMatch(ctx.request) != g.version) {
      throw PreconditionFailed();
    }
    if (!OrgNamed(tx, member)) throw NotFound("organisation");
    if (member == owner) {
      throw InvalidField("/org_id", "is the owner, which always belongs to its group");
    }
    const std::string before = AuditState(g);
    const bool changed = add ? AddGroupMember(tx, id, member, ctx.caller().user_id, now)
                             : RemoveGroupMember(tx, id, member);
    if (!changed) return;  // already as asked: nothing to record
    if (!TouchGroup(tx, id, g.version, now)) throw PreconditionFailed();
    Audit(tx, ctx, add ? "sharing_group.member_add" : "sharing_group.member_remove", id, before,
          AuditState(*FindGroup(tx, id)), now);
  });
  return Render(ctx, id, 200);
}

http::Response AddMember(Context& ctx) { return ChangeMember(ctx, true); }
http::Response RemoveMember(Context& ctx) { return ChangeMember(ctx, false); }

}  // namespace

void AddGroupRoutes(Router& r) {
  r.Add({"GET", "/api/v1/sharing-groups", Action::kSharedRead, "", List, kNoBody});
  r.Add({"GET", "/api/v1/sharing-groups/{id}", Action::kSharedRead, "", Get, kNoBody});
  r.Add({"POST", "/api/v1/organisations/{id}/sharing-groups", Action::kShareGroupWrite, "id",
         Create, 64 * 1024});
  r.Add({"PATCH", "/api/v1/organisations/{id}/sharing-groups/{group_id}", Action::kShareGroupWrite,
         "id", Patch, 8 * 1024});
  r.Add({"DELETE", "/api/v1/organisations/{id}/sharing-groups/{group_id}", Action::kShareGroupWrite,
         "id", Delete, kNoBody});
  r.Add({"PUT", "/api/v1/organisations/{id}/sharing-groups/{group_id}/members/{org_id}",
         Action::kShareGroupWrite, "id", AddMember, kNoBody});
  r.Add({"DELETE", "/api/v1/organisations/{id}/sharing-groups/{group_id}/members/{org_id}",
         Action::kShareGroupWrite, "id", RemoveMember, kNoBody});
}

}  // namespace rampart::sharing
