-- 008: what the new sources say, and one story across terms and sources.
--
-- Observations keep what rss, hacker-news, mastodon-trends and wikipedia-top items carry. An
-- item's own link (an rss entry, a Hacker News story's link, a Mastodon link card) is an
-- article like a Google Trends news item, so it can be read and cited. A story groups the
-- spikes of one event across terms, rules and feeds; its signals say which sources saw it and
-- how strongly (corroboration). feed_health keeps each feed's health across restarts.

ALTER TABLE observations ADD COLUMN traffic_kind TEXT;   -- searches, rank, points, uses, shares, views; NULL before 008 (searches)
ALTER TABLE observations ADD COLUMN url TEXT;            -- the item's own link
ALTER TABLE observations ADD COLUMN discussion_url TEXT; -- Hacker News: the discussion page
ALTER TABLE observations ADD COLUMN author TEXT;
ALTER TABLE observations ADD COLUMN published_at TEXT;
ALTER TABLE observations ADD COLUMN comments INTEGER;    -- comment count (HN, slash:comments)
ALTER TABLE observations ADD COLUMN summary TEXT;
ALTER TABLE observations ADD COLUMN related TEXT;        -- JSON array: Google's related searches

ALTER TABLE articles ADD COLUMN author TEXT;
ALTER TABLE articles ADD COLUMN published_at TEXT;
ALTER TABLE articles ADD COLUMN platform TEXT NOT NULL DEFAULT 'news'; -- news, hackernews, mastodon: where it was first seen

ALTER TABLE polls ADD COLUMN url TEXT;   -- the URL fetched when it is not the feed's own (day placeholders)
ALTER TABLE polls ADD COLUMN as_of TEXT; -- the period the numbers describe (wikipedia-top: the day)

CREATE TABLE stories (
    id             INTEGER PRIMARY KEY,
    title          TEXT NOT NULL,               -- the first spike's term, as first seen
    opened_at      TEXT NOT NULL,               -- when its first spike fired
    last_seen_at   TEXT NOT NULL,               -- the newest last_seen_at of its spikes
    first_spike_id INTEGER REFERENCES spikes(id),
    draft_spike_id INTEGER REFERENCES spikes(id) -- the one spike whose draft is the story's
);
CREATE INDEX idx_stories_last_seen ON stories(last_seen_at);

ALTER TABLE spikes ADD COLUMN story_id INTEGER REFERENCES stories(id);
ALTER TABLE spikes ADD COLUMN story_match TEXT; -- how it joined its story: new story, same term, related search, shared coverage, similar headlines, contained, same words
ALTER TABLE spikes ADD COLUMN held TEXT;        -- why its draft job is held back (min_sources); NULL when not held
CREATE INDEX idx_spikes_story ON spikes(story_id);

-- The terms a story goes by: its spikes' terms and Google's related searches of them.
CREATE TABLE story_terms (
    story_id INTEGER NOT NULL REFERENCES stories(id),
    norm     TEXT NOT NULL,                     -- normalised, as terms.norm
    display  TEXT NOT NULL,
    role     TEXT NOT NULL CHECK (role IN ('spike', 'related search')),
    added_at TEXT NOT NULL,
    PRIMARY KEY (story_id, norm)
) WITHOUT ROWID;
CREATE INDEX idx_story_terms_norm ON story_terms(norm);

-- What each source said about a story: one row per story, feed and term, updated to the
-- newest observation.
CREATE TABLE story_signals (
    id             INTEGER PRIMARY KEY,
    story_id       INTEGER NOT NULL REFERENCES stories(id),
    platform       TEXT NOT NULL,               -- google-trends, news, hackernews, mastodon, wikipedia
    feed_id        INTEGER NOT NULL REFERENCES feeds(id),
    term_id        INTEGER NOT NULL REFERENCES terms(id),
    observation_id INTEGER NOT NULL REFERENCES observations(id), -- the newest
    term           TEXT NOT NULL,               -- what the source called it: a term, a headline, '#Tag'
    url            TEXT,                        -- its link: the HN discussion, the Wikipedia article, ...
    traffic        INTEGER,
    traffic_label  TEXT NOT NULL,
    traffic_kind   TEXT NOT NULL,
    rank           INTEGER,
    comments       INTEGER,
    level          REAL NOT NULL,               -- 0.1 .. 1: how strong this signal is (docs/analytics.md)
    match          TEXT NOT NULL,               -- spike, or how the item matched the story
    first_seen_at  TEXT NOT NULL,
    seen_at        TEXT NOT NULL,
    UNIQUE (story_id, feed_id, term_id)
);

-- Each feed's health (docs/sources.md, "Source health"), kept across restarts.
CREATE TABLE feed_health (
    feed_id           INTEGER PRIMARY KEY REFERENCES feeds(id),
    content_hash      TEXT,                     -- of its last item list
    content_since     TEXT,                     -- when that content was first seen
    content_polls     INTEGER NOT NULL DEFAULT 0, -- answers that carried it (304s included)
    change_interval_s REAL,                     -- learnt: how long its content usually lasts
    changes           INTEGER NOT NULL DEFAULT 0, -- content changes seen
    fields            TEXT NOT NULL DEFAULT '', -- polls in a row in which most items had each field
    no_items_since    TEXT,
    frozen_since      TEXT,
    drift_since       TEXT,
    drift_fields      TEXT,                     -- the fields its items lost, comma-separated
    problems          TEXT,                     -- what is wrong, in words; NULL when healthy
    updated_at        TEXT NOT NULL
);

-- The views, again, with what 008 adds.

DROP VIEW v_spikes;
DROP VIEW v_feed_health;

-- One row per story: its spikes, terms, sources and draft.
CREATE VIEW v_stories AS
SELECT s.id AS story_id,
       s.title,
       s.opened_at,
       s.last_seen_at,
       (SELECT count(*) FROM spikes x WHERE x.story_id = s.id) AS spikes,
       (SELECT group_concat(display, ', ') FROM story_terms
         WHERE story_id = s.id AND role = 'spike') AS terms,
       (SELECT group_concat(platform, '+') FROM
          (SELECT DISTINCT platform FROM story_signals WHERE story_id = s.id ORDER BY platform))
         || ' (' || (SELECT count(DISTINCT platform) FROM story_signals WHERE story_id = s.id)
         || ')' AS sources,
       (SELECT count(DISTINCT platform) FROM story_signals WHERE story_id = s.id) AS source_count,
       (SELECT round(sum(best), 2) FROM
          (SELECT max(level) AS best FROM story_signals WHERE story_id = s.id GROUP BY platform))
         AS strength,
       s.draft_spike_id,
       d.id     AS draft_id,
       d.status AS draft_status,
       d.slug   AS draft_slug,
       (SELECT held FROM spikes x WHERE x.id = s.draft_spike_id) AS held
FROM stories s
LEFT JOIN drafts d ON d.spike_id = s.draft_spike_id;

-- One row per story and source type: the corroboration of a story, its best signal first.
CREATE VIEW v_story_sources AS
WITH ranked AS (
    SELECT g.*,
           f.name AS feed,
           row_number() OVER (PARTITION BY g.story_id, g.platform
                              ORDER BY g.level DESC, g.seen_at DESC, g.id) AS n,
           count(*) OVER (PARTITION BY g.story_id, g.platform) AS platform_signals,
           min(g.first_seen_at) OVER (PARTITION BY g.story_id, g.platform) AS platform_first_seen_at,
           max(g.seen_at) OVER (PARTITION BY g.story_id, g.platform) AS platform_last_seen_at
    FROM story_signals g
    JOIN feeds f ON f.id = g.feed_id)
SELECT r.story_id,
       s.title                  AS story,
       r.platform,
       r.platform_signals       AS signals,
       r.feed,
       r.term,
       r.url,
       r.traffic,
       r.traffic_label,
       r.traffic_kind,
       r.comments,
       round(r.level, 2)        AS level,
       r.match,
       r.platform_first_seen_at AS first_seen_at,
       r.platform_last_seen_at  AS last_seen_at
FROM ranked r
JOIN stories s ON s.id = r.story_id
WHERE r.n = 1;

-- One row per spike, with its term, feed, duration, draft, and its story's corroboration.
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
       d.slug          AS draft_slug,
       s.story_id,
       s.story_match,
       st.sources,
       st.source_count,
       st.strength,
       s.held
FROM spikes s
JOIN terms t ON t.id = s.term_id
JOIN feeds f ON f.id = s.feed_id
LEFT JOIN drafts d ON d.spike_id = s.id
LEFT JOIN v_stories st ON st.story_id = s.story_id;

-- One row per feed: is it healthy, since when is it failing, and is it quiet or broken.
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
           AND p.outcome NOT IN ('ok', 'not_modified')) AS failures_24h,
       h.problems AS health
FROM feeds f
LEFT JOIN polls last ON last.id = (SELECT max(id) FROM polls WHERE feed_id = f.id)
LEFT JOIN feed_health h ON h.feed_id = f.id;
