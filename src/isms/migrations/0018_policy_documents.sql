-- The security charter and the 11-section security policy of each organisation: documents built
-- from Rampart's templates, saved as numbered versions, approved by management (the approved
-- version frozen with the SHA-256 of its content), reviewed on a schedule, published to staff and
-- acknowledged person by person.

-- At most one charter and one policy per organisation. `version` is the document's ETag and grows
-- with every saved draft, approval and publication; `newest` is the number of the newest version
-- and `approved` that of the newest approved one (0: never approved). The reminder columns hold the
-- next-review time already announced, so each reminder is sent once per review date.
CREATE TABLE policy_documents (
  id TEXT PRIMARY KEY,
  organisation_id TEXT NOT NULL REFERENCES organisations (id),
  kind TEXT NOT NULL CHECK (kind IN ('charter', 'policy')),
  form TEXT NOT NULL CHECK (form IN ('short', 'full')),
  title TEXT NOT NULL,
  created_by TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  version BIGINT NOT NULL DEFAULT 1,
  newest INTEGER NOT NULL DEFAULT 1,
  approved INTEGER NOT NULL DEFAULT 0,
  next_review_at BIGINT,
  due_reminded_at BIGINT,
  overdue_reminded_at BIGINT,
  UNIQUE (organisation_id, kind)
);
CREATE INDEX policy_documents_review ON policy_documents (next_review_at);

-- Every saved draft is a version; none is changed once written except to record its approval.
-- `content` is the JSON list of sections ({"key", "urn", "title", "level", "body"}); `sha256` is
-- set on approval, over exactly `content`.
CREATE TABLE policy_versions (
  document_id TEXT NOT NULL REFERENCES policy_documents (id),
  number INTEGER NOT NULL,
  content TEXT NOT NULL,
  note TEXT NOT NULL DEFAULT '',
  saved_by TEXT NOT NULL,
  saved_by_name TEXT NOT NULL,
  saved_at BIGINT NOT NULL,
  sha256 TEXT,
  approved_by TEXT,
  approved_by_name TEXT,
  approved_at BIGINT,
  approval_note TEXT,
  next_review_at BIGINT,
  PRIMARY KEY (document_id, number)
);

-- An approved version presented to the organisation's people: all of them, or those holding one of
-- `roles` (comma-separated; '' for all). One row per person it reached, acknowledged or not.
CREATE TABLE policy_publications (
  id TEXT PRIMARY KEY,
  document_id TEXT NOT NULL REFERENCES policy_documents (id),
  number INTEGER NOT NULL,
  roles TEXT NOT NULL DEFAULT '',
  message TEXT NOT NULL DEFAULT '',
  published_by TEXT NOT NULL,
  published_by_name TEXT NOT NULL,
  published_at BIGINT NOT NULL
);
CREATE INDEX policy_publications_document ON policy_publications (document_id, published_at);

CREATE TABLE policy_acknowledgements (
  publication_id TEXT NOT NULL REFERENCES policy_publications (id),
  user_id TEXT NOT NULL REFERENCES users (id),
  acknowledged_at BIGINT,
  PRIMARY KEY (publication_id, user_id)
);
CREATE INDEX policy_acknowledgements_user ON policy_acknowledgements (user_id, acknowledged_at);
