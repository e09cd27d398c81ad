-- older-binaries-from: 16
-- STIX 2.1 objects shared through TAXII 2.1 collections (src/sharing/stix*.{h,cc},
-- taxii_api.cc). A collection is a community (the national one, a sector's) or a sharing group;
-- each row is one version of one object in one collection, with the audience fields the engine
-- (src/sharing/audience.h) decides from at read time. Only new tables.

CREATE TABLE stix_objects (
  collection_id TEXT NOT NULL,             -- the national community's id, a sector id or a group id
  id TEXT NOT NULL,                        -- "indicator--<uuid>"
  type TEXT NOT NULL,
  spec_version TEXT NOT NULL,
  created TEXT,                            -- as received (RFC 3339, Z); NULL for cyber observables
  modified TEXT,                           -- as received; NULL when the type has none
  version_us BIGINT NOT NULL,              -- the version: modified, else created, else date added
  added_us BIGINT NOT NULL,                -- TAXII date_added, microseconds since 1970
  tlp TEXT NOT NULL,                       -- the STIX marking-definition id of its TLP 2.0 label
  distribution TEXT NOT NULL CHECK (distribution IN ('sector', 'national')),
  sector_id TEXT REFERENCES sectors (id),
  group_id TEXT REFERENCES sharing_groups (id) ON DELETE CASCADE,
  author_org_id TEXT NOT NULL REFERENCES organisations (id),
  recipient_org_ids TEXT NOT NULL DEFAULT '[]',  -- JSON: AMBER and AMBER+STRICT recipients
  revoked INTEGER NOT NULL DEFAULT 0,
  external_id TEXT,                        -- attack-pattern: its ATT&CK id (T1566, T1566.001)
  name TEXT,
  object TEXT NOT NULL,                    -- the object's JSON as received, custom properties kept
  added_by TEXT,                           -- the person (TAXII), NULL for the command line
  PRIMARY KEY (collection_id, id, version_us)
);
-- TAXII paging is by date added, then id and version, inside one collection.
CREATE INDEX stix_objects_added ON stix_objects (collection_id, added_us, id, version_us);
CREATE INDEX stix_objects_type ON stix_objects (collection_id, type, added_us);
-- Only ATT&CK techniques carry an external id: a partial index costs indicator imports nothing.
CREATE INDEX stix_objects_technique ON stix_objects (external_id) WHERE external_id IS NOT NULL;

-- The status resource of a TAXII POST: what was stored and what was refused, object by object.
CREATE TABLE taxii_status (
  id TEXT PRIMARY KEY,
  collection_id TEXT NOT NULL,
  user_id TEXT NOT NULL REFERENCES users (id),
  request_us BIGINT NOT NULL,
  total_count INTEGER NOT NULL,
  success_count INTEGER NOT NULL,
  failure_count INTEGER NOT NULL,
  details TEXT NOT NULL                    -- JSON: {successes: [...], failures: [...]}
);
CREATE INDEX taxii_status_user ON taxii_status (user_id, request_us);
