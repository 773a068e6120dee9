// Reads case files and standards catalogs from disk and runs them through the engine. The CLIs
// (cases:check, cases:import, cases:play) and `npm start` all load content through here.
import fs from "node:fs";
import path from "node:path";
import {
  validateCase,
  validateCatalog,
  pointerLocator,
  validateLogo,
  validateRegulator,
  LOGO_LIMITS,
  type CaseAnalysis,
  type CaseFile,
  type Catalog,
  type Diagnostic,
  type ImageInfo,
  type RegulatorProfile,
} from "~/engine";

export const defaultCasesDir = path.resolve("cases");

export type LoadedCatalog = { file: string; text: string; catalog: Catalog };
/** A profile's logo file as read and checked: its bytes go into the database with the profile. */
export type LoadedLogo = ImageInfo & { bytes: Uint8Array };
export type LoadedRegulator = { file: string; text: string; profile: RegulatorProfile; logo?: LoadedLogo };
export type LoadedCase = { file: string; text: string; caseFile: CaseFile; analysis: CaseAnalysis };

export type LoadedContent = {
  regulators: LoadedRegulator[];
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
  const regulators = loadRegulators(catalogDirs, diagnostics);
  const missingProfile = (file: string, regulator: string) =>
    diagnostics.push({
      severity: "error",
      file,
      path: "/regulator",
      message: `no regulator profile "${regulator}": add regulators/${regulator}.json (see cases/regulators/) before publishing its content`,
    });

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
      // Still read by the cases that use it, so each file gets its own errors, not knock-on ones.
      if (!regulators.has(result.catalog.regulator)) missingProfile(file, result.catalog.regulator);
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
    if (!regulators.has(result.caseFile.regulator)) {
      missingProfile(file, result.caseFile.regulator);
      continue;
    }
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
  // Likewise profiles: those beside the content, and the shared ones its cases and catalogs name.
  const named = new Set([...cases.map((c) => c.caseFile.regulator), ...selected.map((c) => c.catalog.regulator)]);
  const profiles = [...regulators.values()]
    .filter((r) => !r.broken && (!r.fallback || named.has(r.profile.id)))
    .map(({ fallback: _fallback, broken: _broken, ...loaded }) => loaded);
  return { regulators: profiles, catalogs: selected, cases, diagnostics };
}

/**
 * Regulator profiles from the `regulators/` folder beside each catalog folder (cases/regulators/
 * last); the first folder that has an id wins, as for catalogs.
 */
function loadRegulators(
  catalogDirs: readonly string[],
  diagnostics: Diagnostic[],
): Map<string, LoadedRegulator & { fallback: boolean; broken: boolean }> {
  const regulators = new Map<string, LoadedRegulator & { fallback: boolean; broken: boolean }>();
  const fallbackDir = path.join(defaultCasesDir, "regulators");
  const dirs = [...new Set([...catalogDirs.map((d) => path.join(path.dirname(d), "regulators")), fallbackDir])];
  for (const dir of dirs) {
    for (const absolute of jsonFilesIn(dir)) {
      const file = displayPath(absolute);
      const text = fs.readFileSync(absolute, "utf8");
      const result = validateRegulator({ file, text });
      diagnostics.push(...result.diagnostics);
      if (!result.profile) continue;
      const expected = `${result.profile.id}.json`;
      if (path.basename(absolute) !== expected) {
        diagnostics.push({
          severity: "error",
          file,
          path: "/id",
          message: `the regulator id "${result.profile.id}" must match the file name: rename the file to ${expected} or change the id`,
        });
        continue;
      }
      if (regulators.has(result.profile.id)) continue;
      let logo: LoadedLogo | undefined;
      let broken = false;
      if (result.profile.logo !== undefined) {
        const read = readLogo(path.join(path.dirname(absolute), result.profile.logo));
        const checked = validateLogo({ file, logo: result.profile.logo, ...read });
        const locate = pointerLocator(text);
        for (const d of checked.diagnostics) {
          const at = locate?.(d.path);
          diagnostics.push(at ? { ...d, line: at.line, column: at.column } : d);
        }
        // A bad logo is this file's error only: the profile still counts as there for the cases that
        // name it (no knock-on "no profile" errors), but it is not returned as valid.
        if (checked.image && read.bytes) logo = { ...checked.image, bytes: read.bytes };
        else broken = true;
      }
      regulators.set(result.profile.id, {
        file,
        text,
        profile: result.profile,
        logo,
        fallback: dir === fallbackDir,
        broken,
      });
    }
  }
  return regulators;
}

/**
 * A logo file's bytes and size; bytes null when there is no such file. A file past the limit is
 * not read at all: its size is enough for the validator to say it is too big.
 */
function readLogo(file: string): { bytes: Uint8Array | null; size?: number } {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return { bytes: null };
  }
  if (!stat.isFile()) return { bytes: null };
  if (stat.size > LOGO_LIMITS.bytes) return { bytes: new Uint8Array(), size: stat.size };
  return { bytes: fs.readFileSync(file) };
}
