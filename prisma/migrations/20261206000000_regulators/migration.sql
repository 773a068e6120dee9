-- CreateTable
CREATE TABLE "Regulator" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "RegulatorVersion" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "regulatorId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "importedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "RegulatorVersion_regulatorId_fkey" FOREIGN KEY ("regulatorId") REFERENCES "Regulator" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "RegulatorVersion_regulatorId_sequence_key" ON "RegulatorVersion"("regulatorId", "sequence");

-- A profile version is a record of what was published: the database refuses to change it.
CREATE TRIGGER "RegulatorVersion_no_update" BEFORE UPDATE ON "RegulatorVersion"
BEGIN
    SELECT RAISE(ABORT, 'regulator profile versions are immutable');
END;
