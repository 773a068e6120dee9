-- Reviewer: regulator staff who approve and send back drafts and change requests, and edit nothing
-- (app/utils/roles.ts, docs/decisions/016-regulator-scoped-roles.md). Approving now needs it.
INSERT INTO "Role" ("id") VALUES ('reviewer');

-- Until now every author could approve another's draft: each author keeps that as a reviewer of the
-- same regulator, so an upgraded deployment reviews the way it did. Admins already may review.
INSERT INTO "UserRole" ("userId", "roleId", "regulatorId")
SELECT a."userId", 'reviewer', a."regulatorId"
FROM "UserRole" a
WHERE a."roleId" = 'author';
