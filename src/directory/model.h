// The directory's plain types: sectors, organisations, people's roles, and MOUs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "platform/clock.h"
#include "platform/principal.h"

namespace rampart::directory {

struct Sector {
  std::string id;
  std::string slug;
  std::string name;
  std::string description;
  std::string reporting_profile = "nis2-default";  // set by the sector's regulator
  std::int64_t organisation_count = 0;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

inline constexpr std::string_view kSizeClasses[] = {"micro", "small", "medium", "large"};

struct Organisation {
  std::string id;
  std::string name;
  std::string short_name;
  OrgKind kind = OrgKind::kOperator;
  std::vector<std::string> sector_ids;
  std::optional<int> criticality_tier;    // 1 (most critical) to 3
  std::optional<std::string> size_class;  // one of kSizeClasses
  std::optional<std::string> website;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// How a regulator hands incident reports to the national CERT under their MOU.
enum class ForwardingMode : std::uint8_t { kOnReceipt, kAfterReview, kAnonymised };
inline constexpr std::string_view kForwardingModes[] = {"on_receipt", "after_review", "anonymised"};

struct Mou {
  std::string id;
  std::string sector_id;
  std::string regulator_id;
  std::string national_cert_id;
  ForwardingMode mode = ForwardingMode::kOnReceipt;
  int forward_within_hours = 24;
  Millis effective_from = 0;
  std::optional<Millis> effective_to;
  std::string notes;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

}  // namespace rampart::directory
