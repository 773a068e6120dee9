// First-run data for `npm start`: the demo content when the database has no case yet, and with it
// (unless running in production) the demo accounts. A database that already held cases, e.g. a
// regulator's own imported with cases:import, is real data: it never gets demo accounts.
import { hasErrors } from "~/engine";
import { publishContent } from "~/models/content.server";
import { ensureDemoAccounts, ensureDemoCohort } from "~/models/demo.server";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { printDiagnostics } from "./cli";

export async function seed(options: { demoAccounts: boolean }): Promise<void> {
  const db = getDb();
  const seeding = (await db.case.count()) === 0;
  if (seeding) {
    const content = loadContent([]);
    if (hasErrors(content.diagnostics)) {
      printDiagnostics(content.diagnostics);
      throw new Error("The demo content in cases/ is invalid; nothing was imported.");
    }
    const report = await publishContent(db, content);
    console.log(`Imported the demo content: ${report.filter((r) => r.kind === "case").length} case(s).`);
  }
  if (seeding && options.demoAccounts) {
    const created = await ensureDemoAccounts();
    if (created > 0) console.log(`Created ${created} demo account(s) (see README).`);
    if (await ensureDemoCohort()) console.log("Created a demo cohort for educator@vignette.test.");
  }
}
