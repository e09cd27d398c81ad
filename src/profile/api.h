// The threat profile's routes: `GET /api/v1/profile/incidents`.
#pragma once

#include "platform/router.h"

namespace rampart::profile {

void AddRoutes(Router& router);

}  // namespace rampart::profile
