-- older-binaries-from: 15
-- Sharing, continued: the disclosure protocol for incidents (a CERT asks the reporting
-- organisation's consent to share a reviewed version of a case; once consented, the CERT
-- publishes it as a shared incident read through the audience engine) and the guidelines library
-- (versions, comment periods, answers, adoptions). Only new tables: a binary that knows the
-- earlier schema can still use the database.

-- One request to share a case wider than its parties. What is asked is stored whole (the reviewed
-- text, copies of the observables with their labels, the audience), with its digest; consent
-- records the digest it was given to, so an edited request needs consent again. Lists of ids are
-- JSON arrays; labels are STIX marking-definition ids.
CREATE TABLE incident_share_requests (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  cert_org_id TEXT NOT NULL REFERENCES organisations (id),
  reporter_org_id TEXT NOT NULL REFERENCES organisations (id),
  form TEXT NOT NULL CHECK (form IN ('named', 'anonymised')),
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  observables TEXT NOT NULL DEFAULT '[]',  -- JSON: [{observable_id, type, value, tlp}]
  tlp TEXT NOT NULL,
  distribution TEXT NOT NULL CHECK (distribution IN ('organisation', 'sector', 'national', 'public')),
  sector_ids TEXT NOT NULL DEFAULT '[]',
  group_id TEXT REFERENCES sharing_groups (id),
  recipient_org_ids TEXT NOT NULL DEFAULT '[]',
  recipient_user_ids TEXT NOT NULL DEFAULT '[]',
  digest TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('pending', 'consented', 'refused', 'withdrawn', 'published')),
  requested_by TEXT NOT NULL REFERENCES users (id),
  requested_at BIGINT NOT NULL,
  answered_by TEXT REFERENCES users (id),
  answered_at BIGINT,
  answer_reason TEXT NOT NULL DEFAULT '',
  consent_digest TEXT,
  shared_incident_id TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  updated_at BIGINT NOT NULL
);
CREATE INDEX incident_share_requests_incident ON incident_share_requests (incident_id, requested_at);

-- A published share: the reviewed version only, never the case. `organisation_id` is kept for the
-- named form alone; the anonymised form carries only its label ("Finance operator (large)").
CREATE TABLE shared_incidents (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,          -- SHI-2026-0001, from reference_counters series 'SHI'
  request_id TEXT NOT NULL UNIQUE REFERENCES incident_share_requests (id),
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  author_org_id TEXT NOT NULL REFERENCES organisations (id),
  form TEXT NOT NULL CHECK (form IN ('named', 'anonymised')),
  organisation_id TEXT REFERENCES organisations (id),
  organisation_label TEXT NOT NULL,
  sector_id TEXT NOT NULL REFERENCES sectors (id),
  rsit_class TEXT,
  rsit_type TEXT,
  severity TEXT,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  observables TEXT NOT NULL DEFAULT '[]',
  tlp TEXT NOT NULL,
  distribution TEXT NOT NULL CHECK (distribution IN ('organisation', 'sector', 'national', 'public')),
  sector_ids TEXT NOT NULL DEFAULT '[]',
  group_id TEXT REFERENCES sharing_groups (id),
  recipient_org_ids TEXT NOT NULL DEFAULT '[]',
  recipient_user_ids TEXT NOT NULL DEFAULT '[]',
  consent_digest TEXT NOT NULL,
  published_by TEXT NOT NULL REFERENCES users (id),
  published_at BIGINT NOT NULL
);
CREATE INDEX shared_incidents_published ON shared_incidents (published_at, id);

-- A guideline of a CERT, with its audience (as a shared item: the engine decides every read).
CREATE TABLE guidelines (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,          -- GL-2026-0001, from reference_counters series 'GL'
  author_org_id TEXT NOT NULL REFERENCES organisations (id),
  tlp TEXT NOT NULL,
  distribution TEXT NOT NULL CHECK (distribution IN ('organisation', 'sector', 'national', 'public')),
  sector_ids TEXT NOT NULL DEFAULT '[]',
  group_id TEXT REFERENCES sharing_groups (id),
  recipient_org_ids TEXT NOT NULL DEFAULT '[]',
  recipient_user_ids TEXT NOT NULL DEFAULT '[]',
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);

-- Its versions. A draft is edited in place; a published version never changes again, except that
-- publishing the next one marks it 'superseded'. `body` is Markdown, never rendered as raw HTML.
CREATE TABLE guideline_versions (
  id TEXT PRIMARY KEY,
  guideline_id TEXT NOT NULL REFERENCES guidelines (id),
  number INTEGER NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('draft', 'consultation', 'published', 'superseded')),
  title TEXT NOT NULL,
  summary TEXT NOT NULL,
  body TEXT NOT NULL,
  topics TEXT NOT NULL DEFAULT '[]',
  controls TEXT NOT NULL DEFAULT '[]',     -- requirement URNs of the framework catalogues
  comments_until BIGINT,
  changelog TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL REFERENCES users (id),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  published_by TEXT REFERENCES users (id),
  published_at BIGINT,
  UNIQUE (guideline_id, number)
);

-- Comments of members on a version in consultation, each answered by the CERT.
CREATE TABLE guideline_comments (
  id TEXT PRIMARY KEY,
  guideline_id TEXT NOT NULL REFERENCES guidelines (id),
  version_id TEXT NOT NULL REFERENCES guideline_versions (id),
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  body TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  answer TEXT NOT NULL DEFAULT 'open' CHECK (answer IN ('open', 'accepted', 'rejected')),
  answer_reason TEXT NOT NULL DEFAULT '',
  answered_by TEXT REFERENCES users (id),
  answered_at BIGINT
);
CREATE INDEX guideline_comments_guideline ON guideline_comments (guideline_id, created_at);

-- What organisations recorded about adopting a guideline; the newest row of each is current and
-- the history is kept.
CREATE TABLE guideline_adoptions (
  id TEXT PRIMARY KEY,
  guideline_id TEXT NOT NULL REFERENCES guidelines (id),
  version_id TEXT NOT NULL REFERENCES guideline_versions (id),
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  status TEXT NOT NULL CHECK (status IN ('adopted', 'planned', 'not_applicable')),
  adopted_on BIGINT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  by_user_id TEXT NOT NULL REFERENCES users (id),
  at BIGINT NOT NULL
);
CREATE INDEX guideline_adoptions_guideline ON guideline_adoptions (guideline_id, organisation_id, at);
