#include "sharing/stix_store.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "platform/policy.h"
#include "sharing/store.h"

namespace rampart::sharing {

namespace {

std::vector<std::string> ParseIdList(const std::string& text) {
  std::vector<std::string> out;
  if (text.size() <= 2) return out;  // "[]", the common case, without a parser
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_array()) return out;
  for (const auto& v : j) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string IdListText(const std::vector<std::string>& ids) {
  nlohmann::json j = ids;
  return j.dump();
}

constexpr std::string_view kColumns =
    "collection_id, id, type, spec_version, created, modified, version_us, added_us, tlp, "
    "distribution, sector_id, group_id, author_org_id, recipient_org_ids, revoked, external_id, "
    "name";

StoredObject ObjectOf(const db::Row& r, bool with_object) {
  StoredObject o;
  o.collection_id = r.Text(0);
  o.id = r.Text(1);
  o.type = r.Text(2);
  o.spec_version = r.Text(3);
  o.created = r.OptText(4);
  o.modified = r.OptText(5);
  o.version_us = r.Int(6);
  o.added_us = r.Int(7);
  o.tlp = TlpFromMarkingId(r.Text(8)).value_or(Tlp::kRed);
  o.distribution = ParseDistribution(r.Text(9)).value_or(Distribution::kOrganisation);
  o.sector_id = r.OptText(10);
  o.group_id = r.OptText(11);
  o.author_org_id = r.Text(12);
  o.recipient_org_ids = ParseIdList(r.Text(13));
  o.revoked = r.Bool(14);
  o.external_id = r.OptText(15);
  o.name = r.OptText(16);
  if (with_object) o.object = r.Text(17);
  return o;
}

// Appends "AND column IN ($n, …)" for a non-empty list.
void AddIn(std::string& sql, db::Params& params, std::string_view column,
           const std::vector<std::string>& values) {
  if (values.empty()) return;
  sql += " AND ";
  sql += column;
  sql += " IN (";
  for (std::size_t i = 0; i < values.size(); ++i) {
    params.emplace_back(values[i]);
    sql += (i ? ", $" : "$") + std::to_string(params.size());
  }
  sql += ")";
}

// The version part of a filter, for rows aliased `o`.
void AddVersion(std::string& sql, db::Params& params, const ObjectFilter& f) {
  if (f.all_versions) return;
  std::vector<std::string> parts;
  if (f.first) {
    parts.emplace_back(
        "o.version_us = (SELECT MIN(v.version_us) FROM stix_objects v WHERE v.collection_id = "
        "o.collection_id AND v.id = o.id)");
  }
  if (f.last) {
    parts.emplace_back(
        "o.version_us = (SELECT MAX(v.version_us) FROM stix_objects v WHERE v.collection_id = "
        "o.collection_id AND v.id = o.id)");
  }
  for (auto v : f.versions_us) {
    params.emplace_back(v);
    parts.push_back("o.version_us = $" + std::to_string(params.size()));
  }
  if (parts.empty()) return;
  sql += " AND (";
  for (std::size_t i = 0; i < parts.size(); ++i) sql += (i ? " OR " : "") + parts[i];
  sql += ")";
}

}  // namespace

// ---- collections ----

std::optional<Collection> FindCollection(db::Tx& tx, std::string_view id) {
  if (id == kNationalCollectionId) {
    return Collection{std::string(id),      Collection::Kind::kNational,
                      "National community", "Every organisation of the platform.",
                      std::nullopt,         std::nullopt};
  }
  if (auto r = tx.QueryOne("SELECT name FROM sectors WHERE id = $1", {id})) {
    return Collection{std::string(id),
                      Collection::Kind::kSector,
                      r->Text(0) + " sector community",
                      "The organisations of the " + r->Text(0) + " sector.",
                      std::string(id),
                      std::nullopt};
  }
  if (auto g = FindGroup(tx, id)) {
    return Collection{std::string(id), Collection::Kind::kGroup, g->name, g->description,
                      std::nullopt,    std::string(id)};
  }
  return std::nullopt;
}

bool InCommunity(const Collection& c, const std::string& org, const Directory& dir) {
  auto it = dir.org_sectors.find(org);
  if (it == dir.org_sectors.end()) return false;
  switch (c.kind) {
    case Collection::Kind::kNational:
      return true;
    case Collection::Kind::kSector:
      return std::find(it->second.begin(), it->second.end(), *c.sector_id) != it->second.end();
    case Collection::Kind::kGroup: {
      auto g = dir.groups.find(*c.group_id);
      return g != dir.groups.end() &&
             (g->second.owner_org_id == org || g->second.member_org_ids.contains(org));
    }
  }
  return false;
}

std::vector<Collection> CollectionsOf(db::Tx& tx, const Viewer& viewer, const Directory& dir) {
  std::vector<Collection> out;
  bool member = false;
  std::vector<std::string> sectors;
  for (const auto& org : viewer.org_ids) {
    auto it = dir.org_sectors.find(org);
    if (it == dir.org_sectors.end()) continue;
    member = true;
    for (const auto& s : it->second) {
      if (std::find(sectors.begin(), sectors.end(), s) == sectors.end()) sectors.push_back(s);
    }
  }
  if (!member) return out;
  out.push_back(*FindCollection(tx, kNationalCollectionId));
  std::vector<Collection> rest;
  for (const auto& s : sectors) {
    if (auto c = FindCollection(tx, s)) rest.push_back(*c);
  }
  for (const auto& g : GroupsOf(tx, viewer.org_ids)) {
    rest.push_back(
        Collection{g.id, Collection::Kind::kGroup, g.name, g.description, std::nullopt, g.id});
  }
  std::stable_sort(rest.begin(), rest.end(), [](const Collection& a, const Collection& b) {
    return a.kind != b.kind ? a.kind < b.kind : a.title < b.title;
  });
  out.insert(out.end(), rest.begin(), rest.end());
  return out;
}

std::optional<std::string> WriterOrg(const Principal& me, const Collection& c,
                                     const Directory& dir) {
  for (const auto& m : me.memberships) {
    if (Decide(&me, Action::kAdvisoryPublish, {.org_id = m.org_id}) != Decision::kAllow) continue;
    if (InCommunity(c, m.org_id, dir)) return m.org_id;
  }
  return std::nullopt;
}

// ---- objects ----

std::string StoredObject::VersionText() const {
  if (modified) return *modified;
  if (created) return *created;
  return stix::FormatTimestamp(added_us);
}

Item ItemOf(const StoredObject& o) {
  Item item;
  item.author_org_id = o.author_org_id;
  item.tlp = o.tlp;
  item.distribution = o.distribution;
  if (o.sector_id) item.sector_ids.push_back(*o.sector_id);
  item.group_id = o.group_id;
  item.recipient_org_ids = o.recipient_org_ids;
  return item;
}

std::vector<StoredObject> ListObjects(db::Tx& tx, std::string_view collection_id,
                                      const ObjectFilter& filter,
                                      const std::optional<ObjectCursor>& after, int limit,
                                      bool with_object) {
  db::Params params{collection_id};
  std::string sql = "SELECT o." + std::string(kColumns);
  // Every column of the list, qualified: the version subqueries name the table again.
  for (std::size_t pos = sql.find(", "); pos != std::string::npos; pos = sql.find(", ", pos)) {
    sql.replace(pos, 2, ", o.");
    pos += 4;
  }
  if (with_object) sql += ", o.object";
  sql += " FROM stix_objects o WHERE o.collection_id = $1";
  if (filter.added_after_us) {
    params.emplace_back(*filter.added_after_us);
    sql += " AND o.added_us > $" + std::to_string(params.size());
  }
  if (after) {
    params.emplace_back(after->added_us);
    const std::string a = "$" + std::to_string(params.size());
    params.emplace_back(after->id);
    const std::string i = "$" + std::to_string(params.size());
    params.emplace_back(after->version_us);
    const std::string v = "$" + std::to_string(params.size());
    sql += " AND (o.added_us > " + a + " OR (o.added_us = " + a + " AND (o.id > " + i +
           " OR (o.id = " + i + " AND o.version_us > " + v + "))))";
  }
  AddIn(sql, params, "o.id", filter.ids);
  AddIn(sql, params, "o.type", filter.types);
  AddIn(sql, params, "o.spec_version", filter.spec_versions);
  AddVersion(sql, params, filter);
  params.emplace_back(limit);
  sql += " ORDER BY o.added_us, o.id, o.version_us LIMIT $" + std::to_string(params.size());
  std::vector<StoredObject> out;
  for (const auto& r : tx.Query(sql, params)) out.push_back(ObjectOf(r, with_object));
  return out;
}

std::int64_t DeleteObjectVersions(db::Tx& tx, std::string_view collection_id, std::string_view id,
                                  const ObjectFilter& filter, std::string_view author_org_id) {
  ObjectFilter f = filter;
  f.ids = {std::string(id)};
  std::int64_t n = 0;
  for (const auto& o : ListObjects(tx, collection_id, f, std::nullopt, 1'000'000, false)) {
    if (o.author_org_id != author_org_id) continue;
    n +=
        tx.Exec("DELETE FROM stix_objects WHERE collection_id = $1 AND id = $2 AND version_us = $3",
                {collection_id, id, o.version_us});
  }
  return n;
}

std::vector<StoredObject> FindTechniques(db::Tx& tx, std::string_view query, int limit) {
  std::string like;
  for (char c : query) {
    if (c == '%' || c == '_' || c == '\\') like.push_back('\\');
    like.push_back(c);
  }
  std::string upper = like;
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string lower = like;
  for (auto& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  std::vector<StoredObject> out;
  for (const auto& r : tx.Query(
           "SELECT " + std::string(kColumns) +
               " FROM stix_objects WHERE type = 'attack-pattern' AND external_id IS NOT NULL AND "
               "revoked = 0 AND (external_id LIKE $1 ESCAPE '\\' OR LOWER(name) LIKE $2 ESCAPE "
               "'\\') ORDER BY external_id, collection_id, version_us DESC LIMIT $3",
           {upper + "%", "%" + lower + "%", limit})) {
    out.push_back(ObjectOf(r, false));
  }
  return out;
}

// ---- import ----

Importer::Importer(db::Tx& tx, ImportTarget target, const Directory& dir, std::int64_t now_us)
    : tx_(tx), target_(std::move(target)), dir_(dir), now_us_(now_us) {}

std::optional<std::string> Importer::LabelRefusal(Tlp tlp, std::vector<std::string>* recipients) {
  if (tlp == Tlp::kRed) {
    return "TLP:RED objects go to named people only, never into a collection: share them in an "
           "advisory to those people";
  }
  const Collection& c = target_.collection;
  if ((tlp == Tlp::kAmber || tlp == Tlp::kAmberStrict) && recipients->empty()) {
    if (c.kind != Collection::Kind::kGroup) {
      return std::string(Label(tlp)) +
             " needs recipient organisations: post it into a sharing group's collection, or "
             "import it with named recipients";
    }
    // Posted into a sharing group: its organisations as they are now are the named recipients.
    auto g = dir_.groups.find(*c.group_id);
    if (g != dir_.groups.end()) {
      recipients->push_back(g->second.owner_org_id);
      for (const auto& m : g->second.member_org_ids) recipients->push_back(m);
      std::sort(recipients->begin() + 1, recipients->end());
    }
  }
  Item item;
  item.author_org_id = target_.author_org_id;
  item.tlp = tlp;
  item.distribution =
      c.kind == Collection::Kind::kSector ? Distribution::kSector : Distribution::kNational;
  if (c.sector_id) item.sector_ids.push_back(*c.sector_id);
  item.group_id = c.group_id;
  item.recipient_org_ids = *recipients;
  if (auto refusal = CheckShare(item, dir_)) return refusal->reason;
  return std::nullopt;
}

std::optional<stix::ObjectError> Importer::Add(std::string& json, stix::ObjectInfo* info_out) {
  stix::Checked checked = checker_.Check(json);
  if (info_out != nullptr) *info_out = checked.info;
  if (!checked.ok()) return checked.error;
  const stix::ObjectInfo& info = checked.info;
  Tlp tlp = Tlp::kGreen;
  std::vector<std::string> recipients;
  if (target_.tlp) {
    if (info.tlp && *info.tlp > *target_.tlp) {
      return stix::ObjectError{info.id, "object_marking_refs",
                               "marks the object " + std::string(Label(*info.tlp)) +
                                   ", stricter than the import's " +
                                   std::string(Label(*target_.tlp)) +
                                   ": storing it so would share it wider than its label"};
    }
    tlp = *target_.tlp;
    recipients = target_.recipient_org_ids;
  } else if (info.tlp) {
    tlp = *info.tlp;
  }
  if (auto reason = LabelRefusal(tlp, &recipients)) {
    return stix::ObjectError{info.id, "object_marking_refs", *reason};
  }
  const Collection& c = target_.collection;
  const std::int64_t added = now_us_ + sequence_++;
  const std::int64_t version = info.version_us.value_or(added);
  const std::string_view distribution = c.kind == Collection::Kind::kSector ? "sector" : "national";
  const std::int64_t n = tx_.Exec(
      "INSERT INTO stix_objects (collection_id, id, type, spec_version, created, modified, "
      "version_us, added_us, tlp, distribution, sector_id, group_id, author_org_id, "
      "recipient_org_ids, revoked, external_id, name, object, added_by) VALUES ($1, $2, $3, $4, "
      "$5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) ON CONFLICT "
      "(collection_id, id, version_us) DO NOTHING",
      {c.id, info.id, info.type, info.spec_version, info.created, info.modified, version, added,
       MarkingId(tlp), distribution, c.sector_id, c.group_id, target_.author_org_id,
       IdListText(recipients), info.revoked, info.external_id, info.name, json, target_.user_id});
  if (n > 0) {
    ++stored_;
  } else {
    ++unchanged_;
  }
  return std::nullopt;
}

// ---- status ----

void InsertStatus(db::Tx& tx, const TaxiiStatus& s) {
  tx.Exec(
      "INSERT INTO taxii_status (id, collection_id, user_id, request_us, total_count, "
      "success_count, failure_count, details) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
      {s.id, s.collection_id, s.user_id, s.request_us, s.total, s.success, s.failure, s.details});
}

std::optional<TaxiiStatus> FindStatus(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT id, collection_id, user_id, request_us, total_count, success_count, failure_count, "
      "details FROM taxii_status WHERE id = $1",
      {id});
  if (!r) return std::nullopt;
  return TaxiiStatus{r->Text(0), r->Text(1), r->Text(2), r->Int(3),
                     r->Int(4),  r->Int(5),  r->Int(6),  r->Text(7)};
}

}  // namespace rampart::sharing
