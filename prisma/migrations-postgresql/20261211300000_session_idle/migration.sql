-- Idle sessions (issue 10, sign-in throttling without lockout): when a session was last used,
-- written at most once a minute; a session unused for SESSION_IDLE_MINUTES is signed out.
-- Existing sessions count as used now.
ALTER TABLE "Session" ADD COLUMN "lastSeenAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;
