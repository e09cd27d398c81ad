// Reading the audience of a shared item from a request body, the same for advisories, guidelines
// and shares of incidents: `tlp` (a TLP 2.0 label or its STIX marking-definition id),
// `distribution`, `sector_ids`, `group_id`, `recipient_org_ids`, `recipient_user_ids`. Whether the
// audience is allowed is the audience engine's decision (CheckShare), made afterwards.
#pragma once

#include <algorithm>
#include <string>
#include <vector>

#include "platform/db.h"
#include "platform/input.h"
#include "sharing/audience.h"
#include "sharing/tlp.h"

namespace rampart::sharing {

// Reads the fields present into `a` (any type with the six members); on create, `tlp` and
// `distribution` are required. Lists keep their first occurrence of each id; a sector that does
// not exist is named in the error.
template <class Audience>
void ReadAudienceFields(Input& in, db::Tx& tx, Audience& a, bool create) {
  auto dedupe = [](std::vector<std::string> v) {
    std::vector<std::string> out;
    for (auto& x : v) {
      if (std::find(out.begin(), out.end(), x) == out.end()) out.push_back(std::move(x));
    }
    return out;
  };
  if (auto v = in.Text("tlp", {.required = create, .max = 80})) {
    auto t = ParseTlp(*v);
    if (!t) t = TlpFromMarkingId(*v);
    if (!t) {
      in.Fail(
          "tlp",
          "must be a TLP 2.0 label: TLP:CLEAR, TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED");
    } else {
      a.tlp = *t;
    }
  }
  if (auto v = in.Text(
          "distribution",
          {.required = create, .one_of = {"organisation", "sector", "national", "public"}})) {
    a.distribution = *ParseDistribution(*v);
  }
  if (auto v = in.TextList("sector_ids", {.uuid = true}, 20)) {
    a.sector_ids.clear();
    for (const auto& s : dedupe(*v)) {
      if (!tx.QueryOne("SELECT 1 FROM sectors WHERE id = $1", {s})) {
        in.Fail("sector_ids", "names a sector that does not exist: " + s);
      } else {
        a.sector_ids.push_back(s);
      }
    }
  }
  if (in.Has("group_id")) a.group_id = in.Text("group_id", {.nullable = true, .uuid = true});
  if (auto v = in.TextList("recipient_org_ids", {.uuid = true}, 1000)) {
    a.recipient_org_ids = dedupe(*v);
  }
  if (auto v = in.TextList("recipient_user_ids", {.uuid = true}, 500)) {
    a.recipient_user_ids = dedupe(*v);
  }
}

}  // namespace rampart::sharing
