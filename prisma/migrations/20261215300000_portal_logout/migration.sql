-- A sign-in through a regulator's registrant portal (OpenID Connect) keeps which portal and its ID
-- token (encrypted) with the session, so that signing out of Vignette signs out of the portal too
-- (RP-initiated logout; app/utils/oidc.server.ts). The pending second step carries them meanwhile.
ALTER TABLE "Session" ADD COLUMN "portal" TEXT;
ALTER TABLE "Session" ADD COLUMN "portalIdToken" TEXT;
ALTER TABLE "PendingLogin" ADD COLUMN "portal" TEXT;
ALTER TABLE "PendingLogin" ADD COLUMN "portalIdToken" TEXT;
