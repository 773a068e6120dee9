// The fixtures' mini case and its catalog as another regulator's ("mini-<id>", catalog
// "mini-standards-<id>"): a completion is for the case's regulator, so a test that needs records of
// several regulators plays each one's own copy of the same case.
import { analyzeCase, type Catalog, type CaseFile } from "~/engine";
import type { LoadedCase, LoadedCatalog } from "~/utils/case-files.server";

/** Made past the loader, which would refuse a regulator without a profile (a test may want one). */
export function miniCaseOf(content: { cases: LoadedCase[]; catalogs: LoadedCatalog[] }, regulator: string) {
  const rename = (text: string) =>
    text
      .replaceAll("mini-standards", `mini-standards-${regulator}`)
      .replace('"regulator": "demo"', `"regulator": "${regulator}"`)
      .replace('"slug": "mini-case"', `"slug": "mini-${regulator}"`);
  const base = content.cases.find((c) => c.caseFile.slug === "mini-case");
  const catalogBase = content.catalogs.find((c) => c.catalog.id === "mini-standards");
  if (!base || !catalogBase) throw new Error("the fixtures' mini-case and mini-standards must be loaded");
  const text = rename(base.text);
  const caseFile = JSON.parse(text) as CaseFile;
  const catalogText = rename(catalogBase.text);
  const loadedCase: LoadedCase = { file: `mini-${regulator}.json`, text, caseFile, analysis: analyzeCase(caseFile) };
  const catalog: LoadedCatalog = {
    file: `standards/mini-standards-${regulator}.json`,
    text: catalogText,
    catalog: JSON.parse(catalogText) as Catalog,
  };
  return { case: loadedCase, catalog };
}

/**
 * Publishes a copy of the mini case for each regulator (with the profiles of cases/regulators/) into
 * the database of DATABASE_URL, as cases:import would: what a test server's learners of those
 * regulators play to earn credit with them.
 */
export async function publishMiniCaseCopies(regulators: readonly string[]): Promise<void> {
  const path = await import("node:path");
  const { loadContent } = await import("~/utils/case-files.server");
  const { publishContent } = await import("~/models/content.server");
  const { getDb } = await import("~/utils/db.server");
  const fixtures = path.resolve("tests/fixtures/valid");
  const content = loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") });
  const profiles = loadContent([path.resolve("cases")]).regulators.filter((r) => regulators.includes(r.profile.id));
  const copies = regulators.map((id) => miniCaseOf(content, id));
  await publishContent(getDb(), {
    regulators: profiles,
    catalogs: copies.map((c) => c.catalog),
    cases: copies.map((c) => c.case),
  });
}
