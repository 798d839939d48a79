-- 007: what the pages behind a story say (docs/enrichment.md). A draft job's story links to
-- news articles; each article's page is fetched once (pages, a job queue like drafts), its
-- text extracted (page_texts, with a full-text index), and the draft waits for them a while.

CREATE TABLE pages (
    id              INTEGER PRIMARY KEY,
    url             TEXT NOT NULL UNIQUE,        -- as the feed linked it
    host            TEXT NOT NULL,               -- lower case: what per-host politeness counts
    status          TEXT NOT NULL DEFAULT 'queued'
                    CHECK (status IN ('queued', 'fetching', 'done', 'failed')),
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,                        -- a retry waits until then
    fetched_at      TEXT,                        -- when the last attempt ended
    final_url       TEXT,                        -- after redirects
    http_status     INTEGER,
    outcome         TEXT CHECK (outcome IN ('article', 'not_html', 'consent_wall', 'paywall',
                        'js_shell', 'video_only', 'index_page', 'too_short', 'malformed',
                        'http_error', 'timeout', 'too_large', 'truncated', 'redirect_loop',
                        'network_error', 'blocked_address', 'robots_disallowed',
                        'robots_unreachable')),
    bytes           INTEGER,                     -- body bytes received (decompressed)
    content_type    TEXT,
    sha256          TEXT,                        -- hex digest of the body
    duration_ms     INTEGER,
    error           TEXT,                        -- why it is not an article, in words
    html            BLOB                         -- zlib-compressed body, only with [enrich] keep_html
);
CREATE INDEX idx_pages_due ON pages(status, next_attempt_at);
CREATE INDEX idx_pages_final_url ON pages(final_url);
CREATE INDEX idx_pages_fetched ON pages(fetched_at);

-- The text of every page that turned out to be an article.
CREATE TABLE page_texts (
    id            INTEGER PRIMARY KEY,
    page_id       INTEGER NOT NULL UNIQUE REFERENCES pages(id),
    canonical_url TEXT,
    title         TEXT NOT NULL,
    byline        TEXT,
    published_at  TEXT,
    site_name     TEXT,
    lang          TEXT,
    image         TEXT,
    description   TEXT,
    text          TEXT NOT NULL,                 -- paragraphs separated by a blank line
    word_count    INTEGER NOT NULL,
    method        TEXT NOT NULL CHECK (method IN ('json_ld', 'readability', 'description')),
    extracted_at  TEXT NOT NULL
);
CREATE INDEX idx_page_texts_canonical ON page_texts(canonical_url);

-- Full-text search over titles and texts: SELECT ... FROM page_fts WHERE page_fts MATCH 'x'.
-- External content (page_texts), kept in step by the triggers below.
CREATE VIRTUAL TABLE page_fts USING fts5(
    title, text, content = 'page_texts', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2');
CREATE TRIGGER page_texts_ai AFTER INSERT ON page_texts BEGIN
    INSERT INTO page_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;
CREATE TRIGGER page_texts_ad AFTER DELETE ON page_texts BEGIN
    INSERT INTO page_fts(page_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
END;
CREATE TRIGGER page_texts_au AFTER UPDATE ON page_texts BEGIN
    INSERT INTO page_fts(page_fts, rowid, title, text) VALUES ('delete', old.id, old.title, old.text);
    INSERT INTO page_fts(rowid, title, text) VALUES (new.id, new.title, new.text);
END;

-- Every article row whose page was queued points to it (several URLs may share one page).
ALTER TABLE articles ADD COLUMN page_id INTEGER REFERENCES pages(id);
CREATE INDEX idx_articles_page ON articles(page_id);

-- Which pages a draft job waits for, and until when (NULL: it does not wait).
CREATE TABLE draft_pages (
    draft_id INTEGER NOT NULL REFERENCES drafts(id),
    page_id  INTEGER NOT NULL REFERENCES pages(id),
    PRIMARY KEY (draft_id, page_id)
) WITHOUT ROWID;
CREATE INDEX idx_draft_pages_page ON draft_pages(page_id);
ALTER TABLE drafts ADD COLUMN pages_until TEXT;

-- robots.txt per origin (scheme://host[:port]), kept so that a restart does not ask again.
CREATE TABLE robots (
    origin      TEXT PRIMARY KEY,
    state       TEXT NOT NULL CHECK (state IN ('ok', 'unavailable', 'unreachable', 'refused')),
    fetched_at  TEXT NOT NULL,
    expires_at  TEXT NOT NULL,
    http_status INTEGER,
    body        TEXT,                            -- the rules as read (state 'ok')
    error       TEXT
);
