// Posture figures of one organisation, as the national level uses them: the share of applicable
// controls implemented (plain and weighted by maturity, from the SoA tables), ISO/IEC 27001
// the charter or policy approved and in date, certification, and open and overdue improvement
// work. The national threat profile calls
// PostureOf per organisation of a sector; the posture route and the cycle board show it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "isms/cycle.h"
#include "isms/policy_docs.h"
#include "platform/db.h"

namespace rampart::isms {

// Over every SoA of the organisation (all frameworks together: each applicable control counts
// once per statement it is assessed in).
Implementation ImplementationOf(db::Tx& tx, const std::string& org_id);

struct Posture {
  std::string organisation_id;
  Implementation implementation;
  std::string certification = "none";  // none, in_progress, certified, expired
  std::optional<Millis> certificate_expires_at;
  PolicyStatus policy;  // an approved charter or policy in date (policy_docs.h)
  std::int64_t open_actions = 0;
  std::int64_t overdue_actions = 0;
  std::int64_t open_findings = 0;
  std::int64_t overdue_evaluations = 0;
};

Posture PostureOf(db::Tx& tx, const std::string& org_id, Millis now);

// The organisation's implementation beside the anonymous average of a sector it belongs to.
struct SectorComparison {
  std::string sector_id;
  std::string sector_name;
  std::int64_t organisations = 0;  // organisations of the sector with applicable controls
  bool withheld = true;            // fewer than the minimum: no average is shown
  std::optional<double> average_implemented_share;
  std::optional<double> average_weighted_share;
};

// One row per sector of the organisation; averages only where at least `min_organisations`
// organisations contribute, so no single organisation's figure can be worked out.
std::vector<SectorComparison> CompareWithSectors(db::Tx& tx, const std::string& org_id,
                                                 int min_organisations);

}  // namespace rampart::isms
