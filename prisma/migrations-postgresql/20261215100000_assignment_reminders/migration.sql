-- Due-date reminders by email (app/models/reminder.server.ts, docs/decisions/025-reminders.md).
-- A learner may turn them off on /me/cohorts; on by default.
ALTER TABLE "User" ADD COLUMN "dueDateReminders" BOOLEAN NOT NULL DEFAULT true;

-- One row per reminder queued, inserted in the transaction of its outbox row: the primary key makes
-- a reminder once per (assignment, member, kind, due date), even with two instances sweeping.
-- CreateTable
CREATE TABLE "AssignmentReminder" (
    "assignmentId" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dueAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AssignmentReminder_pkey" PRIMARY KEY ("assignmentId","userId","kind","dueAt")
);

-- CreateIndex
CREATE INDEX "AssignmentReminder_userId_idx" ON "AssignmentReminder"("userId");

-- The sweep looks for assignments due within the next week.
-- CreateIndex
CREATE INDEX "Assignment_dueAt_idx" ON "Assignment"("dueAt");

-- AddForeignKey
ALTER TABLE "AssignmentReminder" ADD CONSTRAINT "AssignmentReminder_assignmentId_fkey" FOREIGN KEY ("assignmentId") REFERENCES "Assignment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AssignmentReminder" ADD CONSTRAINT "AssignmentReminder_userId_fkey" FOREIGN KEY ("userId") REFERENCES "User"("id") ON DELETE CASCADE ON UPDATE CASCADE;
