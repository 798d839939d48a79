-- 013: term_geos (010) is kept by trendd's store instead of a trigger: an ingest transaction
-- tallies its observations per term and country and writes one upsert per (term, geo) before
-- it commits (Store::write_term_geos), not one per observation. Same rows, same transaction;
-- a backtest writes a fifth as many. Rows written into observations by anything but trendd
-- no longer reach term_geos.
DROP TRIGGER trg_observations_term_geos;
