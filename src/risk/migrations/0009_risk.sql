-- Risk analysis (filled in by the risk work).
SELECT 1;
