-- CreateTable
CREATE TABLE "CaseDraftEditor" (
    "draftId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "firstEditedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseDraftEditor_pkey" PRIMARY KEY ("draftId", "userId")
);

-- AddForeignKey
ALTER TABLE "CaseDraftEditor" ADD CONSTRAINT "CaseDraftEditor_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES "CaseDraft"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Backfill: every author the audit log shows creating or saving a draft, plus its creator and last
-- editor (the audit log is append-only, so it holds every save since the draft was made).
INSERT INTO "CaseDraftEditor" ("draftId", "userId", "firstEditedAt")
SELECT e."detail"::jsonb ->> 'draftId', e."actorId", MIN(e."createdAt")
FROM "AuditEntry" e
WHERE e."action" IN ('draft_created', 'draft_updated')
  AND e."actorId" IS NOT NULL
  AND e."detail"::jsonb ->> 'draftId' IN (SELECT "id" FROM "CaseDraft")
GROUP BY 1, 2
ON CONFLICT DO NOTHING;

INSERT INTO "CaseDraftEditor" ("draftId", "userId", "firstEditedAt")
SELECT "id", "createdById", "createdAt" FROM "CaseDraft"
ON CONFLICT DO NOTHING;

INSERT INTO "CaseDraftEditor" ("draftId", "userId", "firstEditedAt")
SELECT "id", "updatedById", "updatedAt" FROM "CaseDraft"
ON CONFLICT DO NOTHING;
