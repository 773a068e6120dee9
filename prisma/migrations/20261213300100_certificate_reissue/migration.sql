-- Duplicate certificates: an admin reissues a certificate (lost, or a name corrected). The code
-- stays the same and valid; each duplicate is a row here, with what it printed and who issued it
-- (the audit log has why, too).
CREATE TABLE "CertificateReissue" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "certificateId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "learnerName" TEXT NOT NULL,
    "registrationNumber" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "reissuedById" TEXT NOT NULL,
    "reissuedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "CertificateReissue_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CertificateReissue_certificateId_number_key" ON "CertificateReissue"("certificateId", "number");

-- A duplicate is a record of a document handed out: never changed.
CREATE TRIGGER "CertificateReissue_no_update" BEFORE UPDATE ON "CertificateReissue"
BEGIN
    SELECT RAISE(ABORT, 'certificate reissues are immutable');
END;

-- A revoked certificate has no duplicates made of it (app/models/completion.server.ts checks first).
CREATE TRIGGER "CertificateReissue_not_revoked" BEFORE INSERT ON "CertificateReissue"
WHEN (SELECT "revokedAt" FROM "Certificate" WHERE "id" = NEW."certificateId") IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a revoked certificate cannot be reissued');
END;
