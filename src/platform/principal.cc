#include "platform/principal.h"

namespace rampart {

namespace {
constexpr std::string_view kRoleNames[] = {"org_admin", "ciso",    "risk_owner", "reporter",
                                           "analyst",   "auditor", "management", "viewer"};
constexpr std::string_view kKindNames[] = {"operator", "government", "regulator", "sector_cert",
                                           "national_cert"};
}  // namespace

std::string_view Name(Role role) { return kRoleNames[static_cast<int>(role)]; }
std::string_view Name(OrgKind kind) { return kKindNames[static_cast<int>(kind)]; }

std::optional<Role> ParseRole(std::string_view name) {
  for (Role r : kAllRoles) {
    if (Name(r) == name) return r;
  }
  return std::nullopt;
}

std::optional<OrgKind> ParseOrgKind(std::string_view name) {
  for (OrgKind k : kAllOrgKinds) {
    if (Name(k) == name) return k;
  }
  return std::nullopt;
}

std::vector<std::string> RoleSet::Names() const {
  std::vector<std::string> out;
  for (Role r : kAllRoles) {
    if (Has(r)) out.emplace_back(Name(r));
  }
  return out;
}

std::string RoleSet::ToText() const {
  std::string out;
  for (Role r : kAllRoles) {
    if (!Has(r)) continue;
    if (!out.empty()) out.push_back(',');
    out.append(Name(r));
  }
  return out;
}

std::optional<RoleSet> RoleSet::Parse(std::string_view text) {
  RoleSet s;
  while (!text.empty()) {
    auto comma = text.find(',');
    auto part = text.substr(0, comma);
    auto role = ParseRole(part);
    if (!role) return std::nullopt;
    s.Add(*role);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return s;
}

}  // namespace rampart
