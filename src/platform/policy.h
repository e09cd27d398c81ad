// Authorization, decided here and nowhere else. Every route names the action it performs and the
// resource it performs it on; Decide() allows only what a rule below allows. Handlers that need a
// finer decision (a list filtered to what the caller may see) call Decide() too.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/principal.h"

namespace rampart {

enum class Action : std::uint8_t {
  kPublic,              // no sign-in needed (sign-in itself, health, the OpenAPI document)
  kSelf,                // the caller's own session, profile, password, second factor, tokens
  kDirectoryRead,       // sectors, organisations, MOUs: the community's shared directory
  kSectorWrite,         // create or edit a sector
  kOrgCreate,           // create an organisation
  kOrgUpdate,           // edit an organisation's details            (target: the organisation)
  kOrgClassify,         // change kind, sectors or criticality tier of an organisation
  kPeopleRead,          // see the people of an organisation         (target: the organisation)
  kPeopleWrite,         // add people, change roles, disable         (target: the organisation)
  kUserAdminister,      // reset a password of any person
  kMouWrite,            // create or edit an MOU
  kSectorProfileWrite,  // choose the reporting profile of a sector: its regulator  (target: sector)
  kReferenceRead,  // reference data shared by everyone signed in: taxonomies, reporting profiles
  // Incident cases. Without a case (`Target::parties` null) these say only whether the caller may
  // ask at all; with one, the caller's relation to the case decides.
  kIncidentFile,     // file an incident for an organisation        (target: the reporting
                     // organisation)
  kIncidentRead,     // see a case: its reports, timeline, observables
  kIncidentReport,   // add stage reports and observables: the reporting organisation
  kIncidentComment,  // comment on a case
  kIncidentForward,  // hand a report over to the national CERT: the sector's regulator
  kIncidentRequest,  // ask the reporting organisation for an intermediate report: regulator, CERTs
  kIncidentHandle,   // triage, state changes, assignment, links and merges: the CERTs
  kIncidentTask,     // tasks on a case, each kept by one party's team
  kIncidentAttach,   // attach a file to a case
  kIncidentConsent,  // consent to (or refuse) sharing a case wider: the reporting organisation's
                     // head, CISO or management; a CERT asks for it with kIncidentHandle
  // Requests for help from an organisation to its sector CERT or the national CERT. kAssistanceAsk
  // targets the asking organisation; the others, like case actions, the request's two parties
  // (the asking organisation as kReporter, the CERT as kSectorCert or kNationalCert).
  kAssistanceAsk,     // ask a CERT for help                       (target: the asking organisation)
  kAssistanceRead,    // see a request and its conversation
  kAssistanceWrite,   // add to the conversation
  kAssistanceHandle,  // accept, assign, change state: the CERT's analysts
  // An organisation's own risk analysis: nobody outside it, the platform administrator included.
  kRiskRead,    // assets, scenarios, register, heat map    (target: the organisation)
  kRiskWrite,   // change the analysis                       (target: the organisation)
  kRiskAccept,  // accept residual risk: management          (target: the organisation)
  // The anonymous risk statistics organisations opted to share: a sector's regulator reads its
  // sector's, the national CERT every sector's. (target: the sector; without one: all sectors)
  kRiskStatsRead,
  // The ISMS of an organisation: Statement of Applicability, charter and policy, the cycle, its
  // evaluations and findings. Like risk, nobody outside the organisation. Frameworks themselves
  // are reference data (kReferenceRead); loading a new one is the administrator's.
  kFrameworkImport,  // import a framework (OSCAL catalog or library file)
  kIsmsRead,         // read the organisation's ISMS              (target: the organisation)
  kIsmsWrite,        // edit SoA, policy drafts, cycle, actions   (target: the organisation)
  kIsmsAudit,        // record evaluations and findings           (target: the organisation)
  kIsmsApprove,      // approve SoA and policy versions: management (target: the organisation)
  // Sharing. Who sees a shared item is the audience engine's decision (sharing/audience.h); these
  // say only who may act at all.
  kShareGroupWrite,   // create and edit the sharing groups an organisation owns (target: the owner)
  kSharedRead,        // read shared items: advisories, forum, guidelines; the engine filters each
  kAdvisoryPublish,   // write and publish advisories: a CERT's analysts (target: the CERT)
  kAdvisoryAck,       // acknowledge an advisory for an organisation (target: that organisation)
  kForumPost,         // post in the sharing forum on behalf of an organisation (target: it)
  kForumModerate,     // hide posts, lock threads: a CERT's analysts (target: the CERT)
  kGuidelinePublish,  // write and publish guidelines and best practice: a CERT's analysts
  kGuidelineAdopt,  // record an organisation's adoption of a guideline (target: that organisation)
  // The national threat profile: anyone signed in asks; ProfileViewOf() says how much they see.
  kProfileRead,
  kAuditRead,  // read the audit log
};

std::string_view Name(Action action);

// How an organisation stands to an incident case. The reporting organisation, its sector's
// regulators and CERT hold a case from the start; the national CERT as the sector's MOU says, in
// full or anonymised (the organisation replaced by its sector and size class).
enum class Relation : std::uint8_t {
  kReporter,
  kRegulator,
  kSectorCert,
  kNationalCert,
  kNationalCertAnonymised,
};
inline constexpr Relation kAllRelations[] = {Relation::kReporter, Relation::kRegulator,
                                             Relation::kSectorCert, Relation::kNationalCert,
                                             Relation::kNationalCertAnonymised};
std::string_view Name(Relation relation);  // "reporter", "regulator", …
std::optional<Relation> ParseRelation(std::string_view name);

// The sector CERT and the national CERT, however it holds the case.
bool IsCert(Relation relation);

struct CaseParty {
  std::string org_id;
  Relation relation = Relation::kReporter;
};

// What an action is performed on; empty fields mean "not about a particular one".
struct Target {
  std::string org_id;
  std::string sector_id;
  const std::vector<CaseParty>* parties = nullptr;  // the organisations holding an incident case
};

enum class Decision : std::uint8_t { kAllow, kUnauthenticated, kForbidden };

// `principal` is null for an anonymous caller.
Decision Decide(const Principal* principal, Action action, const Target& target = {});

// The relations through which the caller may perform `action` on a case (empty: it may not).
// A caller who may read a case only as kNationalCertAnonymised sees it anonymised.
std::vector<Relation> RelationsFor(const Principal& principal, Action action,
                                   const std::vector<CaseParty>& parties);

// How much of the national threat profile a person sees. The national CERT sees every figure in
// full; a regulator or sector CERT sees its sectors in full; everyone else (operators, their own
// sector's figures included) sees aggregates in which small cells are withheld. `own_orgs` are
// the organisations whose own figures the person may see beside the aggregates.
struct ProfileView {
  bool national = false;
  std::vector<std::string> full_sectors;
  std::vector<std::string> own_orgs;
  [[nodiscard]] bool SeesInFull(std::string_view sector_id) const;
};
ProfileView ProfileViewOf(const Principal& principal);

// For lists: each (organisation, relation) through which the caller may read cases. A case is
// listed when one of its parties is among them; Decide() agrees on every case so listed.
std::vector<CaseParty> ReadableScopes(const Principal& principal);

}  // namespace rampart
