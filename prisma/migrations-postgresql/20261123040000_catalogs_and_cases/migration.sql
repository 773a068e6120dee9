-- CreateTable
CREATE TABLE "Catalog" (
    "id" TEXT NOT NULL,
    "regulator" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Catalog_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogVersion" (
    "id" SERIAL NOT NULL,
    "catalogId" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "effective" TEXT NOT NULL,
    "contentHash" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "importedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CatalogVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Case" (
    "id" SERIAL NOT NULL,
    "slug" TEXT NOT NULL,
    "regulator" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Case_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseVersion" (
    "id" SERIAL NOT NULL,
    "caseId" INTEGER NOT NULL,
    "version" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "content" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "locales" TEXT NOT NULL,
    "profession" TEXT NOT NULL,
    "release" TEXT NOT NULL,
    "creditHours" DOUBLE PRECISION NOT NULL,
    "creditCategory" TEXT NOT NULL,
    "passMark" DOUBLE PRECISION NOT NULL,
    "maxAttempts" INTEGER,
    "bestTotal" INTEGER NOT NULL,
    "decisionCount" INTEGER NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'published',
    "publishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CaseVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CaseVersionCatalog" (
    "caseVersionId" INTEGER NOT NULL,
    "catalogVersionId" INTEGER NOT NULL,

    CONSTRAINT "CaseVersionCatalog_pkey" PRIMARY KEY ("caseVersionId", "catalogVersionId")
);

-- CreateIndex
CREATE UNIQUE INDEX "CatalogVersion_catalogId_sequence_key" ON "CatalogVersion"("catalogId", "sequence");

-- CreateIndex
CREATE INDEX "CatalogVersion_catalogId_contentHash_idx" ON "CatalogVersion"("catalogId", "contentHash");

-- CreateIndex
CREATE UNIQUE INDEX "Case_slug_key" ON "Case"("slug");

-- CreateIndex
CREATE INDEX "CaseVersion_status_release_idx" ON "CaseVersion"("status", "release");

-- CreateIndex
CREATE UNIQUE INDEX "CaseVersion_caseId_version_key" ON "CaseVersion"("caseId", "version");

-- CreateIndex
CREATE INDEX "CaseVersion_caseId_contentHash_idx" ON "CaseVersion"("caseId", "contentHash");

-- CreateIndex
CREATE INDEX "CaseVersionCatalog_catalogVersionId_idx" ON "CaseVersionCatalog"("catalogVersionId");

-- AddForeignKey
ALTER TABLE "CatalogVersion" ADD CONSTRAINT "CatalogVersion_catalogId_fkey" FOREIGN KEY ("catalogId") REFERENCES "Catalog"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseVersion" ADD CONSTRAINT "CaseVersion_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseVersionCatalog" ADD CONSTRAINT "CaseVersionCatalog_caseVersionId_fkey" FOREIGN KEY ("caseVersionId") REFERENCES "CaseVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CaseVersionCatalog" ADD CONSTRAINT "CaseVersionCatalog_catalogVersionId_fkey" FOREIGN KEY ("catalogVersionId") REFERENCES "CatalogVersion"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

