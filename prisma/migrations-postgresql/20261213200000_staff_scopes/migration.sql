-- Staff roles are held per regulator (app/utils/roles.ts, docs/decisions/016-regulator-scoped-roles.md).
-- UserRole gains the regulator in its key; learner and the new platform role operator carry "*".
INSERT INTO "Role" ("id") VALUES ('operator');

ALTER TABLE "UserRole" ADD COLUMN "regulatorId" TEXT NOT NULL DEFAULT '*';

-- Before this, an admin could act on every regulator's content: that is the operator now. Other
-- staff roles were, in effect, for the person's own regulator (User.regulator).
UPDATE "UserRole" r
SET "roleId" = CASE WHEN r."roleId" = 'admin' THEN 'operator' ELSE r."roleId" END,
    "regulatorId" = CASE WHEN r."roleId" IN ('learner', 'admin') THEN '*' ELSE u."regulator" END
FROM "User" u
WHERE u."id" = r."userId";

ALTER TABLE "UserRole" DROP CONSTRAINT "UserRole_pkey";
ALTER TABLE "UserRole" ADD CONSTRAINT "UserRole_pkey" PRIMARY KEY ("userId", "roleId", "regulatorId");

-- A draft belongs to one regulator for life: its case's, or the one its source names (when the
-- source is a JSON object whose "regulator" is a string; a draft's source may not be valid JSON).
ALTER TABLE "CaseDraft" ADD COLUMN "regulator" TEXT NOT NULL DEFAULT '';
DO $$
DECLARE
    draft RECORD;
    named TEXT;
BEGIN
    FOR draft IN SELECT d."id", d."source", c."regulator" FROM "CaseDraft" d LEFT JOIN "Case" c ON c."slug" = d."slug" LOOP
        named := NULL;
        IF draft."regulator" IS NULL THEN
            BEGIN
                IF jsonb_typeof(draft."source"::jsonb -> 'regulator') = 'string' THEN
                    named := draft."source"::jsonb ->> 'regulator';
                END IF;
            EXCEPTION WHEN invalid_text_representation THEN
                named := NULL;
            END;
        END IF;
        UPDATE "CaseDraft" SET "regulator" = COALESCE(draft."regulator", named, '') WHERE "id" = draft."id";
    END LOOP;
END;
$$;
CREATE INDEX "CaseDraft_regulator_idx" ON "CaseDraft"("regulator");
