// Routes for notifications: the caller's in-app list and a test e-mail to themselves, and the
// webhooks an organisation's administrators set up (with a ping to try one).
#pragma once

#include "platform/router.h"

namespace rampart::notify {

void AddRoutes(Router& router);

}  // namespace rampart::notify
