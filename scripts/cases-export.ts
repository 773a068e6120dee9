import fs from "node:fs";
import { exportCaseArchive } from "~/models/case-archive.server";
import { UsageError } from "~/utils/case-files.server";
import { createDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrateDatabase } from "~/utils/migrate.server";
import { EXIT_CONTENT, EXIT_OK, runCli } from "./lib/cli";

const usage = `Usage: npm run cases:export -- SLUG --out FILE.zip [--version N]

Writes one published case version (the latest unless --version says which) from the database named
by DATABASE_URL as a zip: SLUG.json, the file exactly as authored, and images/<sha256>.webp, every
image it shows. Exporting the same version again gives the same bytes. npm run cases:import -- FILE.zip
publishes it again as the same version (same content hash), here or on another deployment that has
its regulator and catalogs.

Exit codes: 0 written, 1 no such case or version (or an image missing), 2 usage.`;

runCli(usage, { out: { type: "string" }, version: { type: "string" } }, async ({ positionals, values }) => {
  const [slug, ...rest] = positionals;
  if (!slug || rest.length > 0) throw new UsageError("give one case slug");
  if (!values.out) throw new UsageError("--out FILE.zip is required");
  const version = values.version === undefined ? undefined : Number(values.version);
  if (version !== undefined && (!Number.isInteger(version) || version < 1)) {
    throw new UsageError("--version is a version number, 1 or more");
  }
  const databaseUrl = getEnv().DATABASE_URL;
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  try {
    const result = await exportCaseArchive(db, slug, version);
    if (!result.ok) {
      console.error(
        result.code === "not-found"
          ? `No case "${slug}"${version ? ` with a version ${version}` : ""} in the database.`
          : `Case "${slug}" names an image that is not stored: nothing was written.`,
      );
      return EXIT_CONTENT;
    }
    fs.writeFileSync(values.out, result.value.zip);
    console.log(`wrote ${values.out}: ${slug} v${result.value.version} with ${result.value.images} image(s)`);
    return EXIT_OK;
  } finally {
    await db.$disconnect();
  }
});
