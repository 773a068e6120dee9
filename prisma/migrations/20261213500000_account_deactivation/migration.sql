-- The admin area (app/models/admin.server.ts): an admin may deactivate an account, which then cannot
-- sign in and has no session, and reactivate it. Nothing of the account is erased.
ALTER TABLE "User" ADD COLUMN "deactivatedAt" DATETIME;

-- People are found by a name prefix (a range on this index) or a registration number (an equality
-- on the next): with the email's unique index, the search is one index lookup per term.
-- CreateIndex
CREATE INDEX "User_name_idx" ON "User"("name");

-- CreateIndex
CREATE INDEX "User_registrationNumber_idx" ON "User"("registrationNumber");
