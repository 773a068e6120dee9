-- Account closure and the retention purge (issue 11, Privacy).

-- When the person closed their account; their profile is anonymized then and nothing else changes it.
ALTER TABLE "User" ADD COLUMN "closedAt" TIMESTAMP(3);

-- CreateTable
-- The one door through the completion records' delete trigger: `npm run records:purge` inserts this
-- single row at the start of its transaction and deletes it before committing, so it is never seen
-- outside that transaction.
CREATE TABLE "RecordPurge" (
    "id" INTEGER NOT NULL CHECK ("id" = 1),
    "cutoff" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RecordPurge_pkey" PRIMARY KEY ("id")
);

-- Completion records stay immutable and are still never deleted, with one exception the database
-- itself checks: while a purge is under way, a record of a closed account completed before the
-- purge's cutoff (the end of its retention period) may go. An open account's records never can.
DROP TRIGGER "Completion_no_delete" ON "Completion";

CREATE FUNCTION "Completion_guard_delete"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (
        SELECT 1 FROM "RecordPurge" p, "User" u
        WHERE u."id" = OLD."userId" AND u."closedAt" IS NOT NULL
          AND OLD."completedAt" < p."cutoff"
    ) THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'completion records are never deleted, except by records:purge past retention'
        USING ERRCODE = 'restrict_violation';
END;
$$;

CREATE TRIGGER "Completion_no_delete" BEFORE DELETE ON "Completion"
FOR EACH ROW EXECUTE FUNCTION "Completion_guard_delete"();
