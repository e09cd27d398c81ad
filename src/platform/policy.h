// Authorization, decided here and nowhere else. Every route names the action it performs and the
// resource it performs it on; Decide() allows only what a rule below allows. Handlers that need a
// finer decision (a list filtered to what the caller may see) call Decide() too.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "platform/principal.h"

namespace rampart {

enum class Action : std::uint8_t {
  kPublic,          // no sign-in needed (sign-in itself, health, the OpenAPI document)
  kSelf,            // the caller's own session, profile, password, second factor, tokens
  kDirectoryRead,   // sectors, organisations, MOUs: the community's shared directory
  kSectorWrite,     // create or edit a sector
  kOrgCreate,       // create an organisation
  kOrgUpdate,       // edit an organisation's details            (target: the organisation)
  kOrgClassify,     // change kind, sectors or criticality tier of an organisation
  kPeopleRead,      // see the people of an organisation         (target: the organisation)
  kPeopleWrite,     // add people, change roles, disable         (target: the organisation)
  kUserAdminister,  // reset a password of any person
  kMouWrite,        // create or edit an MOU
  kReferenceRead,   // reference data shared by everyone signed in: taxonomies, reporting profiles
  kAuditRead,       // read the audit log
};

std::string_view Name(Action action);

// What an action is performed on; empty fields mean "not about a particular one".
struct Target {
  std::string org_id;
};

enum class Decision : std::uint8_t { kAllow, kUnauthenticated, kForbidden };

// `principal` is null for an anonymous caller.
Decision Decide(const Principal* principal, Action action, const Target& target = {});

}  // namespace rampart
