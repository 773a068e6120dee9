-- CreateTable
CREATE TABLE "CaseDraftEditor" (
    "draftId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "firstEditedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,

    PRIMARY KEY ("draftId", "userId"),
    CONSTRAINT "CaseDraftEditor_draftId_fkey" FOREIGN KEY ("draftId") REFERENCES "CaseDraft" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- Backfill: every author the audit log shows creating or saving a draft, plus its creator and last
-- editor (the audit log is append-only, so it holds every save since the draft was made).
INSERT OR IGNORE INTO "CaseDraftEditor" ("draftId", "userId", "firstEditedAt")
SELECT json_extract(e."detail", '$.draftId'), e."actorId", e."createdAt"
FROM "AuditEntry" e
WHERE e."action" IN ('draft_created', 'draft_updated')
  AND e."actorId" IS NOT NULL
  AND json_extract(e."detail", '$.draftId') IN (SELECT "id" FROM "CaseDraft")
ORDER BY e."createdAt";

INSERT OR IGNORE INTO "CaseDraftEditor" ("draftId", "userId", "firstEditedAt")
SELECT "id", "createdById", "createdAt" FROM "CaseDraft";

INSERT OR IGNORE INTO "CaseDraftEditor" ("draftId", "userId", "firstEditedAt")
SELECT "id", "updatedById", "updatedAt" FROM "CaseDraft";
