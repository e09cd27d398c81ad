#include "incidents/access.h"

#include <algorithm>

#include "platform/problem.h"

namespace rampart::incidents {

bool Standing::May(const Principal& p, Action action) const {
  return Decide(&p, action, {.parties = &parties}) == Decision::kAllow;
}

std::vector<Visibility> Standing::Visible() const {
  std::vector<Visibility> out;
  for (Visibility v : {Visibility::kAll, Visibility::kAuthorities, Visibility::kCerts}) {
    if (std::any_of(read_as.begin(), read_as.end(), [&](Relation r) { return Reads(r, v); })) {
      out.push_back(v);
    }
  }
  return out;
}

Standing StandingOn(const Principal& p, std::vector<CaseParty> parties) {
  Standing s;
  s.parties = std::move(parties);
  s.read_as = RelationsFor(p, Action::kIncidentRead, s.parties);
  s.anonymised = !s.read_as.empty() &&
                 std::all_of(s.read_as.begin(), s.read_as.end(),
                             [](Relation r) { return r == Relation::kNationalCertAnonymised; });
  return s;
}

Case LoadCaseById(db::Tx& tx, const Context& ctx, const std::string& id,
                  std::optional<Action> action) {
  auto incident = FindIncident(tx, id);
  if (!incident) throw NotFound("incident");
  Standing standing = StandingOn(ctx.caller(), PartiesOf(tx, id));
  if (standing.read_as.empty()) throw NotFound("incident");
  if (action && !standing.May(ctx.caller(), *action)) {
    throw Forbidden("Your organisation's part in this case does not let you do this.");
  }
  return {std::move(*incident), std::move(standing)};
}

Case LoadCase(db::Tx& tx, const Context& ctx, std::optional<Action> action) {
  return LoadCaseById(tx, ctx, ctx.IdParam("id", "incident"), action);
}

std::optional<std::string> ActingOrg(const Principal& p, Action action, const Standing& s) {
  for (const auto& party : s.parties) {
    std::vector<CaseParty> one = {party};
    if (Decide(&p, action, {.parties = &one}) == Decision::kAllow) return party.org_id;
  }
  return std::nullopt;
}

Side SideOf(const Principal& p, const Standing& s) {
  return s.May(p, Action::kIncidentHandle) ? Side::kCert : Side::kReporter;
}

}  // namespace rampart::incidents
