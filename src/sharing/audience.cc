#include "sharing/audience.h"

#include <algorithm>

namespace rampart::sharing {

namespace {

bool Contains(const std::vector<std::string>& list, std::string_view value) {
  return std::find(list.begin(), list.end(), value) != list.end();
}

bool IsPlatformOrg(const Directory& d, const std::string& org) {
  return d.org_sectors.contains(org);
}

// Whether the item's distribution lets organisation `org` in.
bool DistributionLets(const Item& item, const std::string& org, const Directory& d) {
  switch (item.distribution) {
    case Distribution::kOrganisation:
      return org == item.author_org_id;
    case Distribution::kSector: {
      auto it = d.org_sectors.find(org);
      if (it == d.org_sectors.end()) return false;
      for (const auto& s : it->second) {
        if (Contains(item.sector_ids, s)) return true;
      }
      return false;
    }
    case Distribution::kNational:
      return IsPlatformOrg(d, org);
    case Distribution::kPublic:
      return true;
  }
  return false;
}

// Whether the item's sharing group (if any) lets `org` in: its owner and members as they are now.
// A group that no longer exists lets nobody in: the item falls back to its author alone.
bool GroupLets(const Item& item, const std::string& org, const Directory& d) {
  if (!item.group_id) return true;
  auto it = d.groups.find(*item.group_id);
  if (it == d.groups.end()) return false;
  return it->second.owner_org_id == org || it->second.member_org_ids.contains(org);
}

bool PassedOnTo(const Item& item, const std::string& org) {
  for (const auto& p : item.passed_on) {
    // Only a pass made by a recipient organisation (or the author) counts: an organisation that
    // was passed the item serves its own clients no further.
    if (p.to_org_id == org &&
        (p.from_org_id == item.author_org_id || Contains(item.recipient_org_ids, p.from_org_id))) {
      return true;
    }
  }
  return false;
}

// Whether the label lets organisation `org` in; never for RED, whose audience is people.
bool LabelLetsOrg(const Item& item, const std::string& org, const Directory& d) {
  switch (item.tlp) {
    case Tlp::kClear:
      return true;
    case Tlp::kGreen:
      return IsPlatformOrg(d, org);
    case Tlp::kAmber:
      return Contains(item.recipient_org_ids, org) || PassedOnTo(item, org);
    case Tlp::kAmberStrict:
      return Contains(item.recipient_org_ids, org);
    case Tlp::kRed:
      return false;
  }
  return false;
}

bool CommunityLets(const Item& item, const std::string& org, const Directory& d) {
  return DistributionLets(item, org, d) && GroupLets(item, org, d);
}

bool OpenToEveryone(const Item& item) {
  return item.tlp == Tlp::kClear && item.distribution == Distribution::kPublic && !item.group_id;
}

Refusal Refuse(std::string field, std::string reason) {
  return Refusal{std::move(field), std::move(reason)};
}

std::string LabelText(Tlp tlp) { return std::string(Label(tlp)); }

}  // namespace

std::string_view Name(Distribution distribution) {
  switch (distribution) {
    case Distribution::kOrganisation:
      return "organisation";
    case Distribution::kSector:
      return "sector";
    case Distribution::kNational:
      return "national";
    case Distribution::kPublic:
      return "public";
  }
  return "organisation";
}

std::optional<Distribution> ParseDistribution(std::string_view name) {
  for (Distribution d : kAllDistributions) {
    if (Name(d) == name) return d;
  }
  return std::nullopt;
}

bool MaySee(const Item& item, const Viewer& viewer, const Directory& directory) {
  if (OpenToEveryone(item)) return true;
  if (Contains(viewer.org_ids, item.author_org_id)) return true;
  const bool red = item.tlp == Tlp::kRed;
  if (red && (viewer.user_id.empty() || !Contains(item.recipient_user_ids, viewer.user_id))) {
    return false;
  }
  for (const auto& org : viewer.org_ids) {
    if (!CommunityLets(item, org, directory)) continue;
    if (red || LabelLetsOrg(item, org, directory)) return true;
  }
  return false;
}

std::vector<std::size_t> FilterVisible(const std::vector<const Item*>& items, const Viewer& viewer,
                                       const Directory& directory) {
  std::vector<std::size_t> out;
  out.reserve(items.size());
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i] != nullptr && MaySee(*items[i], viewer, directory)) out.push_back(i);
  }
  return out;
}

std::vector<std::string> AudiencePeople(const Item& item, const Directory& directory) {
  std::vector<std::string> out;
  if (item.tlp != Tlp::kRed) return out;
  for (const auto& user : item.recipient_user_ids) {
    if (Contains(out, user)) continue;
    auto it = directory.person_orgs.find(user);
    if (it == directory.person_orgs.end()) continue;
    for (const auto& org : it->second) {
      if (CommunityLets(item, org, directory)) {
        out.push_back(user);
        break;
      }
    }
  }
  return out;
}

std::vector<std::string> AudienceOrgs(const Item& item, const Directory& directory) {
  std::vector<std::string> out;
  if (item.tlp == Tlp::kRed) {
    for (const auto& user : AudiencePeople(item, directory)) {
      for (const auto& org : directory.person_orgs.at(user)) {
        if (org != item.author_org_id && CommunityLets(item, org, directory) &&
            !Contains(out, org)) {
          out.push_back(org);
        }
      }
    }
  } else {
    for (const auto& [org, sectors] : directory.org_sectors) {
      if (org == item.author_org_id) continue;
      if (CommunityLets(item, org, directory) && LabelLetsOrg(item, org, directory)) {
        out.push_back(org);
      }
    }
  }
  std::sort(out.begin(), out.end());
  out.insert(out.begin(), item.author_org_id);
  return out;
}

std::optional<Refusal> CheckShare(const Item& item, const Directory& directory) {
  const std::string label = LabelText(item.tlp);
  if (!IsPlatformOrg(directory, item.author_org_id)) {
    return Refuse("author_org_id", "is not an organisation of the platform");
  }
  if (item.distribution == Distribution::kPublic && item.tlp != Tlp::kClear) {
    return Refuse("distribution", label +
                                      " may not be distributed publicly: only TLP:CLEAR items "
                                      "reach the public. Choose a narrower distribution or "
                                      "relabel the item TLP:CLEAR if it truly may be published.");
  }
  if (item.distribution == Distribution::kPublic && item.group_id) {
    return Refuse("group_id",
                  "a public item cannot be limited to a sharing group; choose the national, "
                  "sector or organisation distribution to share within a group");
  }
  if (item.distribution == Distribution::kSector && item.sector_ids.empty()) {
    return Refuse("sector_ids", "name at least one sector for a sector distribution");
  }
  if (item.distribution != Distribution::kSector && !item.sector_ids.empty()) {
    return Refuse("sector_ids", "only a sector distribution names sectors");
  }
  if (item.group_id) {
    auto it = directory.groups.find(*item.group_id);
    if (it == directory.groups.end() || (it->second.owner_org_id != item.author_org_id &&
                                         !it->second.member_org_ids.contains(item.author_org_id))) {
      return Refuse("group_id", "is not a sharing group your organisation owns or belongs to");
    }
  }
  switch (item.tlp) {
    case Tlp::kClear:
    case Tlp::kGreen:
      if (!item.recipient_org_ids.empty() || !item.recipient_user_ids.empty()) {
        return Refuse(item.recipient_org_ids.empty() ? "recipient_user_ids" : "recipient_org_ids",
                      label +
                          " reaches its whole community; recipients are named only for "
                          "TLP:AMBER and TLP:AMBER+STRICT (organisations) and TLP:RED (people)");
      }
      return std::nullopt;
    case Tlp::kAmber:
    case Tlp::kAmberStrict:
      if (!item.recipient_user_ids.empty()) {
        return Refuse("recipient_user_ids",
                      "only TLP:RED names people; " + label + " reaches organisations");
      }
      if (item.recipient_org_ids.empty()) {
        return Refuse("recipient_org_ids", label + " needs at least one recipient organisation");
      }
      for (const auto& org : item.recipient_org_ids) {
        if (!IsPlatformOrg(directory, org)) {
          return Refuse("recipient_org_ids", "names an organisation that is not on the platform");
        }
        if (!CommunityLets(item, org, directory)) {
          return Refuse("recipient_org_ids",
                        "names an organisation outside the item's distribution or sharing group; "
                        "it would not receive the item");
        }
      }
      return std::nullopt;
    case Tlp::kRed:
      if (!item.recipient_org_ids.empty()) {
        return Refuse("recipient_org_ids",
                      "TLP:RED is for named people only; name the people, not organisations");
      }
      if (item.recipient_user_ids.empty()) {
        return Refuse("recipient_user_ids", "TLP:RED needs at least one named recipient person");
      }
      for (const auto& user : item.recipient_user_ids) {
        auto it = directory.person_orgs.find(user);
        if (it == directory.person_orgs.end()) {
          return Refuse("recipient_user_ids",
                        "names a person who is not an active member of an organisation");
        }
        bool reached = false;
        for (const auto& org : it->second) reached = reached || CommunityLets(item, org, directory);
        if (!reached) {
          return Refuse("recipient_user_ids",
                        "names a person none of whose organisations is within the item's "
                        "distribution or sharing group; they would not receive the item");
        }
      }
      return std::nullopt;
  }
  return std::nullopt;
}

std::optional<Refusal> CheckPassOn(const Item& item, std::string_view from_org_id,
                                   std::string_view to_org_id, const Directory& directory) {
  const std::string from(from_org_id);
  const std::string to(to_org_id);
  if (item.tlp != Tlp::kAmber) {
    switch (item.tlp) {
      case Tlp::kAmberStrict:
        return Refuse("tlp",
                      "TLP:AMBER+STRICT stays with its recipient organisations: it may not be "
                      "passed on");
      case Tlp::kRed:
        return Refuse("tlp", "TLP:RED stays with the people named: it may not be passed on");
      default:
        return Refuse("tlp", LabelText(item.tlp) +
                                 " already reaches its whole community: there is nothing to "
                                 "pass on");
    }
  }
  if (from != item.author_org_id && !Contains(item.recipient_org_ids, from)) {
    return Refuse("from_org_id",
                  "only a recipient organisation passes a TLP:AMBER item on to those it serves");
  }
  if (!IsPlatformOrg(directory, to)) {
    return Refuse("to_org_id", "is not an organisation of the platform");
  }
  if (to == item.author_org_id || LabelLetsOrg(item, to, directory)) {
    return Refuse("to_org_id", "already receives this item");
  }
  if (!CommunityLets(item, to, directory)) {
    return Refuse("to_org_id",
                  "is outside the item's distribution or sharing group: passing on never widens "
                  "them");
  }
  return std::nullopt;
}

}  // namespace rampart::sharing
