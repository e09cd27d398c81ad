// Sharing's SQL: the directory as the audience engine needs it, sharing groups, advisories,
// passes-on and acknowledgements. Functions run inside the caller's transaction; updates take the
// version the caller read and return false, changing nothing, when the row has moved on since.
// Nothing here decides who sees what: list queries only narrow to rows that MAY concern the
// caller, and the engine decides each of them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "platform/db.h"
#include "platform/principal.h"
#include "sharing/audience.h"
#include "sharing/model.h"

namespace rampart::sharing {

// The directory as it is now: every organisation with its sectors, every sharing group with its
// members, and (with `with_people`) every active person's organisations.
Directory LoadDirectory(db::Tx& tx, bool with_people);
// The caller as the engine sees them: their memberships (none for an anonymous caller).
Viewer ViewerOf(const Principal* principal);

// ---- sharing groups ----

void InsertGroup(db::Tx& tx, const SharingGroup& group);
std::optional<SharingGroup> FindGroup(db::Tx& tx, std::string_view id);
bool UpdateGroup(db::Tx& tx, const SharingGroup& group, std::int64_t expected_version, Millis now);
// Bumps the group's version (a member change is a change of the group); false when it moved on.
bool TouchGroup(db::Tx& tx, std::string_view id, std::int64_t expected_version, Millis now);
void DeleteGroup(db::Tx& tx, std::string_view id);
// False when the organisation was a member already (or, for Remove, was not one).
bool AddGroupMember(db::Tx& tx, std::string_view group_id, std::string_view org_id,
                    std::string_view by_user, Millis now);
bool RemoveGroupMember(db::Tx& tx, std::string_view group_id, std::string_view org_id);
// The groups any of `org_ids` owns or belongs to, by name.
std::vector<SharingGroup> GroupsOf(db::Tx& tx, const std::vector<std::string>& org_ids);
// How many advisories name the group.
std::int64_t CountGroupUses(db::Tx& tx, std::string_view group_id);

// ---- advisories ----

std::string NextAdvisoryReference(db::Tx& tx, int year);
void InsertAdvisory(db::Tx& tx, const Advisory& advisory);
std::optional<Advisory> FindAdvisory(db::Tx& tx, std::string_view id);
// Writes every field a draft may change (content, audience, state, publication) and bumps the
// version.
bool UpdateAdvisory(db::Tx& tx, const Advisory& advisory, std::int64_t expected_version,
                    Millis now);
void DeleteDraft(db::Tx& tx, std::string_view id);
// Marks every published revision of the series but `keep_id` superseded.
void SupersedeOthers(db::Tx& tx, std::string_view series_id, std::string_view keep_id, Millis now);
// The revisions of a series, oldest first.
std::vector<Advisory> RevisionsOf(db::Tx& tx, std::string_view series_id);
// Whether the series has an unpublished draft.
std::optional<std::string> DraftOf(db::Tx& tx, std::string_view series_id);

std::vector<PassOn> PassesOf(db::Tx& tx, std::string_view series_id);
void InsertPass(db::Tx& tx, std::string_view series_id, const PassOn& pass);

struct AdvisoryFilter {
  std::string state = "published";  // published (current revisions) or draft
  std::string severity;             // "" any
  std::string query;                // in the title, or a reference
};
// The sort key of a list row: when it was published (a draft: made), then its id.
struct AdvisoryCursor {
  Millis at = 0;
  std::string id;
};
// Candidates for the caller's list, newest first, after `after` (exclusive): published rows
// that may concern one of `viewer`'s organisations (authored by it, CLEAR or GREEN, naming it or
// the person, or passed on to it), or drafts of `draft_org_ids`. The engine decides each.
std::vector<Advisory> ListAdvisoryCandidates(db::Tx& tx, const Viewer& viewer,
                                             const std::vector<std::string>& draft_org_ids,
                                             const AdvisoryFilter& filter,
                                             const std::optional<AdvisoryCursor>& after, int limit);

void InsertAck(db::Tx& tx, const Acknowledgement& ack);
// The current acknowledgement of each organisation that made one, for the series.
std::vector<Acknowledgement> CurrentAcks(db::Tx& tx, std::string_view series_id);
// Every acknowledgement of `org_id` for the series, newest first.
std::vector<Acknowledgement> AckHistory(db::Tx& tx, std::string_view series_id,
                                        std::string_view org_id);

// The advisory's state for the audit log (JSON text in a fixed key order).
std::string AuditState(const Advisory& advisory);
std::string AuditState(const SharingGroup& group);

}  // namespace rampart::sharing
