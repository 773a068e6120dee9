// Reads case files and standards catalogs from disk and runs them through the engine. The CLIs
// (cases:check, cases:import, cases:play) and `npm start` all load content through here.
import fs from "node:fs";
import path from "node:path";
import {
  validateCase,
  validateCatalog,
  type CaseAnalysis,
  type CaseFile,
  type Catalog,
  type Diagnostic,
} from "~/engine";

export const defaultCasesDir = path.resolve("cases");

export type LoadedCatalog = { file: string; text: string; catalog: Catalog };
export type LoadedCase = { file: string; text: string; caseFile: CaseFile; analysis: CaseAnalysis };

export type LoadedContent = {
  catalogs: LoadedCatalog[];
  cases: LoadedCase[];
  diagnostics: Diagnostic[];
};

export class UsageError extends Error {
  override name = "UsageError";
}

/** How a path is shown in messages: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative.startsWith("..") || path.isAbsolute(relative) ? file : relative;
}

function jsonFilesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json"))
    .map((entry) => path.join(dir, entry.name))
    .sort();
}

/**
 * Which case files and catalog directories the given paths name. A directory is laid out like
 * `cases/` (case files at its top, catalogs in `standards/`); a file is one case, with catalogs
 * in `standards/` beside it. `cases/standards/` is always consulted last.
 */
export function resolveContentPaths(
  paths: readonly string[],
  fallbackCatalogDir: string = path.join(defaultCasesDir, "standards"),
): { caseFiles: string[]; catalogDirs: string[] } {
  const caseFiles: string[] = [];
  const catalogDirs: string[] = [];
  for (const given of paths.length > 0 ? paths : [defaultCasesDir]) {
    const absolute = path.resolve(given);
    if (!fs.existsSync(absolute)) throw new UsageError(`${given}: no such file or directory`);
    if (fs.statSync(absolute).isDirectory()) {
      caseFiles.push(...jsonFilesIn(absolute));
      catalogDirs.push(path.join(absolute, "standards"));
    } else {
      caseFiles.push(absolute);
      catalogDirs.push(path.join(path.dirname(absolute), "standards"));
    }
  }
  catalogDirs.push(fallbackCatalogDir);
  return {
    caseFiles: [...new Set(caseFiles)],
    catalogDirs: [...new Set(catalogDirs.map((d) => path.resolve(d)))].filter((d) => fs.existsSync(d)),
  };
}

/** Reads and validates everything the paths name; nothing is returned as valid unless it is. */
export function loadContent(paths: readonly string[], options: { fallbackCatalogDir?: string } = {}): LoadedContent {
  const { caseFiles, catalogDirs } = resolveContentPaths(paths, options.fallbackCatalogDir);
  const diagnostics: Diagnostic[] = [];

  // Catalogs: the first directory that has an id wins (beside the cases, then cases/standards/).
  const catalogs = new Map<string, LoadedCatalog & { fallback: boolean }>();
  const fallbackDir = path.resolve(options.fallbackCatalogDir ?? path.join(defaultCasesDir, "standards"));
  for (const dir of catalogDirs) {
    for (const absolute of jsonFilesIn(dir)) {
      const file = displayPath(absolute);
      const text = fs.readFileSync(absolute, "utf8");
      const result = validateCatalog({ file, text });
      diagnostics.push(...result.diagnostics);
      if (!result.catalog) continue;
      const expected = `${result.catalog.id}.json`;
      if (path.basename(absolute) !== expected) {
        diagnostics.push({
          severity: "error",
          file,
          path: "/id",
          message: `the catalog id "${result.catalog.id}" must match the file name: rename the file to ${expected} or change the id`,
        });
        continue;
      }
      if (!catalogs.has(result.catalog.id)) {
        catalogs.set(result.catalog.id, { file, text, catalog: result.catalog, fallback: dir === fallbackDir });
      }
    }
  }
  const catalogMap = new Map([...catalogs].map(([id, loaded]) => [id, loaded.catalog]));

  const cases: LoadedCase[] = [];
  const slugs = new Map<string, string>();
  for (const absolute of caseFiles) {
    const file = displayPath(absolute);
    const text = fs.readFileSync(absolute, "utf8");
    const result = validateCase({ file, text }, catalogMap);
    diagnostics.push(...result.diagnostics);
    if (!result.caseFile) continue;
    const { slug } = result.caseFile;
    if (path.basename(absolute) !== `${slug}.json`) {
      diagnostics.push({
        severity: "error",
        file,
        path: "/slug",
        message: `the slug "${slug}" must match the file name: rename the file to ${slug}.json or change the slug`,
      });
      continue;
    }
    const other = slugs.get(slug);
    if (other) {
      diagnostics.push({
        severity: "error",
        file,
        path: "/slug",
        message: `the slug "${slug}" is already used by ${other}`,
      });
      continue;
    }
    slugs.set(slug, file);
    cases.push({ file, text, caseFile: result.caseFile, analysis: result.analysis });
  }
  // Catalogs from the shared fallback directory come along only when a case uses them.
  const used = new Set(cases.flatMap((c) => c.caseFile.standards));
  const selected = [...catalogs.values()]
    .filter((c) => !c.fallback || used.has(c.catalog.id))
    .map(({ fallback: _fallback, ...loaded }) => loaded);
  return { catalogs: selected, cases, diagnostics };
}
