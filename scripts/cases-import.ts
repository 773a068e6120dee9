import fs from "node:fs";
import { caseImageRefs, hasErrors, pointerLocator, type Diagnostic } from "~/engine";
import { importCaseArchive } from "~/models/case-archive.server";
import { missingImages } from "~/models/case-image.server";
import { publishContent, PublishError } from "~/models/content.server";
import { loadContent, UsageError, type LoadedCase } from "~/utils/case-files.server";
import { createDb, type Db } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrateDatabase } from "~/utils/migrate.server";
import { EXIT_CONTENT, EXIT_OK, printDiagnostics, runCli } from "./lib/cli";

const usage = `Usage: npm run cases:import -- [PATH...]

Validates, then publishes case files (or directories laid out like cases/) and the standards
catalogs they use into the database named by DATABASE_URL (default file:./data/vignette.db),
migrating it first. All or nothing: one invalid file and nothing is written. A changed case or
catalog becomes a new immutable version (named by the hash of its content); an unchanged one is
reported unchanged. Default PATH: cases/.

A case archive (FILE.zip, from cases:export) is imported alone: its case is checked against the
catalogs already in the database, its images are stored as they are, and the case is published (the
same content gives the same version as where it was exported).

Exit codes: 0 published (or unchanged), 1 content errors (nothing written), 2 usage.`;

async function missingImageErrors(db: Db, loaded: LoadedCase): Promise<Diagnostic[]> {
  const refs = caseImageRefs(loaded.caseFile);
  const missing = await missingImages(
    loaded.caseFile.regulator,
    refs.map((r) => r.hash),
    db,
  );
  const locate = missing.size > 0 ? pointerLocator(loaded.text) : undefined;
  return refs
    .filter((ref) => missing.has(ref.hash))
    .map((ref) => {
      const at = locate?.(ref.path);
      return {
        severity: "error" as const,
        file: loaded.file,
        path: ref.path,
        message: `no image "sha256:${ref.hash.slice(0, 12)}…" is stored for regulator "${loaded.caseFile.regulator}": upload it in the studio, or import the case's archive`,
        ...(at ? { line: at.line, column: at.column } : {}),
      };
    });
}

async function importArchive(file: string): Promise<number> {
  if (!fs.existsSync(file) || !fs.statSync(file).isFile()) throw new UsageError(`${file}: no such file`);
  const databaseUrl = getEnv().DATABASE_URL;
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  try {
    const result = await importCaseArchive(db, file, fs.readFileSync(file));
    printDiagnostics(result.diagnostics);
    if (!result.ok) {
      console.error("Nothing was imported: fix the errors above and run the import again.");
      return EXIT_CONTENT;
    }
    for (const item of result.value.published) {
      console.log(`${item.status.padEnd(9)} ${item.kind.padEnd(7)} ${item.id} v${item.version}  (${item.file})`);
    }
    console.log(`${result.value.images} image(s) stored.`);
    return EXIT_OK;
  } finally {
    await db.$disconnect();
  }
}

runCli(usage, {}, async ({ positionals }) => {
  // A case archive (cases:export) is imported on its own: its case against the database's catalogs.
  if (positionals.some((p) => p.endsWith(".zip"))) {
    if (positionals.length !== 1) throw new UsageError("import one case archive (.zip) at a time, on its own");
    return importArchive(positionals[0]!);
  }
  const content = loadContent(positionals);
  printDiagnostics(content.diagnostics);
  if (hasErrors(content.diagnostics)) {
    console.error("Nothing was imported: fix the errors above and run the import again.");
    return EXIT_CONTENT;
  }
  const databaseUrl = getEnv().DATABASE_URL;
  await migrateDatabase(databaseUrl);
  const db = createDb(databaseUrl);
  try {
    // The images a case names must be stored already (uploaded in the studio, or from an archive).
    const missing = (await Promise.all(content.cases.map((c) => missingImageErrors(db, c)))).flat();
    if (missing.length > 0) {
      printDiagnostics(missing);
      console.error("Nothing was imported: fix the errors above and run the import again.");
      return EXIT_CONTENT;
    }
    const report = await publishContent(db, content);
    for (const item of report) {
      console.log(`${item.status.padEnd(9)} ${item.kind.padEnd(7)} ${item.id} v${item.version}  (${item.file})`);
    }
    const changed = report.filter((r) => r.status !== "unchanged").length;
    console.log(`${report.length} item(s): ${changed} published, ${report.length - changed} unchanged.`);
    return EXIT_OK;
  } catch (error) {
    if (error instanceof PublishError) {
      console.error(`${error.message}\nNothing was imported.`);
      return EXIT_CONTENT;
    }
    throw error;
  } finally {
    await db.$disconnect();
  }
});
