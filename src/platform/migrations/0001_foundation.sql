-- The foundation: identity, sessions, the directory, MOUs and the audit log.
-- One text for SQLite and PostgreSQL: TEXT ids (UUIDs), BIGINT milliseconds since the epoch,
-- INTEGER 0/1 flags.

CREATE TABLE sectors (
  id TEXT PRIMARY KEY,
  slug TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL UNIQUE,
  description TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE organisations (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  short_name TEXT NOT NULL DEFAULT '',
  kind TEXT NOT NULL CHECK (kind IN ('operator', 'government', 'regulator', 'sector_cert', 'national_cert')),
  criticality_tier INTEGER CHECK (criticality_tier BETWEEN 1 AND 3),
  size_class TEXT CHECK (size_class IN ('micro', 'small', 'medium', 'large')),
  website TEXT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX organisations_kind ON organisations (kind, name, id);

CREATE TABLE organisation_sectors (
  organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  sector_id TEXT NOT NULL REFERENCES sectors (id),
  PRIMARY KEY (organisation_id, sector_id)
);
CREATE INDEX organisation_sectors_sector ON organisation_sectors (sector_id, organisation_id);

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  email TEXT NOT NULL,
  password_hash TEXT NOT NULL,
  is_admin INTEGER NOT NULL DEFAULT 0,
  disabled INTEGER NOT NULL DEFAULT 0,
  totp_secret TEXT,
  totp_pending_secret TEXT,
  totp_last_step BIGINT NOT NULL DEFAULT 0,
  password_changed_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);

CREATE TABLE memberships (
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  organisation_id TEXT NOT NULL REFERENCES organisations (id) ON DELETE CASCADE,
  roles TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  PRIMARY KEY (user_id, organisation_id)
);
CREATE INDEX memberships_organisation ON memberships (organisation_id, user_id);

-- A session row exists while the session is valid; the cookie carries the token, the row its digest.
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  remote_address TEXT NOT NULL DEFAULT '',
  user_agent TEXT NOT NULL DEFAULT ''
);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  prefix TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

-- Failed sign-ins per account ('user:NAME') and per client address ('addr:IP'), shared by every
-- app server through the database.
CREATE TABLE login_throttle (
  key TEXT PRIMARY KEY,
  failures INTEGER NOT NULL,
  window_start BIGINT NOT NULL,
  blocked_until BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE mous (
  id TEXT PRIMARY KEY,
  sector_id TEXT NOT NULL REFERENCES sectors (id),
  regulator_id TEXT NOT NULL REFERENCES organisations (id),
  national_cert_id TEXT NOT NULL REFERENCES organisations (id),
  forwarding_mode TEXT NOT NULL CHECK (forwarding_mode IN ('on_receipt', 'after_review', 'anonymised')),
  forward_within_hours INTEGER NOT NULL CHECK (forward_within_hours BETWEEN 1 AND 720),
  effective_from BIGINT NOT NULL,
  effective_to BIGINT,
  notes TEXT NOT NULL DEFAULT '',
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  UNIQUE (sector_id, regulator_id)
);

-- The audit log is a hash chain: each entry's hash covers its fields and the previous entry's
-- hash; audit_head holds the newest, so removing the last entries is detected too.
CREATE TABLE audit_log (
  seq BIGINT PRIMARY KEY,
  at BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  action TEXT NOT NULL,
  resource_type TEXT NOT NULL,
  resource_id TEXT NOT NULL,
  before_digest TEXT NOT NULL,
  after_digest TEXT NOT NULL,
  request_id TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  hash TEXT NOT NULL
);
CREATE INDEX audit_log_resource ON audit_log (resource_type, resource_id, seq);

CREATE TABLE audit_head (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  seq BIGINT NOT NULL,
  hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
