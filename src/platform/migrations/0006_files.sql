-- older-binaries-from: 5
-- Stored files: content-addressed bytes shared by every domain that keeps files (platform/files.h).
-- The bytes live here, in the database, so that the transaction that records an upload also holds
-- its content, and a backup of the database is a backup of the files.

-- One row per distinct content, keyed by its SHA-256: the same bytes uploaded twice are stored once.
-- BYTEA is PostgreSQL's type for bytes; SQLite accepts the name and keeps the bound BLOB as it is.
CREATE TABLE files (
  sha256 TEXT PRIMARY KEY,     -- 64 lowercase hex digits of the content
  size BIGINT NOT NULL,        -- bytes
  media_type TEXT NOT NULL,    -- as detected from the content when first stored (files::Sniff)
  content BYTEA NOT NULL,
  created_at BIGINT NOT NULL
);
