-- older-binaries-from: 3
-- Law-enforcement requests for incident data: recorded with their legal basis, approved by two
-- people of the CERT, and every release logged. Nothing is released without both approvals.

CREATE TABLE disclosure_requests (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  cert_org_id TEXT NOT NULL REFERENCES organisations (id),
  authority TEXT NOT NULL,        -- who asks: "National Police, Cybercrime Unit"
  legal_basis TEXT NOT NULL,      -- e.g. the reference of a judge's order
  scope TEXT NOT NULL,            -- what is asked for
  state TEXT NOT NULL CHECK (state IN ('pending', 'approved', 'refused', 'released')),
  recorded_by TEXT NOT NULL REFERENCES users (id),
  recorded_at BIGINT NOT NULL,
  released_by TEXT REFERENCES users (id),
  released_at BIGINT,
  version BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX disclosure_requests_incident ON disclosure_requests (incident_id, recorded_at);

CREATE TABLE disclosure_decisions (
  request_id TEXT NOT NULL REFERENCES disclosure_requests (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  decision TEXT NOT NULL CHECK (decision IN ('approve', 'refuse')),
  reason TEXT NOT NULL DEFAULT '',
  at BIGINT NOT NULL,
  PRIMARY KEY (request_id, user_id)
);
