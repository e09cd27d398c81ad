// The API of the ISMS cycle under /api/v1/organisations/{id}/isms: scope (design), evaluations of
// the five kinds, findings, improvement actions, automated-control results posted by tools, the
// comparison with the sector, the cycle board, ISO/IEC 27001 certification and the register of
// obligations; the shipped obligations library; and the organisation's posture
// (/api/v1/organisations/{id}/posture), which its sector's regulator and CERT and the national CERT
// may also read.
#pragma once

#include "platform/router.h"

namespace rampart::isms {

void AddCycleRoutes(Router& router);

}  // namespace rampart::isms
