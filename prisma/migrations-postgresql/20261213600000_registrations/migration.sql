-- A person holds registrations with one or more regulators (app/models/registration.server.ts).
-- Credit and certificates for a case go to the registration with the case's regulator.
CREATE TABLE "Registration" (
    "userId" TEXT NOT NULL,
    "regulatorId" TEXT NOT NULL,
    "number" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Registration_pkey" PRIMARY KEY ("userId", "regulatorId")
);

CREATE INDEX "Registration_regulatorId_number_idx" ON "Registration"("regulatorId", "number");

ALTER TABLE "Registration" ADD CONSTRAINT "Registration_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Everyone's registration so far: the one they joined with (closed accounts were anonymized).
INSERT INTO "Registration" ("userId", "regulatorId", "number", "createdAt", "updatedAt")
SELECT "id", "regulator", "registrationNumber", "createdAt", CURRENT_TIMESTAMP
FROM "User"
WHERE "regulator" <> '' AND "registrationNumber" <> '' AND "closedAt" IS NULL;
