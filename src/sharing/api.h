// Sharing's HTTP routes: sharing groups (groups_api.cc), advisories with their acknowledgements
// and the audience preview (advisories_api.cc). Every read of a shared item asks the audience
// engine (audience.h); an item the caller may not see answers 404, so existence never leaks.
#pragma once

#include "platform/db.h"
#include "platform/router.h"

namespace rampart::sharing {

// GET /api/v1/sharing-groups, GET /api/v1/sharing-groups/{id}, and the owner's
// /api/v1/organisations/{id}/sharing-groups… (create, edit, delete, members).
void AddGroupRoutes(Router& router);
// /api/v1/advisories…, /api/v1/organisations/{id}/advisories…, acknowledgements, passes-on and
// POST /api/v1/sharing/audience-preview.
void AddAdvisoryRoutes(Router& router);
// The disclosure protocol (disclosure_api.cc): /api/v1/incidents/{id}/share-requests… (ask,
// change, answer, withdraw, publish) and the published /api/v1/shared-incidents….
void AddDisclosureRoutes(Router& router);
// TAXII 2.1 under /taxii2/ (taxii_api.cc), GET /api/v1/techniques (imported ATT&CK techniques)
// and GET /api/v1/organisations/{id}/stix-bundle (the STIX export).
void AddTaxiiRoutes(Router& router);
// The guidelines library (guidelines_api.cc): /api/v1/guidelines…, the CERT's
// /api/v1/organisations/{id}/guidelines… and adoptions.
void AddGuidelineRoutes(Router& router);

inline void AddRoutes(Router& router) {
  AddGroupRoutes(router);
  AddAdvisoryRoutes(router);
  AddDisclosureRoutes(router);
  AddTaxiiRoutes(router);
  AddGuidelineRoutes(router);
}

}  // namespace rampart::sharing
