// Rampart's risk catalogues: threats and vulnerabilities, written in our own words, with stable
// URNs and families like ISO/IEC 27005's, loaded from catalogues/risk-threats.json and
// catalogues/risk-vulnerabilities.json (embedded in the binary). Each threat says which security
// criteria it affects and which asset types it bears on; each vulnerability, the asset types it
// applies to and the threats it lets happen. Scenario suggestions are drawn from these links.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace rampart::risk {

// The kinds of assets. Primary assets are what the organisation exists for; supporting assets are
// what they rely on.
enum class AssetType : std::uint8_t {
  kBusinessProcess,  // primary
  kInformation,      // primary
  kHardware,
  kSoftware,
  kNetwork,
  kPeople,
  kSite,
  kOrganisation,
};
inline constexpr AssetType kAllAssetTypes[] = {
    AssetType::kBusinessProcess, AssetType::kInformation, AssetType::kHardware,
    AssetType::kSoftware,        AssetType::kNetwork,     AssetType::kPeople,
    AssetType::kSite,            AssetType::kOrganisation};
std::string_view Name(AssetType type);  // "business_process", "information", "hardware", …
std::optional<AssetType> ParseAssetType(std::string_view name);
bool IsPrimary(AssetType type);

// Security criteria a threat can affect.
struct Criteria {
  bool confidentiality = false;
  bool integrity = false;
  bool availability = false;
};

struct ThreatFamily {
  std::string id;  // "physical_damage", "natural_events", "loss_of_essential_services",
                   // "compromise_of_information", "technical_failures", "unauthorised_actions",
                   // "compromise_of_functions"
  std::string name;
  std::string description;
};

struct CatalogueThreat {
  std::string urn;  // "urn:rampart:risk:threat:fire"
  std::string family;
  std::string name;
  std::string description;
  Criteria criteria;
  std::vector<std::string> origins;     // "deliberate", "accidental", "environmental"
  std::vector<AssetType> asset_types;   // the asset types it bears on
};

struct CatalogueVulnerability {
  std::string urn;  // "urn:rampart:risk:vulnerability:unpatched-software"
  std::string name;
  std::string description;
  std::vector<AssetType> asset_types;    // the asset types it can be found in
  std::vector<std::string> threat_urns;  // the threats it lets happen (all in the catalogue)
  std::vector<std::string> controls;     // ISO/IEC 27002:2022 control ids that reduce it, "8.8"
};

class Catalogue final {
 public:
  // The built-in catalogue, parsed and validated on first use. Throws std::logic_error naming the
  // entry at fault if the embedded files are missing or malformed: a build error, not input.
  static const Catalogue& BuiltIn();

  // Parses and validates the two files' texts. URNs are unique; every family, asset type and threat
  // URN a entry names exists; every threat affects at least one criterion and one asset type.
  // Throws std::logic_error naming the entry at fault.
  static Catalogue Parse(std::string_view threats_json, std::string_view vulnerabilities_json);

  [[nodiscard]] const std::string& Version() const { return version_; }
  [[nodiscard]] const std::vector<ThreatFamily>& Families() const { return families_; }
  [[nodiscard]] const std::vector<CatalogueThreat>& Threats() const { return threats_; }
  [[nodiscard]] const std::vector<CatalogueVulnerability>& Vulnerabilities() const {
    return vulnerabilities_;
  }
  // Nullptr when there is no such entry.
  [[nodiscard]] const CatalogueThreat* FindThreat(std::string_view urn) const;
  [[nodiscard]] const CatalogueVulnerability* FindVulnerability(std::string_view urn) const;

  // The (threat, vulnerability) pairs the catalogue suggests for an asset type: the vulnerability
  // applies to the type, and the threat is one it lets happen and bears on the type. In catalogue
  // order, each pair once.
  struct Pair {
    const CatalogueThreat* threat;
    const CatalogueVulnerability* vulnerability;
  };
  [[nodiscard]] std::vector<Pair> Suggestions(AssetType type) const;

 private:
  Catalogue() = default;

  std::string version_;
  std::vector<ThreatFamily> families_;
  std::vector<CatalogueThreat> threats_;
  std::vector<CatalogueVulnerability> vulnerabilities_;
};

}  // namespace rampart::risk
