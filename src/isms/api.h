// The ISMS API: frameworks as reference data under /api/v1/frameworks (read by everyone signed
// in, imported by the platform administrator), and each organisation's Statement of Applicability
// under /api/v1/organisations/{id}/soa (nobody outside the organisation).
#pragma once

#include <string>

#include "isms/model.h"
#include "platform/db.h"
#include "platform/router.h"

namespace rampart::isms {

void AddRoutes(Router& router);

// The SoA frozen as management approves it: a JSON document of every entry's state, in framework
// order, built batch by batch. Shared by the approval route and the demo.
std::string VersionDocument(db::Tx& tx, const Soa& soa, std::int64_t number, Millis at,
                            const std::string& by, std::int64_t* entries);

}  // namespace rampart::isms
