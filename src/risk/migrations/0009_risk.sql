-- Risk analysis: an organisation's analyses (one current), their assets and dependencies, the
-- threats and vulnerabilities they use, risk scenarios with their scores and treatment, the
-- action plan, and management's acceptances of residual risk.

-- The method, scales, thresholds, criteria and consequence types live in `settings` (JSON, as the
-- API shows them): they are read whole whenever the analysis is scored.
CREATE TABLE risk_analyses (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  is_current INTEGER NOT NULL DEFAULT 0,
  method TEXT NOT NULL CHECK (method IN ('itv', 'matrix', 'operational')),
  method_version INTEGER NOT NULL,
  settings TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX risk_analyses_org ON risk_analyses (organisation_id, id);
-- At most one current analysis per organisation.
CREATE UNIQUE INDEX risk_analyses_current ON risk_analyses (organisation_id) WHERE is_current = 1;

-- `ratings` is the primary asset's consequence ratings as JSON ({"confidentiality":
-- {"reputation": 3}}); `override_impact` people's overrides per criterion with their reason. The
-- impact_* columns and `criticality` are computed (own, inherited or overridden) on every change.
CREATE TABLE risk_assets (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES risk_analyses (id),
  name TEXT NOT NULL,
  type TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  owner_id TEXT REFERENCES users (id),
  ratings TEXT NOT NULL DEFAULT '{}',
  override_impact TEXT NOT NULL DEFAULT '{}',
  override_reason TEXT NOT NULL DEFAULT '',
  impact_c INTEGER,
  impact_i INTEGER,
  impact_a INTEGER,
  impact_au INTEGER,
  criticality INTEGER NOT NULL DEFAULT -1,  -- -1: not rated
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (analysis_id, name)
);
-- The classification view and the asset list by criticality, highest first.
CREATE INDEX risk_assets_criticality ON risk_assets (analysis_id, criticality DESC, name);

-- "asset_id depends on depends_on_id"; the graph is kept acyclic by the API.
CREATE TABLE risk_dependencies (
  analysis_id TEXT NOT NULL REFERENCES risk_analyses (id),
  asset_id TEXT NOT NULL REFERENCES risk_assets (id),
  depends_on_id TEXT NOT NULL REFERENCES risk_assets (id),
  PRIMARY KEY (asset_id, depends_on_id)
);
CREATE INDEX risk_dependencies_analysis ON risk_dependencies (analysis_id);
CREATE INDEX risk_dependencies_to ON risk_dependencies (depends_on_id);

-- Threats used by an analysis: from the catalogue (its URN) or the organisation's own
-- (urn:rampart:org:<organisation id>:threat:<key>), with the analysis's likelihood.
CREATE TABLE risk_threats (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES risk_analyses (id),
  urn TEXT NOT NULL,
  custom INTEGER NOT NULL DEFAULT 0,
  family TEXT NOT NULL DEFAULT '',
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  affects_c INTEGER NOT NULL DEFAULT 0,
  affects_i INTEGER NOT NULL DEFAULT 0,
  affects_a INTEGER NOT NULL DEFAULT 0,
  affects_au INTEGER NOT NULL DEFAULT 0,
  likelihood INTEGER,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (analysis_id, urn)
);

CREATE TABLE risk_vulnerabilities (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES risk_analyses (id),
  urn TEXT NOT NULL,
  custom INTEGER NOT NULL DEFAULT 0,
  name TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  qualification INTEGER,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (analysis_id, urn)
);

-- A scenario and its scores. current_risk and residual_risk are -1 while unscored, so that the
-- register sorts by index; levels are '' then.
CREATE TABLE risk_scenarios (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES risk_analyses (id),
  asset_id TEXT NOT NULL REFERENCES risk_assets (id),
  threat_id TEXT NOT NULL REFERENCES risk_threats (id),
  vulnerability_id TEXT NOT NULL REFERENCES risk_vulnerabilities (id),
  description TEXT NOT NULL DEFAULT '',
  probability INTEGER,
  residual_probability INTEGER,
  reduction INTEGER NOT NULL DEFAULT 0,
  controls_in_place TEXT NOT NULL DEFAULT '',
  treatment TEXT NOT NULL DEFAULT 'none'
    CHECK (treatment IN ('none', 'reduce', 'accept', 'avoid', 'share')),
  owner_id TEXT REFERENCES users (id),
  planned_controls TEXT NOT NULL DEFAULT '',
  current_risk BIGINT NOT NULL DEFAULT -1,
  current_level TEXT NOT NULL DEFAULT '',
  residual_risk BIGINT NOT NULL DEFAULT -1,
  residual_level TEXT NOT NULL DEFAULT '',
  risk_c BIGINT,
  risk_i BIGINT,
  risk_a BIGINT,
  risk_au BIGINT,
  impact_axis INTEGER,
  likelihood_axis INTEGER,
  residual_likelihood_axis INTEGER,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  UNIQUE (asset_id, threat_id, vulnerability_id)
);
-- The register: by risk, current or residual, optionally of one level; and by what it is about.
CREATE INDEX risk_scenarios_current ON risk_scenarios (analysis_id, current_risk, id);
CREATE INDEX risk_scenarios_residual ON risk_scenarios (analysis_id, residual_risk, id);
CREATE INDEX risk_scenarios_current_level
  ON risk_scenarios (analysis_id, current_level, current_risk, id);
CREATE INDEX risk_scenarios_residual_level
  ON risk_scenarios (analysis_id, residual_level, residual_risk, id);
CREATE INDEX risk_scenarios_asset ON risk_scenarios (asset_id, current_risk, id);
CREATE INDEX risk_scenarios_threat ON risk_scenarios (threat_id, current_risk, id);
CREATE INDEX risk_scenarios_vulnerability ON risk_scenarios (vulnerability_id);
CREATE INDEX risk_scenarios_owner ON risk_scenarios (owner_id, current_risk, id);
CREATE INDEX risk_scenarios_treatment ON risk_scenarios (analysis_id, treatment, current_risk, id);
-- The heat map counts from this index alone, without visiting the rows.
CREATE INDEX risk_scenarios_heat ON risk_scenarios
  (analysis_id, impact_axis, likelihood_axis, residual_likelihood_axis, current_risk, residual_risk);

-- Management's acceptances of a scenario's residual risk, newest last; the digest is of the exact
-- state accepted (rules.h AcceptanceDigest), so a later change shows the acceptance stale.
CREATE TABLE risk_acceptances (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES risk_analyses (id),
  scenario_id TEXT NOT NULL REFERENCES risk_scenarios (id),
  accepted_by TEXT NOT NULL REFERENCES users (id),
  accepted_at BIGINT NOT NULL,
  digest TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX risk_acceptances_scenario ON risk_acceptances (scenario_id, accepted_at);
CREATE INDEX risk_acceptances_analysis ON risk_acceptances (analysis_id);

-- The action plan.
CREATE TABLE risk_recommendations (
  id TEXT PRIMARY KEY,
  analysis_id TEXT NOT NULL REFERENCES risk_analyses (id),
  scenario_id TEXT REFERENCES risk_scenarios (id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  importance INTEGER NOT NULL CHECK (importance BETWEEN 1 AND 3),
  responsible_id TEXT REFERENCES users (id),
  due_at BIGINT,
  status TEXT NOT NULL CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX risk_recommendations_analysis ON risk_recommendations (analysis_id, id);
CREATE INDEX risk_recommendations_scenario ON risk_recommendations (scenario_id);

-- Each change of a recommendation: who, when, and the fields as they became.
CREATE TABLE risk_recommendation_history (
  id TEXT PRIMARY KEY,
  recommendation_id TEXT NOT NULL REFERENCES risk_recommendations (id),
  at BIGINT NOT NULL,
  actor_name TEXT NOT NULL,
  change TEXT NOT NULL
);
CREATE INDEX risk_recommendation_history_of ON risk_recommendation_history (recommendation_id, at);
