// First-run content for `npm start`: publishes cases/ when the database has no case yet.
import { hasErrors } from "~/engine";
import { publishContent } from "~/models/content.server";
import { loadContent } from "~/utils/case-files.server";
import { createDb } from "~/utils/db.server";
import { printDiagnostics } from "./cli";

export async function seedIfEmpty(file: string, _options: { demoAccounts: boolean }): Promise<void> {
  const db = createDb(file);
  try {
    if ((await db.case.count()) === 0) {
      const content = loadContent([]);
      if (hasErrors(content.diagnostics)) {
        printDiagnostics(content.diagnostics);
        throw new Error("The demo content in cases/ is invalid; nothing was imported.");
      }
      const report = await publishContent(db, content);
      console.log(`Imported the demo content: ${report.filter((r) => r.kind === "case").length} case(s).`);
    }
  } finally {
    await db.$disconnect();
  }
}
