-- 001: what the feeds said. One row per fetch (polls), per distinct term (terms), per term seen
-- in a poll (observations), per news article (articles, unique by URL).
-- Times are UTC ISO-8601 text: 2025-11-03T18:21:16Z.

CREATE TABLE feeds (
    id            INTEGER PRIMARY KEY,
    name          TEXT NOT NULL UNIQUE,         -- [[feed]] name in the config
    type          TEXT NOT NULL,                -- parser: google-trends-rss, ...
    url           TEXT NOT NULL,
    geo           TEXT NOT NULL DEFAULT '',     -- ISO country code, '' when none
    enabled       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    etag          TEXT,                         -- conditional GET state of the last 200
    last_modified TEXT
);

CREATE TABLE polls (
    id          INTEGER PRIMARY KEY,
    feed_id     INTEGER NOT NULL REFERENCES feeds(id),
    started_at  TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    http_status INTEGER,                        -- NULL when no HTTP answer (network, file://)
    bytes       INTEGER NOT NULL DEFAULT 0,     -- body bytes received (after decompression)
    items       INTEGER,                        -- items parsed; NULL unless outcome = 'ok'
    outcome     TEXT NOT NULL CHECK (outcome IN ('ok', 'not_modified', 'http_error', 'timeout',
                    'too_large', 'truncated', 'redirect_loop', 'parse_error', 'network_error',
                    'blocked')),
    error       TEXT                            -- human-readable, NULL on ok / not_modified
);
CREATE INDEX idx_polls_feed_started ON polls(feed_id, started_at);

CREATE TABLE terms (
    id            INTEGER PRIMARY KEY,
    norm          TEXT NOT NULL UNIQUE,         -- case-folded, trimmed, inner spaces collapsed
    display       TEXT NOT NULL,                -- as first seen
    first_seen_at TEXT NOT NULL
);

CREATE TABLE observations (
    id             INTEGER PRIMARY KEY,
    poll_id        INTEGER NOT NULL REFERENCES polls(id),
    feed_id        INTEGER NOT NULL REFERENCES feeds(id),
    term_id        INTEGER NOT NULL REFERENCES terms(id),
    observed_at    TEXT NOT NULL,               -- when we fetched it
    started_at     TEXT,                        -- trend start as published (pubDate), UTC
    geo            TEXT NOT NULL DEFAULT '',
    rank           INTEGER NOT NULL,            -- 1 = first item of the feed
    traffic        INTEGER,                     -- lower bound of the bucket; NULL if unparseable
    traffic_label  TEXT NOT NULL,               -- as published: "20,000+"
    title          TEXT NOT NULL,               -- term as the feed wrote it this time
    picture_url    TEXT,
    picture_source TEXT
);
CREATE INDEX idx_observations_term_feed ON observations(term_id, feed_id, observed_at);
CREATE INDEX idx_observations_feed_observed ON observations(feed_id, observed_at);
CREATE INDEX idx_observations_observed ON observations(observed_at);

CREATE TABLE articles (
    id            INTEGER PRIMARY KEY,
    url           TEXT NOT NULL UNIQUE,
    title         TEXT NOT NULL,
    source        TEXT,
    picture_url   TEXT,
    snippet       TEXT,
    first_seen_at TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL
);

CREATE TABLE observation_articles (
    observation_id INTEGER NOT NULL REFERENCES observations(id),
    article_id     INTEGER NOT NULL REFERENCES articles(id),
    position       INTEGER NOT NULL,            -- order in the item, 1-based
    PRIMARY KEY (observation_id, article_id)
) WITHOUT ROWID;
CREATE INDEX idx_observation_articles_article ON observation_articles(article_id);
