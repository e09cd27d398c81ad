#include "cli/routes.h"

#include "directory/api.h"
#include "incidents/api.h"
#include "platform/auth_api.h"
#include "platform/notify_api.h"

namespace rampart {

Router BuildRouter() {
  Router router;
  AddOperationsRoutes(router);
  AddAuthRoutes(router);
  directory::AddRoutes(router);
  incidents::AddRoutes(router);
  notify::AddRoutes(router);
  return router;
}

}  // namespace rampart
