-- Files attached to incident cases (filled in by the attachments work).
SELECT 1;
