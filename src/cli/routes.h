// Every route of the application, from every domain: the one table the server, the OpenAPI test
// and the access test all read.
#pragma once

#include "platform/router.h"

namespace rampart {

Router BuildRouter();

}  // namespace rampart
