-- 005: one row per paid LLM call, at the time its reply arrived. The daily spending cap sums
-- these by UTC day, so a job retried across midnight counts each call on its own day.

CREATE TABLE llm_calls (
    id                INTEGER PRIMARY KEY,
    draft_id          INTEGER NOT NULL REFERENCES drafts(id),
    at                TEXT NOT NULL,
    model             TEXT NOT NULL,
    prompt_tokens     INTEGER NOT NULL,
    completion_tokens INTEGER NOT NULL,
    cached_tokens     INTEGER,
    cost_usd          REAL NOT NULL
);
CREATE INDEX idx_llm_calls_at ON llm_calls(at);
