import fs from "node:fs";
import path from "node:path";
import {
  exportXliff,
  hasErrors,
  importXliff,
  localeSchema,
  validateCase,
  validateCatalog,
  xliffBaseline,
  type Catalog,
  type CaseFile,
  type Diagnostic,
  type Locale,
  type XliffImport,
  type XliffVersion,
} from "~/engine";
import { displayPath, loadContent, UsageError } from "~/utils/case-files.server";
import { EXIT_CONTENT, EXIT_OK, printDiagnostics, runCli } from "./lib/cli";

const usage = `Usage: npm run cases:xliff -- export FILE.json --target LOCALE --out FILE.xlf [--source LOCALE] [--xliff 2.1|1.2] [--baseline LAST-IMPORTED.xlf]
       npm run cases:xliff -- import FILE.xlf --case FILE.json --out NEW.json

Translators' files (docs/decisions/020-xliff.md). FILE.json is a case file or a standards catalog.

export  writes the file's texts as XLIFF, one unit per text named by its JSON pointer, with notes
        for context and the target locale's text where there is one. XLIFF 2.1 unless --xliff 1.2.
        --source defaults to the file's first locale other than --target. With --baseline (the
        XLIFF last imported), units whose source text changed since are marked for review.
import  applies a translated XLIFF file's targets to FILE.json and writes the result to NEW.json
        (FILE.json is not changed). Units that were translated from a changed source are listed for
        review; units that are not texts of the file are listed and not applied. The result is
        validated like cases:check; nothing is written if it has errors.

  --help   this text

Exit codes: 0 done, 1 content errors (nothing written), 2 usage.`;

type Loaded = { kind: "case" | "catalog"; file: string; value: CaseFile | Catalog; catalogs: Map<string, Catalog> };

/** A valid case (checked with its catalogs, like cases:check) or catalog; diagnostics otherwise. */
function loadFile(given: string): { ok: true; value: Loaded } | { ok: false; diagnostics: Diagnostic[] } {
  const absolute = path.resolve(given);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) throw new UsageError(`${given}: no such file`);
  const file = displayPath(absolute);
  const text = fs.readFileSync(absolute, "utf8");
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    raw = null;
  }
  const isCatalog = typeof raw === "object" && raw !== null && "items" in raw && !("nodes" in raw);
  if (isCatalog) {
    const result = validateCatalog({ file, text });
    if (!result.catalog) return { ok: false, diagnostics: result.diagnostics };
    // The file as written (a catalog's default locales are not added to it).
    return { ok: true, value: { kind: "catalog", file, value: raw as Catalog, catalogs: new Map() } };
  }
  const content = loadContent([absolute]);
  const loaded = content.cases[0];
  if (!loaded || hasErrors(content.diagnostics)) return { ok: false, diagnostics: content.diagnostics };
  const catalogs = new Map(content.catalogs.map((c) => [c.catalog.id, c.catalog]));
  return { ok: true, value: { kind: "case", file, value: raw as CaseFile, catalogs } };
}

function locale(value: string | undefined, option: string): Locale | undefined {
  if (value === undefined) return undefined;
  const parsed = localeSchema.safeParse(value);
  if (!parsed.success) throw new UsageError(`${option} must be one of en, fr (got "${value}")`);
  return parsed.data;
}

function readText(given: string): string {
  const absolute = path.resolve(given);
  if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) throw new UsageError(`${given}: no such file`);
  return fs.readFileSync(absolute, "utf8");
}

function runExport(input: string, values: Record<string, string | undefined>): number {
  const target = locale(values.target, "--target");
  if (!target) throw new UsageError("export needs --target LOCALE");
  if (!values.out) throw new UsageError("export needs --out FILE.xlf");
  const version = (values.xliff ?? "2.1") as XliffVersion;
  if (version !== "2.1" && version !== "1.2") throw new UsageError(`--xliff must be 2.1 or 1.2 (got "${version}")`);
  const loaded = loadFile(input);
  if (!loaded.ok) {
    printDiagnostics(loaded.diagnostics);
    console.error("Fix the errors above before exporting for translation.");
    return EXIT_CONTENT;
  }
  const { value, file } = loaded.value;
  const locales = value.locales ?? ["en", "fr"];
  const source = locale(values.source, "--source") ?? locales.find((l) => l !== target);
  if (!source || source === target) throw new UsageError("--source must be another locale than --target");
  let baseline: Record<string, string> | undefined;
  if (values.baseline) {
    const read = xliffBaseline(readText(values.baseline));
    if (!read.ok) {
      console.error(`${values.baseline}${read.line ? `:${read.line}` : ""}: ${read.message}`);
      return EXIT_CONTENT;
    }
    baseline = read.value;
  }
  const xml = exportXliff(value, {
    sourceLocale: source,
    targetLocale: target,
    version,
    original: path.basename(file),
    ...(baseline ? { baseline } : {}),
  });
  fs.writeFileSync(values.out, xml);
  const units = (xml.match(/<(unit|trans-unit) /g) ?? []).length;
  const review = (xml.match(/state="(initial|needs-review-translation)"/g) ?? []).length;
  console.log(
    `${displayPath(path.resolve(values.out))}: XLIFF ${version}, ${source} → ${target}, ${units} unit(s)` +
      (baseline ? `, ${review} marked for review (source changed since the last import)` : ""),
  );
  return EXIT_OK;
}

function printImport(xlf: string, result: XliffImport): void {
  for (const d of result.diagnostics) {
    const where = d.line ? `${xlf}:${d.line}` : xlf;
    const unit = d.unit ? `unit ${d.unit}: ` : "";
    console.error(`${where}: warning: ${unit}${d.message}`);
  }
  for (const r of result.needsReview) {
    console.error(
      `${xlf}:${r.line}: review: ${r.pointer}: translated from a source that has changed since\n` +
        `    translated from: ${JSON.stringify(r.exported)}\n    source now:      ${JSON.stringify(r.current)}`,
    );
  }
}

function runImport(xlf: string, values: Record<string, string | undefined>): number {
  if (!values.case) throw new UsageError("import needs --case FILE.json");
  if (!values.out) throw new UsageError("import needs --out NEW.json");
  const xml = readText(xlf);
  const loaded = loadFile(values.case);
  if (!loaded.ok) {
    printDiagnostics(loaded.diagnostics);
    console.error(`Fix the errors in ${values.case} before importing a translation into it.`);
    return EXIT_CONTENT;
  }
  const result = importXliff(xml, loaded.value.value);
  if (!result.ok) {
    console.error(`${xlf}${result.line ? `:${result.line}` : ""}: error: ${result.message}; nothing was applied`);
    return EXIT_CONTENT;
  }
  const imported = result.value;
  printImport(xlf, imported);
  const out = displayPath(path.resolve(values.out));
  const text = `${JSON.stringify(imported.value, null, 2)}\n`;
  const check =
    loaded.value.kind === "case"
      ? validateCase({ file: out, text }, loaded.value.catalogs).diagnostics
      : validateCatalog({ file: out, text }).diagnostics;
  if (hasErrors(check)) {
    printDiagnostics(check);
    console.error(`The translated file has errors (above): ${out} was not written. Fix them in ${xlf}.`);
    return EXIT_CONTENT;
  }
  printDiagnostics(check);
  fs.writeFileSync(values.out, text);
  console.log(
    `${out}: ${imported.sourceLocale} → ${imported.targetLocale}, ${imported.applied} text(s) changed, ` +
      `${imported.unchanged} unchanged, ${imported.untranslated} untranslated, ${imported.needsReview.length} to review, ` +
      `${imported.diagnostics.length} warning(s)`,
  );
  return EXIT_OK;
}

runCli(
  usage,
  {
    target: { type: "string" },
    source: { type: "string" },
    out: { type: "string" },
    xliff: { type: "string" },
    baseline: { type: "string" },
    case: { type: "string" },
  },
  ({ values, positionals }) => {
    const [command, input, ...rest] = positionals;
    if (rest.length > 0) throw new UsageError(`unexpected argument "${rest[0]}"`);
    if (!input) throw new UsageError("name the file to export or import");
    if (command === "export") return runExport(input, values);
    if (command === "import") return runImport(input, values);
    throw new UsageError(command ? `unknown command "${command}": use export or import` : "use export or import");
  },
);
