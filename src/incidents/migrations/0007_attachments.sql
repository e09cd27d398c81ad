-- Files attached to incident cases: the case side (filled in by the attachments work).
SELECT 1;
