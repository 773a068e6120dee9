/**
 * The importers' common last step: a story graph read from H5P or Twine becomes a case file.
 * Links to what does not exist become endings to write, links that loop back become endings
 * (a case must be acyclic to be scored), what the start never reaches is left out, ids are made
 * from names, and every field the source cannot give gets a placeholder that validation points at.
 */
import { FORMAT_LIMITS } from "../limits";
import { NODE_ID_PATTERN, SLUG_PATTERN, type Locale } from "../schema";
import { validateCase } from "../validate";
import type { ConvertFormat, ConvertOptions, ConvertWarning, Converted } from "./types";

export type StoryChoice = {
  label: string;
  /** Markdown. */
  feedback?: string;
  /** The key of the node it leads to. */
  next: string;
  /** Where the link is in the source, for warnings about it. */
  where: string;
};

type Common = {
  /** Unique in the story: "content:3", "end:-1", "passage:Ward". */
  key: string;
  /** What the node's id is made from. */
  name: string;
  where: string;
  title?: string;
};

export type StoryNode =
  | (Common & { kind: "scene"; body: string; next: string; nextWhere: string })
  | (Common & { kind: "decision"; prompt: string; choices: StoryChoice[] })
  | (Common & { kind: "outcome"; title: string; body: string });

export type Story = {
  format: ConvertFormat;
  title: string;
  /** Markdown; absent when the source has none (a placeholder is written). */
  summary?: string;
  locale: Locale;
  start: string;
  nodes: Map<string, StoryNode>;
  warnings: ConvertWarning[];
};

/** The few texts the importers write themselves, in the case's source language. */
const GENERATED = {
  en: {
    theEnd: "The end",
    alternative: "Choice",
    backTo: (label: string) => `Back to ${label}`,
    loopBody: (label: string) =>
      `In the source, this went back to “${label}”. Write this ending, or point the choice at a later node.`,
    missingBody: (name: string) =>
      `“${name}” was missing from the source: write this ending, or point the link at another node.`,
  },
  fr: {
    theEnd: "Fin",
    alternative: "Choix",
    backTo: (label: string) => `Retour à ${label}`,
    loopBody: (label: string) =>
      `Dans la source, ce choix revenait à « ${label} ». Écrivez cette fin, ou dirigez le choix vers un nœud plus loin.`,
    missingBody: (name: string) =>
      `« ${name} » manquait dans la source : écrivez cette fin, ou dirigez le lien vers un autre nœud.`,
  },
} satisfies Record<Locale, unknown>;

export const generated = (locale: Locale) => GENERATED[locale];

/** A readable id from a name: ascii letters, digits and "-", unique among `taken`. */
export function idFrom(name: string, fallback: string, taken: Set<string>, max = 60): string {
  const base =
    name
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9_-]+/g, "-")
      .replace(/-{2,}/g, "-")
      .replace(/^[-_]+|[-_]+$/g, "")
      .slice(0, max)
      .replace(/[-_]+$/, "") || fallback;
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  if (!NODE_ID_PATTERN.test(id)) throw new Error(`idFrom made an invalid id: ${id}`);
  taken.add(id);
  return id;
}

/** The slug a title suggests. */
export function slugFrom(title: string): string {
  const id = idFrom(title, "imported-case", new Set(), 60).replace(/_/g, "-");
  return SLUG_PATTERN.test(id) ? id : "imported-case";
}

const nameOf = (key: string) => key.slice(key.indexOf(":") + 1);

/** Outgoing links of a node as settable slots, in order. */
function edges(node: StoryNode): Array<{ get: () => string; set: (key: string) => void; where: string }> {
  if (node.kind === "scene") {
    return [{ get: () => node.next, set: (key) => (node.next = key), where: node.nextWhere }];
  }
  if (node.kind === "decision") {
    return node.choices.map((choice) => ({
      get: () => choice.next,
      set: (key: string) => (choice.next = key),
      where: choice.where,
    }));
  }
  return [];
}

function clipTitle(text: string, where: string, warnings: ConvertWarning[]): string {
  if (text.length <= FORMAT_LIMITS.titleLength) return text;
  warnings.push({
    kind: "text",
    where,
    message: `the title was ${text.length} characters long; it is cut to ${FORMAT_LIMITS.titleLength}: shorten it`,
  });
  return `${text.slice(0, FORMAT_LIMITS.titleLength - 1).trimEnd()}…`;
}

/** Endings for links to nothing, and for links that close a loop; unreached nodes left out. */
function repairGraph(story: Story): string[] {
  const { nodes, warnings } = story;
  const addEnding = (key: string, name: string, title: string, body: string) => {
    if (!nodes.has(key)) nodes.set(key, { kind: "outcome", key, name, where: "", title, body });
    return key;
  };
  for (const node of [...nodes.values()]) {
    for (const edge of edges(node)) {
      const target = edge.get();
      if (nodes.has(target)) continue;
      const name = nameOf(target);
      warnings.push({
        kind: "structure",
        where: edge.where,
        message: `this links to “${name}”, which is not in the source; it now ends the case at an ending to write (or point the link at another node)`,
      });
      edge.set(addEnding(`missing:${target}`, name, name, generated(story.locale).missingBody(name)));
    }
  }

  // Depth first from the start; a link to a node on the current path closes a loop.
  const order: string[] = [];
  const state = new Map<string, "open" | "done">();
  type Frame = { key: string; edges: ReturnType<typeof edges>; next: number };
  const open = (key: string): Frame => {
    state.set(key, "open");
    order.push(key);
    return { key, edges: edges(nodes.get(key)!), next: 0 };
  };
  const stack: Frame[] = [open(story.start)];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    if (frame.next >= frame.edges.length) {
      state.set(frame.key, "done");
      stack.pop();
      continue;
    }
    const edge = frame.edges[frame.next++]!;
    const target = edge.get();
    const seen = state.get(target);
    if (seen === "open") {
      const back = nodes.get(target)!;
      const label = back.title ?? back.name;
      warnings.push({
        kind: "loop",
        where: edge.where,
        message: `this goes back to “${label}”, which makes a loop; a Vignette case must not loop (every path has to end to be scored), so it now ends the case at “${generated(story.locale).backTo(label)}”: write that ending, or point the link at a later node`,
      });
      const ending = addEnding(
        `loop:${target}`,
        `back-to-${back.name}`,
        generated(story.locale).backTo(label),
        generated(story.locale).loopBody(label),
      );
      edge.set(ending);
      if (!state.has(ending)) {
        state.set(ending, "done");
        order.push(ending);
      }
    } else if (seen === undefined) {
      stack.push(open(target));
    }
  }

  for (const node of nodes.values()) {
    if (state.has(node.key) || node.key.startsWith("loop:") || node.key.startsWith("missing:")) continue;
    warnings.push({
      kind: "structure",
      where: node.where,
      message: `“${node.title ?? node.name}” is never reached from the start, so it was left out; link to it from another node if it belongs in the case`,
    });
  }
  return order;
}

const PLACEHOLDER = "FILL-IN";

/** The case file for a story, with its warnings and what validation says is left to do. */
export function buildCase(story: Story, options: ConvertOptions): Converted {
  const { warnings } = story;
  const order = repairGraph(story);
  const locale = story.locale;
  const locales: Locale[] = [...new Set([locale, ...(options.locales ?? [])])];
  const text = (value: string) => ({ [locale]: value });

  const taken = new Set<string>();
  const ids = new Map<string, string>();
  for (const key of order) ids.set(key, idFrom(story.nodes.get(key)!.name, "node", taken));

  /** A text may not be empty: the node's name stands in, and the warning says to write it. */
  const written = (value: string, fallback: string, where: string, what: string) => {
    if (value.trim()) return value;
    warnings.push({ kind: "structure", where, message: `${what} is empty; “${fallback}” stands in: write it` });
    return fallback;
  };
  const nodes: Record<string, unknown> = {};
  for (const key of order) {
    const node = story.nodes.get(key)!;
    const title = node.title?.trim() ? clipTitle(node.title.trim(), node.where, warnings) : undefined;
    const label = title ?? node.name;
    if (node.kind === "scene") {
      nodes[ids.get(key)!] = {
        kind: "scene",
        ...(title ? { title: text(title) } : {}),
        body: text(written(node.body, label, node.where, "the text")),
        next: ids.get(node.next)!,
      };
    } else if (node.kind === "decision") {
      const choiceIds = new Set<string>();
      nodes[ids.get(key)!] = {
        kind: "decision",
        ...(title ? { title: text(title) } : {}),
        prompt: text(written(node.prompt, label, node.where, "the question")),
        choices: node.choices.map((choice, i) => {
          const choiceLabel = written(
            choice.label,
            `${generated(locale).alternative} ${i + 1}`,
            choice.where,
            "the choice's text",
          );
          return {
            id: idFrom(choiceLabel, `choice-${i + 1}`, choiceIds, 40),
            label: text(choiceLabel),
            ...(choice.feedback?.trim() ? { feedback: text(choice.feedback.trim()) } : {}),
            next: ids.get(choice.next)!,
          };
        }),
      };
    } else {
      nodes[ids.get(key)!] = {
        kind: "outcome",
        title: text(label),
        body: text(written(node.body, label, node.where, "the ending's text")),
      };
    }
  }

  const toFill = (where: string, message: string) => warnings.push({ kind: "to-fill", where, message });
  const slug = options.slug ?? slugFrom(story.title);
  if (!options.regulator) toFill("/regulator", `write the id of the case's regulator in place of "${PLACEHOLDER}"`);
  const others = locales.filter((l) => l !== locale);
  if (others.length > 0) {
    toFill(
      "/locales",
      `the texts were read as "${locale}"; write the ${others.map((l) => `"${l}"`).join(" and ")} text of each (validation lists every one)`,
    );
  }
  if (story.summary === undefined) toFill("/summary", "write one or two sentences about the situation");
  toFill(
    "/profession",
    `write the profession the case is for (e.g. "occupational-therapy") in place of "${PLACEHOLDER}"`,
  );
  toFill("/release", 'write the month of publication, "YYYY-MM"');
  toFill(
    "/credit",
    `give the credit hours (in steps of 0.25) and a category (e.g. "ethics") in place of 0 and "${PLACEHOLDER}"`,
  );
  toFill("/passMark", "the pass mark is set to 0.7 (70% of the best score); change it if needed");
  toFill(
    "/standards",
    "list the standards catalogs the case is scored against, and give the choices effects on their clauses (the warnings of kind “scoring” say what the source scored)",
  );

  const caseValue = {
    format: 1,
    slug,
    regulator: options.regulator ?? PLACEHOLDER,
    locales,
    title: text(clipTitle(story.title, "title", warnings)),
    summary: text(story.summary ?? story.title),
    profession: PLACEHOLDER,
    release: "YYYY-MM",
    credit: { hours: 0, category: PLACEHOLDER },
    passMark: 0.7,
    standards: [],
    start: ids.get(story.start)!,
    nodes,
  };
  const source = `${JSON.stringify(caseValue, null, 2)}\n`;
  const { diagnostics } = validateCase({ file: `${slug}.json`, text: source }, options.catalogs ?? new Map());
  return { format: story.format, source, slug, warnings, diagnostics };
}
