-- No older binary may run on this schema: it would file the cases of a sector with its own profile
-- under the national default, with laxer clocks.
-- The work on a case beyond its reports: sectors' own reporting profiles, tasks, and links between
-- cases (related, duplicate, merged).

-- A regulator's own profile for its sector: the national default's or the finance profile's
-- deadlines and thresholds, tightened within the law's bounds. Rows are never changed: an edit adds
-- a version, sectors.reporting_profile names the version in force, and a case keeps the version it
-- was filed under (incidents.profile_id).
CREATE TABLE reporting_profiles (
  id TEXT PRIMARY KEY,           -- "sector-<sector id>-v<version>"
  sector_id TEXT NOT NULL REFERENCES sectors (id),
  version INTEGER NOT NULL,
  base_id TEXT NOT NULL,         -- the built-in profile it starts from
  body TEXT NOT NULL,            -- the whole profile as JSON, as GET /reporting-profiles shows it
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  UNIQUE (sector_id, version)
);

-- Tasks: each belongs to the team of one party of the case (the reporting organisation, the
-- regulator or a CERT), which alone sees and works on it.
CREATE TABLE incident_tasks (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  assignee_id TEXT REFERENCES users (id),
  due_at BIGINT,
  status TEXT NOT NULL CHECK (status IN ('open', 'done', 'cancelled')),
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  closed_at BIGINT,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX incident_tasks_incident ON incident_tasks (incident_id, organisation_id, id);
CREATE INDEX incident_tasks_assignee ON incident_tasks (assignee_id, status);

-- Links between cases, one row each way. A link is shown only to those who can see both cases.
-- 'duplicate' and 'merged' go from the case that ended to the case that goes on ('repeats',
-- 'merged_into') and back ('repeated_by', 'absorbed').
CREATE TABLE incident_links (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  related_id TEXT NOT NULL REFERENCES incidents (id),
  kind TEXT NOT NULL CHECK (kind IN ('related', 'repeats', 'repeated_by', 'merged_into',
                                     'absorbed')),
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  PRIMARY KEY (incident_id, related_id)
);

-- Reference numbers of other series than incidents: "AST" (requests for assistance), … One row per
-- series and year holds the last number given out.
CREATE TABLE reference_counters (
  series TEXT NOT NULL,
  year INTEGER NOT NULL,
  last BIGINT NOT NULL,
  PRIMARY KEY (series, year)
);
