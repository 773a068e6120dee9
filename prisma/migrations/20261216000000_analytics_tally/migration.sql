-- Analytics kept as attempts advance (docs/decisions/026-analytics-tally.md): the unfiltered figures
-- of each case version live in small tables caught up from the attempt rows, so a page view reads a
-- few rows per version instead of every step of every attempt. The flags below say what has been
-- counted; existing rows start uncounted and the first catch-up counts them.
ALTER TABLE "Attempt" ADD COLUMN "analyticsCounted" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "AttemptStep" ADD COLUMN "counted" BOOLEAN NOT NULL DEFAULT false;

-- The catch-up finds what it has not counted yet; filtered views (a date range) read one version's
-- attempts in start order.
-- CreateIndex
CREATE INDEX "Attempt_analyticsCounted_status_idx" ON "Attempt"("analyticsCounted", "status");
-- CreateIndex
CREATE INDEX "AttemptStep_counted_idx" ON "AttemptStep"("counted");
DROP INDEX "Attempt_caseVersionId_idx";
-- CreateIndex
CREATE INDEX "Attempt_caseVersionId_startedAt_idx" ON "Attempt"("caseVersionId", "startedAt");

-- CreateTable
CREATE TABLE "AnalyticsRefresh" (
    "id" INTEGER NOT NULL,
    "runs" INTEGER NOT NULL DEFAULT 0,
    "refreshedAt" DATETIME,

    PRIMARY KEY ("id")
);
-- The row whose lock serializes catching up, across instances.
INSERT INTO "AnalyticsRefresh" ("id", "runs") VALUES (1, 0);

-- CreateTable
CREATE TABLE "AnalyticsVersion" (
    "caseVersionId" INTEGER NOT NULL,
    "started" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "passed" INTEGER NOT NULL DEFAULT 0,
    "scoreSum" REAL NOT NULL DEFAULT 0,
    "scored" INTEGER NOT NULL DEFAULT 0,
    "learners" INTEGER NOT NULL DEFAULT 0,
    "inProgressLearners" INTEGER NOT NULL DEFAULT 0,
    "failedLearners" INTEGER NOT NULL DEFAULT 0,
    "passedLearners" INTEGER NOT NULL DEFAULT 0,
    "completedLearners" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("caseVersionId")
);

-- CreateTable
CREATE TABLE "AnalyticsLearner" (
    "caseVersionId" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "started" INTEGER NOT NULL DEFAULT 0,
    "completed" INTEGER NOT NULL DEFAULT 0,
    "passed" INTEGER NOT NULL DEFAULT 0,
    "firstNumber" INTEGER,
    "firstPath" TEXT,

    PRIMARY KEY ("caseVersionId","userId")
);

-- CreateIndex
CREATE INDEX "AnalyticsLearner_userId_idx" ON "AnalyticsLearner"("userId");

-- CreateTable
CREATE TABLE "AnalyticsLearnerChoice" (
    "caseVersionId" INTEGER NOT NULL,
    "userId" TEXT NOT NULL,
    "nodeId" TEXT NOT NULL,
    "choiceId" TEXT NOT NULL,
    "completed" BOOLEAN NOT NULL DEFAULT false,

    PRIMARY KEY ("caseVersionId","userId","nodeId","choiceId")
);

-- CreateIndex
CREATE INDEX "AnalyticsLearnerChoice_userId_idx" ON "AnalyticsLearnerChoice"("userId");

-- CreateTable
CREATE TABLE "AnalyticsChoice" (
    "caseVersionId" INTEGER NOT NULL,
    "nodeId" TEXT NOT NULL,
    "choiceId" TEXT NOT NULL,
    "taken" INTEGER NOT NULL DEFAULT 0,
    "learners" INTEGER NOT NULL DEFAULT 0,
    "completedLearners" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("caseVersionId","nodeId","choiceId")
);

-- CreateTable
CREATE TABLE "AnalyticsNode" (
    "caseVersionId" INTEGER NOT NULL,
    "nodeId" TEXT NOT NULL,
    "learners" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("caseVersionId","nodeId")
);

-- CreateTable
CREATE TABLE "AnalyticsPath" (
    "caseVersionId" INTEGER NOT NULL,
    "path" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "firstAttempts" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("caseVersionId","path")
);

-- CreateTable
CREATE TABLE "AnalyticsDuration" (
    "caseVersionId" INTEGER NOT NULL,
    "seconds" INTEGER NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("caseVersionId","seconds")
);
