-- 003: the analysts' views, documented in docs/analytics.md.

-- One row per spike, with its term, draft and how long it lasted.
CREATE VIEW v_spikes AS
SELECT s.id            AS spike_id,
       s.rule,
       t.display       AS term,
       s.geo,
       f.name          AS feed,
       s.detected_at,
       s.traffic,
       s.traffic_label,
       s.previous_traffic,
       s.baseline,
       s.reason,
       s.status,
       s.resolved_at,
       round((julianday(s.last_seen_at) - julianday(s.detected_at))
             * 24 * 60) AS duration_minutes,
       s.action,
       d.id            AS draft_id,
       d.status        AS draft_status,
       d.slug          AS draft_slug
FROM spikes s
JOIN terms t ON t.id = s.term_id
JOIN feeds f ON f.id = s.feed_id
LEFT JOIN drafts d ON d.spike_id = s.id;

-- One row per term, feed and UTC day: how often and how high it trended.
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
FROM observations o
JOIN terms t ON t.id = o.term_id
JOIN feeds f ON f.id = o.feed_id
GROUP BY day, o.term_id, o.feed_id;

-- One row per feed: is it healthy, and since when is it failing.
CREATE VIEW v_feed_health AS
SELECT f.name AS feed,
       f.type,
       f.geo,
       f.enabled,
       last.started_at AS last_poll_at,
       last.outcome    AS last_outcome,
       last.error      AS last_error,
       last.items      AS last_items,
       (SELECT max(p.started_at) FROM polls p
         WHERE p.feed_id = f.id AND p.outcome IN ('ok', 'not_modified')) AS last_success_at,
       (SELECT count(*) FROM polls p
         WHERE p.feed_id = f.id AND p.outcome NOT IN ('ok', 'not_modified')
           AND p.id > coalesce((SELECT max(q.id) FROM polls q
                                 WHERE q.feed_id = f.id AND q.outcome IN ('ok', 'not_modified')), 0)
       ) AS failures_in_row,
       (SELECT count(*) FROM polls p
         WHERE p.feed_id = f.id AND p.started_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day'))
           AS polls_24h,
       (SELECT count(*) FROM polls p
         WHERE p.feed_id = f.id AND p.started_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 day')
           AND p.outcome NOT IN ('ok', 'not_modified')) AS failures_24h
FROM feeds f
LEFT JOIN polls last ON last.id = (SELECT max(id) FROM polls WHERE feed_id = f.id);

-- What drafting cost, per UTC day, drafter and model.
CREATE VIEW v_draft_costs AS
SELECT substr(coalesce(finished_at, created_at), 1, 10) AS day,
       coalesce(drafter, '') AS drafter,
       coalesce(model, '')   AS model,
       count(*)                                         AS drafts,
       sum(status IN ('draft', 'needs_review'))         AS succeeded,
       sum(status = 'failed')                           AS failed,
       coalesce(sum(prompt_tokens), 0)                  AS prompt_tokens,
       coalesce(sum(completion_tokens), 0)              AS completion_tokens,
       coalesce(sum(cached_tokens), 0)                  AS cached_tokens,
       round(coalesce(sum(cost_usd), 0), 6)             AS usd
FROM drafts
GROUP BY day, drafter, model;
