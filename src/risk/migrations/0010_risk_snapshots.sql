-- Snapshots of a risk analysis (one per PDCA iteration, or whenever management wants a record) and
-- the organisation's choice to share anonymous statistics upward.

-- Whether the analysis's figures count in its sector's anonymous statistics (only while it is
-- the organisation's current analysis). Off until the organisation opts in.
ALTER TABLE risk_analyses ADD COLUMN share_statistics INTEGER NOT NULL DEFAULT 0;

-- A snapshot: the whole analysis frozen as its export document, kept in the content-addressed
-- `files` table (`document_sha256`), and the figures shown in lists without reading it. The
-- counts are copied here so that a list of snapshots reads one row each.
CREATE TABLE risk_snapshots (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES risk_analyses (id),
  name TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  taken_at BIGINT NOT NULL,
  taken_by TEXT REFERENCES users (id),
  taken_by_name TEXT NOT NULL DEFAULT '',
  document_sha256 TEXT NOT NULL REFERENCES files (sha256),
  assets BIGINT NOT NULL,
  scenarios BIGINT NOT NULL,
  current_low BIGINT NOT NULL,
  current_medium BIGINT NOT NULL,
  current_high BIGINT NOT NULL,
  residual_low BIGINT NOT NULL,
  residual_medium BIGINT NOT NULL,
  residual_high BIGINT NOT NULL
);
-- Newest first, and "the latest snapshot" of an analysis.
CREATE INDEX risk_snapshots_analysis ON risk_snapshots (analysis_id, taken_at, id);

-- Per scenario, what a comparison needs, without the frozen document: the ids it is matched on,
-- the names it is shown with, the figures it is compared on. Risks are -1 and levels '' while
-- unscored, as in risk_scenarios. The primary key is the order a comparison reads both sides in.
CREATE TABLE risk_snapshot_rows (
  snapshot_id TEXT NOT NULL REFERENCES risk_snapshots (id),
  scenario_id TEXT NOT NULL,
  asset_id TEXT NOT NULL,
  asset_name TEXT NOT NULL,
  threat_id TEXT NOT NULL,
  threat_urn TEXT NOT NULL,
  threat_name TEXT NOT NULL,
  vulnerability_id TEXT NOT NULL,
  vulnerability_urn TEXT NOT NULL,
  vulnerability_name TEXT NOT NULL,
  current_risk BIGINT NOT NULL,
  current_level TEXT NOT NULL,
  residual_risk BIGINT NOT NULL,
  residual_level TEXT NOT NULL,
  treatment TEXT NOT NULL,
  owner_id TEXT,
  PRIMARY KEY (snapshot_id, scenario_id)
);
