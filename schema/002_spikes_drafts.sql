-- 002: what the rules made of it. A spike is one (rule, term) story; a draft is the explainer
-- job of a spike whose rule says action = 'draft'. Both are written in the transaction that
-- stores the observation that caused them.

CREATE TABLE spikes (
    id             INTEGER PRIMARY KEY,
    rule           TEXT NOT NULL,                -- [[rule]] name
    action         TEXT NOT NULL CHECK (action IN ('draft', 'record')),
    term_id        INTEGER NOT NULL REFERENCES terms(id),
    feed_id        INTEGER NOT NULL REFERENCES feeds(id),   -- feed of the triggering observation
    observation_id INTEGER NOT NULL REFERENCES observations(id),
    geo            TEXT NOT NULL DEFAULT '',
    detected_at    TEXT NOT NULL,
    traffic        INTEGER NOT NULL,
    traffic_label  TEXT NOT NULL,
    previous_traffic INTEGER,                    -- the term's previous observation in the feed
    baseline       REAL,                         -- median traffic over the rule's window
    reason         TEXT NOT NULL,                -- human-readable: why it fired
    status         TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved')),
    last_seen_at   TEXT NOT NULL,                -- last observation that still met the rule
    resolved_at    TEXT
);
CREATE INDEX idx_spikes_rule_term ON spikes(rule, term_id, detected_at);
CREATE INDEX idx_spikes_detected ON spikes(detected_at);
CREATE INDEX idx_spikes_open ON spikes(status) WHERE status = 'open';

CREATE TABLE drafts (
    id                INTEGER PRIMARY KEY,
    spike_id          INTEGER NOT NULL UNIQUE REFERENCES spikes(id),
    status            TEXT NOT NULL DEFAULT 'queued'
                      CHECK (status IN ('queued', 'drafting', 'draft', 'needs_review', 'failed')),
    created_at        TEXT NOT NULL,
    started_at        TEXT,
    finished_at       TEXT,
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_error        TEXT,
    next_attempt_at   TEXT,                      -- a retry waits until then
    drafter           TEXT,                      -- builtin | openai
    model             TEXT,
    slug              TEXT UNIQUE,
    path              TEXT,                      -- the Markdown file in drafts_dir
    title             TEXT,
    summary           TEXT,
    markdown          TEXT,                      -- the whole file, front matter included
    word_count        INTEGER,
    unverified        TEXT,                      -- JSON array of strings
    prompt_tokens     INTEGER,
    completion_tokens INTEGER,
    cached_tokens     INTEGER,
    cost_usd          REAL,
    raw_reply         TEXT                       -- provider reply kept so it is never paid twice
);
CREATE INDEX idx_drafts_status ON drafts(status);
