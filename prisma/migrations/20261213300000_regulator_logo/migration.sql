-- A regulator profile's logo, imported with the profile version it belongs to (all or nothing, in
-- the import's transaction), so the server never reads content files while it serves. The image is
-- checked by the engine (PNG or JPEG by its first bytes, at most 512 KiB and 2000 px a side);
-- served at /regulators/<id>/logo/<logoHash>, a URL whose content never changes.
ALTER TABLE "RegulatorVersion" ADD COLUMN "logo" BLOB;
ALTER TABLE "RegulatorVersion" ADD COLUMN "logoType" TEXT;
ALTER TABLE "RegulatorVersion" ADD COLUMN "logoHash" TEXT;
