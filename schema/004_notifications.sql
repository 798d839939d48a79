-- 004: webhook deliveries of finished drafts ([notify] webhook_url). One row per draft, retried
-- with backoff until delivered or given up.

CREATE TABLE notifications (
    id              INTEGER PRIMARY KEY,
    draft_id        INTEGER NOT NULL UNIQUE REFERENCES drafts(id),
    status          TEXT NOT NULL DEFAULT 'pending'
                    CHECK (status IN ('pending', 'delivered', 'failed')),
    created_at      TEXT NOT NULL,
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at TEXT,
    http_status     INTEGER,
    last_error      TEXT,
    delivered_at    TEXT
);
CREATE INDEX idx_notifications_status ON notifications(status);
