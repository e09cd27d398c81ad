// The audience engine: the one place that decides who sees a shared item (an advisory today; forum
// posts, guidelines, exports and feeds later). Handlers, lists, notifications and previews ask it;
// none re-implements it. It is a pure function over plain data: the caller loads the item, the
// viewer and the directory (organisations, their sectors, sharing groups and their members) and
// the engine decides, so membership is always read at decision time and never copied into items.
//
// The audience of an item is the INTERSECTION of three reaches, plus its author's organisation,
// which always sees its own item:
//
//   TLP 2.0 label       who the label lets in
//   ------------------  ---------------------------------------------------------------------
//   TLP:CLEAR           anyone, anonymous callers of public pages included
//   TLP:GREEN           any organisation of the platform (the distribution names the community)
//   TLP:AMBER           the recipient organisations, and organisations a recipient organisation
//                       (or the author) explicitly passed the item on to (recorded PassOn)
//   TLP:AMBER+STRICT    the recipient organisations only
//   TLP:RED             the named recipient people only (not their colleagues)
//
//   distribution        who the distribution lets in
//   ------------------  ---------------------------------------------------------------------
//   organisation        nobody beyond the author's organisation
//   sector              organisations sharing at least one of the item's sectors
//   national            every organisation of the platform
//   public              anyone, anonymous callers included
//
//   sharing group       none: no limit; a group: its owner and its member organisations now
//
// A person sees an item when they belong to its author's organisation, or when ONE of their
// organisations is let in by all three (for RED, the person must also be named). An anonymous
// caller sees only CLEAR items distributed publicly without a group. The platform administrator is
// a member of no organisation by that role, so sees what an anonymous caller sees, plus what their
// own memberships let in.
//
// CheckShare() refuses, with a reason for people, an item whose parts contradict each other or
// whose distribution is wider than its label allows:
//   * public distribution needs TLP:CLEAR, and no sharing group (public cannot be limited);
//   * sector distribution needs at least one sector;
//   * AMBER and AMBER+STRICT need recipient organisations, RED recipient people; other labels take
//     neither, and only RED takes people (a label never silently ignores what was asked of it);
//   * every recipient (organisation, or person through one of their organisations) must lie within
//     the distribution and the group: a recipient the intersection would drop is a mistake to show;
//   * the group must be one the author's organisation owns or belongs to.
// A narrower share than the label (CLEAR to one sector) is always fine.
// CheckPassOn() says whether an organisation may pass an AMBER item on to another.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "platform/clock.h"
#include "sharing/tlp.h"

namespace rampart::sharing {

enum class Distribution : std::uint8_t { kOrganisation, kSector, kNational, kPublic };
inline constexpr Distribution kAllDistributions[] = {Distribution::kOrganisation,
                                                     Distribution::kSector, Distribution::kNational,
                                                     Distribution::kPublic};
std::string_view Name(Distribution distribution);  // "organisation", "sector", "national", "public"
std::optional<Distribution> ParseDistribution(std::string_view name);

// An AMBER item passed on by an organisation to another it serves, on a need-to-know basis.
struct PassOn {
  std::string from_org_id;
  std::string to_org_id;
  std::string by_user_id;
  Millis at = 0;
};

// What the engine needs of a shared item.
struct Item {
  std::string author_org_id;
  Tlp tlp = Tlp::kRed;
  Distribution distribution = Distribution::kOrganisation;
  std::vector<std::string> sector_ids;          // for Distribution::kSector
  std::optional<std::string> group_id;          // a sharing group, or none
  std::vector<std::string> recipient_org_ids;   // AMBER, AMBER+STRICT
  std::vector<std::string> recipient_user_ids;  // RED
  std::vector<PassOn> passed_on;                // AMBER
};

// Who asks. An anonymous caller has no user id and no organisations.
struct Viewer {
  std::string user_id;
  std::vector<std::string> org_ids;  // the organisations the person is a member of
};

struct Group {
  std::string owner_org_id;
  std::unordered_set<std::string> member_org_ids;
};

// The directory as it stands now.
struct Directory {
  // Every organisation of the platform, with its sectors.
  std::unordered_map<std::string, std::vector<std::string>> org_sectors;
  // Every sharing group an item may name, by id.
  std::unordered_map<std::string, Group> groups;
  // The organisations of each person (active members); needed for RED previews, notifications
  // and CheckShare's recipient rule, not for MaySee (the viewer brings their own).
  std::unordered_map<std::string, std::vector<std::string>> person_orgs;
};

// Whether `viewer` may see `item`.
bool MaySee(const Item& item, const Viewer& viewer, const Directory& directory);

// For lists: the indexes of `items` that `viewer` may see, in order. Same answers as MaySee.
std::vector<std::size_t> FilterVisible(const std::vector<const Item*>& items, const Viewer& viewer,
                                       const Directory& directory);

// The organisations (of `directory`) the item reaches, the author's first, then by id. For RED,
// an organisation is reached only through its named people (see AudiencePeople).
std::vector<std::string> AudienceOrgs(const Item& item, const Directory& directory);

// For RED: the named people who may see the item (those the distribution and group let in through
// one of their organisations), in the order named. Empty for other labels: their audience is
// organisations, and each organisation decides which of its people act on an item.
std::vector<std::string> AudiencePeople(const Item& item, const Directory& directory);

// Why the item may not be shared as it is (see the header comment), or nullopt when it may.
struct Refusal {
  std::string field;   // the part at fault: "tlp", "distribution", "sector_ids", "group_id", …
  std::string reason;  // a sentence for people
};
std::optional<Refusal> CheckShare(const Item& item, const Directory& directory);

// Why `from_org_id` may not pass `item` on to `to_org_id`, or nullopt when it may: only AMBER
// items, only by a recipient organisation (or the author), only to an organisation of the
// platform within the item's distribution and group, and not to one that sees it already.
std::optional<Refusal> CheckPassOn(const Item& item, std::string_view from_org_id,
                                   std::string_view to_org_id, const Directory& directory);

}  // namespace rampart::sharing
