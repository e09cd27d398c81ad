-- Fewer index entries to rewrite when scores change. A scale change rescores every scenario of
-- the analysis, and every index that carries current_risk is rewritten for every scenario. The
-- register filtered by one asset, one threat or one owner reads few enough rows (an asset has a
-- handful of scenarios, a threat a few hundred, an owner a few thousand at most) that sorting
-- them after the lookup costs less than keeping three more indexes in risk order, so these now
-- hold only the key they are looked up by and a rescore leaves them alone. Scenarios by asset
-- need no index of their own: the unique (asset_id, threat_id, vulnerability_id) serves them.
DROP INDEX risk_scenarios_asset;
DROP INDEX risk_scenarios_threat;
DROP INDEX risk_scenarios_owner;
CREATE INDEX risk_scenarios_threat ON risk_scenarios (threat_id);
CREATE INDEX risk_scenarios_owner ON risk_scenarios (owner_id);
