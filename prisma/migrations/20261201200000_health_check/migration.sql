-- CreateTable
CREATE TABLE "HealthCheck" (
    "id" INTEGER NOT NULL PRIMARY KEY,
    "checkedAt" DATETIME NOT NULL
);
