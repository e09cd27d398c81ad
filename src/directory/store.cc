#include "directory/store.h"

#include <map>

#include "directory/rules.h"

namespace rampart::directory {

namespace {

constexpr std::string_view kSectorColumns =
    "s.id, s.slug, s.name, s.description, s.version, s.created_at, s.updated_at, "
    "(SELECT COUNT(*) FROM organisation_sectors os WHERE os.sector_id = s.id), "
    "s.reporting_profile";

Sector SectorFromRow(const db::Row& r) {
  Sector s;
  s.id = r.Text(0);
  s.slug = r.Text(1);
  s.name = r.Text(2);
  s.description = r.Text(3);
  s.version = r.Int(4);
  s.created_at = r.Int(5);
  s.updated_at = r.Int(6);
  s.organisation_count = r.Int(7);
  s.reporting_profile = r.Text(8);
  return s;
}

constexpr std::string_view kOrgColumns =
    "o.id, o.name, o.short_name, o.kind, o.criticality_tier, o.size_class, o.website, o.version, "
    "o.created_at, o.updated_at";

Organisation OrgFromRow(const db::Row& r) {
  Organisation o;
  o.id = r.Text(0);
  o.name = r.Text(1);
  o.short_name = r.Text(2);
  o.kind = ParseOrgKind(r.Text(3)).value_or(OrgKind::kOperator);
  if (auto t = r.OptInt(4)) o.criticality_tier = static_cast<int>(*t);
  o.size_class = r.OptText(5);
  o.website = r.OptText(6);
  o.version = r.Int(7);
  o.created_at = r.Int(8);
  o.updated_at = r.Int(9);
  return o;
}

// Fills sector_ids for a page of organisations with one query.
void LoadSectors(db::Tx& tx, std::vector<Organisation>& orgs) {
  if (orgs.empty()) return;
  std::string sql =
      "SELECT organisation_id, sector_id FROM organisation_sectors WHERE organisation_id IN (";
  db::Params params;
  std::map<std::string, Organisation*> by_id;
  for (std::size_t i = 0; i < orgs.size(); ++i) {
    sql += (i ? ", $" : "$") + std::to_string(i + 1);
    params.emplace_back(orgs[i].id);
    by_id[orgs[i].id] = &orgs[i];
  }
  sql += ") ORDER BY organisation_id, sector_id";
  for (const auto& r : tx.Query(sql, params)) by_id[r.Text(0)]->sector_ids.push_back(r.Text(1));
}

void WriteSectors(db::Tx& tx, const Organisation& org) {
  tx.Exec("DELETE FROM organisation_sectors WHERE organisation_id = $1", {org.id});
  for (const auto& s : org.sector_ids) {
    tx.Exec("INSERT INTO organisation_sectors (organisation_id, sector_id) VALUES ($1, $2)",
            {org.id, s});
  }
}

std::string After(const std::optional<Cursor2>& after) { return after ? after->key : ""; }
std::string AfterId(const std::optional<Cursor2>& after) { return after ? after->id : ""; }

constexpr std::string_view kMouColumns =
    "id, sector_id, regulator_id, national_cert_id, forwarding_mode, forward_within_hours, "
    "effective_from, effective_to, notes, version, created_at, updated_at";

Mou MouFromRow(const db::Row& r) {
  Mou m;
  m.id = r.Text(0);
  m.sector_id = r.Text(1);
  m.regulator_id = r.Text(2);
  m.national_cert_id = r.Text(3);
  m.mode = ParseForwardingMode(r.Text(4));
  m.forward_within_hours = static_cast<int>(r.Int(5));
  m.effective_from = r.Int(6);
  m.effective_to = r.OptInt(7);
  m.notes = r.Text(8);
  m.version = r.Int(9);
  m.created_at = r.Int(10);
  m.updated_at = r.Int(11);
  return m;
}

}  // namespace

std::vector<Sector> ListSectors(db::Tx& tx, const std::optional<Cursor2>& after, int limit) {
  auto rows = tx.Query("SELECT " + std::string(kSectorColumns) +
                           " FROM sectors s WHERE (s.name > $1 OR (s.name = $1 AND s.id > $2)) "
                           "ORDER BY s.name, s.id LIMIT $3",
                       {After(after), AfterId(after), limit});
  std::vector<Sector> out;
  for (const auto& r : rows) out.push_back(SectorFromRow(r));
  return out;
}

std::optional<Sector> FindSector(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne("SELECT " + std::string(kSectorColumns) + " FROM sectors s WHERE s.id = $1",
                       {id});
  if (!r) return std::nullopt;
  return SectorFromRow(*r);
}

void InsertSector(db::Tx& tx, const Sector& s) {
  tx.Exec(
      "INSERT INTO sectors (id, slug, name, description, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, 1, $5, $5)",
      {s.id, s.slug, s.name, s.description, s.created_at});
}

bool UpdateSector(db::Tx& tx, const Sector& s, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE sectors SET slug = $1, name = $2, description = $3, version = version + 1, "
             "updated_at = $4 WHERE id = $5 AND version = $6",
             {s.slug, s.name, s.description, now, s.id, expected_version}) == 1;
}

std::vector<Organisation> ListOrganisations(db::Tx& tx, const OrgFilter& f,
                                            const std::optional<Cursor2>& after, int limit) {
  // The search text is matched literally: its own % and _ are escaped.
  std::string pattern;
  if (!f.query.empty()) {
    pattern = "%";
    for (char c : f.query) {
      if (c == '%' || c == '_' || c == '\\') pattern.push_back('\\');
      pattern.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    }
    pattern.push_back('%');
  }
  auto rows = tx.Query(
      "SELECT " + std::string(kOrgColumns) +
          " FROM organisations o WHERE (CAST($1 AS TEXT) = '' OR o.kind = $1) "
          "AND (CAST($2 AS TEXT) = '' OR EXISTS (SELECT 1 FROM organisation_sectors os "
          "WHERE os.organisation_id = o.id AND os.sector_id = $2)) "
          "AND (CAST($3 AS TEXT) = '' OR lower(o.name) LIKE $3 ESCAPE '\\' "
          "OR lower(o.short_name) LIKE $3 ESCAPE '\\') "
          "AND (o.name > $4 OR (o.name = $4 AND o.id > $5)) ORDER BY o.name, o.id LIMIT $6",
      {f.kind, f.sector_id, pattern, After(after), AfterId(after), limit});
  std::vector<Organisation> out;
  for (const auto& r : rows) out.push_back(OrgFromRow(r));
  LoadSectors(tx, out);
  return out;
}

std::optional<Organisation> FindOrganisation(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne(
      "SELECT " + std::string(kOrgColumns) + " FROM organisations o WHERE o.id = $1", {id});
  if (!r) return std::nullopt;
  std::vector<Organisation> one{OrgFromRow(*r)};
  LoadSectors(tx, one);
  return std::move(one.front());
}

void InsertOrganisation(db::Tx& tx, const Organisation& o) {
  tx.Exec(
      "INSERT INTO organisations (id, name, short_name, kind, criticality_tier, size_class, "
      "website, version, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
      {o.id, o.name, o.short_name, Name(o.kind), o.criticality_tier, o.size_class, o.website,
       o.created_at});
  WriteSectors(tx, o);
}

bool UpdateOrganisation(db::Tx& tx, const Organisation& o, std::int64_t expected_version,
                        Millis now) {
  auto n = tx.Exec(
      "UPDATE organisations SET name = $1, short_name = $2, kind = $3, criticality_tier = $4, "
      "size_class = $5, website = $6, version = version + 1, updated_at = $7 "
      "WHERE id = $8 AND version = $9",
      {o.name, o.short_name, Name(o.kind), o.criticality_tier, o.size_class, o.website, now, o.id,
       expected_version});
  if (n != 1) return false;
  WriteSectors(tx, o);
  return true;
}

std::vector<Person> ListPeople(db::Tx& tx, std::string_view org_id,
                               const std::optional<Cursor2>& after, int limit) {
  auto rows = tx.Query("SELECT " + identity::Columns("u.") +
                           ", m.roles FROM memberships m JOIN users u ON u.id = m.user_id "
                           "WHERE m.organisation_id = $1 AND (u.username > $2 OR "
                           "(u.username = $2 AND u.id > $3)) ORDER BY u.username, u.id LIMIT $4",
                       {org_id, After(after), AfterId(after), limit});
  std::vector<Person> out;
  for (const auto& r : rows) {
    out.push_back({identity::FromRow(r), RoleSet::Parse(r.Text(10)).value_or(RoleSet())});
  }
  return out;
}

std::optional<Person> FindPerson(db::Tx& tx, std::string_view org_id, std::string_view user_id) {
  auto r = tx.QueryOne("SELECT " + identity::Columns("u.") +
                           ", m.roles FROM memberships m JOIN users u ON u.id = m.user_id "
                           "WHERE m.organisation_id = $1 AND u.id = $2",
                       {org_id, user_id});
  if (!r) return std::nullopt;
  return Person{identity::FromRow(*r), RoleSet::Parse(r->Text(10)).value_or(RoleSet())};
}

void AddMembership(db::Tx& tx, std::string_view user_id, std::string_view org_id, RoleSet roles,
                   Millis now) {
  tx.Exec(
      "INSERT INTO memberships (user_id, organisation_id, roles, created_at) VALUES ($1, $2, $3, "
      "$4)",
      {user_id, org_id, roles.ToText(), now});
}

void SetRoles(db::Tx& tx, std::string_view user_id, std::string_view org_id, RoleSet roles) {
  tx.Exec("UPDATE memberships SET roles = $1 WHERE user_id = $2 AND organisation_id = $3",
          {roles.ToText(), user_id, org_id});
}

int CountMemberships(db::Tx& tx, std::string_view user_id) {
  return static_cast<int>(
      tx.QueryOne("SELECT COUNT(*) FROM memberships WHERE user_id = $1", {user_id})->Int(0));
}

int CountActiveAdmins(db::Tx& tx, std::string_view org_id, std::string_view except_user) {
  // Roles are stored as a comma list; match the whole word.
  auto r = tx.QueryOne(
      "SELECT COUNT(*) FROM memberships m JOIN users u ON u.id = m.user_id "
      "WHERE m.organisation_id = $1 AND u.disabled = 0 AND u.id <> $2 "
      "AND (',' || m.roles || ',') LIKE '%,org_admin,%'",
      {org_id, except_user});
  return static_cast<int>(r->Int(0));
}

bool TouchUser(db::Tx& tx, std::string_view user_id, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE users SET version = version + 1, updated_at = $1 WHERE id = $2 AND version = "
             "$3",
             {now, user_id, expected_version}) == 1;
}

std::vector<Mou> ListMous(db::Tx& tx, const std::optional<Cursor2>& after, int limit) {
  auto rows = tx.Query(
      "SELECT " + std::string(kMouColumns) + " FROM mous WHERE id > $1 ORDER BY id LIMIT $2",
      {AfterId(after), limit});
  std::vector<Mou> out;
  for (const auto& r : rows) out.push_back(MouFromRow(r));
  return out;
}

std::optional<Mou> FindMou(db::Tx& tx, std::string_view id) {
  auto r = tx.QueryOne("SELECT " + std::string(kMouColumns) + " FROM mous WHERE id = $1", {id});
  if (!r) return std::nullopt;
  return MouFromRow(*r);
}

void InsertMou(db::Tx& tx, const Mou& m) {
  tx.Exec(
      "INSERT INTO mous (id, sector_id, regulator_id, national_cert_id, forwarding_mode, "
      "forward_within_hours, effective_from, effective_to, notes, version, created_at, updated_at) "
      "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 1, $10, $10)",
      {m.id, m.sector_id, m.regulator_id, m.national_cert_id, Name(m.mode), m.forward_within_hours,
       m.effective_from, m.effective_to, m.notes, m.created_at});
}

bool UpdateMou(db::Tx& tx, const Mou& m, std::int64_t expected_version, Millis now) {
  return tx.Exec(
             "UPDATE mous SET sector_id = $1, regulator_id = $2, national_cert_id = $3, "
             "forwarding_mode = $4, forward_within_hours = $5, effective_from = $6, "
             "effective_to = $7, notes = $8, version = version + 1, updated_at = $9 "
             "WHERE id = $10 AND version = $11",
             {m.sector_id, m.regulator_id, m.national_cert_id, Name(m.mode), m.forward_within_hours,
              m.effective_from, m.effective_to, m.notes, now, m.id, expected_version}) == 1;
}

}  // namespace rampart::directory
