#include "platform/policy.h"

namespace rampart {

std::string_view Name(Action action) {
  switch (action) {
    case Action::kPublic:
      return "public";
    case Action::kSelf:
      return "self";
    case Action::kDirectoryRead:
      return "directory.read";
    case Action::kSectorWrite:
      return "sector.write";
    case Action::kOrgCreate:
      return "organisation.create";
    case Action::kOrgUpdate:
      return "organisation.update";
    case Action::kOrgClassify:
      return "organisation.classify";
    case Action::kPeopleRead:
      return "people.read";
    case Action::kPeopleWrite:
      return "people.write";
    case Action::kUserAdminister:
      return "user.administer";
    case Action::kMouWrite:
      return "mou.write";
    case Action::kReferenceRead:
      return "reference.read";
    case Action::kAuditRead:
      return "audit.read";
  }
  return "unknown";
}

namespace {

const RoleSet kOrgAdmin = RoleSet::Of({Role::kOrgAdmin});
const RoleSet kMouEditors = RoleSet::Of({Role::kOrgAdmin, Role::kAnalyst});

bool Allows(const Principal& p, Action action, const Target& target) {
  switch (action) {
    case Action::kPublic:
    case Action::kSelf:
    case Action::kDirectoryRead:
    case Action::kReferenceRead:
      return true;
    case Action::kOrgUpdate:
    case Action::kPeopleRead:
    case Action::kPeopleWrite:
      // An organisation administers its own people; the platform administrator helps anyone.
      return p.is_admin || (!target.org_id.empty() && p.HasRoleIn(target.org_id, kOrgAdmin));
    case Action::kMouWrite:
      // The MOU is the national CERT's agreement with each regulator: the CERT keeps it.
      return p.is_admin || p.InKind(OrgKind::kNationalCert, kMouEditors);
    case Action::kSectorWrite:
    case Action::kOrgCreate:
    case Action::kOrgClassify:
    case Action::kUserAdminister:
    case Action::kAuditRead:
      return p.is_admin;
  }
  return false;  // an action without a rule is denied
}

}  // namespace

Decision Decide(const Principal* principal, Action action, const Target& target) {
  if (action == Action::kPublic) return Decision::kAllow;
  if (principal == nullptr) return Decision::kUnauthenticated;
  return Allows(*principal, action, target) ? Decision::kAllow : Decision::kForbidden;
}

}  // namespace rampart
