// Loads case and catalog files and publishes them in one go, for tools that start from files
// (the benchmark, the test servers): nothing is published if any file has an error.
import { formatDiagnostic, hasErrors } from "~/engine";
import { publishContent } from "~/models/content.server";
import { loadContent } from "~/utils/case-files.server";
import type { Db } from "~/utils/db.server";

/** Publishes the content at `paths` (case files or directories; cases/ when empty), or throws with every error. */
export async function publishFiles(db: Db, paths: readonly string[]) {
  const content = loadContent(paths);
  if (hasErrors(content.diagnostics)) throw new Error(content.diagnostics.map(formatDiagnostic).join("\n"));
  return publishContent(db, content);
}
