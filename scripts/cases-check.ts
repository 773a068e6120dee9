import { hasErrors } from "~/engine";
import { loadContent } from "~/utils/case-files.server";
import { EXIT_CONTENT, EXIT_OK, printDiagnostics, runCli } from "./lib/cli";
import { caseReport, formatCaseReport } from "./lib/report";

const usage = `Usage: npm run cases:check -- [--json] [PATH...]

Validates case files, or directories laid out like cases/ (case files at the top, catalogs in
standards/), against the case format and the standards catalogs (standards/ beside them, then
cases/standards/). Default PATH: cases/. Prints every error and warning with its file, line and
JSON path, then a scoring report per valid case.

  --json   machine-readable output on stdout: { ok, diagnostics, cases: [report...] }
  --help   this text

Exit codes: 0 no errors (warnings allowed), 1 content errors, 2 usage.`;

runCli(usage, { json: { type: "boolean" } }, ({ values, positionals }) => {
  const content = loadContent(positionals);
  const ok = !hasErrors(content.diagnostics);
  const reports = content.cases.map(caseReport);
  if (values.json) {
    console.log(JSON.stringify({ ok, diagnostics: content.diagnostics, cases: reports }, null, 2));
  } else {
    printDiagnostics(content.diagnostics);
    for (const report of reports) console.log(formatCaseReport(report));
    console.log(
      ok
        ? `${content.cases.length} case(s) and ${content.catalogs.length} catalog(s) are valid.`
        : "Fix the errors above; nothing is valid until every error is gone.",
    );
  }
  return ok ? EXIT_OK : EXIT_CONTENT;
});
