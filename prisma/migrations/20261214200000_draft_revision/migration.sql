-- Each save of a draft counts one revision: a save names the revision it was made from, and one
-- made from an older revision than the stored one is refused (two authors never overwrite each
-- other silently; app/models/studio.server.ts updateDraft).
ALTER TABLE "CaseDraft" ADD COLUMN "revision" INTEGER NOT NULL DEFAULT 0;
