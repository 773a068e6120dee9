-- Idle sessions (issue 10, sign-in throttling without lockout): when a session was last used,
-- written at most once a minute; a session unused for SESSION_IDLE_MINUTES is signed out.
-- Existing sessions count as used now (SQLite takes only a constant default in ADD COLUMN).
ALTER TABLE "Session" ADD COLUMN "lastSeenAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP;
