// STIX 2.1 export of what an organisation (a CERT) has shared: its published advisories as
// `report`s with their CVEs as `vulnerability`s, their observables as `indicator`s and their
// recommended actions as a `course-of-action` that `mitigates` each vulnerability; its published
// incident shares as `incident`s with the incident core extension, with their observables as
// `indicator`s and one `observed-data` over the cyber observables; the organisation as the
// `identity` every object is created by. Every object carries object_marking_refs to its TLP 2.0
// label (observables their own label), and the bundle holds those official marking definitions.
// Ids are deterministic (UUIDv5 of Rampart's ids), so a re-export updates rather than duplicates.
#pragma once

#include <cstdint>
#include <string>

#include "platform/db.h"

namespace rampart::sharing {

struct ExportCounts {
  std::int64_t reports = 0;
  std::int64_t incidents = 0;
  std::int64_t indicators = 0;
  std::int64_t objects = 0;
};

// The bundle's JSON text. `org_id` must exist.
std::string ExportBundle(db::Tx& tx, const std::string& org_id, ExportCounts* counts = nullptr);

}  // namespace rampart::sharing
