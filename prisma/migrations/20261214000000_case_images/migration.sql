-- Images in cases (issue 13, ADR 022): stored once per regulator under the sha256 of the bytes the
-- player gets (re-encoded WebP), so a case version's image addresses never change content. Only
-- publishedAt is ever set after the insert (once, when a published version is seen naming it).
CREATE TABLE "CaseImage" (
    "regulator" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "mime" TEXT NOT NULL,
    "width" INTEGER NOT NULL,
    "height" INTEGER NOT NULL,
    "bytes" BLOB NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdById" TEXT,
    "publishedAt" DATETIME,

    PRIMARY KEY ("regulator", "sha256")
);

CREATE INDEX "CaseImage_sha256_idx" ON "CaseImage"("sha256");
