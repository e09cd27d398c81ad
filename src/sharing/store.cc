#include "sharing/store.h"

#include <cctype>
#include <nlohmann/json.hpp>

#include "platform/crypto.h"
#include "platform/json_writer.h"

namespace rampart::sharing {

namespace {

using nlohmann::json;

constexpr std::string_view kAdvisoryColumns =
    "a.id, a.series_id, a.reference, a.revision, a.author_org_id, a.state, a.title, a.summary, "
    "a.severity, a.affected_products, a.cve_ids, a.recommended_actions, a.observables, a.tlp, "
    "a.distribution, a.group_id, a.changelog, a.created_by, a.published_by, a.published_at, "
    "a.version, a.created_at, a.updated_at";

json ParseJson(const std::string& text) {
  auto j = json::parse(text, nullptr, false);
  return j.is_discarded() ? json::array() : j;
}

std::string ProductsText(const std::vector<AffectedProduct>& products) {
  json out = json::array();
  for (const auto& p : products) {
    out.push_back({{"vendor", p.vendor}, {"product", p.product}, {"versions", p.versions}});
  }
  return out.dump();
}

std::string ObservablesText(const std::vector<AdvisoryObservable>& observables) {
  json out = json::array();
  for (const auto& o : observables) out.push_back({{"type", o.type}, {"value", o.value}});
  return out.dump();
}

Advisory AdvisoryFrom(const db::Row& r) {
  Advisory a;
  a.id = r.Text(0);
  a.series_id = r.Text(1);
  a.reference = r.Text(2);
  a.revision = static_cast<int>(r.Int(3));
  a.author_org_id = r.Text(4);
  a.state = ParseAdvisoryState(r.Text(5)).value_or(AdvisoryState::kDraft);
  a.title = r.Text(6);
  a.summary = r.Text(7);
  a.severity = ParseSeverity(r.Text(8)).value_or(Severity::kMedium);
  for (const auto& p : ParseJson(r.Text(9))) {
    if (!p.is_object()) continue;
    a.products.push_back({p.value("vendor", ""), p.value("product", ""), p.value("versions", "")});
  }
  for (const auto& c : ParseJson(r.Text(10))) {
    if (c.is_string()) a.cve_ids.push_back(c.get<std::string>());
  }
  a.recommended_actions = r.Text(11);
  for (const auto& o : ParseJson(r.Text(12))) {
    if (o.is_object()) a.observables.push_back({o.value("type", ""), o.value("value", "")});
  }
  // An unknown marking would be a corrupted row: the most restrictive label keeps it closed.
  a.tlp = TlpFromMarkingId(r.Text(13)).value_or(Tlp::kRed);
  a.distribution = ParseDistribution(r.Text(14)).value_or(Distribution::kOrganisation);
  a.group_id = r.OptText(15);
  a.changelog = r.Text(16);
  a.created_by = r.Text(17);
  a.published_by = r.OptText(18);
  a.published_at = r.OptInt(19);
  a.version = r.Int(20);
  a.created_at = r.Int(21);
  a.updated_at = r.Int(22);
  return a;
}

void LoadAudience(db::Tx& tx, Advisory& a) {
  for (const auto& r :
       tx.Query("SELECT kind, ref_id FROM advisory_audience WHERE advisory_id = $1 ORDER BY kind, "
                "position",
                {a.id})) {
    const std::string kind = r.Text(0);
    if (kind == "sector") a.sector_ids.push_back(r.Text(1));
    if (kind == "organisation") a.recipient_org_ids.push_back(r.Text(1));
    if (kind == "person") a.recipient_user_ids.push_back(r.Text(1));
  }
}

void WriteAudience(db::Tx& tx, const Advisory& a) {
  tx.Exec("DELETE FROM advisory_audience WHERE advisory_id = $1", {a.id});
  auto put = [&](std::string_view kind, const std::vector<std::string>& ids) {
    int position = 0;
    for (const auto& id : ids) {
      tx.Exec(
          "INSERT INTO advisory_audience (advisory_id, kind, ref_id, position) VALUES ($1, $2, "
          "$3, $4) ON CONFLICT (advisory_id, kind, ref_id) DO NOTHING",
          {a.id, kind, id, position++});
    }
  };
  put("sector", a.sector_ids);
  put("organisation", a.recipient_org_ids);
  put("person", a.recipient_user_ids);
}

// "$3, $4, $5" for `count` parameters from `first`, appending the values to `params`; a list
// that is empty becomes a single value that matches no id.
std::string Placeholders(const std::vector<std::string>& values, db::Params& params) {
  std::string out;
  if (values.empty()) {
    params.emplace_back("");
    return "$" + std::to_string(params.size());
  }
  for (const auto& v : values) {
    params.emplace_back(v);
    if (!out.empty()) out += ", ";
    out += "$" + std::to_string(params.size());
  }
  return out;
}

std::vector<std::string> Members(db::Tx& tx, std::string_view group_id) {
  std::vector<std::string> out;
  for (const auto& r : tx.Query(
           "SELECT m.organisation_id FROM sharing_group_members m JOIN organisations o ON o.id = "
           "m.organisation_id WHERE m.group_id = $1 ORDER BY o.name, o.id",
           {group_id})) {
    out.push_back(r.Text(0));
  }
  return out;
}

SharingGroup GroupFrom(const db::Row& r) {
  SharingGroup g;
  g.id = r.Text(0);
  g.owner_org_id = r.Text(1);
  g.name = r.Text(2);
  g.description = r.Text(3);
  g.created_by = r.Text(4);
  g.version = r.Int(5);
  g.created_at = r.Int(6);
  g.updated_at = r.Int(7);
  return g;
}

constexpr std::string_view kGroupColumns =
    "g.id, g.owner_org_id, g.name, g.description, g.created_by, g.version, g.created_at, "
    "g.updated_at";

Acknowledgement AckFrom(const db::Row& r) {
  return Acknowledgement{r.Text(0),
                         r.Text(1),
                         r.Text(2),
                         r.Text(3),
                         ParseAckState(r.Text(4)).value_or(AckState::kRead),
                         r.Text(5),
                         r.Text(6),
                         r.Int(7)};
}

}  // namespace

Directory LoadDirectory(db::Tx& tx, bool with_people) {
  Directory d;
  for (const auto& r :
       tx.Query("SELECT o.id, s.sector_id FROM organisations o LEFT JOIN organisation_sectors s ON "
                "s.organisation_id = o.id",
                {})) {
    auto& sectors = d.org_sectors[r.Text(0)];
    if (!r.IsNull(1)) sectors.push_back(r.Text(1));
  }
  for (const auto& r :
       tx.Query("SELECT g.id, g.owner_org_id, m.organisation_id FROM sharing_groups g LEFT JOIN "
                "sharing_group_members m ON m.group_id = g.id",
                {})) {
    auto& g = d.groups[r.Text(0)];
    g.owner_org_id = r.Text(1);
    if (!r.IsNull(2)) g.member_org_ids.insert(r.Text(2));
  }
  if (with_people) {
    for (const auto& r :
         tx.Query("SELECT m.user_id, m.organisation_id FROM memberships m JOIN users u ON u.id = "
                  "m.user_id WHERE u.disabled = 0",
                  {})) {
      d.person_orgs[r.Text(0)].push_back(r.Text(1));
    }
  }
  return d;
}

Viewer ViewerOf(const Principal* principal) {
  Viewer v;
  if (principal == nullptr) return v;
  v.user_id = principal->user_id;
  for (const auto& m : principal->memberships) v.org_ids.push_back(m.org_id);
  return v;
}

// ---- sharing groups ----

void InsertGroup(db::Tx& tx, const SharingGroup& g) {
  tx.Exec(
      "INSERT INTO sharing_groups (id, owner_org_id, name, description, created_by, version, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {g.id, g.owner_org_id, g.name, g.description, g.created_by, g.version, g.created_at,
       g.updated_at});
  for (const auto& m : g.member_org_ids) {
    AddGroupMember(tx, g.id, m, g.created_by, g.created_at);
  }
}

std::optional<SharingGroup> FindGroup(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT " + std::string(kGroupColumns) + " FROM sharing_groups g WHERE g.id = $1", {id});
  if (!r) return std::nullopt;
  SharingGroup g = GroupFrom(*r);
  g.member_org_ids = Members(tx, g.id);
  return g;
}

bool UpdateGroup(db::Tx& tx, const SharingGroup& g, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE sharing_groups SET name = $1, description = $2, version = version + 1, "
             "updated_at = $3 WHERE id = $4 AND version = $5",
             {g.name, g.description, now, g.id, expected_version}) == 1;
}

bool TouchGroup(db::Tx& tx, std::string_view id, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE sharing_groups SET version = version + 1, updated_at = $1 WHERE id = $2 AND "
             "version = $3",
             {now, id, expected_version}) == 1;
}

void DeleteGroup(db::Tx& tx, std::string_view id) {
  tx.Exec("DELETE FROM sharing_group_members WHERE group_id = $1", {id});
  tx.Exec("DELETE FROM sharing_groups WHERE id = $1", {id});
}

bool AddGroupMember(db::Tx& tx, std::string_view group_id, std::string_view org_id,
                    std::string_view by_user, Millis now) {
  return tx.Exec(
             "INSERT INTO sharing_group_members (group_id, organisation_id, added_by, added_at) "
             "VALUES ($1, $2, $3, $4) ON CONFLICT (group_id, organisation_id) DO NOTHING",
             {group_id, org_id, by_user, now}) == 1;
}

bool RemoveGroupMember(db::Tx& tx, std::string_view group_id, std::string_view org_id) {
  return tx.Exec("DELETE FROM sharing_group_members WHERE group_id = $1 AND organisation_id = $2",
                 {group_id, org_id}) == 1;
}

std::vector<SharingGroup> GroupsOf(db::Tx& tx, const std::vector<std::string>& org_ids) {
  db::Params params;
  const std::string owners = Placeholders(org_ids, params);
  const std::string members = Placeholders(org_ids, params);
  std::vector<SharingGroup> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kGroupColumns) +
                                    " FROM sharing_groups g WHERE g.owner_org_id IN (" + owners +
                                    ") OR EXISTS (SELECT 1 FROM sharing_group_members m WHERE "
                                    "m.group_id = g.id AND m.organisation_id IN (" +
                                    members + ")) ORDER BY g.name, g.id",
                                params)) {
    out.push_back(GroupFrom(r));
    out.back().member_org_ids = Members(tx, out.back().id);
  }
  return out;
}

std::int64_t CountGroupUses(db::Tx& tx, std::string_view group_id) {
  return tx.QueryOne("SELECT COUNT(*) FROM advisories WHERE group_id = $1", {group_id})->Int(0);
}

// ---- advisories ----

std::string NextAdvisoryReference(db::Tx& tx, int year) {
  // One statement, so that two servers asking at once get different numbers on both stores.
  auto r = tx.QueryOne(
      "INSERT INTO reference_counters (series, year, last) VALUES ('ADV', $1, 1) "
      "ON CONFLICT (series, year) DO UPDATE SET last = reference_counters.last + 1 "
      "RETURNING last",
      {year});
  return FormatAdvisoryReference(year, r->Int(0));
}

void InsertAdvisory(db::Tx& tx, const Advisory& a) {
  tx.Exec(
      "INSERT INTO advisories (id, series_id, reference, revision, author_org_id, state, title, "
      "summary, severity, affected_products, cve_ids, recommended_actions, observables, tlp, "
      "distribution, group_id, changelog, created_by, published_by, published_at, version, "
      "created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, "
      "$14, $15, $16, $17, $18, $19, $20, $21, $22, $23)",
      {a.id,
       a.series_id,
       a.reference,
       a.revision,
       a.author_org_id,
       Name(a.state),
       a.title,
       a.summary,
       Name(a.severity),
       ProductsText(a.products),
       json(a.cve_ids).dump(),
       a.recommended_actions,
       ObservablesText(a.observables),
       MarkingId(a.tlp),
       Name(a.distribution),
       a.group_id,
       a.changelog,
       a.created_by,
       a.published_by,
       a.published_at,
       a.version,
       a.created_at,
       a.updated_at});
  WriteAudience(tx, a);
}

std::optional<Advisory> FindAdvisory(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT " + std::string(kAdvisoryColumns) + " FROM advisories a WHERE a.id = $1", {id});
  if (!r) return std::nullopt;
  Advisory a = AdvisoryFrom(*r);
  LoadAudience(tx, a);
  return a;
}

bool UpdateAdvisory(db::Tx& tx, const Advisory& a, std::int64_t expected_version, Millis now) {
  const auto changed = tx.Exec(
      "UPDATE advisories SET state = $1, title = $2, summary = $3, severity = $4, "
      "affected_products = $5, cve_ids = $6, recommended_actions = $7, observables = $8, tlp = "
      "$9, distribution = $10, group_id = $11, changelog = $12, published_by = $13, published_at "
      "= $14, version = version + 1, updated_at = $15 WHERE id = $16 AND version = $17",
      {Name(a.state), a.title, a.summary, Name(a.severity), ProductsText(a.products),
       json(a.cve_ids).dump(), a.recommended_actions, ObservablesText(a.observables),
       MarkingId(a.tlp), Name(a.distribution), a.group_id, a.changelog, a.published_by,
       a.published_at, now, a.id, expected_version});
  if (changed != 1) return false;
  WriteAudience(tx, a);
  return true;
}

void DeleteDraft(db::Tx& tx, std::string_view id) {
  tx.Exec("DELETE FROM advisory_audience WHERE advisory_id = $1", {id});
  tx.Exec("DELETE FROM advisories WHERE id = $1 AND state = 'draft'", {id});
}

void SupersedeOthers(db::Tx& tx, std::string_view series_id, std::string_view keep_id, Millis now) {
  tx.Exec(
      "UPDATE advisories SET state = 'superseded', version = version + 1, updated_at = $1 WHERE "
      "series_id = $2 AND id <> $3 AND state = 'published'",
      {now, series_id, keep_id});
}

std::vector<Advisory> RevisionsOf(db::Tx& tx, std::string_view series_id) {
  std::vector<Advisory> out;
  for (const auto& r : tx.Query("SELECT " + std::string(kAdvisoryColumns) +
                                    " FROM advisories a WHERE a.series_id = $1 ORDER BY "
                                    "a.revision",
                                {series_id})) {
    out.push_back(AdvisoryFrom(r));
    LoadAudience(tx, out.back());
  }
  return out;
}

std::optional<std::string> DraftOf(db::Tx& tx, std::string_view series_id) {
  auto r = tx.QueryOne("SELECT id FROM advisories WHERE series_id = $1 AND state = 'draft'",
                       {series_id});
  if (!r) return std::nullopt;
  return r->Text(0);
}

std::vector<PassOn> PassesOf(db::Tx& tx, std::string_view series_id) {
  std::vector<PassOn> out;
  for (const auto& r : tx.Query(
           "SELECT from_org_id, to_org_id, by_user_id, at FROM advisory_passes WHERE series_id = "
           "$1 ORDER BY at, id",
           {series_id})) {
    out.push_back({r.Text(0), r.Text(1), r.Text(2), r.Int(3)});
  }
  return out;
}

void InsertPass(db::Tx& tx, std::string_view series_id, const PassOn& p) {
  tx.Exec(
      "INSERT INTO advisory_passes (id, series_id, from_org_id, to_org_id, by_user_id, at) "
      "VALUES ($1, $2, $3, $4, $5, $6)",
      {crypto::NewUuid(), series_id, p.from_org_id, p.to_org_id, p.by_user_id, p.at});
}

std::vector<Advisory> ListAdvisoryCandidates(db::Tx& tx, const Viewer& viewer,
                                             const std::vector<std::string>& draft_org_ids,
                                             const AdvisoryFilter& filter,
                                             const std::optional<AdvisoryCursor>& after,
                                             int limit) {
  db::Params params;
  std::string where;
  if (filter.state == "draft") {
    where =
        "a.state = 'draft' AND a.author_org_id IN (" + Placeholders(draft_org_ids, params) + ")";
  } else {
    const std::string mine = Placeholders(viewer.org_ids, params);
    const std::string named = Placeholders(viewer.org_ids, params);
    const std::string passed = Placeholders(viewer.org_ids, params);
    params.emplace_back(viewer.user_id.empty() ? std::string("-") : viewer.user_id);
    const std::string me = "$" + std::to_string(params.size());
    params.emplace_back(MarkingId(Tlp::kClear));
    const std::string clear = "$" + std::to_string(params.size());
    params.emplace_back(MarkingId(Tlp::kGreen));
    const std::string green = "$" + std::to_string(params.size());
    where = "a.state = 'published' AND (a.author_org_id IN (" + mine + ") OR a.tlp IN (" + clear +
            ", " + green +
            ") OR EXISTS (SELECT 1 FROM advisory_audience x WHERE x.advisory_id = a.id AND "
            "((x.kind = 'organisation' AND x.ref_id IN (" +
            named + ")) OR (x.kind = 'person' AND x.ref_id = " + me +
            "))) OR EXISTS (SELECT 1 FROM advisory_passes p WHERE p.series_id = a.series_id AND "
            "p.to_org_id IN (" +
            passed + ")))";
  }
  if (!filter.severity.empty()) {
    params.emplace_back(filter.severity);
    where += " AND a.severity = $" + std::to_string(params.size());
  }
  if (!filter.query.empty()) {
    std::string lower;
    for (char c : filter.query) lower.push_back(static_cast<char>(std::tolower(c)));
    params.emplace_back("%" + lower + "%");
    const std::string like = "$" + std::to_string(params.size());
    std::string upper;
    for (char c : filter.query) upper.push_back(static_cast<char>(std::toupper(c)));
    params.emplace_back(upper);
    where += " AND (lower(a.title) LIKE " + like + " OR a.reference = $" +
             std::to_string(params.size()) + ")";
  }
  if (after) {
    params.emplace_back(after->at);
    const std::string at = "$" + std::to_string(params.size());
    params.emplace_back(after->id);
    const std::string id = "$" + std::to_string(params.size());
    where += " AND (COALESCE(a.published_at, a.created_at) < " + at +
             " OR (COALESCE(a.published_at, a.created_at) = " + at + " AND a.id < " + id + "))";
  }
  params.emplace_back(limit);
  std::vector<Advisory> out;
  for (const auto& r :
       tx.Query("SELECT " + std::string(kAdvisoryColumns) + " FROM advisories a WHERE " + where +
                    " ORDER BY COALESCE(a.published_at, a.created_at) DESC, a.id DESC LIMIT $" +
                    std::to_string(params.size()),
                params)) {
    out.push_back(AdvisoryFrom(r));
    LoadAudience(tx, out.back());
  }
  return out;
}

void InsertAck(db::Tx& tx, const Acknowledgement& k) {
  tx.Exec(
      "INSERT INTO advisory_acks (id, series_id, advisory_id, organisation_id, state, note, "
      "by_user_id, at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {k.id, k.series_id, k.advisory_id, k.org_id, Name(k.state), k.note, k.by_user_id, k.at});
}

std::vector<Acknowledgement> CurrentAcks(db::Tx& tx, std::string_view series_id) {
  std::vector<Acknowledgement> out;
  for (const auto& r :
       tx.Query("SELECT k.id, k.series_id, k.advisory_id, k.organisation_id, k.state, k.note, "
                "k.by_user_id, k.at FROM advisory_acks k WHERE k.series_id = $1 AND NOT EXISTS "
                "(SELECT 1 FROM advisory_acks n WHERE n.series_id = k.series_id AND "
                "n.organisation_id = k.organisation_id AND (n.at > k.at OR (n.at = k.at AND n.id > "
                "k.id)))",
                {series_id})) {
    out.push_back(AckFrom(r));
  }
  return out;
}

std::vector<Acknowledgement> AckHistory(db::Tx& tx, std::string_view series_id,
                                        std::string_view org_id) {
  std::vector<Acknowledgement> out;
  for (const auto& r : tx.Query(
           "SELECT id, series_id, advisory_id, organisation_id, state, note, by_user_id, at FROM "
           "advisory_acks WHERE series_id = $1 AND organisation_id = $2 ORDER BY at DESC, id DESC",
           {series_id, org_id})) {
    out.push_back(AckFrom(r));
  }
  return out;
}

std::string AuditState(const Advisory& a) {
  JsonWriter w;
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("reference", a.reference)
      .KeyInt("revision", a.revision)
      .KeyString("author_org_id", a.author_org_id)
      .KeyString("state", Name(a.state))
      .KeyString("title", a.title)
      .KeyString("summary", a.summary)
      .KeyString("severity", Name(a.severity))
      .Key("affected_products")
      .Raw(ProductsText(a.products))
      .Key("cve_ids")
      .Raw(json(a.cve_ids).dump())
      .KeyString("recommended_actions", a.recommended_actions)
      .Key("observables")
      .Raw(ObservablesText(a.observables))
      .KeyString("tlp", MarkingId(a.tlp))
      .KeyString("distribution", Name(a.distribution))
      .Key("sector_ids")
      .Raw(json(a.sector_ids).dump())
      .KeyOptString("group_id", a.group_id)
      .Key("recipient_org_ids")
      .Raw(json(a.recipient_org_ids).dump())
      .Key("recipient_user_ids")
      .Raw(json(a.recipient_user_ids).dump())
      .KeyString("changelog", a.changelog)
      .KeyOptInt("published_at", a.published_at)
      .KeyInt("version", a.version)
      .EndObject();
  return std::move(w).Take();
}

std::string AuditState(const SharingGroup& g) {
  JsonWriter w;
  w.BeginObject()
      .KeyString("id", g.id)
      .KeyString("owner_org_id", g.owner_org_id)
      .KeyString("name", g.name)
      .KeyString("description", g.description)
      .Key("member_org_ids")
      .Raw(json(g.member_org_ids).dump())
      .KeyInt("version", g.version)
      .EndObject();
  return std::move(w).Take();
}

}  // namespace rampart::sharing
