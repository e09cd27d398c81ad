-- The ISMS, first step: frameworks imported by administrators, and each organisation's Statement
-- of Applicability per framework, with its evidence, the risk scenarios each control treats, and
-- the versions management approved.

-- Framework documents imported through the API (those shipped in catalogues/ are compiled in).
-- A revision is never changed or removed: SoAs made against it must stay readable.
CREATE TABLE isms_frameworks (
  urn TEXT NOT NULL,
  revision INTEGER NOT NULL,
  ref TEXT NOT NULL,
  name TEXT NOT NULL,
  document TEXT NOT NULL,  -- the library file as imported (format rampart-framework/1)
  sha256 TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  imported_at BIGINT NOT NULL,
  PRIMARY KEY (urn, revision)
);
CREATE INDEX isms_frameworks_ref ON isms_frameworks (ref, revision);

-- One Statement of Applicability per organisation and framework, made against one revision of it.
-- `version` grows with every change of any entry or evidence (the SoA's ETag); `approved` is the
-- number of the newest approved version (0: never approved).
CREATE TABLE soas (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  framework_urn TEXT NOT NULL,
  framework_ref TEXT NOT NULL,
  framework_revision INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  approved INTEGER NOT NULL DEFAULT 0,
  UNIQUE (organisation_id, framework_ref)
);

-- One row per assessable requirement, made with the SoA. `position` is the requirement's place in
-- the framework (the table's order and its cursor), `grp` its top-level group, `title` a copy for
-- the text filter. `approved_version` is the row's `version` when the SoA was last approved, so
-- "changed since approval" is a comparison within the row.
CREATE TABLE soa_entries (
  soa_id TEXT NOT NULL REFERENCES soas (id),
  requirement_id TEXT NOT NULL,
  position INTEGER NOT NULL,
  grp TEXT NOT NULL,
  title TEXT NOT NULL,
  applicable INTEGER NOT NULL DEFAULT 1,
  just_legal INTEGER NOT NULL DEFAULT 0,
  just_contractual INTEGER NOT NULL DEFAULT 0,
  just_business INTEGER NOT NULL DEFAULT 0,
  just_best_practice INTEGER NOT NULL DEFAULT 0,
  just_risk INTEGER NOT NULL DEFAULT 0,
  justification TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'not_started'
    CHECK (status IN ('not_started', 'planned', 'partial', 'implemented', 'not_applicable')),
  maturity INTEGER CHECK (maturity IS NULL OR (maturity >= 0 AND maturity <= 5)),
  owner_id TEXT REFERENCES users (id),
  note TEXT NOT NULL DEFAULT '',
  updated_by TEXT NOT NULL DEFAULT '',
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  approved_version BIGINT,
  PRIMARY KEY (soa_id, requirement_id),
  -- An excluded control is not applicable, and says why.
  CHECK ((applicable = 1 AND status <> 'not_applicable') OR
         (applicable = 0 AND status = 'not_applicable' AND justification <> ''))
);
CREATE UNIQUE INDEX soa_entries_position ON soa_entries (soa_id, position);
CREATE INDEX soa_entries_status ON soa_entries (soa_id, status, position);
CREATE INDEX soa_entries_owner ON soa_entries (owner_id);

-- Evidence of an entry: a link (http/https) or a stored file (platform files, by SHA-256).
CREATE TABLE soa_evidence (
  id TEXT PRIMARY KEY,
  soa_id TEXT NOT NULL,
  requirement_id TEXT NOT NULL,
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
  FOREIGN KEY (soa_id, requirement_id) REFERENCES soa_entries (soa_id, requirement_id),
  CHECK ((kind = 'link' AND url IS NOT NULL) OR (kind = 'file' AND file_sha256 IS NOT NULL))
);
CREATE INDEX soa_evidence_entry ON soa_evidence (soa_id, requirement_id, id);

-- The risk scenarios (of the organisation's risk analysis) a control treats.
CREATE TABLE soa_entry_risks (
  soa_id TEXT NOT NULL,
  requirement_id TEXT NOT NULL,
  scenario_id TEXT NOT NULL REFERENCES risk_scenarios (id),
  PRIMARY KEY (soa_id, requirement_id, scenario_id),
  FOREIGN KEY (soa_id, requirement_id) REFERENCES soa_entries (soa_id, requirement_id)
);
CREATE INDEX soa_entry_risks_scenario ON soa_entry_risks (scenario_id);

-- Versions approved by management: the whole SoA frozen as a JSON document with its SHA-256.
-- Rows are only ever inserted.
CREATE TABLE soa_versions (
  soa_id TEXT NOT NULL REFERENCES soas (id),
  number INTEGER NOT NULL,
  document TEXT NOT NULL,
  sha256 TEXT NOT NULL,
  entries INTEGER NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  approved_by TEXT NOT NULL,
  approved_by_name TEXT NOT NULL,
  approved_at BIGINT NOT NULL,
  PRIMARY KEY (soa_id, number)
);
