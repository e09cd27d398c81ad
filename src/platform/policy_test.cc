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

bool IsIncidentAction(Action a) { return Name(a).starts_with("incident."); }

// What organisations report, ask for, analyse, run and publish: closed to the platform
// administrator, who runs the platform and speaks for no organisation.
bool IsOrganisationsOwn(Action a) {
  return IsIncidentAction(a) || Name(a).starts_with("assistance.") ||
         Name(a).starts_with("risk.") || Name(a).starts_with("isms.") ||
         Name(a).starts_with("forum.") || Name(a).starts_with("guideline.") ||
         a == Action::kShareGroupWrite || a == Action::kAdvisoryPublish ||
         a == Action::kAdvisoryAck;
}

TEST(Policy, PlatformAdminMayDoEverythingButReadOrActOnWhatOrganisationsReportAskOrAnalyse) {
  Principal admin = Person("admin", {}, /*is_admin=*/true);
  std::vector<CaseParty> parties = {{"org-b", Relation::kReporter}};
  for (Action a : AllActions()) {
    SCOPED_TRACE(std::string(Name(a)));
    if (IsOrganisationsOwn(a)) {
      EXPECT_EQ(Decide(&admin, a, OrgB()), Decision::kForbidden);
      EXPECT_EQ(Decide(&admin, a, {.parties = &parties}), Decision::kForbidden);
      continue;
    }
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
                   Action::kUserAdminister, Action::kFrameworkImport, Action::kAuditRead}) {
    SCOPED_TRACE(std::string(Name(a)));
    EXPECT_EQ(Decide(&p, a), Decision::kForbidden);
    EXPECT_EQ(Decide(&p, a, OrgA()), Decision::kForbidden);
  }
}

// ---- incident cases ----

// A finance case: filed by the bank, held by its regulator and sector CERT, and by the national
// CERT in full.
std::vector<CaseParty> FinanceCase() {
  return {{"bank", Relation::kReporter},
          {"cb", Relation::kRegulator},
          {"fincert", Relation::kSectorCert},
          {"natcert", Relation::kNationalCert}};
}

Principal Member(std::string org, OrgKind kind, std::initializer_list<Role> roles) {
  return Person(org + "-person", {In(org, kind, RoleSet::Of(roles))});
}

Decision OnCase(const Principal& p, Action a, const std::vector<CaseParty>& parties) {
  return Decide(&p, a, {.parties = &parties});
}

TEST(Policy, ReportersOfTheOrganisationFileIncidentsForItOnly) {
  for (Role r : {Role::kReporter, Role::kCiso, Role::kOrgAdmin}) {
    Principal p = Member("org-a", OrgKind::kOperator, {r});
    EXPECT_EQ(Decide(&p, Action::kIncidentFile, OrgA()), Decision::kAllow);
    EXPECT_EQ(Decide(&p, Action::kIncidentFile, OrgB()), Decision::kForbidden);
    EXPECT_EQ(Decide(&p, Action::kIncidentFile), Decision::kForbidden);
  }
  for (Role r : {Role::kViewer, Role::kRiskOwner, Role::kManagement, Role::kAuditor}) {
    Principal p = Member("org-a", OrgKind::kOperator, {r});
    EXPECT_EQ(Decide(&p, Action::kIncidentFile, OrgA()), Decision::kForbidden) << Name(r);
  }
}

TEST(Policy, EachPartyActsOnACaseAsItsRelationAllows) {
  const auto parties = FinanceCase();
  Principal reporter = Member("bank", OrgKind::kOperator, {Role::kReporter});
  Principal regulator = Member("cb", OrgKind::kRegulator, {Role::kAnalyst});
  Principal sector_cert = Member("fincert", OrgKind::kSectorCert, {Role::kAnalyst});
  Principal national = Member("natcert", OrgKind::kNationalCert, {Role::kAnalyst});
  struct Cell {
    const Principal* who;
    Action action;
    Decision want;
  };
  const Cell cells[] = {
      {&reporter, Action::kIncidentRead, Decision::kAllow},
      {&reporter, Action::kIncidentReport, Decision::kAllow},
      {&reporter, Action::kIncidentComment, Decision::kAllow},
      {&reporter, Action::kIncidentForward, Decision::kForbidden},
      {&reporter, Action::kIncidentRequest, Decision::kForbidden},
      {&reporter, Action::kIncidentHandle, Decision::kForbidden},
      {&regulator, Action::kIncidentRead, Decision::kAllow},
      {&regulator, Action::kIncidentReport, Decision::kForbidden},
      {&regulator, Action::kIncidentForward, Decision::kAllow},
      {&regulator, Action::kIncidentRequest, Decision::kAllow},
      {&regulator, Action::kIncidentHandle, Decision::kForbidden},
      {&sector_cert, Action::kIncidentRead, Decision::kAllow},
      {&sector_cert, Action::kIncidentForward, Decision::kForbidden},
      {&sector_cert, Action::kIncidentHandle, Decision::kAllow},
      {&national, Action::kIncidentHandle, Decision::kAllow},
      {&national, Action::kIncidentReport, Decision::kForbidden},
  };
  for (const auto& c : cells) {
    SCOPED_TRACE(c.who->username + " " + std::string(Name(c.action)));
    EXPECT_EQ(OnCase(*c.who, c.action, parties), c.want);
  }
}

TEST(Policy, OrganisationsThatDoNotHoldTheCaseSeeNothingOfIt) {
  const auto parties = FinanceCase();
  RoleSet all;
  for (Role r : kAllRoles) all.Add(r);
  // Every role, in another bank, another regulator and another sector's CERT.
  Principal outsider = Person(
      "outsider", {In("other-bank", OrgKind::kOperator, all), In("ura", OrgKind::kRegulator, all),
                   In("enercert", OrgKind::kSectorCert, all)});
  for (Action a : AllActions()) {
    if (!IsIncidentAction(a) || a == Action::kIncidentFile) continue;
    SCOPED_TRACE(std::string(Name(a)));
    EXPECT_EQ(OnCase(outsider, a, parties), Decision::kForbidden);
  }
}

TEST(Policy, ViewersAndRiskOwnersDoNotSeeIncidentsEvenOfTheirOwnOrganisation) {
  const auto parties = FinanceCase();
  Principal viewer = Member("bank", OrgKind::kOperator, {Role::kViewer, Role::kRiskOwner});
  Principal cert_viewer = Member("natcert", OrgKind::kNationalCert, {Role::kViewer});
  EXPECT_EQ(OnCase(viewer, Action::kIncidentRead, parties), Decision::kForbidden);
  EXPECT_EQ(OnCase(cert_viewer, Action::kIncidentRead, parties), Decision::kForbidden);
}

TEST(Policy, TheNationalCertHoldingACaseAnonymisedReadsItOnlyThatWay) {
  std::vector<CaseParty> parties = {{"bank", Relation::kReporter},
                                    {"natcert", Relation::kNationalCertAnonymised}};
  Principal national = Member("natcert", OrgKind::kNationalCert, {Role::kAnalyst});
  auto relations = RelationsFor(national, Action::kIncidentRead, parties);
  ASSERT_EQ(relations.size(), 1u);
  EXPECT_EQ(relations[0], Relation::kNationalCertAnonymised);
}

TEST(Policy, ReadableScopesAgreeWithDecideOnEveryRelation) {
  for (Role role : kAllRoles) {
    Principal p = Member("org", OrgKind::kOperator, {role});
    auto scopes = ReadableScopes(p);
    for (Relation r : kAllRelations) {
      std::vector<CaseParty> parties = {{"org", r}};
      bool listed = false;
      for (const auto& s : scopes) listed |= s.org_id == "org" && s.relation == r;
      EXPECT_EQ(listed, OnCase(p, Action::kIncidentRead, parties) == Decision::kAllow)
          << Name(role) << " as " << Name(r);
    }
  }
}

TEST(Policy, OnlyTheHeadOfARegulatorOfTheSectorSetsItsReportingProfile) {
  Membership cb = In("cb", OrgKind::kRegulator, RoleSet::Of({Role::kOrgAdmin}));
  cb.sector_ids = {"finance"};
  Principal head = Person("head", {cb});
  Target finance{.sector_id = "finance"};
  Target energy{.sector_id = "energy"};
  EXPECT_EQ(Decide(&head, Action::kSectorProfileWrite, finance), Decision::kAllow);
  EXPECT_EQ(Decide(&head, Action::kSectorProfileWrite, energy), Decision::kForbidden);
  Membership analyst = cb;
  analyst.roles = RoleSet::Of({Role::kAnalyst});
  Principal a = Person("analyst", {analyst});
  EXPECT_EQ(Decide(&a, Action::kSectorProfileWrite, finance), Decision::kForbidden);
  Membership bank = In("bank", OrgKind::kOperator, RoleSet::Of({Role::kOrgAdmin}));
  bank.sector_ids = {"finance"};
  Principal ciso = Person("ciso", {bank});
  EXPECT_EQ(Decide(&ciso, Action::kSectorProfileWrite, finance), Decision::kForbidden);
}

TEST(Policy, EachTeamKeepsItsOwnTasksAndTheAnonymisedCertNone) {
  const auto parties = FinanceCase();
  Principal reporter = Member("bank", OrgKind::kOperator, {Role::kReporter});
  Principal auditor = Member("bank", OrgKind::kOperator, {Role::kAuditor});
  Principal regulator = Member("cb", OrgKind::kRegulator, {Role::kAnalyst});
  EXPECT_EQ(OnCase(reporter, Action::kIncidentTask, parties), Decision::kAllow);
  EXPECT_EQ(OnCase(auditor, Action::kIncidentTask, parties), Decision::kForbidden);
  EXPECT_EQ(OnCase(regulator, Action::kIncidentTask, parties), Decision::kAllow);
  std::vector<CaseParty> anonymised = {{"bank", Relation::kReporter},
                                       {"natcert", Relation::kNationalCertAnonymised}};
  Principal national = Member("natcert", OrgKind::kNationalCert, {Role::kAnalyst});
  EXPECT_EQ(OnCase(national, Action::kIncidentTask, anonymised), Decision::kForbidden);
  EXPECT_EQ(OnCase(national, Action::kIncidentAttach, anonymised), Decision::kAllow);
}

TEST(Policy, AnAssistanceRequestIsBetweenTheAskingOrganisationAndTheCertAsked) {
  std::vector<CaseParty> parties = {{"bank", Relation::kReporter},
                                    {"fincert", Relation::kSectorCert}};
  Principal asker = Member("bank", OrgKind::kOperator, {Role::kCiso});
  Principal manager = Member("bank", OrgKind::kOperator, {Role::kManagement});
  Principal analyst = Member("fincert", OrgKind::kSectorCert, {Role::kAnalyst});
  Principal other_cert = Member("natcert", OrgKind::kNationalCert, {Role::kAnalyst});
  Principal regulator = Member("cb", OrgKind::kRegulator, {Role::kAnalyst});
  EXPECT_EQ(Decide(&asker, Action::kAssistanceAsk, {"bank"}), Decision::kAllow);
  EXPECT_EQ(Decide(&asker, Action::kAssistanceAsk, {"other-bank"}), Decision::kForbidden);
  EXPECT_EQ(Decide(&manager, Action::kAssistanceAsk, {"bank"}), Decision::kForbidden);
  EXPECT_EQ(OnCase(asker, Action::kAssistanceRead, parties), Decision::kAllow);
  EXPECT_EQ(OnCase(asker, Action::kAssistanceWrite, parties), Decision::kAllow);
  EXPECT_EQ(OnCase(asker, Action::kAssistanceHandle, parties), Decision::kForbidden);
  EXPECT_EQ(OnCase(manager, Action::kAssistanceRead, parties), Decision::kAllow);
  EXPECT_EQ(OnCase(manager, Action::kAssistanceWrite, parties), Decision::kForbidden);
  EXPECT_EQ(OnCase(analyst, Action::kAssistanceHandle, parties), Decision::kAllow);
  for (const Principal* outsider : {&other_cert, &regulator}) {
    EXPECT_EQ(OnCase(*outsider, Action::kAssistanceRead, parties), Decision::kForbidden);
  }
}

TEST(Policy, ARiskAnalysisIsReadWrittenAndAcceptedInsideItsOrganisationOnly) {
  struct Cell {
    Role role;
    bool read, write, accept;
  };
  const Cell cells[] = {
      {Role::kOrgAdmin, true, true, false},   {Role::kCiso, true, true, false},
      {Role::kRiskOwner, true, true, false},  {Role::kManagement, true, false, true},
      {Role::kAuditor, true, false, false},   {Role::kViewer, true, false, false},
      {Role::kReporter, false, false, false}, {Role::kAnalyst, false, false, false},
  };
  auto want = [](bool b) { return b ? Decision::kAllow : Decision::kForbidden; };
  for (const auto& c : cells) {
    Principal p = Member("bank", OrgKind::kOperator, {c.role});
    SCOPED_TRACE(p.username + " " + std::to_string(static_cast<int>(c.role)));
    EXPECT_EQ(Decide(&p, Action::kRiskRead, {"bank"}), want(c.read));
    EXPECT_EQ(Decide(&p, Action::kRiskWrite, {"bank"}), want(c.write));
    EXPECT_EQ(Decide(&p, Action::kRiskAccept, {"bank"}), want(c.accept));
    for (Action a : {Action::kRiskRead, Action::kRiskWrite, Action::kRiskAccept}) {
      EXPECT_EQ(Decide(&p, a, {"other-bank"}), Decision::kForbidden);
    }
  }
}

TEST(Policy, EveryRelationHasAName) {
  for (Relation r : kAllRelations) {
    EXPECT_EQ(ParseRelation(Name(r)), r);
  }
  EXPECT_EQ(ParseRelation("friend"), std::nullopt);
}

// ---- risk statistics, ISMS, sharing ----

Principal InSector(std::string org, OrgKind kind, std::string sector,
                   std::initializer_list<Role> roles) {
  Membership m = In(org, kind, RoleSet::Of(roles));
  m.sector_ids = {std::move(sector)};
  return Person(org + "-person", {m});
}

TEST(Policy, RiskStatisticsGoToTheSectorsRegulatorAndTheNationalCertOnly) {
  Target finance{.org_id = "", .sector_id = "finance"};
  Target energy{.org_id = "", .sector_id = "energy"};
  Principal regulator = InSector("cb", OrgKind::kRegulator, "finance", {Role::kAnalyst});
  Principal national = Member("natcert", OrgKind::kNationalCert, {Role::kAnalyst});
  Principal sector_cert = InSector("fincert", OrgKind::kSectorCert, "finance", {Role::kAnalyst});
  Principal bank_ciso = InSector("bank", OrgKind::kOperator, "finance", {Role::kCiso});
  Principal admin = Person("root", {}, /*is_admin=*/true);
  EXPECT_EQ(Decide(&regulator, Action::kRiskStatsRead, finance), Decision::kAllow);
  EXPECT_EQ(Decide(&regulator, Action::kRiskStatsRead, energy), Decision::kForbidden);
  EXPECT_EQ(Decide(&regulator, Action::kRiskStatsRead), Decision::kForbidden)
      << "all sectors at once are the national CERT's";
  EXPECT_EQ(Decide(&national, Action::kRiskStatsRead, energy), Decision::kAllow);
  EXPECT_EQ(Decide(&national, Action::kRiskStatsRead), Decision::kAllow);
  EXPECT_EQ(Decide(&sector_cert, Action::kRiskStatsRead, finance), Decision::kForbidden);
  EXPECT_EQ(Decide(&bank_ciso, Action::kRiskStatsRead, finance), Decision::kForbidden);
  EXPECT_EQ(Decide(&admin, Action::kRiskStatsRead, finance), Decision::kForbidden);
}

TEST(Policy, AnOrganisationsIsmsStaysInsideIt) {
  Principal ciso = Member("bank", OrgKind::kOperator, {Role::kCiso});
  Principal auditor = Member("bank", OrgKind::kOperator, {Role::kAuditor});
  Principal board = Member("bank", OrgKind::kOperator, {Role::kManagement});
  Principal viewer = Member("bank", OrgKind::kOperator, {Role::kViewer});
  Principal reporter = Member("bank", OrgKind::kOperator, {Role::kReporter});
  Principal regulator = Member("cb", OrgKind::kRegulator, {Role::kOrgAdmin, Role::kAnalyst});
  Principal admin = Person("root", {}, /*is_admin=*/true);
  Target bank{"bank"};
  EXPECT_EQ(Decide(&ciso, Action::kIsmsWrite, bank), Decision::kAllow);
  EXPECT_EQ(Decide(&ciso, Action::kIsmsAudit, bank), Decision::kAllow);
  EXPECT_EQ(Decide(&ciso, Action::kIsmsApprove, bank), Decision::kForbidden);
  EXPECT_EQ(Decide(&auditor, Action::kIsmsAudit, bank), Decision::kAllow);
  EXPECT_EQ(Decide(&auditor, Action::kIsmsWrite, bank), Decision::kForbidden);
  EXPECT_EQ(Decide(&board, Action::kIsmsApprove, bank), Decision::kAllow);
  EXPECT_EQ(Decide(&viewer, Action::kIsmsRead, bank), Decision::kAllow);
  EXPECT_EQ(Decide(&viewer, Action::kIsmsWrite, bank), Decision::kForbidden);
  EXPECT_EQ(Decide(&reporter, Action::kIsmsRead, bank), Decision::kForbidden);
  for (Action a :
       {Action::kIsmsRead, Action::kIsmsWrite, Action::kIsmsAudit, Action::kIsmsApprove}) {
    SCOPED_TRACE(std::string(Name(a)));
    EXPECT_EQ(Decide(&regulator, a, bank), Decision::kForbidden);
    EXPECT_EQ(Decide(&admin, a, bank), Decision::kForbidden);
    EXPECT_EQ(Decide(&ciso, a, OrgB()), Decision::kForbidden);
  }
}

TEST(Policy, OnlyCertAnalystsPublishAdvisoriesAndOnlyForTheirOwnCert) {
  Principal national = Member("natcert", OrgKind::kNationalCert, {Role::kAnalyst});
  Principal national_viewer = Member("natcert", OrgKind::kNationalCert, {Role::kViewer});
  Principal sector_cert = Member("fincert", OrgKind::kSectorCert, {Role::kAnalyst});
  Principal regulator = Member("cb", OrgKind::kRegulator, {Role::kAnalyst});
  Principal admin = Person("root", {}, /*is_admin=*/true);
  EXPECT_EQ(Decide(&national, Action::kAdvisoryPublish, {"natcert"}), Decision::kAllow);
  EXPECT_EQ(Decide(&national, Action::kAdvisoryPublish), Decision::kAllow);
  EXPECT_EQ(Decide(&national, Action::kAdvisoryPublish, {"fincert"}), Decision::kForbidden);
  EXPECT_EQ(Decide(&sector_cert, Action::kAdvisoryPublish, {"fincert"}), Decision::kAllow);
  EXPECT_EQ(Decide(&national_viewer, Action::kAdvisoryPublish), Decision::kForbidden);
  EXPECT_EQ(Decide(&regulator, Action::kAdvisoryPublish), Decision::kForbidden);
  EXPECT_EQ(Decide(&admin, Action::kAdvisoryPublish), Decision::kForbidden);
}

TEST(Policy, AdvisoriesAreAcknowledgedAndGroupsKeptOnlyForOnesOwnOrganisation) {
  Principal ciso = Member("bank", OrgKind::kOperator, {Role::kCiso});
  Principal viewer = Member("bank", OrgKind::kOperator, {Role::kViewer});
  EXPECT_EQ(Decide(&ciso, Action::kAdvisoryAck, {"bank"}), Decision::kAllow);
  EXPECT_EQ(Decide(&ciso, Action::kAdvisoryAck, OrgB()), Decision::kForbidden);
  EXPECT_EQ(Decide(&viewer, Action::kAdvisoryAck, {"bank"}), Decision::kForbidden);
  EXPECT_EQ(Decide(&ciso, Action::kShareGroupWrite, {"bank"}), Decision::kAllow);
  EXPECT_EQ(Decide(&ciso, Action::kShareGroupWrite, OrgB()), Decision::kForbidden);
  EXPECT_EQ(Decide(&viewer, Action::kSharedRead), Decision::kAllow);
  Principal nobody = Person("loner", {});
  EXPECT_EQ(Decide(&nobody, Action::kSharedRead), Decision::kForbidden);
}

TEST(Policy, OnlyTheReportingOrganisationsLeadersConsentToSharingACaseWider) {
  const auto parties = FinanceCase();
  for (Role r : {Role::kOrgAdmin, Role::kCiso, Role::kManagement}) {
    Principal p = Member("bank", OrgKind::kOperator, {r});
    EXPECT_EQ(OnCase(p, Action::kIncidentConsent, parties), Decision::kAllow) << Name(r);
  }
  for (Role r : {Role::kReporter, Role::kRiskOwner, Role::kAuditor, Role::kViewer}) {
    Principal p = Member("bank", OrgKind::kOperator, {r});
    EXPECT_EQ(OnCase(p, Action::kIncidentConsent, parties), Decision::kForbidden) << Name(r);
  }
  // The CERTs and the regulator ask; they never consent for the organisation.
  for (const char* org : {"cb", "fincert", "natcert"}) {
    Principal p = Member(org, OrgKind::kNationalCert, {Role::kOrgAdmin, Role::kAnalyst});
    EXPECT_EQ(OnCase(p, Action::kIncidentConsent, parties), Decision::kForbidden) << org;
  }
}

TEST(Policy, ForumPostsSpeakForOnesOwnOrganisationAndCertsModerate) {
  Principal analyst = Member("bank", OrgKind::kOperator, {Role::kAnalyst});
  Principal viewer = Member("bank", OrgKind::kOperator, {Role::kViewer});
  Principal auditor = Member("bank", OrgKind::kOperator, {Role::kAuditor});
  EXPECT_EQ(Decide(&analyst, Action::kForumPost, {"bank"}), Decision::kAllow);
  EXPECT_EQ(Decide(&analyst, Action::kForumPost, OrgB()), Decision::kForbidden);
  EXPECT_EQ(Decide(&viewer, Action::kForumPost, {"bank"}), Decision::kForbidden);
  EXPECT_EQ(Decide(&auditor, Action::kForumPost, {"bank"}), Decision::kForbidden);
  EXPECT_EQ(Decide(&analyst, Action::kForumModerate), Decision::kForbidden);
  Principal cert = Member("fincert", OrgKind::kSectorCert, {Role::kAnalyst});
  EXPECT_EQ(Decide(&cert, Action::kForumModerate, {"fincert"}), Decision::kAllow);
  EXPECT_EQ(Decide(&cert, Action::kForumModerate, {"natcert"}), Decision::kForbidden);
}

TEST(Policy, CertsPublishGuidelinesAndEachOrganisationRecordsItsOwnAdoption) {
  Principal cert = Member("natcert", OrgKind::kNationalCert, {Role::kAnalyst});
  Principal regulator = Member("cb", OrgKind::kRegulator, {Role::kAnalyst});
  Principal ciso = Member("bank", OrgKind::kOperator, {Role::kCiso});
  Principal viewer = Member("bank", OrgKind::kOperator, {Role::kViewer});
  EXPECT_EQ(Decide(&cert, Action::kGuidelinePublish, {"natcert"}), Decision::kAllow);
  EXPECT_EQ(Decide(&regulator, Action::kGuidelinePublish), Decision::kForbidden);
  EXPECT_EQ(Decide(&ciso, Action::kGuidelinePublish), Decision::kForbidden);
  EXPECT_EQ(Decide(&ciso, Action::kGuidelineAdopt, {"bank"}), Decision::kAllow);
  EXPECT_EQ(Decide(&ciso, Action::kGuidelineAdopt, OrgB()), Decision::kForbidden);
  EXPECT_EQ(Decide(&viewer, Action::kGuidelineAdopt, {"bank"}), Decision::kForbidden);
}

}  // namespace
}  // namespace rampart
