// The directory's SQL. Functions run inside the caller's transaction; updates take the version the
// caller read and return false, changing nothing, when the row has moved on since.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "directory/model.h"
#include "platform/db.h"
#include "platform/identity.h"

namespace rampart::directory {

struct Cursor2 {  // the sort key of the last row shown: (name, id)
  std::string key;
  std::string id;
};

std::vector<Sector> ListSectors(db::Tx& tx, const std::optional<Cursor2>& after, int limit);
std::optional<Sector> FindSector(db::Tx& tx, std::string_view id);
void InsertSector(db::Tx& tx, const Sector& sector);
bool UpdateSector(db::Tx& tx, const Sector& sector, std::int64_t expected_version, Millis now);

struct OrgFilter {
  std::string kind;       // "" for any
  std::string sector_id;  // "" for any
  std::string query;      // "" for any; matched case-insensitively in name and short name
};
std::vector<Organisation> ListOrganisations(db::Tx& tx, const OrgFilter& filter,
                                            const std::optional<Cursor2>& after, int limit);
std::optional<Organisation> FindOrganisation(db::Tx& tx, std::string_view id);
void InsertOrganisation(db::Tx& tx, const Organisation& org);
bool UpdateOrganisation(db::Tx& tx, const Organisation& org, std::int64_t expected_version,
                        Millis now);

struct Person {
  identity::User user;
  RoleSet roles;
};
std::vector<Person> ListPeople(db::Tx& tx, std::string_view org_id,
                               const std::optional<Cursor2>& after, int limit);
std::optional<Person> FindPerson(db::Tx& tx, std::string_view org_id, std::string_view user_id);
void AddMembership(db::Tx& tx, std::string_view user_id, std::string_view org_id, RoleSet roles,
                   Millis now);
void SetRoles(db::Tx& tx, std::string_view user_id, std::string_view org_id, RoleSet roles);
int CountMemberships(db::Tx& tx, std::string_view user_id);
// Active (not disabled) members of `org_id` holding org_admin, not counting `except_user`.
int CountActiveAdmins(db::Tx& tx, std::string_view org_id, std::string_view except_user);
// Bumps the person's version; false when it was not `expected_version`.
bool TouchUser(db::Tx& tx, std::string_view user_id, std::int64_t expected_version, Millis now);

std::vector<Mou> ListMous(db::Tx& tx, const std::optional<Cursor2>& after, int limit);
std::optional<Mou> FindMou(db::Tx& tx, std::string_view id);
void InsertMou(db::Tx& tx, const Mou& mou);
bool UpdateMou(db::Tx& tx, const Mou& mou, std::int64_t expected_version, Millis now);

}  // namespace rampart::directory
