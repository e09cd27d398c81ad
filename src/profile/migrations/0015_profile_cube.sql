-- The threat profile's roll-ups, reshaped so that any query reads a few thousand rows at most, at
-- ten million incidents as at ten (profile/rollup.h explains the shape; rollup.cc keeps it).
--
-- 0013 kept one fine grain (month × sector × class × type × severity × root cause), nearly as
-- fine as the incidents, and one row per organisation per cell that every aggregate query read.
-- Here each incident counts in several "cuts" (which of class, type, severity and root cause a
-- row keeps; '*' stands for a dimension the cut sums over) and at three grains (month, quarter,
-- year; `month` is the first month of the bin), and each row of the cuts the small-cell rule
-- reads carries how many organisations it describes.
--
-- Both tables are filled from the 0013 roll-ups, which the write path kept exact.

CREATE TABLE profile_cells (
  cut INTEGER NOT NULL,    -- 0 sector, 1 class, 2 severity, 3 class × severity, 4 class × type,
                           -- 5 root cause, 6 all four
  grain INTEGER NOT NULL,  -- 0 month, 1 quarter, 2 year
  month INTEGER NOT NULL,  -- yyyymm of the bin's first month
  sector_id TEXT NOT NULL,
  rsit_class TEXT NOT NULL,
  rsit_type TEXT NOT NULL,
  severity TEXT NOT NULL,
  root_cause TEXT NOT NULL,
  incidents BIGINT NOT NULL DEFAULT 0,
  significant BIGINT NOT NULL DEFAULT 0,
  cross_border BIGINT NOT NULL DEFAULT 0,
  malicious BIGINT NOT NULL DEFAULT 0,
  services_disrupted BIGINT NOT NULL DEFAULT 0,
  users_affected BIGINT NOT NULL DEFAULT 0,
  users_affected_n BIGINT NOT NULL DEFAULT 0,
  hours_lost BIGINT NOT NULL DEFAULT 0,
  hours_lost_n BIGINT NOT NULL DEFAULT 0,
  financial_loss_eur BIGINT NOT NULL DEFAULT 0,
  financial_loss_n BIGINT NOT NULL DEFAULT 0,
  to_early_warning_ms BIGINT NOT NULL DEFAULT 0,
  to_early_warning_n BIGINT NOT NULL DEFAULT 0,
  to_final_ms BIGINT NOT NULL DEFAULT 0,
  to_final_n BIGINT NOT NULL DEFAULT 0,
  to_resolution_ms BIGINT NOT NULL DEFAULT 0,
  to_resolution_n BIGINT NOT NULL DEFAULT 0,
  -- Distinct organisations with incidents in the row (cuts 0–3 only; 0 in the others). Not
  -- additive: a union of rows describes at least the largest of them.
  organisations BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (cut, grain, month, sector_id, rsit_class, rsit_type, severity, root_cause)
);

-- How many incidents each organisation has in a row of cuts 0–3: what keeps `organisations`
-- exact on every write (an organisation arrives at 0 → 1 and leaves at 1 → 0), and what the
-- small-cell rule reads for the few rows that describe fewer organisations than it needs.
-- Rows at zero are deleted.
CREATE TABLE profile_presence (
  cut INTEGER NOT NULL,
  grain INTEGER NOT NULL,
  month INTEGER NOT NULL,
  sector_id TEXT NOT NULL,
  rsit_class TEXT NOT NULL,
  severity TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  incidents BIGINT NOT NULL,
  PRIMARY KEY (cut, grain, month, sector_id, rsit_class, severity, organisation_id)
);

CREATE TABLE profile_fill_cuts (
  cut INTEGER NOT NULL,
  keeps_class INTEGER NOT NULL,
  keeps_type INTEGER NOT NULL,
  keeps_severity INTEGER NOT NULL,
  keeps_root_cause INTEGER NOT NULL
);
INSERT INTO profile_fill_cuts VALUES (0, 0, 0, 0, 0), (1, 1, 0, 0, 0), (2, 0, 0, 1, 0),
  (3, 1, 0, 1, 0), (4, 1, 1, 0, 0), (5, 0, 0, 0, 1), (6, 1, 1, 1, 1);
CREATE TABLE profile_fill_grains (grain INTEGER NOT NULL);
INSERT INTO profile_fill_grains VALUES (0), (1), (2);

INSERT INTO profile_cells (cut, grain, month, sector_id, rsit_class, rsit_type, severity,
  root_cause, incidents, significant, cross_border, malicious, services_disrupted, users_affected,
  users_affected_n, hours_lost, hours_lost_n, financial_loss_eur, financial_loss_n,
  to_early_warning_ms, to_early_warning_n, to_final_ms, to_final_n, to_resolution_ms,
  to_resolution_n)
SELECT c.cut, g.grain,
  CASE g.grain WHEN 0 THEN m.month WHEN 1 THEN m.month - (m.month % 100 - 1) % 3
    ELSE m.month / 100 * 100 + 1 END,
  m.sector_id,
  CASE WHEN c.keeps_class = 1 THEN m.rsit_class ELSE '*' END,
  CASE WHEN c.keeps_type = 1 THEN m.rsit_type ELSE '*' END,
  CASE WHEN c.keeps_severity = 1 THEN m.severity ELSE '*' END,
  CASE WHEN c.keeps_root_cause = 1 THEN m.root_cause ELSE '*' END,
  SUM(m.incidents), SUM(m.significant), SUM(m.cross_border), SUM(m.malicious),
  SUM(m.services_disrupted), SUM(m.users_affected), SUM(m.users_affected_n), SUM(m.hours_lost),
  SUM(m.hours_lost_n), SUM(m.financial_loss_eur), SUM(m.financial_loss_n),
  SUM(m.to_early_warning_ms), SUM(m.to_early_warning_n), SUM(m.to_final_ms), SUM(m.to_final_n),
  SUM(m.to_resolution_ms), SUM(m.to_resolution_n)
FROM profile_months m, profile_fill_cuts c, profile_fill_grains g
WHERE m.incidents > 0
GROUP BY 1, 2, 3, 4, 5, 6, 7, 8;

INSERT INTO profile_presence (cut, grain, month, sector_id, rsit_class, severity,
  organisation_id, incidents)
SELECT c.cut, g.grain,
  CASE g.grain WHEN 0 THEN o.month WHEN 1 THEN o.month - (o.month % 100 - 1) % 3
    ELSE o.month / 100 * 100 + 1 END,
  o.sector_id,
  CASE WHEN c.keeps_class = 1 THEN o.rsit_class ELSE '*' END,
  CASE WHEN c.keeps_severity = 1 THEN o.severity ELSE '*' END,
  o.organisation_id, SUM(o.incidents)
FROM profile_organisations o, profile_fill_cuts c, profile_fill_grains g
WHERE c.cut <= 3 AND o.incidents > 0
GROUP BY 1, 2, 3, 4, 5, 6, 7;

UPDATE profile_cells SET organisations = (
  SELECT COUNT(*) FROM profile_presence p
  WHERE p.cut = profile_cells.cut AND p.grain = profile_cells.grain
    AND p.month = profile_cells.month AND p.sector_id = profile_cells.sector_id
    AND p.rsit_class = profile_cells.rsit_class AND p.severity = profile_cells.severity)
WHERE cut <= 3;

DROP TABLE profile_fill_cuts;
DROP TABLE profile_fill_grains;
DROP TABLE profile_organisations;
DROP TABLE profile_months;
