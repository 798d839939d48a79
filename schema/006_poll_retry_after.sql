-- 006: what a server asked of us. A failed poll keeps the Retry-After it carried, so the
-- backoff of a feed (failures in a row, and the earliest next poll a server allows) is
-- derived from the database when trendd starts or a reload brings the feed back: a restart
-- never polls sooner than a server asked.

ALTER TABLE polls ADD COLUMN retry_after_s INTEGER;  -- Retry-After of the answer, seconds; NULL if none
