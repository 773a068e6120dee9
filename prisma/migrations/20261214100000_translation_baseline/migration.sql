-- Translators' files (issue 13, ADR 020): per case and target locale, the hash of each source text
-- as of the last XLIFF import, so the next export marks the texts changed since for review.
CREATE TABLE "TranslationBaseline" (
    "slug" TEXT NOT NULL,
    "targetLocale" TEXT NOT NULL,
    "regulator" TEXT NOT NULL,
    "sourceLocale" TEXT NOT NULL,
    "hashes" TEXT NOT NULL,
    "draftId" TEXT,
    "updatedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedById" TEXT,

    PRIMARY KEY ("slug", "targetLocale")
);

CREATE INDEX "TranslationBaseline_regulator_idx" ON "TranslationBaseline"("regulator");
