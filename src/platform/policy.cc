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
    case Action::kSectorProfileWrite:
      return "sector.profile.write";
    case Action::kReferenceRead:
      return "reference.read";
    case Action::kIncidentFile:
      return "incident.file";
    case Action::kIncidentRead:
      return "incident.read";
    case Action::kIncidentReport:
      return "incident.report";
    case Action::kIncidentComment:
      return "incident.comment";
    case Action::kIncidentForward:
      return "incident.forward";
    case Action::kIncidentRequest:
      return "incident.request";
    case Action::kIncidentHandle:
      return "incident.handle";
    case Action::kIncidentTask:
      return "incident.task";
    case Action::kIncidentAttach:
      return "incident.attach";
    case Action::kIncidentConsent:
      return "incident.consent";
    case Action::kAssistanceAsk:
      return "assistance.ask";
    case Action::kAssistanceRead:
      return "assistance.read";
    case Action::kAssistanceWrite:
      return "assistance.write";
    case Action::kAssistanceHandle:
      return "assistance.handle";
    case Action::kRiskRead:
      return "risk.read";
    case Action::kRiskWrite:
      return "risk.write";
    case Action::kRiskAccept:
      return "risk.accept";
    case Action::kRiskStatsRead:
      return "risk.stats.read";
    case Action::kFrameworkImport:
      return "framework.import";
    case Action::kIsmsRead:
      return "isms.read";
    case Action::kIsmsWrite:
      return "isms.write";
    case Action::kIsmsAudit:
      return "isms.audit";
    case Action::kIsmsApprove:
      return "isms.approve";
    case Action::kShareGroupWrite:
      return "share.group.write";
    case Action::kSharedRead:
      return "shared.read";
    case Action::kAdvisoryPublish:
      return "advisory.publish";
    case Action::kAdvisoryAck:
      return "advisory.ack";
    case Action::kForumPost:
      return "forum.post";
    case Action::kForumModerate:
      return "forum.moderate";
    case Action::kGuidelinePublish:
      return "guideline.publish";
    case Action::kGuidelineAdopt:
      return "guideline.adopt";
    case Action::kProfileRead:
      return "profile.read";
    case Action::kAuditRead:
      return "audit.read";
  }
  return "unknown";
}

std::string_view Name(Relation relation) {
  switch (relation) {
    case Relation::kReporter:
      return "reporter";
    case Relation::kRegulator:
      return "regulator";
    case Relation::kSectorCert:
      return "sector_cert";
    case Relation::kNationalCert:
      return "national_cert";
    case Relation::kNationalCertAnonymised:
      return "national_cert_anonymised";
  }
  return "unknown";
}

std::optional<Relation> ParseRelation(std::string_view name) {
  for (Relation r : kAllRelations) {
    if (Name(r) == name) return r;
  }
  return std::nullopt;
}

bool IsCert(Relation r) {
  return r == Relation::kSectorCert || r == Relation::kNationalCert ||
         r == Relation::kNationalCertAnonymised;
}

namespace {

const RoleSet kOrgAdmin = RoleSet::Of({Role::kOrgAdmin});
const RoleSet kMouEditors = RoleSet::Of({Role::kOrgAdmin, Role::kAnalyst});

// Incident cases. In the reporting organisation, those who report; at the regulator and the
// CERTs, the analysts. Management and auditors follow cases without acting on them.
const RoleSet kReporters = RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kReporter});
const RoleSet kReporterReaders =
    RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kReporter, Role::kManagement, Role::kAuditor});
const RoleSet kAnalysts = RoleSet::Of({Role::kOrgAdmin, Role::kAnalyst});
const RoleSet kAuthorityReaders =
    RoleSet::Of({Role::kOrgAdmin, Role::kAnalyst, Role::kManagement, Role::kAuditor});

// Risk analysis: the CISO and risk owners work on it, management accepts residual risk, everyone
// else of the organisation with a role that reads (auditors, viewers) follows it.
const RoleSet kRiskReaders = RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kRiskOwner,
                                          Role::kManagement, Role::kAuditor, Role::kViewer});
const RoleSet kRiskWriters = RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kRiskOwner});
const RoleSet kRiskAcceptors = RoleSet::Of({Role::kManagement});

// The ISMS: the same readers; the CISO's team edits, auditors and the CISO record evaluations,
// management approves (management commitment is the policy's first section).
const RoleSet kIsmsWriters = kRiskWriters;
const RoleSet kIsmsAuditors = RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kAuditor});

// Sharing: an organisation's groups are kept by its administrators and analysts; acknowledging
// an advisory is done by those who act on it.
const RoleSet kGroupKeepers = RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kAnalyst});
const RoleSet kAcknowledgers =
    RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kRiskOwner, Role::kReporter, Role::kAnalyst});
// Consent to share a case beyond its parties binds the organisation: its head, CISO or management.
const RoleSet kConsenters = RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kManagement});
// The forum speaks for an organisation: everyone with a working role in it, not read-only viewers
// and auditors.
const RoleSet kPosters = RoleSet::Of({Role::kOrgAdmin, Role::kCiso, Role::kRiskOwner,
                                      Role::kReporter, Role::kAnalyst, Role::kManagement});

// Whether the caller is an analyst of a CERT (national or sector), of `org_id` when it is given.
bool CertAnalyst(const Principal& p, const std::string& org_id) {
  for (const auto& m : p.memberships) {
    if (m.kind != OrgKind::kNationalCert && m.kind != OrgKind::kSectorCert) continue;
    if (!m.roles.HasAny(kAnalysts)) continue;
    if (org_id.empty() || m.org_id == org_id) return true;
  }
  return false;
}

bool IsCaseAction(Action action) {
  switch (action) {
    case Action::kIncidentRead:
    case Action::kIncidentReport:
    case Action::kIncidentComment:
    case Action::kIncidentForward:
    case Action::kIncidentRequest:
    case Action::kIncidentHandle:
    case Action::kIncidentTask:
    case Action::kIncidentAttach:
    case Action::kIncidentConsent:
    case Action::kAssistanceRead:
    case Action::kAssistanceWrite:
    case Action::kAssistanceHandle:
      return true;
    default:
      return false;
  }
}

// What the platform administrator may do without a role in the organisation concerned: run the
// platform and its directory. Never read what organisations report, ask or analyse.
bool AdminMay(Action action) {
  switch (action) {
    case Action::kIncidentFile:
    case Action::kAssistanceAsk:
    case Action::kRiskRead:
    case Action::kRiskWrite:
    case Action::kRiskAccept:
    case Action::kRiskStatsRead:
    case Action::kIsmsRead:
    case Action::kIsmsWrite:
    case Action::kIsmsAudit:
    case Action::kIsmsApprove:
    case Action::kShareGroupWrite:
    case Action::kAdvisoryPublish:
    case Action::kAdvisoryAck:
    case Action::kForumPost:
    case Action::kForumModerate:
    case Action::kGuidelinePublish:
    case Action::kGuidelineAdopt:
      return false;
    default:
      return !IsCaseAction(action);
  }
}

// Which roles may perform a case action through one relation; empty: nobody may.
RoleSet CaseRoles(Action action, Relation relation) {
  const bool reporter = relation == Relation::kReporter;
  const bool regulator = relation == Relation::kRegulator;
  switch (action) {
    case Action::kIncidentRead:
      return reporter ? kReporterReaders : kAuthorityReaders;
    case Action::kIncidentReport:
      return reporter ? kReporters : RoleSet{};
    case Action::kIncidentComment:
      return reporter ? kReporters : kAnalysts;
    case Action::kIncidentForward:
      return regulator ? kAnalysts : RoleSet{};
    case Action::kIncidentRequest:
      return reporter ? RoleSet{} : kAnalysts;
    case Action::kIncidentHandle:
      return IsCert(relation) ? kAnalysts : RoleSet{};
    case Action::kIncidentTask:
      // Each team keeps its own tasks; the anonymised CERT works from the CERT's side only.
      if (relation == Relation::kNationalCertAnonymised) return {};
      return reporter ? kReporters : kAnalysts;
    case Action::kIncidentAttach:
      return reporter ? kReporters : kAnalysts;
    case Action::kIncidentConsent:
      return reporter ? kConsenters : RoleSet{};
    // A request for help has two parties: the asking organisation and the CERT asked.
    case Action::kAssistanceRead:
      return reporter ? kReporterReaders : IsCert(relation) ? kAuthorityReaders : RoleSet{};
    case Action::kAssistanceWrite:
      return reporter ? kReporters : IsCert(relation) ? kAnalysts : RoleSet{};
    case Action::kAssistanceHandle:
      return IsCert(relation) ? kAnalysts : RoleSet{};
    default:
      return {};
  }
}

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
    case Action::kSectorProfileWrite:
      // The head of a regulator of the sector sets how it reports, within the law's bounds (the
      // profiles Rampart offers). Without a sector, whether the caller heads any regulator.
      for (const auto& m : p.memberships) {
        if (m.kind != OrgKind::kRegulator || !m.roles.HasAny(kOrgAdmin)) continue;
        if (target.sector_id.empty()) return true;
        for (const auto& s : m.sector_ids) {
          if (s == target.sector_id) return true;
        }
      }
      return false;
    case Action::kIncidentFile:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kReporters);
    case Action::kIncidentRead:
    case Action::kIncidentReport:
    case Action::kIncidentComment:
    case Action::kIncidentForward:
    case Action::kIncidentRequest:
    case Action::kIncidentHandle:
    case Action::kIncidentTask:
    case Action::kIncidentAttach:
    case Action::kIncidentConsent:
    case Action::kAssistanceRead:
    case Action::kAssistanceWrite:
    case Action::kAssistanceHandle:
      // Before the case is known the route lets members of any organisation ask; the handler
      // decides again with the case's parties (see Decide()).
      if (target.parties == nullptr) return !p.memberships.empty();
      return !RelationsFor(p, action, *target.parties).empty();
    case Action::kAssistanceAsk:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kReporters);
    case Action::kRiskRead:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kRiskReaders);
    case Action::kRiskWrite:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kRiskWriters);
    case Action::kRiskAccept:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kRiskAcceptors);
    case Action::kRiskStatsRead:
      for (const auto& m : p.memberships) {
        if (!m.roles.HasAny(kAuthorityReaders)) continue;
        if (m.kind == OrgKind::kNationalCert) return true;
        if (m.kind != OrgKind::kRegulator || target.sector_id.empty()) continue;
        for (const auto& s : m.sector_ids) {
          if (s == target.sector_id) return true;
        }
      }
      return false;
    case Action::kIsmsRead:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kRiskReaders);
    case Action::kIsmsWrite:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kIsmsWriters);
    case Action::kIsmsAudit:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kIsmsAuditors);
    case Action::kIsmsApprove:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kRiskAcceptors);
    case Action::kShareGroupWrite:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kGroupKeepers);
    case Action::kSharedRead:
    case Action::kProfileRead:
      return !p.memberships.empty();
    case Action::kAdvisoryPublish:
    case Action::kForumModerate:
    case Action::kGuidelinePublish:
      // A CERT publishes and moderates; without a target, whether the caller is an analyst at
      // any CERT.
      return CertAnalyst(p, target.org_id);
    case Action::kAdvisoryAck:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kAcknowledgers);
    case Action::kForumPost:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kPosters);
    case Action::kGuidelineAdopt:
      return !target.org_id.empty() && p.HasRoleIn(target.org_id, kIsmsWriters);
    case Action::kSectorWrite:
    case Action::kOrgCreate:
    case Action::kOrgClassify:
    case Action::kUserAdminister:
    case Action::kFrameworkImport:
    case Action::kAuditRead:
      return p.is_admin;
  }
  return false;  // an action without a rule is denied
}

}  // namespace

Decision Decide(const Principal* principal, Action action, const Target& target) {
  if (action == Action::kPublic) return Decision::kAllow;
  if (principal == nullptr) return Decision::kUnauthenticated;
  // Incident cases, requests for help and risk analyses are decided by the caller's relation to
  // them alone: being the platform's administrator gives no access to what organisations report.
  if (principal->is_admin && AdminMay(action)) return Decision::kAllow;
  return Allows(*principal, action, target) ? Decision::kAllow : Decision::kForbidden;
}

std::vector<Relation> RelationsFor(const Principal& principal, Action action,
                                   const std::vector<CaseParty>& parties) {
  std::vector<Relation> out;
  for (const auto& party : parties) {
    if (principal.HasRoleIn(party.org_id, CaseRoles(action, party.relation))) {
      out.push_back(party.relation);
    }
  }
  return out;
}

bool ProfileView::SeesInFull(std::string_view sector_id) const {
  if (national) return true;
  for (const auto& s : full_sectors) {
    if (s == sector_id) return true;
  }
  return false;
}

ProfileView ProfileViewOf(const Principal& principal) {
  // The same people who follow cases at these organisations (kAuthorityReaders, kReporterReaders):
  // the profile is made of those cases.
  ProfileView v;
  for (const auto& m : principal.memberships) {
    if (m.kind == OrgKind::kNationalCert && m.roles.HasAny(kAuthorityReaders)) v.national = true;
    if ((m.kind == OrgKind::kRegulator || m.kind == OrgKind::kSectorCert) &&
        m.roles.HasAny(kAuthorityReaders)) {
      for (const auto& s : m.sector_ids) v.full_sectors.push_back(s);
    }
    if (m.roles.HasAny(kReporterReaders)) v.own_orgs.push_back(m.org_id);
  }
  return v;
}

std::vector<CaseParty> ReadableScopes(const Principal& principal) {
  std::vector<CaseParty> out;
  for (const auto& m : principal.memberships) {
    for (Relation r : kAllRelations) {
      if (m.roles.HasAny(CaseRoles(Action::kIncidentRead, r))) out.push_back({m.org_id, r});
    }
  }
  return out;
}

}  // namespace rampart
