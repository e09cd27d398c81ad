// Authorization decisions: who may perform which action on which organisation.
#include "platform/policy.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

namespace rampart {
namespace {

constexpr int kLastAction = static_cast<int>(Action::kAuditRead);

std::vector<Action> AllActions() {
  std::vector<Action> out;
  for (int i = 0; i <= kLastAction; ++i) out.push_back(static_cast<Action>(i));
  return out;
}

Principal Person(std::string username, std::vector<Membership> memberships, bool is_admin = false) {
  Principal p;
  p.user_id = "id-" + username;
  p.username = std::move(username);
  p.is_admin = is_admin;
  p.memberships = std::move(memberships);
  return p;
}

Membership In(std::string org_id, OrgKind kind, RoleSet roles) {
  Membership m;
  m.org_id = std::move(org_id);
  m.kind = kind;
  m.roles = roles;
  return m;
}

Target OrgA() { return {"org-a"}; }
Target OrgB() { return {"org-b"}; }

TEST(Policy, EveryActionHasAName) {
  std::set<std::string_view> names;
  for (Action a : AllActions()) {
    SCOPED_TRACE(static_cast<int>(a));
    EXPECT_NE(Name(a), "unknown");
    EXPECT_TRUE(names.insert(Name(a)).second) << "two actions share the name " << Name(a);
  }
}

TEST(Policy, AuditReadIsTheLastAction) {
  // The loops in these tests run up to kAuditRead: an action added after it must move the bound.
  EXPECT_EQ(Name(static_cast<Action>(kLastAction + 1)), "unknown")
      << "an action follows kAuditRead; update kLastAction in policy_test.cc";
}

TEST(Policy, AnonymousCallerIsUnauthenticatedForEveryActionButPublic) {
  for (Action a : AllActions()) {
    SCOPED_TRACE(std::string(Name(a)));
    Decision expected = a == Action::kPublic ? Decision::kAllow : Decision::kUnauthenticated;
    EXPECT_EQ(Decide(nullptr, a), expected);
    EXPECT_EQ(Decide(nullptr, a, OrgA()), expected);
  }
}

TEST(Policy, PlatformAdminMayDoEverything) {
  Principal admin = Person("admin", {}, /*is_admin=*/true);
  for (Action a : AllActions()) {
    SCOPED_TRACE(std::string(Name(a)));
    EXPECT_EQ(Decide(&admin, a), Decision::kAllow);
    EXPECT_EQ(Decide(&admin, a, OrgB()), Decision::kAllow);
  }
}

TEST(Policy, AnySignedInPersonMayActOnThemselvesAndReadTheDirectory) {
  Principal nobody = Person("nobody", {});
  EXPECT_EQ(Decide(&nobody, Action::kPublic), Decision::kAllow);
  EXPECT_EQ(Decide(&nobody, Action::kSelf), Decision::kAllow);
  EXPECT_EQ(Decide(&nobody, Action::kDirectoryRead), Decision::kAllow);
}

TEST(Policy, OrgAdminAdministersOwnOrganisationOnly) {
  Principal p = Person("alice", {In("org-a", OrgKind::kOperator, RoleSet::Of({Role::kOrgAdmin}))});
  for (Action a : {Action::kPeopleRead, Action::kPeopleWrite, Action::kOrgUpdate}) {
    SCOPED_TRACE(std::string(Name(a)));
    EXPECT_EQ(Decide(&p, a, OrgA()), Decision::kAllow);
    EXPECT_EQ(Decide(&p, a, OrgB()), Decision::kForbidden);
    EXPECT_EQ(Decide(&p, a), Decision::kForbidden) << "no target organisation: nothing to own";
  }
}

TEST(Policy, OrgAdminOfOneOrganisationIsNotAdminOfAnotherItBelongsTo) {
  Principal p = Person("alice", {In("org-a", OrgKind::kOperator, RoleSet::Of({Role::kOrgAdmin})),
                                 In("org-b", OrgKind::kOperator, RoleSet::Of({Role::kViewer}))});
  EXPECT_EQ(Decide(&p, Action::kPeopleWrite, OrgA()), Decision::kAllow);
  EXPECT_EQ(Decide(&p, Action::kPeopleWrite, OrgB()), Decision::kForbidden);
  EXPECT_EQ(Decide(&p, Action::kPeopleRead, OrgB()), Decision::kForbidden);
}

TEST(Policy, CisoWithoutOrgAdminMayNotAdministerTheOrganisation) {
  Principal p =
      Person("bob", {In("org-a", OrgKind::kOperator,
                        RoleSet::Of({Role::kCiso, Role::kRiskOwner, Role::kManagement}))});
  for (Action a : {Action::kPeopleRead, Action::kPeopleWrite, Action::kOrgUpdate}) {
    SCOPED_TRACE(std::string(Name(a)));
    EXPECT_EQ(Decide(&p, a, OrgA()), Decision::kForbidden);
  }
}

TEST(Policy, NationalCertAnalystsAndAdminsWriteMous) {
  Principal analyst =
      Person("analyst", {In("cert", OrgKind::kNationalCert, RoleSet::Of({Role::kAnalyst}))});
  Principal head =
      Person("head", {In("cert", OrgKind::kNationalCert, RoleSet::Of({Role::kOrgAdmin}))});
  EXPECT_EQ(Decide(&analyst, Action::kMouWrite), Decision::kAllow);
  EXPECT_EQ(Decide(&head, Action::kMouWrite), Decision::kAllow);
}

TEST(Policy, OthersMayNotWriteMous) {
  Principal cert_viewer =
      Person("viewer", {In("cert", OrgKind::kNationalCert, RoleSet::Of({Role::kViewer}))});
  Principal regulator_head =
      Person("reg", {In("reg", OrgKind::kRegulator,
                        RoleSet::Of({Role::kOrgAdmin, Role::kManagement, Role::kAnalyst}))});
  Principal sector_cert_lead =
      Person("lead",
             {In("fincert", OrgKind::kSectorCert, RoleSet::Of({Role::kOrgAdmin, Role::kAnalyst}))});
  EXPECT_EQ(Decide(&cert_viewer, Action::kMouWrite), Decision::kForbidden);
  EXPECT_EQ(Decide(&regulator_head, Action::kMouWrite), Decision::kForbidden);
  EXPECT_EQ(Decide(&sector_cert_lead, Action::kMouWrite), Decision::kForbidden);
}

TEST(Policy, AdminOnlyActionsAreRefusedToEveryoneElse) {
  RoleSet all;
  for (Role r : kAllRoles) all.Add(r);
  std::vector<Membership> everywhere;
  for (OrgKind k : kAllOrgKinds) everywhere.push_back(In("org-a", k, all));
  // Every role in every kind of organisation (the target included), but not platform admin.
  Principal p = Person("almighty", everywhere);
  for (Action a : {Action::kSectorWrite, Action::kOrgCreate, Action::kOrgClassify,
                   Action::kUserAdminister, Action::kAuditRead}) {
    SCOPED_TRACE(std::string(Name(a)));
    EXPECT_EQ(Decide(&p, a), Decision::kForbidden);
    EXPECT_EQ(Decide(&p, a, OrgA()), Decision::kForbidden);
  }
}

}  // namespace
}  // namespace rampart
