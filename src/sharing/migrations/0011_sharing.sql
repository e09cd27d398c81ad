-- older-binaries-from: 10
-- Sharing: sharing groups and advisories. Who sees a shared item is decided by the audience
-- engine (src/sharing/audience.h) from what is stored here and from the directory as it is at the
-- time of reading: memberships are never copied into items. Only new tables: a binary that knows
-- the earlier schema can still use the database.

-- A named list of organisations, kept by the organisation that owns it. The owner belongs to its
-- group without a row of its own.
CREATE TABLE sharing_groups (
  id TEXT PRIMARY KEY,
  owner_org_id TEXT NOT NULL REFERENCES organisations (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL REFERENCES users (id),
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (owner_org_id, name)
);

CREATE TABLE sharing_group_members (
  group_id TEXT NOT NULL REFERENCES sharing_groups (id) ON DELETE CASCADE,
  organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  added_by TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  PRIMARY KEY (group_id, organisation_id)
);
CREATE INDEX sharing_group_members_org ON sharing_group_members (organisation_id, group_id);

-- One row per revision of an advisory. Revision 1's id is the series id, which every revision
-- carries and acknowledgements and passes-on hold to. A draft is edited in place; a published
-- revision never changes again, except that publishing its correction marks it 'superseded'.
-- The label is stored by its STIX marking-definition id, never as a rank.
CREATE TABLE advisories (
  id TEXT PRIMARY KEY,
  series_id TEXT NOT NULL,
  reference TEXT NOT NULL,                 -- ADV-2026-0001, from reference_counters series 'ADV'
  revision INTEGER NOT NULL,
  author_org_id TEXT NOT NULL REFERENCES organisations (id),
  state TEXT NOT NULL CHECK (state IN ('draft', 'published', 'superseded')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('info', 'low', 'medium', 'high', 'critical')),
  affected_products TEXT NOT NULL DEFAULT '[]',  -- JSON: [{vendor, product, versions}]
  cve_ids TEXT NOT NULL DEFAULT '[]',            -- JSON: ["CVE-2026-12345"]
  recommended_actions TEXT NOT NULL DEFAULT '',
  observables TEXT NOT NULL DEFAULT '[]',        -- JSON: [{type, value}], normalised
  tlp TEXT NOT NULL,
  distribution TEXT NOT NULL CHECK (distribution IN ('organisation', 'sector', 'national', 'public')),
  group_id TEXT REFERENCES sharing_groups (id),
  changelog TEXT NOT NULL DEFAULT '',      -- what a correction changed (revision 2 on)
  created_by TEXT NOT NULL REFERENCES users (id),
  published_by TEXT REFERENCES users (id),
  published_at BIGINT,
  version BIGINT NOT NULL DEFAULT 1,       -- of the row, for If-Match on drafts
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (reference, revision)
);
CREATE INDEX advisories_state ON advisories (state, published_at, id);
CREATE INDEX advisories_author ON advisories (author_org_id, state, id);
CREATE INDEX advisories_series ON advisories (series_id, revision);
CREATE INDEX advisories_group ON advisories (group_id);

-- The named parts of an advisory's audience: its sectors (sector distribution), recipient
-- organisations (AMBER, AMBER+STRICT) and recipient people (RED). Rows, not JSON, so that a list
-- can narrow in SQL to the items that may concern the caller before the engine decides each.
CREATE TABLE advisory_audience (
  advisory_id TEXT NOT NULL REFERENCES advisories (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('sector', 'organisation', 'person')),
  ref_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  PRIMARY KEY (advisory_id, kind, ref_id)
);
CREATE INDEX advisory_audience_ref ON advisory_audience (ref_id, kind, advisory_id);

-- A TLP:AMBER advisory passed on by a recipient organisation to an organisation it serves.
CREATE TABLE advisory_passes (
  id TEXT PRIMARY KEY,
  series_id TEXT NOT NULL,
  from_org_id TEXT NOT NULL REFERENCES organisations (id),
  to_org_id TEXT NOT NULL REFERENCES organisations (id),
  by_user_id TEXT NOT NULL REFERENCES users (id),
  at BIGINT NOT NULL,
  UNIQUE (series_id, to_org_id)
);
CREATE INDEX advisory_passes_to ON advisory_passes (to_org_id, series_id);

-- Each organisation's acknowledgement of an advisory: every change is a row; the newest per
-- (series, organisation) is the current state.
CREATE TABLE advisory_acks (
  id TEXT PRIMARY KEY,
  series_id TEXT NOT NULL,
  advisory_id TEXT NOT NULL REFERENCES advisories (id),  -- the revision acknowledged
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  state TEXT NOT NULL CHECK (state IN ('read', 'applied', 'not_affected')),
  note TEXT NOT NULL DEFAULT '',
  by_user_id TEXT NOT NULL REFERENCES users (id),
  at BIGINT NOT NULL
);
CREATE INDEX advisory_acks_series ON advisory_acks (series_id, organisation_id, at);
CREATE INDEX advisory_acks_org ON advisory_acks (organisation_id, series_id);
