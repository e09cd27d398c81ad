// The directory's HTTP handlers: sectors, organisations, people, MOUs, password resets.
#pragma once

#include "platform/router.h"

namespace rampart::directory {

void AddRoutes(Router& router);

}  // namespace rampart::directory
