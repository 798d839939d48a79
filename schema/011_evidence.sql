-- 011: the evidence ledger. One row per checkable claim of a draft's body (number, amount,
-- percentage, date, quote, name), in order of appearance, with where it came from: a sentence
-- of a source's stored text (page_texts.text joined by blank lines, or the item's title or
-- snippet) at a byte offset, trendd's own data, or nothing (unverified). Written in the
-- transaction that completes the draft; a redo of the same revision replaces its rows.
CREATE TABLE draft_evidence (
    draft_id     INTEGER NOT NULL REFERENCES drafts(id),
    revision     INTEGER NOT NULL DEFAULT 1,    -- the draft revision, numbered from 1
    position     INTEGER NOT NULL,              -- 0-based order of the claim in the body
    kind         TEXT NOT NULL
                 CHECK (kind IN ('number', 'amount', 'percentage', 'date', 'quote', 'name')),
    claim        TEXT NOT NULL,                 -- as written in the body
    status       TEXT NOT NULL CHECK (status IN ('traced', 'unverified')),
    origin       TEXT CHECK (origin IN ('source', 'data')),  -- NULL when unverified
    source_index INTEGER,                       -- [n] of the draft's Sources; NULL if none
    page_text_id INTEGER REFERENCES page_texts(id),  -- when the sentence is an extracted text's
    url          TEXT,                          -- the source's URL
    sentence     TEXT,                          -- the supporting sentence
    offset       INTEGER,                       -- its byte offset in the stored text
    PRIMARY KEY (draft_id, revision, position)
) WITHOUT ROWID;
