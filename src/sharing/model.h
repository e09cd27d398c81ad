// Sharing's plain types (sharing groups, advisories, acknowledgements) and the pure rules on them.
// Who sees any of it is audience.h's decision alone; ItemOf() hands an advisory to it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/clock.h"
#include "sharing/audience.h"
#include "sharing/tlp.h"

namespace rampart::sharing {

// ---- sharing groups ----

struct SharingGroup {
  std::string id;
  std::string owner_org_id;
  std::string name;
  std::string description;
  std::string created_by;
  std::vector<std::string> member_org_ids;  // not the owner, who belongs without a row
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

// ---- advisories ----

enum class Severity : std::uint8_t { kInfo, kLow, kMedium, kHigh, kCritical };
inline constexpr Severity kAllSeverities[] = {Severity::kInfo, Severity::kLow, Severity::kMedium,
                                              Severity::kHigh, Severity::kCritical};
std::string_view Name(Severity severity);
std::optional<Severity> ParseSeverity(std::string_view name);

// A draft is edited; publishing freezes it; a correction is a new revision, and publishing it
// supersedes the one before.
enum class AdvisoryState : std::uint8_t { kDraft, kPublished, kSuperseded };
std::string_view Name(AdvisoryState state);
std::optional<AdvisoryState> ParseAdvisoryState(std::string_view name);

enum class AckState : std::uint8_t { kRead, kApplied, kNotAffected };
inline constexpr AckState kAllAckStates[] = {AckState::kRead, AckState::kApplied,
                                             AckState::kNotAffected};
std::string_view Name(AckState state);
std::optional<AckState> ParseAckState(std::string_view name);

struct AffectedProduct {
  std::string vendor;
  std::string product;
  std::string versions;  // as the vendor states them: "< 9.2.1", "all 7.x"
};

struct AdvisoryObservable {
  std::string type;   // an observable type name of incidents/observables.h
  std::string value;  // normalised
};

struct Advisory {
  std::string id;
  std::string series_id;  // revision 1's id
  std::string reference;  // ADV-2026-0007, the same for every revision
  int revision = 1;
  std::string author_org_id;
  AdvisoryState state = AdvisoryState::kDraft;
  std::string title;
  std::string summary;
  Severity severity = Severity::kMedium;
  std::vector<AffectedProduct> products;
  std::vector<std::string> cve_ids;
  std::string recommended_actions;
  std::vector<AdvisoryObservable> observables;
  Tlp tlp = Tlp::kAmber;
  Distribution distribution = Distribution::kNational;
  std::vector<std::string> sector_ids;
  std::optional<std::string> group_id;
  std::vector<std::string> recipient_org_ids;
  std::vector<std::string> recipient_user_ids;
  std::string changelog;
  std::string created_by;
  std::optional<std::string> published_by;
  std::optional<Millis> published_at;
  std::int64_t version = 1;
  Millis created_at = 0;
  Millis updated_at = 0;
};

struct Acknowledgement {
  std::string id;
  std::string series_id;
  std::string advisory_id;  // the revision acknowledged
  std::string org_id;
  AckState state = AckState::kRead;
  std::string note;
  std::string by_user_id;
  Millis at = 0;
};

// ---- rules (pure) ----

// "ADV-2026-0007": at least four digits, more when a year needs them.
std::string FormatAdvisoryReference(int year, std::int64_t number);

// What the audience engine needs of an advisory, with the passes-on recorded for its series.
Item ItemOf(const Advisory& advisory, const std::vector<PassOn>& passes = {});

// The canonical CVE id ("CVE-2021-44228"), or nullopt when `raw` is not one.
std::optional<std::string> CanonicalCve(std::string_view raw);

}  // namespace rampart::sharing
