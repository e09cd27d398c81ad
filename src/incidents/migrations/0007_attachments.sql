-- older-binaries-from: 6
-- Files attached to incident cases: the case side. The bytes are in `files` (0006), once per
-- content; each attachment row is one upload to one case, with the name, visibility and uploader
-- that upload gave it. Only a new table: a binary that knows the earlier schema can still use the
-- database.

-- Visibility works as on the timeline (incident_events): 'all' parties of the case, the
-- 'authorities' (regulators and CERTs), or the 'certs' alone.
CREATE TABLE incident_attachments (
  id TEXT PRIMARY KEY,
  incident_id TEXT NOT NULL REFERENCES incidents (id),
  file_sha256 TEXT NOT NULL REFERENCES files (sha256),
  name TEXT NOT NULL,            -- as the uploader gave it, made safe (files::SanitiseName)
  media_type TEXT NOT NULL,      -- detected from the content, never the client's Content-Type
  size BIGINT NOT NULL,
  visibility TEXT NOT NULL CHECK (visibility IN ('all', 'authorities', 'certs')),
  description TEXT NOT NULL DEFAULT '',
  uploaded_by TEXT NOT NULL REFERENCES users (id),
  uploaded_by_name TEXT NOT NULL,
  organisation_id TEXT REFERENCES organisations (id),  -- the party the uploader acted for
  uploaded_at BIGINT NOT NULL
);
CREATE INDEX incident_attachments_incident ON incident_attachments (incident_id, id);
CREATE INDEX incident_attachments_file ON incident_attachments (file_sha256);
