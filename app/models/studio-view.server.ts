// What the studio shows of one case text (a draft or a published version): the decision-tree
// diagram, every text side by side in English and French, a preview player whose state lives in
// the URL (nothing is written), and the scoring report. Built from the engine only.
import {
  findChoice,
  isRecord,
  passThrough,
  reachableFrom,
  replayPath,
  scorePath,
  type CaseAnalysis,
  type CaseFile,
  type ChoiceRef,
  type Diagnostic,
  type LocalizedText,
} from "~/engine";
import { layoutGraph, type GraphLayout, type LayoutEdgeInput, type LayoutNodeInput } from "~/engine/graph-layout";
import { localizedTexts } from "~/engine/texts";
import { localized, type Locale } from "~/i18n";
import { formatPercent } from "~/utils/format";
import type { RegulatorScope } from "~/utils/roles";
import { clauseTitles, getParsedVersion } from "./case.server";
import {
  caseFileName,
  checkCaseSource,
  getDraft,
  getVersion,
  latestCatalogs,
  onlyRegulator,
  versionStatus,
  type DraftSummary,
  type VersionStatus,
} from "./studio.server";

function looseText(value: unknown, locale: Locale): string {
  if (!isRecord(value)) return "";
  const text = value[locale] ?? value.en ?? value.fr;
  return typeof text === "string" ? text : "";
}

// ---------------------------------------------------------------------------------------------
// The thing being looked at

export type StudioTarget = {
  kind: "draft" | "version";
  slug: string;
  version: number | null;
  draft: (DraftSummary & { source: string }) | null;
  /** Where this target's pages live, e.g. /studio/drafts/abc or /studio/cases/x/versions/2. */
  base: string;
  source: string;
  file: string;
  caseFile: CaseFile | null;
  analysis: CaseAnalysis | null;
  diagnostics: Diagnostic[];
  clauses: Map<string, LocalizedText>;
  /** The JSON the source holds, as read by the validator (undefined when it is not JSON). */
  value: unknown;
  /** For a published version: its status now, its release month (YYYY-MM) and its content's sha256. */
  published: { status: VersionStatus; release: string; contentHash: string } | null;
};

export async function loadDraftTarget(draftId: string, scope: RegulatorScope): Promise<StudioTarget | null> {
  const draft = await getDraft(draftId, scope);
  if (!draft) return null;
  const catalogs = await latestCatalogs();
  const file = caseFileName(draft.slug);
  const check = await checkCaseSource(draft.source, file, onlyRegulator(draft.regulator), catalogs);
  return {
    kind: "draft",
    slug: draft.slug,
    version: null,
    draft,
    base: `/studio/drafts/${draft.id}`,
    source: draft.source,
    file,
    caseFile: check.caseFile ?? null,
    analysis: check.caseFile ? check.analysis : null,
    diagnostics: check.diagnostics,
    clauses: clauseTitles(catalogs.values()),
    value: check.value,
    published: null,
  };
}

export async function loadVersionTarget(
  slug: string,
  versionParam: string | undefined,
  scope: RegulatorScope,
): Promise<StudioTarget | null> {
  const version = Number(versionParam);
  const row = await getVersion(slug, version, scope);
  if (!row) return null;
  // A published version was valid when published: parsed, analysed and its clauses indexed once.
  const parsed = await getParsedVersion(row.id);
  if (!parsed) return null;
  return {
    kind: "version",
    slug,
    version,
    draft: null,
    base: `/studio/cases/${encodeURIComponent(slug)}/versions/${version}`,
    source: row.source,
    file: caseFileName(slug),
    caseFile: parsed.caseFile,
    analysis: parsed.analysis,
    diagnostics: [],
    clauses: parsed.clauses,
    value: parsed.caseFile,
    published: { status: versionStatus(row), release: row.release, contentHash: row.contentHash },
  };
}

/** The raw JSON value of the target (may be a half-written draft). */
export function targetValue(target: StudioTarget): unknown {
  return target.caseFile ?? target.value;
}

// ---------------------------------------------------------------------------------------------
// Diagram

export type DiagramNode = {
  key: string;
  id: string;
  kind: "scene" | "decision" | "reflection" | "outcome" | "unknown" | "missing";
  title: string;
  start: boolean;
  reachable: boolean;
  x: number;
  y: number;
  width: number;
  height: number;
};
export type DiagramEdge = {
  key: string;
  from: string;
  to: string;
  choiceId: string | null;
  label: string;
  critical: boolean;
  points: Array<{ x: number; y: number }>;
  labelAt: { x: number; y: number } | null;
};
export type Diagram = { width: number; height: number; nodes: DiagramNode[]; edges: DiagramEdge[]; start: string };

const KINDS = new Set(["scene", "decision", "reflection", "outcome"]);

function truncate(text: string, max: number): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** The case's nodes and links, drawn even when the case is invalid (that is when it helps most). */
export function buildDiagram(value: unknown, locale: Locale): Diagram | null {
  const parts = diagramParts(value, locale);
  return parts && placeDiagram(parts, layoutGraph(parts.nodeInputs, parts.edgeInputs));
}

/** What the layout of a diagram reads: boxes and links with their sizes, the same in every locale. */
export type DiagramLayoutInput = { nodes: LayoutNodeInput[]; edges: LayoutEdgeInput[] };

/** buildDiagram with the layout computed elsewhere (on a worker thread, from a cache). */
export async function buildDiagramWith(
  value: unknown,
  locale: Locale,
  layout: (input: DiagramLayoutInput) => Promise<GraphLayout>,
): Promise<Diagram | null> {
  const parts = diagramParts(value, locale);
  return parts && placeDiagram(parts, await layout({ nodes: parts.nodeInputs, edges: parts.edgeInputs }));
}

type DiagramParts = NonNullable<ReturnType<typeof diagramParts>>;

function diagramParts(value: unknown, locale: Locale) {
  if (!isRecord(value) || !isRecord(value.nodes)) return null;
  const nodesValue = value.nodes;
  const start = typeof value.start === "string" ? value.start : "";
  type Link = { to: string; choiceId: string | null; critical: boolean };
  const links = new Map<string, Link[]>();
  const kinds = new Map<string, DiagramNode["kind"]>();
  const titles = new Map<string, string>();
  for (const [id, raw] of Object.entries(nodesValue)) {
    const kind =
      isRecord(raw) && typeof raw.kind === "string" && KINDS.has(raw.kind)
        ? (raw.kind as DiagramNode["kind"])
        : "unknown";
    kinds.set(id, kind);
    const node = isRecord(raw) ? raw : {};
    // A diamond has less room at the height of its third line than a box.
    titles.set(
      id,
      truncate(
        looseText(node.title, locale) || looseText(node.prompt, locale) || looseText(node.body, locale),
        kind === "decision" ? 24 : 30,
      ),
    );
    const out: Link[] = [];
    if (typeof node.next === "string") out.push({ to: node.next, choiceId: null, critical: false });
    if (Array.isArray(node.choices)) {
      node.choices.forEach((c, i) => {
        if (!isRecord(c) || typeof c.next !== "string") return;
        out.push({
          to: c.next,
          choiceId: typeof c.id === "string" ? c.id : `#${i + 1}`,
          critical: c.critical === true,
        });
      });
    }
    links.set(id, out);
  }
  const reachable = reachableFrom(new Map([...links].map(([id, out]) => [id, out.map((l) => l.to)])), start);
  const missing = new Set<string>();
  for (const out of links.values()) for (const l of out) if (!kinds.has(l.to)) missing.add(l.to);

  const size = (kind: DiagramNode["kind"]) =>
    kind === "decision" ? { width: 250, height: 96 } : { width: 196, height: 64 };
  const nodeInputs = [
    ...[...kinds].map(([id, kind]) => ({ id: `n:${id}`, ...size(kind) })),
    ...[...missing].map((id) => ({ id: `m:${id}`, width: 196, height: 56 })),
  ];
  const edgeInputs: Array<{
    id: string;
    from: string;
    to: string;
    labelWidth?: number;
    labelHeight?: number;
    link: Link;
    source: string;
  }> = [];
  for (const [id, out] of links) {
    out.forEach((link, i) => {
      const label = link.choiceId ? `${link.critical ? "✕ " : ""}${truncate(link.choiceId, 20)}` : "";
      edgeInputs.push({
        id: `${id}#${i}`,
        from: `n:${id}`,
        to: kinds.has(link.to) ? `n:${link.to}` : `m:${link.to}`,
        ...(label ? { labelWidth: label.length * 7.5 + 14, labelHeight: 20 } : {}),
        link,
        source: id,
      });
    });
  }
  return { start, kinds, titles, reachable, missing, nodeInputs, edgeInputs };
}

function placeDiagram(parts: DiagramParts, layout: GraphLayout): Diagram {
  const { start, kinds, titles, reachable, missing, edgeInputs } = parts;
  const placed = new Map(layout.nodes.map((n) => [n.id, n]));
  const edgePlaced = new Map(layout.edges.map((e) => [e.id, e]));
  return {
    width: layout.width,
    height: layout.height,
    start,
    nodes: [
      ...[...kinds].map(([id, kind]) => {
        const p = placed.get(`n:${id}`)!;
        return {
          key: `n:${id}`,
          id,
          kind,
          title: titles.get(id) ?? "",
          start: id === start,
          reachable: reachable.has(id),
          x: p.x,
          y: p.y,
          width: p.width,
          height: p.height,
        };
      }),
      ...[...missing].map((id) => {
        const p = placed.get(`m:${id}`)!;
        return {
          key: `m:${id}`,
          id,
          kind: "missing" as const,
          title: "",
          start: false,
          reachable: false,
          x: p.x,
          y: p.y,
          width: p.width,
          height: p.height,
        };
      }),
    ],
    edges: edgeInputs.map((e) => {
      const p = edgePlaced.get(e.id);
      return {
        key: e.id,
        from: e.source,
        to: e.link.to,
        choiceId: e.link.choiceId,
        label: e.link.choiceId ? truncate(e.link.choiceId, 20) : "",
        critical: e.link.critical,
        points: p?.points ?? [],
        labelAt: p?.label ?? null,
      };
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// Texts side by side

export type TextRow = {
  path: string;
  node: string | null;
  field: string;
  en: string | null;
  fr: string | null;
  missing: Locale[];
  identical: boolean;
};

/** Every text of a case in file order, with the locales it lacks among those the case lists. */
export function caseTexts(value: unknown): { rows: TextRow[]; locales: Locale[] } {
  const listed =
    isRecord(value) && Array.isArray(value.locales)
      ? (value.locales.filter((l) => l === "en" || l === "fr") as Locale[])
      : [];
  const locales: Locale[] = listed.length > 0 ? [...new Set(listed)] : ["en", "fr"];
  const rows = localizedTexts(value).map((entry): TextRow => {
    const en = typeof entry.text.en === "string" ? entry.text.en : null;
    const fr = typeof entry.text.fr === "string" ? entry.text.fr : null;
    const missing = locales.filter((l) => {
      const t = l === "en" ? en : fr;
      return t === null || t.trim() === "";
    });
    const node = entry.node?.id ?? null;
    return {
      path: entry.pointer,
      node,
      field: (node ? entry.labels.slice(2) : entry.labels).join(" › "),
      en,
      fr,
      missing,
      identical: en !== null && fr !== null && en.trim().length > 3 && en.trim() === fr.trim(),
    };
  });
  return { rows, locales };
}

// ---------------------------------------------------------------------------------------------
// Scoring report and simulation (what cases:check and cases:play print)

export function clauseLabel(item: string, clauses: Map<string, LocalizedText>, locale: Locale): string {
  const title = localized(clauses.get(item), locale);
  return title ? `${item} — ${title}` : item;
}

function choiceLabelOf(caseFile: CaseFile, ref: ChoiceRef, locale: Locale): string {
  const choice = findChoice(caseFile, ref.nodeId, ref.choiceId);
  return choice ? localized(choice.label, locale) : ref.choiceId;
}

function promptOf(caseFile: CaseFile, nodeId: string, locale: Locale): string {
  const node = caseFile.nodes[nodeId];
  if (!node) return nodeId;
  if (node.kind === "decision" || node.kind === "reflection") return localized(node.prompt, locale);
  return localized(node.title, locale) || nodeId;
}

export function scoringReport(
  caseFile: CaseFile,
  analysis: CaseAnalysis,
  clauses: Map<string, LocalizedText>,
  locale: Locale,
) {
  return {
    bestTotal: analysis.bestTotal,
    worstTotal: analysis.worstTotal,
    bestTotalAnyPath: analysis.bestTotalAnyPath,
    passMark: formatPercent(caseFile.passMark, locale),
    decisionCount: analysis.decisionCount,
    longestPath: analysis.longestPath,
    hasCleanPath: analysis.hasCleanPath,
    expertPathIsClean: analysis.expertPathIsClean,
    expertPath: analysis.expertPath.map((ref) => ({
      nodeId: ref.nodeId,
      choiceId: ref.choiceId,
      prompt: promptOf(caseFile, ref.nodeId, locale),
      label: choiceLabelOf(caseFile, ref, locale),
    })),
    standards: analysis.items.map((item) => ({
      item,
      label: clauseLabel(item, clauses, locale),
      best: analysis.best[item] ?? 0,
      worst: analysis.worst[item] ?? 0,
    })),
    outcomes: Object.entries(analysis.outcomes).map(([id, o]) => ({
      id,
      title: promptOf(caseFile, id, locale),
      bestScore: o.bestScore === null ? null : formatPercent(o.bestScore, locale),
      passable: o.passable,
    })),
    decisions: Object.entries(caseFile.nodes).flatMap(([id, node]) =>
      node.kind === "decision"
        ? [
            {
              id,
              prompt: localized(node.prompt, locale),
              choices: node.choices.map((c) => ({ id: c.id, label: localized(c.label, locale) })),
            },
          ]
        : [],
    ),
  };
}

/** cases:play --choose: the path the choices give, scored; or which decision is wrong. */
export function simulatePath(
  caseFile: CaseFile,
  analysis: CaseAnalysis,
  choices: Record<string, string>,
  clauses: Map<string, LocalizedText>,
  locale: Locale,
) {
  const result = scorePath(caseFile, analysis, choices);
  if (!result.ok) return { ok: false as const, error: result.error };
  return {
    ok: true as const,
    steps: result.steps.map((s) => ({
      nodeId: s.nodeId,
      kind: s.kind,
      text: promptOf(caseFile, s.nodeId, locale),
      choice: s.choiceId ? choiceLabelOf(caseFile, { nodeId: s.nodeId, choiceId: s.choiceId }, locale) : null,
      choiceId: s.choiceId ?? null,
    })),
    outcome: promptOf(caseFile, result.outcomeId, locale),
    earned: analysis.items.map((item) => ({
      item,
      label: clauseLabel(item, clauses, locale),
      earned: result.earned[item] ?? 0,
      best: analysis.best[item] ?? 0,
    })),
    total: result.total,
    bestTotal: analysis.bestTotal,
    score: formatPercent(result.score, locale),
    passed: result.passed,
    reason: result.reason,
    critical: result.criticalChoices.map((ref) => choiceLabelOf(caseFile, ref, locale)),
  };
}

// ---------------------------------------------------------------------------------------------
// Preview player: ?from=<node>&at=<node>&path=<decision>.<choice>,… (nothing is stored)

export type PreviewParams = { from?: string | null; at?: string | null; path?: string | null; lang: Locale };

function previewHref(
  base: string,
  p: { from: string; at: string; path: ChoiceRef[]; lang: Locale },
  start: string,
  uiLocale: Locale,
): string {
  const q = new URLSearchParams();
  if (p.from !== start) q.set("from", p.from);
  q.set("at", p.at);
  if (p.path.length > 0) q.set("path", p.path.map((r) => `${r.nodeId}.${r.choiceId}`).join(","));
  if (p.lang !== uiLocale) q.set("lang", p.lang);
  return `${base}/preview?${q.toString()}`;
}

export function previewModel(
  caseFile: CaseFile,
  analysis: CaseAnalysis,
  clauses: Map<string, LocalizedText>,
  base: string,
  params: PreviewParams,
  uiLocale: Locale,
) {
  const lang = params.lang;
  const has = (id: string | null | undefined): id is string =>
    typeof id === "string" && Object.hasOwn(caseFile.nodes, id);
  const from = has(params.from) ? params.from : caseFile.start;
  let mismatch = Boolean(params.from && !has(params.from)) || Boolean(params.at && !has(params.at));

  // Replay the path from `from` with the engine, as the player replays an attempt: scenes and
  // reflections pass on their own, each entry must be the next decision met and one of its
  // choices. Anything else is a stale or edited link: shown where the entries before it lead.
  const entries = (params.path ?? "")
    .split(",")
    .filter(Boolean)
    .map((entry) => {
      const [nodeId = "", choiceId = ""] = entry.split(".");
      return { nodeId, choiceId };
    });
  const replay = replayPath(caseFile, analysis, entries, { from });
  if (!replay.ok) mismatch = true;
  const path = replay.path;
  const current = replay.ok && replay.status === "completed" ? replay.outcomeId : replay.at;
  const reachableNow = passThrough(caseFile, current);
  let at = has(params.at) ? params.at : current;
  if (!reachableNow.includes(at)) {
    mismatch = true;
    at = current;
  }
  const node = caseFile.nodes[at]!;
  const href = (p: { at: string; path?: ChoiceRef[]; from?: string; lang?: Locale }) =>
    previewHref(
      base,
      { from: p.from ?? from, at: p.at, path: p.path ?? path, lang: p.lang ?? lang },
      caseFile.start,
      uiLocale,
    );

  const effectsOf = (effects: Array<{ standard: string; points: number }> | undefined) =>
    (effects ?? []).map((e) => ({ item: e.standard, label: clauseLabel(e.standard, clauses, lang), points: e.points }));

  const last = path.at(-1);
  const lastChoice = last ? findChoice(caseFile, last.nodeId, last.choiceId) : undefined;
  const feedback =
    lastChoice && lastChoice.next === at
      ? {
          label: localized(lastChoice.label, lang),
          text: lastChoice.feedback ? localized(lastChoice.feedback, lang) : null,
        }
      : null;

  const earned = new Map<string, number>();
  let total = 0;
  const critical: string[] = [];
  const history = path.map((ref) => {
    const choice = findChoice(caseFile, ref.nodeId, ref.choiceId);
    for (const e of choice?.effects ?? []) {
      earned.set(e.standard, (earned.get(e.standard) ?? 0) + e.points);
      total += e.points;
    }
    if (choice?.critical) critical.push(localized(choice.label, lang));
    return {
      nodeId: ref.nodeId,
      prompt: promptOf(caseFile, ref.nodeId, lang),
      label: choiceLabelOf(caseFile, ref, lang),
      critical: choice?.critical === true,
    };
  });

  // At an outcome, the steps so far and the scenes passed to get here end the case (scored from the start only).
  const finished =
    node.kind === "outcome"
      ? replayPath(
          caseFile,
          analysis,
          [...replay.steps, ...reachableNow.slice(0, reachableNow.indexOf(at)).map((nodeId) => ({ nodeId }))],
          { from },
        )
      : null;
  const complete = finished?.ok && finished.status === "completed" ? finished.score : null;

  return {
    lang,
    from,
    fromStart: from === caseFile.start,
    at,
    mismatch,
    restartHref: href({ at: caseFile.start, from: caseFile.start, path: [] }),
    otherLangHref: href({ at, lang: lang === "en" ? "fr" : "en" }),
    otherLang: (lang === "en" ? "fr" : "en") as Locale,
    nodeOptions: Object.entries(caseFile.nodes).map(([id, n]) => ({
      id,
      kind: n.kind,
      text: truncate(promptOf(caseFile, id, lang), 60),
    })),
    node: {
      id: at,
      kind: node.kind,
      title: "title" in node && node.title ? localized(node.title, lang) : null,
      body: node.kind === "scene" || node.kind === "outcome" ? localized(node.body, lang) : null,
      prompt: node.kind === "decision" || node.kind === "reflection" ? localized(node.prompt, lang) : null,
      continueHref: node.kind === "scene" || node.kind === "reflection" ? href({ at: node.next }) : null,
      choices:
        node.kind === "decision"
          ? node.choices.map((c) => ({
              id: c.id,
              label: localized(c.label, lang),
              next: c.next,
              critical: c.critical === true,
              effects: effectsOf(c.effects),
              href: href({ at: c.next, path: [...path, { nodeId: at, choiceId: c.id }] }),
            }))
          : [],
    },
    feedback,
    history,
    earned: [...earned].map(([item, points]) => ({ item, label: clauseLabel(item, clauses, lang), points })),
    total,
    critical,
    result: complete
      ? {
          score: formatPercent(complete.score, uiLocale),
          passed: complete.passed,
          reason: complete.reason,
          total: complete.total,
          bestTotal: analysis.bestTotal,
        }
      : null,
  };
}

export type PreviewModel = ReturnType<typeof previewModel>;
