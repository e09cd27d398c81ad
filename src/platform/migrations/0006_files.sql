-- Stored files: content-addressed bytes shared by every domain that keeps files (filled in by the attachments work).
SELECT 1;
