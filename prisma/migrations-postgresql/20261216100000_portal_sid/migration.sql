-- A registrant portal's back-channel logout (OpenID Connect Back-Channel Logout 1.0; ADR 019): a
-- portal sign-in's session keeps the portal's session id (the ID token's `sid`), through a staff
-- member's pending second step too, so that the portal's logout token can name the sessions to end.
-- Each logout token is accepted once: its `jti` is kept until the token expires.
ALTER TABLE "Session" ADD COLUMN "portalSid" TEXT;
ALTER TABLE "PendingLogin" ADD COLUMN "portalSid" TEXT;

CREATE INDEX "Session_portal_portalSid_idx" ON "Session"("portal", "portalSid");

CREATE TABLE "PortalLogoutToken" (
    "regulatorId" TEXT NOT NULL,
    "jti" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "PortalLogoutToken_pkey" PRIMARY KEY ("regulatorId", "jti")
);

CREATE INDEX "PortalLogoutToken_expiresAt_idx" ON "PortalLogoutToken"("expiresAt");
