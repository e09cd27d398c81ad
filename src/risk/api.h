// The risk analysis API under /api/v1/organisations/{id}/risk: analyses and their settings,
// assets and the classification view, threats, vulnerabilities, scenarios (the register, the heat
// map, top risks), treatment and acceptance, the action plan, export and import.
#pragma once

#include "platform/router.h"

namespace rampart::risk {

void AddRoutes(Router& router);

}  // namespace rampart::risk
