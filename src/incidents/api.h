// Incident reporting's HTTP handlers. So far the reference data reporters classify and time their
// reports by: the ENISA RSIT taxonomy and the reporting profiles.
#pragma once

#include "platform/router.h"

namespace rampart::incidents {

void AddRoutes(Router& router);

}  // namespace rampart::incidents
