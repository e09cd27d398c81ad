-- older-binaries-from: 7
-- Requests for assistance: an organisation asks its sector CERT or the national CERT for help,
-- with or without an incident case, and the request is handled like a case. Only new tables: a
-- binary that knows the earlier schema can still use the database.

-- One request. Its two parties are columns, not rows: the asking organisation (the policy's
-- kReporter) and the CERT asked, with the relation it holds the request through ('sector_cert'
-- or 'national_cert'), fixed when the request is made. References come from reference_counters,
-- series 'AST'.
CREATE TABLE assistance_requests (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,
  asking_org_id TEXT NOT NULL REFERENCES organisations (id),
  cert_org_id TEXT NOT NULL REFERENCES organisations (id),
  cert_relation TEXT NOT NULL CHECK (cert_relation IN ('sector_cert', 'national_cert')),
  incident_id TEXT REFERENCES incidents (id),
  kind TEXT NOT NULL CHECK (kind IN ('incident_response', 'forensics', 'malware_analysis',
                                     'vulnerability_handling', 'advice', 'other')),
  urgency TEXT NOT NULL CHECK (urgency IN ('low', 'medium', 'high', 'critical')),
  title TEXT NOT NULL,
  description TEXT NOT NULL,
  contact TEXT NOT NULL DEFAULT '',
  state TEXT NOT NULL CHECK (state IN ('open', 'accepted', 'in_progress', 'waiting_for_requester',
                                       'resolved', 'closed', 'declined', 'withdrawn')),
  state_reason TEXT NOT NULL DEFAULT '',   -- why it was declined, withdrawn or resolved
  assignee_id TEXT REFERENCES users (id),
  requested_by TEXT NOT NULL REFERENCES users (id),
  respond_by BIGINT NOT NULL,              -- the CERT's answer is due by then (from the urgency)
  responded_at BIGINT,                     -- the CERT's first answer: accepted, declined or a message
  resolved_at BIGINT,
  closed_at BIGINT,
  version BIGINT NOT NULL DEFAULT 1,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL
);
CREATE INDEX assistance_requests_asking ON assistance_requests (asking_org_id, id);
CREATE INDEX assistance_requests_cert ON assistance_requests (cert_org_id, cert_relation, id);
CREATE INDEX assistance_requests_assignee ON assistance_requests (assignee_id, id);
CREATE INDEX assistance_requests_incident ON assistance_requests (incident_id);

-- The conversation and the timeline of a request in one table: messages from either side,
-- the CERT's internal notes (internal = 1, never shown to the asking organisation), and what
-- happened to the request (filed, state, assigned).
CREATE TABLE assistance_events (
  id TEXT PRIMARY KEY,
  request_id TEXT NOT NULL REFERENCES assistance_requests (id),
  at BIGINT NOT NULL,
  actor_id TEXT NOT NULL,
  actor_name TEXT NOT NULL,
  actor_org_id TEXT,
  side TEXT NOT NULL CHECK (side IN ('requester', 'cert', 'system')),
  kind TEXT NOT NULL CHECK (kind IN ('filed', 'message', 'note', 'state', 'assigned')),
  internal INTEGER NOT NULL DEFAULT 0,
  text TEXT NOT NULL DEFAULT '',
  data TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX assistance_events_request ON assistance_events (request_id, id);
