-- Changes that need a second person: publishing a catalog version, retiring a case
-- (app/models/change-request.server.ts).
CREATE TABLE "ChangeRequest" (
    "id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "regulator" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" TEXT NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "requestedById" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "decidedById" TEXT,
    "decidedAt" TIMESTAMP(3),
    "note" TEXT,

    CONSTRAINT "ChangeRequest_pkey" PRIMARY KEY ("id")
);

CREATE INDEX "ChangeRequest_regulator_status_idx" ON "ChangeRequest"("regulator", "status");
CREATE INDEX "ChangeRequest_kind_subject_status_idx" ON "ChangeRequest"("kind", "subject", "status");
