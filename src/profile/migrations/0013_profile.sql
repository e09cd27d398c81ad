-- The national threat profile's roll-ups, kept in the same transaction as every incident write
-- (profile/rollup.cc), so a report filed now counts now, on both stores and with several servers.
-- `rampart profile verify` recomputes them from the incidents and must agree.
--
-- Rejected, duplicate and merged cases count nowhere: they are not incidents of their own.
-- An empty text means "not known yet": not classified, severity not assessed, no root cause.

-- Volume and impact per month (of becoming aware, UTC) × sector × RSIT class and type × severity ×
-- root cause. Impact sums cover the incidents whose measure is known; the *_n columns count them.
CREATE TABLE profile_months (
  month INTEGER NOT NULL,  -- yyyymm
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
  -- Milliseconds from becoming aware to the early warning, the final report and resolution.
  to_early_warning_ms BIGINT NOT NULL DEFAULT 0,
  to_early_warning_n BIGINT NOT NULL DEFAULT 0,
  to_final_ms BIGINT NOT NULL DEFAULT 0,
  to_final_n BIGINT NOT NULL DEFAULT 0,
  to_resolution_ms BIGINT NOT NULL DEFAULT 0,
  to_resolution_n BIGINT NOT NULL DEFAULT 0,
  PRIMARY KEY (month, sector_id, rsit_class, rsit_type, severity, root_cause)
);

-- How many incidents each organisation has in a month × sector × class × severity: what the
-- small-cell rule needs (how many organisations a published figure describes). Rows at zero are
-- deleted, so every row is an organisation that is present.
CREATE TABLE profile_organisations (
  month INTEGER NOT NULL,
  sector_id TEXT NOT NULL,
  rsit_class TEXT NOT NULL,
  severity TEXT NOT NULL,
  organisation_id TEXT NOT NULL,
  incidents BIGINT NOT NULL,
  PRIMARY KEY (month, sector_id, rsit_class, severity, organisation_id)
);
