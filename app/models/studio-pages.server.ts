// Loader data shared by the studio pages that look at one case text (a draft or a version), so
// each route stays a few lines of glue.
import { createHash } from "node:crypto";
import { graphCounts, type GraphMarkup, type GraphPicture } from "~/components/studio/case-graph";
import type { GraphLayout } from "~/engine/graph-layout";
import { localized, type Locale } from "~/i18n";
import { formatDate, formatMonth } from "~/utils/format";
import { notFound } from "~/utils/http.server";
import { requestI18n } from "~/utils/i18n.server";
import { createMemoCache } from "~/utils/memo-cache";
import type { Result } from "~/utils/result";
import { graphMarkupOffThread, layoutOffThread, unlessBusy } from "~/utils/workers.server";
import { regulatorTimeZone } from "./regulator-brand.server";
import {
  buildDiagramWith,
  caseTexts,
  loadDraftTarget,
  loadVersionTarget,
  previewModel,
  scoringReport,
  simulatePath,
  targetValue,
  type Diagram,
  type StudioTarget,
} from "./studio-view.server";
import { requireStudio, requireStudioRight, type DraftStatus, type VersionStatus } from "./studio.server";

export type TargetParams = { draftId?: string; slug?: string; version?: string };

/**
 * The signed-in author's or reviewer's view of a draft or version named by the route params; 404
 * otherwise. A page's action (an XLIFF import...) makes a draft: 403 for a reviewer who is not its author.
 */
export async function loadTargetPage(request: Request, params: TargetParams) {
  const session = await requireStudio(request);
  const { t, locale } = await requestI18n(request, session);
  const target = params.draftId
    ? await loadDraftTarget(params.draftId, session.readScope)
    : await loadVersionTarget(params.slug ?? "", params.version, session.readScope);
  if (!target) throw notFound();
  if (request.method !== "GET" && request.method !== "HEAD") {
    requireStudioRight(session, "edit", target.draft?.regulator ?? target.caseFile?.regulator ?? "");
  }
  const timeZone = await regulatorTimeZone(target.draft?.regulator ?? target.caseFile?.regulator);
  return { session, t, locale, target, header: targetHeader(target, locale, timeZone) };
}

function targetHeader(target: StudioTarget, locale: Locale, timeZone: string) {
  const value = targetValue(target) as { title?: Record<string, string>; release?: string } | undefined;
  const title = value && typeof value === "object" ? localized(value.title, locale) : "";
  let status: DraftStatus | VersionStatus;
  let release: string | null = null;
  if (target.published) {
    status = target.published.status;
    release = formatMonth(target.published.release, locale);
  } else {
    status = target.draft!.status;
    release =
      typeof value?.release === "string" && /^\d{4}-(0[1-9]|1[0-2])$/.test(value.release)
        ? formatMonth(value.release, locale)
        : null;
  }
  return {
    kind: target.kind,
    slug: target.slug,
    version: target.version,
    draftId: target.draft?.id ?? null,
    base: target.base,
    title,
    status,
    release,
    valid: target.caseFile !== null,
    errorCount: target.diagnostics.filter((d) => d.severity === "error").length,
    updatedAt: target.draft ? formatDate(target.draft.updatedAt, locale, timeZone) : null,
  };
}

export type TargetHeader = Awaited<ReturnType<typeof targetHeader>>;

/**
 * Laid-out diagrams, by what they were laid out from: a published version never changes, so its
 * layout is kept by its content hash; a draft's by the hash of its source. The layout reads no text,
 * so one entry serves both languages. Bounded by entries (a layout of ~850 nodes is ~1 MB).
 */
const layouts = createMemoCache<GraphLayout>({ maxEntries: 32 });

export function graphLayoutKey(target: StudioTarget): string {
  return target.published
    ? `version:${target.published.contentHash}`
    : `draft:${createHash("sha256").update(target.source).digest("hex")}`;
}

/**
 * The diagram of the target, laid out on a worker thread (never on the event loop) or taken from
 * the cache; "busy" when the pool's queue is full (the page says to come back in a few seconds).
 */
export function graphData(target: StudioTarget, locale: Locale): Promise<Result<Diagram | null, "busy">> {
  return unlessBusy(() => laidOut(target, locale));
}

function laidOut(target: StudioTarget, locale: Locale): Promise<Diagram | null> {
  return buildDiagramWith(targetValue(target), locale, (input) =>
    layouts.get(graphLayoutKey(target), () => layoutOffThread(input.nodes, input.edges)),
  );
}

/** A graph page's picture, and the markup of its parts by element id (for keepForDocument). */
export type KeptPicture = { picture: GraphPicture; markup: Array<[id: string, html: string]> };

/**
 * The graph page's pictures, rendered on a worker thread once per target, language and link target:
 * React rendering ~15,000 elements of an 850-node case held the event loop ~200 ms per view. A
 * picture is ~1 MB of markup, hence the few entries; a miss costs one render on the worker.
 */
const pictures = createMemoCache<KeptPicture | null>({ maxEntries: 8 });

/** The graph page's picture of the target (null when its text has no nodes to draw), or "busy". */
export function graphPicture(
  target: StudioTarget,
  locale: Locale,
  previewBase: string | null,
): Promise<Result<KeptPicture | null, "busy">> {
  const key = `${graphLayoutKey(target)}:${locale}:${previewBase ?? ""}`;
  return unlessBusy(() =>
    pictures.get(key, async () => {
      const diagram = await laidOut(target, locale);
      return diagram && keptPicture(key, diagram, await graphMarkupOffThread(diagram, previewBase, locale));
    }),
  );
}

function keptPicture(key: string, diagram: Diagram, markup: GraphMarkup): KeptPicture {
  // Element ids that name the content: a page holding an element of that id holds the same markup.
  const tag = createHash("sha256").update(key).digest("hex").slice(0, 16);
  const id = (part: keyof GraphMarkup) => `graph-${part}-${tag}`;
  const ids = { drawing: id("drawing"), links: markup.links === null ? null : id("links"), list: id("list") };
  const kept = (["drawing", "links", "list"] as const).flatMap((part): Array<[string, string]> => {
    const html = markup[part];
    return html === null ? [] : [[id(part), html]];
  });
  return {
    picture: {
      width: diagram.width,
      height: diagram.height,
      nodes: diagram.nodes.map(({ key, id, title, x, y, start }) => ({ key, id, title, x, y, start })),
      counts: graphCounts(diagram),
      ids,
    },
    markup: kept,
  };
}

export function translationsData(target: StudioTarget) {
  return caseTexts(targetValue(target));
}

export function previewData(target: StudioTarget, url: URL, locale: Locale) {
  if (!target.caseFile || !target.analysis) return null;
  const langParam = url.searchParams.get("lang");
  const lang: Locale = langParam === "en" || langParam === "fr" ? langParam : locale;
  const contentLang: Locale = target.caseFile.locales.includes(lang) ? lang : (target.caseFile.locales[0] ?? locale);
  const preview = previewModel(
    target.caseFile,
    target.analysis,
    target.clauses,
    target.base,
    {
      from: url.searchParams.get("from"),
      at: url.searchParams.get("at"),
      path: url.searchParams.get("path"),
      lang: contentLang,
    },
    locale,
  );
  const report = scoringReport(target.caseFile, target.analysis, target.clauses, locale);
  // The simulation form: one select per decision, named c.<decision id> (GET, like cases:play --choose).
  const chosen: Record<string, string> = {};
  for (const [key, value] of url.searchParams) {
    if (key.startsWith("c.") && value) chosen[key.slice(2)] = value;
  }
  const simulate = url.searchParams.has("simulate")
    ? simulatePath(target.caseFile, target.analysis, chosen, target.clauses, locale)
    : null;
  return { preview, report, chosen, simulate, locales: target.caseFile.locales };
}
