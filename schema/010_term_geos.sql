-- 010: what analytics needs on a year of data without scanning every observation.
-- term_geos: one row per term and country, kept by a trigger as observations arrive (and
-- filled here from the observations already stored): which countries a term trended in,
-- how often, how high, from when to when. Independent of every other table but observations.
CREATE TABLE term_geos (
    term_id       INTEGER NOT NULL REFERENCES terms(id),
    geo           TEXT NOT NULL,
    observations  INTEGER NOT NULL,
    peak_traffic  INTEGER,                      -- max(observations.traffic); NULL if none parsed
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    PRIMARY KEY (term_id, geo)
) WITHOUT ROWID;

INSERT INTO term_geos (term_id, geo, observations, peak_traffic, first_seen_at, last_seen_at)
SELECT term_id, geo, count(*), max(traffic), min(observed_at), max(observed_at)
FROM observations
GROUP BY term_id, geo;

CREATE TRIGGER trg_observations_term_geos AFTER INSERT ON observations
BEGIN
    INSERT INTO term_geos (term_id, geo, observations, peak_traffic, first_seen_at, last_seen_at)
    VALUES (NEW.term_id, NEW.geo, 1, NEW.traffic, NEW.observed_at, NEW.observed_at)
    ON CONFLICT (term_id, geo) DO UPDATE SET
        observations  = observations + 1,
        peak_traffic  = CASE WHEN peak_traffic IS NULL OR excluded.peak_traffic > peak_traffic
                             THEN excluded.peak_traffic ELSE peak_traffic END,
        first_seen_at = min(first_seen_at, excluded.first_seen_at),
        last_seen_at  = max(last_seen_at, excluded.last_seen_at);
END;

-- v_term_daily, same columns and rows as in 003, but `WHERE term = '...'` now reaches the
-- observations of that term through idx_observations_term_feed instead of aggregating the
-- whole table first: the display form is a grouping column (one per term_id, so the groups
-- do not change), which lets SQLite push the filter into the view, and CROSS JOIN makes terms
-- the outer loop.
DROP VIEW v_term_daily;
CREATE VIEW v_term_daily AS
SELECT substr(o.observed_at, 1, 10) AS day,
       t.display                    AS term,
       o.geo,
       f.name                       AS feed,
       count(*)                     AS observations,
       min(o.traffic)               AS min_traffic,
       max(o.traffic)               AS max_traffic,
       min(o.rank)                  AS best_rank,
       min(o.observed_at)           AS first_seen_at,
       max(o.observed_at)           AS last_seen_at
FROM terms t
CROSS JOIN observations o ON o.term_id = t.id
JOIN feeds f ON f.id = o.feed_id
GROUP BY day, o.term_id, t.display, o.feed_id;
