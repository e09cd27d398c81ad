// The directory's decisions, free of I/O: what makes an organisation, a membership or an MOU valid.
// Each returns the list of problems found (empty when valid), as field errors.
#pragma once

#include <vector>

#include "directory/model.h"
#include "platform/problem.h"

namespace rampart::directory {

// Every kind but the national CERT belongs to at least one sector; a sector CERT serves one.
std::vector<FieldError> CheckOrganisation(const Organisation& org);

// What an MOU needs of the organisations it binds. `regulator` and `cert` are null when missing.
std::vector<FieldError> CheckMou(const Mou& mou, const Organisation* regulator,
                                 const Organisation* cert);

// A change of roles or disabling must leave the organisation at least one active org_admin,
// so nobody locks an organisation out of its own administration. `active_admins_after` counts
// the active org_admins there would be after the change.
bool LeavesAnAdministrator(int active_admins_after);

ForwardingMode ParseForwardingMode(std::string_view name);
std::string_view Name(ForwardingMode mode);

}  // namespace rampart::directory
