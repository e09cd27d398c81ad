-- The ISMS continuous-improvement cycle of an organisation (design, implementation, evaluation and
-- control, improvement), its ISO/IEC 27001 certification, and the register of laws and
-- obligations that apply to it. Implementation figures are not stored: they are read from the SoA.

-- Design: the scope and context of the ISMS. Each change is a new version; rows are only inserted,
-- so who wrote which scope when stays readable. The newest version is the current scope.
CREATE TABLE isms_scopes (
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  version INTEGER NOT NULL,
  statement TEXT NOT NULL,
  interested_parties TEXT NOT NULL,  -- JSON array of {name, expectations}
  boundaries TEXT NOT NULL DEFAULT '',
  recorded_by TEXT NOT NULL,
  recorded_by_name TEXT NOT NULL,
  recorded_at BIGINT NOT NULL,
  PRIMARY KEY (organisation_id, version)
);

-- Evaluation and control: the five kinds of the CISO approach. Automated controls have their own
-- results table below; an evaluation of kind 'automated' records a planned or done review of them.
-- A management review also carries minutes, decisions, the member of management who chairs it,
-- and the sign-off (by that role only).
CREATE TABLE isms_evaluations (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  kind TEXT NOT NULL CHECK (kind IN ('internal_audit', 'automated', 'peer_comparison',
                                     'formal_audit', 'management_review')),
  title TEXT NOT NULL,
  planned_for BIGINT,
  done_at BIGINT,
  evaluator TEXT NOT NULL DEFAULT '',
  summary TEXT NOT NULL DEFAULT '',
  minutes TEXT NOT NULL DEFAULT '',
  decisions TEXT NOT NULL DEFAULT '',
  chair_id TEXT REFERENCES users (id),
  signed_by TEXT REFERENCES users (id),
  signed_by_name TEXT,
  signed_at BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CHECK (planned_for IS NOT NULL OR done_at IS NOT NULL)
);
CREATE INDEX isms_evaluations_org ON isms_evaluations (organisation_id, kind, created_at);

-- Findings of evaluations, with what they concern: controls of the organisation's SoAs, sections
-- of the 11-section policy (requirement URNs), and risk scenarios.
CREATE TABLE isms_findings (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  evaluation_id TEXT REFERENCES isms_evaluations (id),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX isms_findings_org ON isms_findings (organisation_id, created_at);

-- Improvement actions at the three levels the seed names.
CREATE TABLE isms_actions (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  level TEXT NOT NULL CHECK (level IN ('organisation', 'procedures', 'tools')),
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  owner_id TEXT REFERENCES users (id),
  due_at BIGINT NOT NULL,
  status TEXT NOT NULL DEFAULT 'open'
    CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
  completed_at BIGINT,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CHECK (due_at >= created_at - 86400000)
);
CREATE INDEX isms_actions_org ON isms_actions (organisation_id, status, due_at);

-- Each change of an action: who, when, and the fields before and after (JSON). Only inserted.
CREATE TABLE isms_action_history (
  action_id TEXT NOT NULL REFERENCES isms_actions (id),
  seq INTEGER NOT NULL,
  at BIGINT NOT NULL,
  by_name TEXT NOT NULL,
  change TEXT NOT NULL,
  PRIMARY KEY (action_id, seq)
);

-- What a finding or an action is linked to. `kind` says what `target` names: 'control' (a
-- requirement id of the SoA of `framework_ref`), 'policy' (a requirement URN of policy11), 'risk'
-- (a risk scenario id), 'finding' (a finding id; for actions only).
CREATE TABLE isms_links (
  owner_kind TEXT NOT NULL CHECK (owner_kind IN ('finding', 'action')),
  owner_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('control', 'policy', 'risk', 'finding')),
  framework_ref TEXT NOT NULL DEFAULT '',
  target TEXT NOT NULL,
  PRIMARY KEY (owner_kind, owner_id, kind, framework_ref, target)
);
CREATE INDEX isms_links_target ON isms_links (kind, target);

-- Automated controls: results posted by tools with an API token. A run is posted once; posting the
-- same run again stores nothing new (UNIQUE makes the retry harmless).
CREATE TABLE isms_automated_results (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  run_id TEXT NOT NULL,
  control_urn TEXT NOT NULL,
  framework_ref TEXT NOT NULL,
  requirement_id TEXT NOT NULL,
  outcome TEXT NOT NULL CHECK (outcome IN ('pass', 'fail', 'value')),
  value TEXT NOT NULL DEFAULT '',
  tool TEXT NOT NULL,
  observed_at BIGINT NOT NULL,
  posted_by TEXT NOT NULL,
  posted_at BIGINT NOT NULL,
  UNIQUE (organisation_id, run_id, control_urn)
);
CREATE INDEX isms_automated_results_org ON isms_automated_results (organisation_id, observed_at);

-- ISO/IEC 27001 certification, one row per organisation (none when absent).
CREATE TABLE isms_certifications (
  organisation_id TEXT PRIMARY KEY REFERENCES organisations (id),
  status TEXT NOT NULL CHECK (status IN ('none', 'in_progress', 'certified')),
  certifier TEXT NOT NULL DEFAULT '',
  scope TEXT NOT NULL DEFAULT '',
  certificate_number TEXT NOT NULL DEFAULT '',
  issued_at BIGINT,
  expires_at BIGINT,
  updated_by TEXT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  CHECK (status <> 'certified' OR (issued_at IS NOT NULL AND expires_at IS NOT NULL AND
                                   expires_at > issued_at))
);

-- The laws and regulations that apply, one row per obligation: adopted from the shipped library
-- (catalogues/obligations.json, `law_urn` set) or written by the organisation (`law_urn` empty).
CREATE TABLE isms_obligations (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  law_urn TEXT NOT NULL DEFAULT '',
  obligation_urn TEXT NOT NULL DEFAULT '',
  law_kind TEXT NOT NULL CHECK (law_kind IN ('cybersecurity', 'cybercrime', 'data_protection',
                                             'sector_regulation', 'other')),
  law_title TEXT NOT NULL,
  title TEXT NOT NULL,
  description TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'not_assessed'
    CHECK (status IN ('not_assessed', 'compliant', 'partial', 'non_compliant', 'not_applicable')),
  note TEXT NOT NULL DEFAULT '',
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX isms_obligations_org ON isms_obligations (organisation_id, law_title, title);

-- Evidence of an obligation: a link or a stored file, as SoA evidence is.
CREATE TABLE isms_obligation_evidence (
  id TEXT PRIMARY KEY,
  obligation_id TEXT NOT NULL REFERENCES isms_obligations (id),
  kind TEXT NOT NULL CHECK (kind IN ('link', 'file')),
  url TEXT,
  file_sha256 TEXT REFERENCES files (sha256),
  name TEXT NOT NULL,
  media_type TEXT NOT NULL DEFAULT '',
  size BIGINT NOT NULL DEFAULT 0,
  description TEXT NOT NULL DEFAULT '',
  added_by TEXT NOT NULL,
  added_by_name TEXT NOT NULL,
  added_at BIGINT NOT NULL,
  CHECK ((kind = 'link' AND url IS NOT NULL) OR (kind = 'file' AND file_sha256 IS NOT NULL))
);
CREATE INDEX isms_obligation_evidence_obligation ON isms_obligation_evidence (obligation_id, id);
