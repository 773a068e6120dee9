-- Single sign-on through a regulator's registrant portal (issue 10; docs/decisions/019-oidc-sign-in.md):
-- the portal's subject identifier, linked to one account (app/models/oidc-identity.server.ts).
CREATE TABLE "OidcIdentity" (
    "regulatorId" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "issuer" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastSignInAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OidcIdentity_pkey" PRIMARY KEY ("regulatorId", "subject")
);

CREATE UNIQUE INDEX "OidcIdentity_userId_regulatorId_key" ON "OidcIdentity"("userId", "regulatorId");

ALTER TABLE "OidcIdentity" ADD CONSTRAINT "OidcIdentity_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
