-- 012: revised drafts. A story that gains new coverage while its spike is open is drafted again
-- (docs/drafting.md, "Revisions"): the same drafts row and file, its revision counted up; the
-- revision it replaces is kept in draft_revisions.

ALTER TABLE drafts ADD COLUMN revision INTEGER NOT NULL DEFAULT 1; -- 1, then 2, 3 ... once revised
ALTER TABLE drafts ADD COLUMN source_urls TEXT; -- JSON array: the URLs the current text cites; NULL before 011
ALTER TABLE drafts ADD COLUMN page_urls TEXT;   -- JSON array: the story's news items whose page text it had; NULL before 011
ALTER TABLE drafts ADD COLUMN revised_at TEXT;  -- when the current revision was queued; NULL for revision 1

-- Every revision a newer one replaced, as it was.
CREATE TABLE draft_revisions (
    draft_id    INTEGER NOT NULL REFERENCES drafts(id),
    revision    INTEGER NOT NULL,                -- 1, 2, ...
    status      TEXT NOT NULL,                   -- draft | needs_review, as it was
    drafter     TEXT,
    model       TEXT,
    title       TEXT,
    summary     TEXT,
    markdown    TEXT,                            -- the whole file, front matter included
    word_count  INTEGER,
    unverified  TEXT,                            -- JSON array of strings
    source_urls TEXT,                            -- JSON array: the URLs it cited
    cost_usd    REAL,                            -- what the drafts row had counted by then
    queued_at   TEXT NOT NULL,                   -- when this revision was queued
    finished_at TEXT,                            -- when it was written
    replaced_at TEXT NOT NULL,                   -- when the next revision was queued
    new_urls    TEXT NOT NULL,                   -- JSON array: the new pages that caused it
    PRIMARY KEY (draft_id, revision)
) WITHOUT ROWID;
