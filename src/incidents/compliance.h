// Reporting compliance: how well organisations and sectors keep the legal clocks. Pure
// aggregation over the cases a caller may see; the API chooses the cases.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "incidents/model.h"

namespace rampart::incidents {

// What compliance needs of one case.
struct ComplianceCase {
  std::string organisation_id;  // "" when the caller holds the case anonymised
  std::string organisation_name;
  std::string sector_id;
  std::string sector_name;
  std::string profile_id;
  const ReportingProfile* profile = nullptr;  // the case's, when the caller resolved it
  Millis aware_at = 0;
  std::optional<Millis> early_warning_at;
  std::optional<Millis> notification_at;
  std::optional<Millis> final_at;
  std::optional<Millis> resolved_at;
  std::optional<Millis> next_due_at;
  bool mandatory = true;  // significant (or not yet known) and not voluntary
};

struct ComplianceFigures {
  std::string id;  // organisation or sector id; "" for the nation
  std::string name;
  int incidents = 0;
  int stages_due = 0;                   // stages whose deadline has passed or that were filed
  int stages_on_time = 0;               // filed by their deadline
  std::optional<double> on_time_share;  // stages_on_time / stages_due
  std::optional<double> median_hours_to_early_warning;
  std::optional<double> median_days_to_final;
  int overdue_now = 0;  // cases with a stage past due now
};

struct Compliance {
  std::vector<ComplianceFigures> organisations;  // by name; anonymised cases count only below
  std::vector<ComplianceFigures> sectors;        // by name
  ComplianceFigures total;
};

Compliance ComputeCompliance(const std::vector<ComplianceCase>& cases, Millis now);

}  // namespace rampart::incidents
