-- CreateTable
CREATE TABLE "Regulator" (
    "id" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Regulator_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "RegulatorVersion" (
    "id" SERIAL NOT NULL,
    "regulatorId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "RegulatorVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "RegulatorVersion_regulatorId_sequence_key" ON "RegulatorVersion"("regulatorId", "sequence");

-- A profile version is a record of what was published: the database refuses to change it.
CREATE TRIGGER "RegulatorVersion_no_update" BEFORE UPDATE ON "RegulatorVersion"
FOR EACH ROW EXECUTE FUNCTION "vignette_refuse"('regulator profile versions are immutable');

-- AddForeignKey
ALTER TABLE "RegulatorVersion" ADD CONSTRAINT "RegulatorVersion_regulatorId_fkey" FOREIGN KEY ("regulatorId") REFERENCES "Regulator"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

