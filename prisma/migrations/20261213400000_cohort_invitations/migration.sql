-- Cohorts by consent (docs/decisions/018-cohort-consent.md): an educator's "add by email" makes an
-- invitation, mailed to the address; the person joins only by accepting it. Memberships made before
-- this migration stay, and like every membership show only attempts started after their addedAt.
-- CreateTable
CREATE TABLE "CohortInvitation" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "cohortId" TEXT NOT NULL,
    "email" TEXT NOT NULL,
    "tokenHash" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "invitedById" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" DATETIME NOT NULL,
    "respondedAt" DATETIME,
    CONSTRAINT "CohortInvitation_cohortId_fkey" FOREIGN KEY ("cohortId") REFERENCES "Cohort" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "CohortInvitation_tokenHash_key" ON "CohortInvitation"("tokenHash");

-- CreateIndex
CREATE INDEX "CohortInvitation_cohortId_email_idx" ON "CohortInvitation"("cohortId", "email");

-- CreateIndex
CREATE INDEX "CohortInvitation_invitedById_createdAt_idx" ON "CohortInvitation"("invitedById", "createdAt");
