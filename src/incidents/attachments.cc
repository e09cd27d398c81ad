#include "incidents/attachments.h"

#include <algorithm>

namespace rampart::incidents {

namespace {

constexpr const char* kColumns =
    "a.id, a.incident_id, a.file_sha256, a.name, a.media_type, a.size, a.visibility, "
    "a.description, a.uploaded_by, a.uploaded_by_name, a.organisation_id, "
    "COALESCE(o.name, ''), a.uploaded_at";

Attachment FromRow(const db::Row& r) {
  Attachment a;
  a.id = r.Text(0);
  a.incident_id = r.Text(1);
  a.sha256 = r.Text(2);
  a.name = r.Text(3);
  a.media_type = r.Text(4);
  a.size = r.Int(5);
  // An unknown word can only come from a newer binary: show it to the fewest.
  a.visibility = ParseVisibility(r.Text(6)).value_or(Visibility::kCerts);
  a.description = r.Text(7);
  a.uploaded_by = r.Text(8);
  a.uploaded_by_name = r.Text(9);
  a.organisation_id = r.OptText(10);
  a.organisation_name = r.Text(11);
  a.uploaded_at = r.Int(12);
  return a;
}

// The condition on `a` that keeps what the caller sees, as Sees() decides, with its parameters
// appended to `params` from $`first` on.
std::string VisibleCondition(const Case& c, db::Params& params, int first) {
  auto visible = c.standing.Visible();
  auto has = [&](Visibility v) {
    return std::find(visible.begin(), visible.end(), v) != visible.end() ? 1 : 0;
  };
  params.emplace_back(has(Visibility::kAll));
  params.emplace_back(has(Visibility::kAuthorities));
  params.emplace_back(has(Visibility::kCerts));
  params.emplace_back(c.standing.anonymised ? 1 : 0);
  params.emplace_back(c.incident.organisation_id);
  auto p = [&](int k) { return "$" + std::to_string(first + k); };
  return "((" + p(0) + " = 1 AND a.visibility = 'all') OR (" + p(1) +
         " = 1 AND a.visibility = 'authorities') OR (" + p(2) +
         " = 1 AND a.visibility = 'certs')) AND (" + p(3) +
         " = 0 OR COALESCE(a.organisation_id, '') <> " + p(4) + ")";
}

}  // namespace

bool Sees(const Standing& standing, const Incident& incident, const Attachment& a) {
  if (standing.anonymised && a.organisation_id == incident.organisation_id) return false;
  auto visible = standing.Visible();
  return std::find(visible.begin(), visible.end(), a.visibility) != visible.end();
}

void InsertAttachment(db::Tx& tx, const Attachment& a) {
  tx.Exec(
      "INSERT INTO incident_attachments (id, incident_id, file_sha256, name, media_type, size, "
      "visibility, description, uploaded_by, uploaded_by_name, organisation_id, uploaded_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
      {a.id, a.incident_id, a.sha256, a.name, a.media_type, a.size, std::string(Name(a.visibility)),
       a.description, a.uploaded_by, a.uploaded_by_name, a.organisation_id, a.uploaded_at});
}

std::vector<Attachment> AttachmentsOf(db::Tx& tx, const Case& c, const std::string& after,
                                      int limit) {
  db::Params params = {c.incident.id, after};
  std::string sql = std::string("SELECT ") + kColumns +
                    " FROM incident_attachments a LEFT JOIN organisations o ON "
                    "o.id = a.organisation_id WHERE a.incident_id = $1 AND a.id > $2 AND " +
                    VisibleCondition(c, params, 3) + " ORDER BY a.id";
  if (limit > 0) sql += " LIMIT " + std::to_string(limit);
  std::vector<Attachment> out;
  for (const auto& row : tx.Query(sql, params)) out.push_back(FromRow(row));
  return out;
}

std::optional<Attachment> FindAttachment(db::Tx& tx, const Case& c, const std::string& id) {
  auto row = tx.QueryOne(std::string("SELECT ") + kColumns +
                             " FROM incident_attachments a LEFT JOIN organisations o ON "
                             "o.id = a.organisation_id WHERE a.id = $1 AND a.incident_id = $2",
                         {id, c.incident.id});
  if (!row) return std::nullopt;
  Attachment a = FromRow(*row);
  if (!Sees(c.standing, c.incident, a)) return std::nullopt;
  return a;
}

void WriteAttachment(JsonWriter& w, const Attachment& a) {
  w.BeginObject()
      .KeyString("id", a.id)
      .KeyString("incident_id", a.incident_id)
      .KeyString("name", a.name)
      .KeyString("media_type", a.media_type)
      .KeyInt("size", a.size)
      .KeyString("sha256", a.sha256)
      .KeyString("visibility", Name(a.visibility))
      .KeyString("description", a.description)
      .KeyString("uploaded_by", a.uploaded_by)
      .KeyString("uploaded_by_name", a.uploaded_by_name)
      .KeyOptString("organisation_id", a.organisation_id)
      .KeyString("organisation_name", a.organisation_name)
      .KeyTime("uploaded_at", a.uploaded_at)
      .KeyString("content_url",
                 "/api/v1/incidents/" + a.incident_id + "/attachments/" + a.id + "/content")
      .EndObject();
}

void WriteAttachments(JsonWriter& w, db::Tx& tx, const Case& c) {
  w.BeginArray();
  for (const auto& a : AttachmentsOf(tx, c)) WriteAttachment(w, a);
  w.EndArray();
}

}  // namespace rampart::incidents
