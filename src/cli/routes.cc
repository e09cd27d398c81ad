#include "cli/routes.h"

#include "directory/api.h"
#include "incidents/api.h"
#include "incidents/assistance.h"
#include "incidents/attachments.h"
#include "isms/api.h"
#include "platform/auth_api.h"
#include "platform/notify_api.h"
#include "profile/api.h"
#include "risk/api.h"
#include "sharing/api.h"

namespace rampart {

Router BuildRouter() {
  Router router;
  AddOperationsRoutes(router);
  AddAuthRoutes(router);
  directory::AddRoutes(router);
  incidents::AddRoutes(router);
  incidents::AddAttachmentRoutes(router);
  incidents::AddAssistanceRoutes(router);
  notify::AddRoutes(router);
  risk::AddRoutes(router);
  sharing::AddRoutes(router);
  isms::AddRoutes(router);
  profile::AddRoutes(router);
  return router;
}

}  // namespace rampart
