// Who is asking: a signed-in person or an API token acting for one, with their roles in each
// organisation they belong to. Built once per request by auth.cc; read by policy.cc.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace rampart {

enum class OrgKind : std::uint8_t {
  kOperator,
  kGovernment,
  kRegulator,
  kSectorCert,
  kNationalCert
};

enum class Role : std::uint8_t {
  kOrgAdmin,
  kCiso,
  kRiskOwner,
  kReporter,
  kAnalyst,
  kAuditor,
  kManagement,
  kViewer,
};

inline constexpr Role kAllRoles[] = {Role::kOrgAdmin,   Role::kCiso,    Role::kRiskOwner,
                                     Role::kReporter,   Role::kAnalyst, Role::kAuditor,
                                     Role::kManagement, Role::kViewer};
inline constexpr OrgKind kAllOrgKinds[] = {OrgKind::kOperator, OrgKind::kGovernment,
                                           OrgKind::kRegulator, OrgKind::kSectorCert,
                                           OrgKind::kNationalCert};

std::string_view Name(Role role);     // "org_admin", "ciso", …
std::string_view Name(OrgKind kind);  // "operator", "sector_cert", …
std::optional<Role> ParseRole(std::string_view name);
std::optional<OrgKind> ParseOrgKind(std::string_view name);

// A small set of roles, stored as a bit mask.
class RoleSet {
 public:
  RoleSet() = default;
  static RoleSet Of(std::initializer_list<Role> roles) {
    RoleSet s;
    for (Role r : roles) s.Add(r);
    return s;
  }
  void Add(Role r) { bits_ |= Bit(r); }
  [[nodiscard]] bool Has(Role r) const { return (bits_ & Bit(r)) != 0; }
  [[nodiscard]] bool HasAny(RoleSet other) const { return (bits_ & other.bits_) != 0; }
  [[nodiscard]] bool empty() const { return bits_ == 0; }
  [[nodiscard]] std::vector<std::string> Names() const;
  // Comma-separated names, the stored form ("ciso,org_admin"); Parse returns nullopt on an unknown
  // name.
  [[nodiscard]] std::string ToText() const;
  static std::optional<RoleSet> Parse(std::string_view text);

 private:
  static std::uint16_t Bit(Role r) { return static_cast<std::uint16_t>(1u << static_cast<int>(r)); }
  std::uint16_t bits_ = 0;
};

struct Membership {
  std::string org_id;
  OrgKind kind = OrgKind::kOperator;
  std::vector<std::string> sector_ids;
  RoleSet roles;
};

struct Principal {
  enum class Via : std::uint8_t { kSession, kToken };

  std::string user_id;
  std::string username;
  std::string display_name;
  bool is_admin = false;  // the platform `admin` role
  std::vector<Membership> memberships;
  Via via = Via::kSession;
  std::string csrf_token;    // sessions only
  std::string session_hash;  // sessions only: the stored digest of the cookie token

  [[nodiscard]] const Membership* MemberOf(std::string_view org_id) const {
    for (const auto& m : memberships) {
      if (m.org_id == org_id) return &m;
    }
    return nullptr;
  }
  [[nodiscard]] bool HasRoleIn(std::string_view org_id, RoleSet roles) const {
    const Membership* m = MemberOf(org_id);
    return m != nullptr && m->roles.HasAny(roles);
  }
  [[nodiscard]] bool InKind(OrgKind kind, RoleSet roles) const {
    for (const auto& m : memberships) {
      if (m.kind == kind && m.roles.HasAny(roles)) return true;
    }
    return false;
  }
};

}  // namespace rampart
