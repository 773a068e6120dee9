// Which cases a proposed catalog version would touch (engine/catalog-impact.ts): the latest version
// of every case scored against the catalog that is not retired, and every open draft naming it. The
// person who uploads and the person who approves see this before the catalog is published.
//
// Scope: the cases of the viewer's regulators are listed; cases of other regulators that score the
// catalog (the engine only warns when a case uses another regulator's catalog) are only counted.
// A count names no case, author or choice, and whoever publishes a catalog needs to know that it
// changes marking outside their own regulator.
import {
  catalogImpact,
  clauseChanges,
  validateCatalog,
  type CaseImpact,
  type Catalog,
  type ClauseChange,
} from "~/engine";
import { getDb } from "~/utils/db.server";
import { inScope, type RegulatorScope } from "~/utils/roles";
import { pendingCatalogFiles } from "./change-request.server";

export type CatalogImpactReport = {
  changes: ClauseChange[];
  /** The cases of the viewer's regulators with a choice scoring a changed clause. */
  cases: CaseImpact[];
  /** How many more cases and drafts, of other regulators, have one. */
  otherCases: number;
};

const OPEN_DRAFT_STATUSES = ["editing", "in_review", "rejected"];

async function currentVersion(catalogId: string): Promise<Catalog | null> {
  const row = await getDb().catalogVersion.findFirst({
    where: { catalogId },
    orderBy: { sequence: "desc" },
    select: { content: true },
  });
  return row ? (JSON.parse(row.content) as Catalog) : null;
}

/**
 * What publishing `proposed` would change for the cases scored against its current version; null
 * for a catalog's first version (no case can score it yet).
 */
export async function catalogImpactFor(proposed: Catalog, scope: RegulatorScope): Promise<CatalogImpactReport | null> {
  const db = getDb();
  const current = await currentVersion(proposed.id);
  if (!current) return null;
  if (clauseChanges(current, proposed).length === 0) return { changes: [], cases: [], otherCases: 0 };
  // A case that scores the catalog has a version validated against one of its versions.
  const cases = await db.case.findMany({
    where: { versions: { some: { catalogs: { some: { catalogVersion: { catalogId: proposed.id } } } } } },
    orderBy: { slug: "asc" },
    select: {
      slug: true,
      regulator: true,
      versions: { orderBy: { version: "desc" }, take: 1, select: { version: true, status: true, content: true } },
    },
  });
  // Drafts are not linked to catalogs yet: the key's prefix narrows them, the engine decides.
  const drafts = await db.caseDraft.findMany({
    where: { status: { in: OPEN_DRAFT_STATUSES }, source: { contains: `${proposed.id}:` } },
    orderBy: [{ slug: "asc" }, { createdAt: "asc" }],
    select: { id: true, slug: true, regulator: true, source: true },
  });
  const sources = [
    ...cases.flatMap((c) => {
      const latest = c.versions[0];
      if (!latest || latest.status === "retired") return [];
      return [
        { slug: c.slug, regulator: c.regulator, ref: { version: latest.version }, value: parsed(latest.content) },
      ];
    }),
    ...drafts.map((d) => ({ slug: d.slug, regulator: d.regulator, ref: { draftId: d.id }, value: parsed(d.source) })),
  ];
  const impact = catalogImpact(current, proposed, sources);
  const shown = impact.cases.filter((c) => inScope(scope, c.regulator));
  return { changes: impact.changes, cases: shown, otherCases: impact.cases.length - shown.length };
}

/** The impact of a catalog file as uploaded (a change request's payload); null if it does not validate or is new. */
export async function catalogImpactOfFile(
  file: string,
  text: string,
  scope: RegulatorScope,
): Promise<CatalogImpactReport | null> {
  const { catalog } = validateCatalog({ file, text });
  return catalog ? catalogImpactFor(catalog, scope) : null;
}

/** A draft's source may be half-written JSON: unreadable reads as nothing to list. */
function parsed(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

/**
 * What each catalog version waiting for a second person in scope (of one catalog if given) would
 * change, by request id.
 */
export async function pendingCatalogImpacts(
  scope: RegulatorScope,
  catalogId?: string,
): Promise<Map<string, CatalogImpactReport>> {
  const impacts = new Map<string, CatalogImpactReport>();
  for (const { id, file, text } of await pendingCatalogFiles(scope, catalogId)) {
    const impact = await catalogImpactOfFile(file, text, scope);
    if (impact) impacts.set(id, impact);
  }
  return impacts;
}
