-- Incident reporting: cases and their stage reports, the organisations that hold each case and
-- how it reached them, intermediate-report requests, the timeline and observables.

-- The reporting profile each sector reports under (set by its regulator): "nis2-default",
-- "finance-dora-like", …
ALTER TABLE sectors ADD COLUMN reporting_profile TEXT NOT NULL DEFAULT 'nis2-default';

-- The last reference number given out in each year: INC-2026-000123.
CREATE TABLE incident_counters (
  year INTEGER PRIMARY KEY,
  last BIGINT NOT NULL
);

CREATE TABLE incidents (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  sector_id TEXT NOT NULL REFERENCES sectors (id),
  profile_id TEXT NOT NULL,
  -- The early warning.
  title TEXT NOT NULL,
  summary TEXT NOT NULL DEFAULT '',
  aware_at BIGINT NOT NULL,
  occurred_at BIGINT,
  suspected_malicious TEXT NOT NULL CHECK (suspected_malicious IN ('yes', 'no', 'unknown')),
  may_affect_others INTEGER NOT NULL DEFAULT 0,
  affects_others_note TEXT NOT NULL DEFAULT '',
  affected_services TEXT NOT NULL DEFAULT '[]',  -- JSON array of strings
  voluntary INTEGER NOT NULL DEFAULT 0,          -- reported though not significant
  -- What later stages establish.
  rsit_class TEXT,
  rsit_type TEXT,
  severity TEXT CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  severity_rule TEXT NOT NULL DEFAULT '',
  significant INTEGER,                           -- NULL until a severity is known
  users_affected BIGINT,
  duration_hours BIGINT,
  financial_loss_eur BIGINT,
  sites_or_regions BIGINT,
  cross_border INTEGER NOT NULL DEFAULT 0,
  root_cause TEXT CHECK (root_cause IN ('system_failure', 'human_error', 'malicious_action',
                                        'third_party_failure', 'natural_phenomenon')),
  -- Stage times; the clocks are computed from them and the profile.
  early_warning_at BIGINT,
  notification_at BIGINT,
  final_at BIGINT,
  resolved_at BIGINT,
  closed_at BIGINT,
  -- The next stage due and when, kept with every write so that overdue cases are found by index.
  next_due_at BIGINT,
  next_due_stage TEXT,
  due_reminded_at BIGINT,       -- the next_due_at a "due soon" reminder was sent for
  overdue_reminded_at BIGINT,   -- the next_due_at an "overdue" reminder was sent for
  -- The CERT's first feedback to the reporter, due 24 hours after the early warning.
  feedback_due_at BIGINT,
  feedback_at BIGINT,
  -- Handling.
  state TEXT NOT NULL CHECK (state IN ('submitted', 'acknowledged', 'triaged', 'in_progress',
                                       'resolved', 'closed', 'rejected', 'duplicate', 'merged')),
  assignee_id TEXT REFERENCES users (id),
  duplicate_of TEXT REFERENCES incidents (id),
  filed_by TEXT NOT NULL REFERENCES users (id),
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX incidents_organisation ON incidents (organisation_id, id);
CREATE INDEX incidents_sector ON incidents (sector_id, aware_at);
CREATE INDEX incidents_next_due ON incidents (next_due_at);

-- Who holds a case, and as what. The only source of who may see it (platform/policy.cc decides
-- from these rows).
CREATE TABLE incident_parties (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  relation TEXT NOT NULL CHECK (relation IN ('reporter', 'regulator', 'sector_cert', 'national_cert',
                                             'national_cert_anonymised')),
  since BIGINT NOT NULL,
  PRIMARY KEY (incident_id, organisation_id)
);
CREATE INDEX incident_parties_organisation ON incident_parties (organisation_id, incident_id, relation);

-- Every hand-over of a report: filed to the regulator, copied to the sector CERT, forwarded to the
-- national CERT under the MOU. A hand-over not yet delivered has a due time and waits in the
-- sender's inbox.
CREATE TABLE incident_handovers (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  from_org_id TEXT NOT NULL REFERENCES organisations (id),
  to_org_id TEXT NOT NULL REFERENCES organisations (id),
  mode TEXT NOT NULL CHECK (mode IN ('filed', 'copy', 'on_receipt', 'after_review', 'anonymised',
                                     'direct')),
  created_at BIGINT NOT NULL,
  due_at BIGINT,
  delivered_at BIGINT,
  delivered_by TEXT REFERENCES users (id),
  anonymised INTEGER NOT NULL DEFAULT 0,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX incident_handovers_incident ON incident_handovers (incident_id, id);
CREATE INDEX incident_handovers_pending ON incident_handovers (from_org_id, delivered_at, due_at);

-- The stage reports as filed, in order; `body` is the report's JSON as the API received it after
-- normalisation.
CREATE TABLE incident_reports (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  seq INTEGER NOT NULL,
  stage TEXT NOT NULL CHECK (stage IN ('early_warning', 'notification', 'intermediate', 'final',
                                       'progress')),
  body TEXT NOT NULL,
  due_at BIGINT,
  submitted_at BIGINT NOT NULL,
  submitted_by TEXT NOT NULL REFERENCES users (id),
  request_id TEXT,
  UNIQUE (incident_id, seq)
);

-- Intermediate reports asked for by the regulator or a CERT.
CREATE TABLE incident_requests (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  requested_by TEXT NOT NULL REFERENCES users (id),
  requested_by_org_id TEXT NOT NULL REFERENCES organisations (id),
  question TEXT NOT NULL,
  requested_at BIGINT NOT NULL,
  due_at BIGINT NOT NULL,
  answered_at BIGINT
);
CREATE INDEX incident_requests_incident ON incident_requests (incident_id, requested_at);

-- The timeline: what happened to a case, comments included. `visibility` says who reads the entry:
-- 'all' (every party, the reporting organisation included), 'authorities' (regulators and CERTs),
-- 'certs' (the CERTs only).
CREATE TABLE incident_events (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  at BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_org_id TEXT,
  kind TEXT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('all', 'authorities', 'certs')),
  text TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_events_incident ON incident_events (incident_id, id);

-- Observables, normalised; `tlp` is a STIX marking-definition id.
CREATE TABLE incident_observables (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  tlp TEXT NOT NULL,
  pap TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  created_at BIGINT NOT NULL,
  created_by TEXT NOT NULL REFERENCES users (id),
  UNIQUE (incident_id, type, value)
);
CREATE INDEX incident_observables_value ON incident_observables (type, value, incident_id);

-- Cases of different organisations that share an observable, found when the second one is
-- reported. One row per ordered pair and value, so each case lists its own matches.
CREATE TABLE incident_correlations (
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  other_incident_id TEXT NOT NULL REFERENCES incidents (id),
  type TEXT NOT NULL,
  value TEXT NOT NULL,
  found_at BIGINT NOT NULL,
  PRIMARY KEY (incident_id, other_incident_id, type, value)
);
