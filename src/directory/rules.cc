#include "directory/rules.h"

#include <algorithm>

namespace rampart::directory {

std::vector<FieldError> CheckOrganisation(const Organisation& org) {
  std::vector<FieldError> errors;
  if (org.kind != OrgKind::kNationalCert && org.sector_ids.empty()) {
    errors.push_back(
        {"/sector_ids", "must name at least one sector for this kind of organisation"});
  }
  if (org.kind == OrgKind::kSectorCert && org.sector_ids.size() > 1) {
    errors.push_back({"/sector_ids", "a sector CERT serves exactly one sector"});
  }
  auto ids = org.sector_ids;
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    errors.push_back({"/sector_ids", "must not name a sector twice"});
  }
  if (org.criticality_tier && org.kind != OrgKind::kOperator && org.kind != OrgKind::kGovernment) {
    errors.push_back({"/criticality_tier", "applies to operators and government bodies only"});
  }
  return errors;
}

std::vector<FieldError> CheckMou(const Mou& mou, const Organisation* regulator,
                                 const Organisation* cert) {
  std::vector<FieldError> errors;
  if (regulator == nullptr) {
    errors.push_back({"/regulator_id", "no such organisation"});
  } else if (regulator->kind != OrgKind::kRegulator) {
    errors.push_back({"/regulator_id", "must be a regulator"});
  } else if (std::find(regulator->sector_ids.begin(), regulator->sector_ids.end(), mou.sector_id) ==
             regulator->sector_ids.end()) {
    errors.push_back({"/regulator_id", "does not regulate this sector"});
  }
  if (cert == nullptr) {
    errors.push_back({"/national_cert_id", "no such organisation"});
  } else if (cert->kind != OrgKind::kNationalCert) {
    errors.push_back({"/national_cert_id", "must be the national CERT"});
  }
  if (mou.effective_to && *mou.effective_to <= mou.effective_from) {
    errors.push_back({"/effective_to", "must be after effective_from"});
  }
  return errors;
}

bool LeavesAnAdministrator(int active_admins_after) { return active_admins_after > 0; }

ForwardingMode ParseForwardingMode(std::string_view name) {
  for (std::size_t i = 0; i < std::size(kForwardingModes); ++i) {
    if (kForwardingModes[i] == name) return static_cast<ForwardingMode>(i);
  }
  return ForwardingMode::kOnReceipt;
}

std::string_view Name(ForwardingMode mode) { return kForwardingModes[static_cast<int>(mode)]; }

}  // namespace rampart::directory
