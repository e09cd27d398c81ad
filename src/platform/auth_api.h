// Routes for signing in and out, the caller's own profile, second factor and API tokens, the audit
// log, and the operators' endpoints (health, readiness, metrics, the OpenAPI document).
#pragma once

#include "platform/router.h"

namespace rampart {

void AddAuthRoutes(Router& router);
void AddOperationsRoutes(Router& router);

}  // namespace rampart
