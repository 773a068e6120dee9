import { hasErrors } from "~/engine";
import { publishContent, PublishError } from "~/models/content.server";
import { loadContent } from "~/utils/case-files.server";
import { createDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { migrateDatabase } from "~/utils/migrate.server";
import { EXIT_CONTENT, EXIT_OK, printDiagnostics, runCli } from "./lib/cli";

const usage = `Usage: npm run cases:import -- [PATH...]

Validates, then publishes case files (or directories laid out like cases/) and the standards
catalogs they use into the database named by DATABASE_URL (default file:./data/vignette.db),
migrating it first. All or nothing: one invalid file and nothing is written. A changed case or
catalog becomes a new immutable version (named by the hash of its content); an unchanged one is
reported unchanged. Default PATH: cases/.

Exit codes: 0 published (or unchanged), 1 content errors (nothing written), 2 usage.`;

runCli(usage, {}, async ({ positionals }) => {
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
