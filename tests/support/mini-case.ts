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
