// Who stands where on one case: the caller's relations to it, decided by the policy from the case's
// parties (incident_parties), and loading a case only for those who may see it. Every handler of a
// case (api.cc and the files beside it) goes through LoadCase.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "incidents/model.h"
#include "incidents/rules.h"
#include "incidents/store.h"
#include "platform/context.h"
#include "platform/db.h"
#include "platform/policy.h"

namespace rampart::incidents {

// The caller's standing on one case.
struct Standing {
  std::vector<CaseParty> parties;
  std::vector<Relation> read_as;  // non-empty: the caller may read the case
  bool anonymised = false;        // reads it only as the national CERT holding it anonymised

  [[nodiscard]] bool May(const Principal& p, Action action) const;
  // The timeline entries (and other things marked with a Visibility) the caller reads.
  [[nodiscard]] std::vector<Visibility> Visible() const;
};

Standing StandingOn(const Principal& p, std::vector<CaseParty> parties);

struct Case {
  Incident incident;
  Standing standing;
};

// Loads a case the caller may read, or throws 404: a case one may not read does not exist for
// one. With `action`, also throws 403 unless the caller may perform it.
Case LoadCaseById(db::Tx& tx, const Context& ctx, const std::string& id,
                  std::optional<Action> action = std::nullopt);
// The case named by the path parameter `id`.
Case LoadCase(db::Tx& tx, const Context& ctx, std::optional<Action> action = std::nullopt);

// The organisation through which the caller acts on a case with `action` (for the timeline and for
// what a team keeps for itself, such as tasks).
std::optional<std::string> ActingOrg(const Principal& p, Action action, const Standing& s);

// Which side of the case the caller writes from: the CERTs' or the reporting organisation's.
Side SideOf(const Principal& p, const Standing& s);

}  // namespace rampart::incidents
