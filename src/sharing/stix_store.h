// Shared STIX objects and their TAXII collections: the SQL, and the import both the command line
// and TAXII POST go through. A collection is a community or a sharing group; an object's version
// stored in a collection carries the audience the engine (audience.h) decides from at read time:
// its TLP label, the collection's distribution (national, or one sector) and group, its author's
// organisation and, for AMBER and AMBER+STRICT, its recipient organisations. Nothing here
// decides who sees an object; queries only narrow to one collection, and the engine decides each.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "platform/db.h"
#include "platform/principal.h"
#include "sharing/audience.h"
#include "sharing/stix.h"

namespace rampart::sharing {

// ---- collections ----

// The national community's collection id: fixed, so that clients may keep it in configuration.
inline constexpr std::string_view kNationalCollectionId = "5f0e3c1a-7b2d-4e8f-9a61-3c2d1b0a9e77";

struct Collection {
  enum class Kind : std::uint8_t { kNational, kSector, kGroup };
  std::string id;  // kNationalCollectionId, the sector's id or the group's id
  Kind kind = Kind::kNational;
  std::string title;
  std::string description;
  std::optional<std::string> sector_id;
  std::optional<std::string> group_id;
};

// The collection with that id (the national one, a sector's, a sharing group's), if any.
std::optional<Collection> FindCollection(db::Tx& tx, std::string_view id);
// Whether organisation `org` belongs to the collection's community: any organisation of the
// platform for the national one, the sector's organisations, the group's owner and members.
bool InCommunity(const Collection& c, const std::string& org, const Directory& dir);
// The collections `viewer` can see (one of their organisations belongs to it), national first,
// then sectors and groups by title.
std::vector<Collection> CollectionsOf(db::Tx& tx, const Viewer& viewer, const Directory& dir);
// The organisation through which `me` writes into `c`: one of theirs where they may publish
// (advisory.publish) that belongs to the community; nullopt when none.
std::optional<std::string> WriterOrg(const Principal& me, const Collection& c,
                                     const Directory& dir);

// ---- objects ----

struct StoredObject {
  std::string collection_id;
  std::string id;
  std::string type;
  std::string spec_version;
  std::optional<std::string> created;
  std::optional<std::string> modified;
  std::int64_t version_us = 0;
  std::int64_t added_us = 0;
  Tlp tlp = Tlp::kRed;
  Distribution distribution = Distribution::kNational;
  std::optional<std::string> sector_id;
  std::optional<std::string> group_id;
  std::string author_org_id;
  std::vector<std::string> recipient_org_ids;
  bool revoked = false;
  std::optional<std::string> external_id;
  std::optional<std::string> name;
  std::string object;  // JSON text as received
  // The version as TAXII shows it: modified, else created, else the date added.
  [[nodiscard]] std::string VersionText() const;
};

Item ItemOf(const StoredObject& object);

// How a list narrows (TAXII's match[…] and added_after).
struct ObjectFilter {
  std::optional<std::int64_t> added_after_us;
  std::vector<std::string> ids;
  std::vector<std::string> types;
  std::vector<std::string> spec_versions;
  // match[version]: "last" (default), "first", "all", or timestamps (microseconds).
  bool all_versions = false;
  bool first = false;
  bool last = true;
  std::vector<std::int64_t> versions_us;
};

// The sort key of a page: date added, then id, then version.
struct ObjectCursor {
  std::int64_t added_us = 0;
  std::string id;
  std::int64_t version_us = 0;
};

// Up to `limit` candidates of the collection after `after`, in date-added order.
std::vector<StoredObject> ListObjects(db::Tx& tx, std::string_view collection_id,
                                      const ObjectFilter& filter,
                                      const std::optional<ObjectCursor>& after, int limit,
                                      bool with_object = true);

// Deletes the versions of `id` in the collection that the filter's versions name, authored by
// `author_org_id`; returns how many.
std::int64_t DeleteObjectVersions(db::Tx& tx, std::string_view collection_id, std::string_view id,
                                  const ObjectFilter& filter, std::string_view author_org_id);

// ATT&CK techniques (attack-pattern objects with an external id) whose external id starts with,
// or whose name contains, `query`; candidates, the engine decides each.
std::vector<StoredObject> FindTechniques(db::Tx& tx, std::string_view query, int limit);

// ---- import ----

// Where and as what objects are imported.
struct ImportTarget {
  Collection collection;
  std::string author_org_id;
  // The command line: the label of every object (an object marked stricter is refused, since
  // storing it under this label would share it wider than its marking). TAXII POST: nullopt, each
  // object takes its own TLP marking, TLP:GREEN (its community) when it has none.
  std::optional<Tlp> tlp;
  std::vector<std::string> recipient_org_ids;  // AMBER and AMBER+STRICT (command line)
  std::optional<std::string> user_id;          // who imports; none for the command line
};

// Checks and stores objects one at a time, inside the caller's write transaction.
class Importer final {
 public:
  Importer(db::Tx& tx, ImportTarget target, const Directory& dir, std::int64_t now_us);
  // Checks `json` (one object) and stores it. On refusal returns the error, stores nothing.
  // Storing a version the collection already holds is a success that changes nothing.
  std::optional<stix::ObjectError> Add(std::string& json, stix::ObjectInfo* info_out = nullptr);
  [[nodiscard]] std::int64_t stored() const { return stored_; }
  [[nodiscard]] std::int64_t unchanged() const { return unchanged_; }

 private:
  std::optional<std::string> LabelRefusal(Tlp tlp, std::vector<std::string>* recipients);
  db::Tx& tx_;
  ImportTarget target_;
  const Directory& dir_;
  std::int64_t now_us_;
  stix::ObjectChecker checker_;
  std::int64_t stored_ = 0;
  std::int64_t unchanged_ = 0;
  std::int64_t sequence_ = 0;  // date_added grows by a microsecond per object, keeping order
};

// ---- TAXII status resources ----

struct TaxiiStatus {
  std::string id;
  std::string collection_id;
  std::string user_id;
  std::int64_t request_us = 0;
  std::int64_t total = 0;
  std::int64_t success = 0;
  std::int64_t failure = 0;
  std::string details;  // JSON: {"successes": [...], "failures": [...]}
};
void InsertStatus(db::Tx& tx, const TaxiiStatus& status);
std::optional<TaxiiStatus> FindStatus(db::Tx& tx, std::string_view id);

}  // namespace rampart::sharing
