-- Staff roles are held per regulator (app/utils/roles.ts, docs/decisions/016-regulator-scoped-roles.md).
-- UserRole gains the regulator in its key; learner and the new platform role operator carry "*".
INSERT INTO "Role" ("id") VALUES ('operator');

CREATE TABLE "new_UserRole" (
    "userId" TEXT NOT NULL,
    "roleId" TEXT NOT NULL,
    "regulatorId" TEXT NOT NULL DEFAULT '*',

    PRIMARY KEY ("userId", "roleId", "regulatorId"),
    CONSTRAINT "UserRole_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "UserRole_roleId_fkey" FOREIGN KEY ("roleId") REFERENCES "Role" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- Before this, an admin could act on every regulator's content: that is the operator now. Other
-- staff roles were, in effect, for the person's own regulator (User.regulator).
INSERT INTO "new_UserRole" ("userId", "roleId", "regulatorId")
SELECT r."userId",
       CASE WHEN r."roleId" = 'admin' THEN 'operator' ELSE r."roleId" END,
       CASE WHEN r."roleId" IN ('learner', 'admin') THEN '*' ELSE u."regulator" END
FROM "UserRole" r JOIN "User" u ON u."id" = r."userId";

DROP TABLE "UserRole";
ALTER TABLE "new_UserRole" RENAME TO "UserRole";
CREATE INDEX "UserRole_roleId_idx" ON "UserRole"("roleId");

-- A draft belongs to one regulator for life: its case's, or the one its source names.
ALTER TABLE "CaseDraft" ADD COLUMN "regulator" TEXT NOT NULL DEFAULT '';
UPDATE "CaseDraft" SET "regulator" = COALESCE(
    (SELECT c."regulator" FROM "Case" c WHERE c."slug" = "CaseDraft"."slug"),
    CASE WHEN json_valid("source") AND json_type("source", '$.regulator') = 'text'
         THEN json_extract("source", '$.regulator') END,
    '');
CREATE INDEX "CaseDraft_regulator_idx" ON "CaseDraft"("regulator");
