// The risk analysis API under /api/v1/organisations/{id}/risk: analyses and their settings,
// assets and the classification view, threats, vulnerabilities, scenarios (the register, the heat
// map, top risks), treatment and acceptance, the action plan, export and import.
#pragma once

#include "platform/router.h"

namespace rampart::risk {

void AddRoutes(Router& router);

// GET /api/v1/risk/catalogue: the built-in threat and vulnerability catalogues (catalogue_api.cc).
// Called by AddRoutes.
void AddCatalogueRoutes(Router& router);

// Snapshots and comparisons, the management summary, the register as CSV and XLSX, the opt-in
// to share statistics and the shared statistics themselves (snapshots_api.cc). Called by
// AddRoutes.
void AddSnapshotRoutes(Router& router);

}  // namespace rampart::risk
