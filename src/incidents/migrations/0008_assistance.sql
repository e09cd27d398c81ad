-- Requests for assistance (filled in by the assistance work).
SELECT 1;
