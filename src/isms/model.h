// The Statement of Applicability as plain types: one SoA per organisation and framework, one entry
// per assessable requirement, evidence, and the versions management approved.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"

namespace rampart::isms {

enum class Status : std::uint8_t { kNotStarted, kPlanned, kPartial, kImplemented, kNotApplicable };
inline constexpr std::array<Status, 5> kAllStatuses = {Status::kNotStarted, Status::kPlanned,
                                                       Status::kPartial, Status::kImplemented,
                                                       Status::kNotApplicable};
std::string_view Name(Status s);  // "not_started", …
std::optional<Status> ParseStatus(std::string_view name);

// Why a control is included or excluded: the five reasons ISO/IEC 27001 practice names, and text.
struct Justification {
  bool legal = false;
  bool contractual = false;
  bool business = false;
  bool best_practice = false;
  bool risk_analysis = false;
  std::string text;
  bool operator==(const Justification&) const = default;
};

struct Evidence {
  std::string id;
  std::string kind;  // "link" or "file"
  std::optional<std::string> url;
  std::optional<std::string> sha256;
  std::string name;
  std::string media_type;
  std::int64_t size = 0;
  std::string description;
  std::string added_by;
  std::string added_by_name;
  Millis added_at = 0;
};

struct Entry {
  std::string soa_id;
  std::string requirement_id;
  std::int64_t position = 0;
  std::string group;
  std::string title;
  bool applicable = true;
  Justification justification;
  Status status = Status::kNotStarted;
  std::optional<int> maturity;  // 0–5
  std::optional<std::string> owner_id;
  std::string owner_name;  // read with the row
  std::string note;
  std::string updated_by;
  Millis updated_at = 0;
  std::int64_t version = 1;
  std::optional<std::int64_t> approved_version;
  std::int64_t evidence_count = 0;  // read with the row in lists
  std::vector<Evidence> evidence;   // filled by LoadEntry
  std::vector<std::string> risks;   // scenario ids, filled by LoadEntry

  // Whether the entry differs from the SoA's newest approved version; false when none exists.
  [[nodiscard]] bool ChangedSinceApproval(std::int64_t soa_approved) const {
    return soa_approved > 0 && approved_version != version;
  }
};

struct Soa {
  std::string id;
  std::string organisation_id;
  std::string framework_urn;
  std::string framework_ref;
  int framework_revision = 0;
  std::string created_by;
  Millis created_at = 0;
  Millis updated_at = 0;
  std::int64_t version = 1;
  std::int64_t approved = 0;  // newest approved version number, 0 when never approved
};

struct SoaVersion {
  std::string soa_id;
  std::int64_t number = 0;
  std::string document;  // JSON: the SoA as approved
  std::string sha256;
  std::int64_t entries = 0;
  std::string note;
  std::string approved_by;
  std::string approved_by_name;
  Millis approved_at = 0;
};

// How far an SoA has come: entries per status, and the posture figure.
struct Counts {
  std::array<std::int64_t, 5> by_status{};  // indexed by Status
  std::int64_t total = 0;
  std::int64_t applicable = 0;
  std::int64_t changed_since_approval = 0;
  [[nodiscard]] std::int64_t Of(Status s) const { return by_status[static_cast<std::size_t>(s)]; }
};

}  // namespace rampart::isms
