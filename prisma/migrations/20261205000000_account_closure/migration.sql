-- Account closure and the retention purge (issue 11, Privacy).

-- When the person closed their account; their profile is anonymized then and nothing else changes it.
ALTER TABLE "User" ADD COLUMN "closedAt" DATETIME;

-- CreateTable
-- The one door through the completion records' delete trigger: `npm run records:purge` inserts this
-- single row at the start of its transaction and deletes it before committing, so it is never seen
-- outside that transaction.
CREATE TABLE "RecordPurge" (
    "id" INTEGER NOT NULL PRIMARY KEY CHECK ("id" = 1),
    "cutoff" DATETIME NOT NULL
);

-- Completion records stay immutable and are still never deleted, with one exception the database
-- itself checks: while a purge is under way, a record of a closed account completed before the
-- purge's cutoff (the end of its retention period) may go. An open account's records never can.
-- julianday() compares instants whatever the text form (Prisma writes "...T...+00:00").
DROP TRIGGER "Completion_no_delete";

CREATE TRIGGER "Completion_no_delete" BEFORE DELETE ON "Completion"
WHEN NOT EXISTS (
    SELECT 1 FROM "RecordPurge" p, "User" u
    WHERE u."id" = OLD."userId" AND u."closedAt" IS NOT NULL
      AND julianday(OLD."completedAt") < julianday(p."cutoff")
)
BEGIN
    SELECT RAISE(ABORT, 'completion records are never deleted, except by records:purge past retention');
END;
