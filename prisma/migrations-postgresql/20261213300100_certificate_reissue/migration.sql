-- Duplicate certificates: an admin reissues a certificate (lost, or a name corrected). The code
-- stays the same and valid; each duplicate is a row here, with what it printed and who issued it
-- (the audit log has why, too).
-- CreateTable
CREATE TABLE "CertificateReissue" (
    "id" TEXT NOT NULL,
    "certificateId" TEXT NOT NULL,
    "number" INTEGER NOT NULL,
    "learnerName" TEXT NOT NULL,
    "registrationNumber" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "reissuedById" TEXT NOT NULL,
    "reissuedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CertificateReissue_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CertificateReissue_certificateId_number_key" ON "CertificateReissue"("certificateId", "number");

-- AddForeignKey
ALTER TABLE "CertificateReissue" ADD CONSTRAINT "CertificateReissue_certificateId_fkey" FOREIGN KEY ("certificateId") REFERENCES "Certificate"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A duplicate is a record of a document handed out: never changed.
CREATE TRIGGER "CertificateReissue_no_update" BEFORE UPDATE ON "CertificateReissue"
FOR EACH ROW EXECUTE FUNCTION "vignette_refuse"('certificate reissues are immutable');

-- A revoked certificate has no duplicates made of it (app/models/completion.server.ts checks first).
CREATE FUNCTION "CertificateReissue_guard_insert"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF (SELECT "revokedAt" FROM "Certificate" WHERE "id" = NEW."certificateId") IS NOT NULL THEN
        RAISE EXCEPTION 'a revoked certificate cannot be reissued' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END;
$$;

CREATE TRIGGER "CertificateReissue_not_revoked" BEFORE INSERT ON "CertificateReissue"
FOR EACH ROW EXECUTE FUNCTION "CertificateReissue_guard_insert"();
