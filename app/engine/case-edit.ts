/**
 * Edits to a case as the visual editor makes them. The case file stays the single source of truth:
 * each edit takes the JSON value of the source and gives the next one, so the studio writes the
 * same file whichever editor made the change, and the validator judges it the same way.
 *
 * The value may be an invalid case (that is what a draft is while it is written): edits never
 * assume more than they need, keep every member they do not touch (and its order), and never
 * mutate their input (undo keeps the old values).
 */
import { parsePointer } from "./json";
import { FORMAT_LIMITS } from "./limits";
import { NODE_ID_PATTERN, type Locale, type NodeKind } from "./schema";
import { isRecord } from "./validate";

export type CaseValue = Record<string, unknown>;

type Container = Record<string, unknown> | unknown[];

function copyOf(container: unknown): Container {
  if (Array.isArray(container)) return [...(container as unknown[])];
  return isRecord(container) ? { ...container } : {};
}

/**
 * The value with the member at `pointer` set (or removed when `next` is undefined); missing
 * objects on the way are created. Only the objects on the path are copied.
 */
export function setAt(value: CaseValue, pointer: string, next: unknown): CaseValue {
  const segments = parsePointer(pointer);
  if (segments.length === 0) throw new Error("setAt: the pointer must name a member");
  const write = (container: unknown, depth: number): Container => {
    const copy = copyOf(container);
    const key = segments[depth]!;
    const last = depth === segments.length - 1;
    if (Array.isArray(copy)) {
      const index = Number(key);
      if (!last) copy[index] = write(copy[index], depth + 1);
      else if (next === undefined) copy.splice(index, 1);
      else copy[index] = next;
    } else if (!last) {
      copy[key] = write(copy[key], depth + 1);
    } else if (next === undefined) {
      delete copy[key];
    } else {
      copy[key] = next;
    }
    return copy;
  };
  return write(value, 0) as CaseValue;
}

/** The member at `pointer`, or undefined. */
export function getAt(value: unknown, pointer: string): unknown {
  let at: unknown = value;
  for (const key of parsePointer(pointer)) {
    if (Array.isArray(at)) at = at[Number(key)];
    else if (isRecord(at)) at = at[key];
    else return undefined;
  }
  return at;
}

/**
 * One locale of a localized text. An emptied text is removed, not kept as "": the validator then
 * says the translation is missing, which is what it is.
 */
export function setText(value: CaseValue, pointer: string, locale: Locale, text: string): CaseValue {
  return setAt(value, `${pointer}/${locale}`, text === "" ? undefined : text);
}

export function nodesOf(value: CaseValue): Record<string, unknown> {
  return isRecord(value.nodes) ? value.nodes : {};
}

/** A node id that is free, made from `base` ("q" → "q1", "q2"...). */
export function freeNodeId(value: CaseValue, base: string): string {
  const taken = nodesOf(value);
  const stem = base.replace(/[^A-Za-z0-9_-]+/g, "-").slice(0, FORMAT_LIMITS.idLength - 6) || "node";
  for (let n = 1; ; n++) {
    const id = `${stem}${n}`;
    if (!(id in taken)) return id;
  }
}

const STEMS: Record<NodeKind, string> = { scene: "scene", decision: "q", reflection: "reflect", outcome: "end" };

/** A new, empty node of that kind: its texts and links are for the author to fill in. */
export function emptyNode(kind: NodeKind): Record<string, unknown> {
  switch (kind) {
    case "scene":
      return { kind, body: {}, next: "" };
    case "decision":
      return { kind, prompt: {}, choices: [] };
    case "reflection":
      return { kind, prompt: {}, next: "" };
    case "outcome":
      return { kind, title: {}, body: {} };
  }
}

/**
 * Adds a node of `kind`. With `linkFrom` (the pointer of a `next`, e.g. "/nodes/q1/choices/0/next"),
 * that link leads to it ("new node here"). A case without a start starts at its first node.
 */
export function addNode(value: CaseValue, kind: NodeKind, linkFrom?: string): { value: CaseValue; id: string } {
  const id = freeNodeId(value, STEMS[kind]);
  let next = setAt(value, `/nodes/${id}`, emptyNode(kind));
  if (linkFrom) next = setAt(next, linkFrom, id);
  if (typeof next.start !== "string" || next.start === "") next = setAt(next, "/start", id);
  return { value: next, id };
}

/** Every pointer of a link (start, next, a choice's next) in the case that names `id`. */
export function linksTo(value: CaseValue, id: string): string[] {
  const found: string[] = [];
  if (value.start === id) found.push("/start");
  for (const [nodeId, node] of Object.entries(nodesOf(value))) {
    if (!isRecord(node)) continue;
    if (node.next === id) found.push(`/nodes/${nodeId}/next`);
    if (Array.isArray(node.choices)) {
      node.choices.forEach((choice, i) => {
        if (isRecord(choice) && choice.next === id) found.push(`/nodes/${nodeId}/choices/${i}/next`);
      });
    }
  }
  return found;
}

export type RenameError = "invalid-id" | "taken" | "too-long";

/** Renames a node where it stands in `nodes` and in every link to it. */
export function renameNode(
  value: CaseValue,
  from: string,
  to: string,
): { ok: true; value: CaseValue } | { ok: false; code: RenameError } {
  if (from === to) return { ok: true, value };
  if (to.length > FORMAT_LIMITS.idLength) return { ok: false, code: "too-long" };
  if (!NODE_ID_PATTERN.test(to)) return { ok: false, code: "invalid-id" };
  const nodes = nodesOf(value);
  if (to in nodes) return { ok: false, code: "taken" };
  let next: CaseValue = {
    ...value,
    nodes: Object.fromEntries(Object.entries(nodes).map(([id, node]) => [id === from ? to : id, node])),
  };
  for (const pointer of linksTo(value, from)) next = setAt(next, pointer, to);
  return { ok: true, value: next };
}

/** What a change of kind takes away from a node, for the author to confirm first. */
export type KindChangeLoss = { choices: number; image: boolean; next: boolean };

/** The member holding a kind's main text: a scene or outcome tells, a decision or reflection asks. */
const MAIN_TEXT: Record<NodeKind, "body" | "prompt"> = {
  scene: "body",
  outcome: "body",
  decision: "prompt",
  reflection: "prompt",
};
const HAS_IMAGE: Record<NodeKind, boolean> = { scene: true, decision: true, outcome: true, reflection: false };

/** Whether a member holds anything an author wrote: a text, a link, a point, a flag set. */
function holdsSomething(member: unknown): boolean {
  if (typeof member === "string") return member.trim() !== "";
  if (Array.isArray(member)) return member.some(holdsSomething);
  if (isRecord(member)) return Object.values(member).some(holdsSomething);
  return typeof member === "number" || member === true;
}

/**
 * The choices removed with something in them. The first one's `kept` members survive the change,
 * so it counts only when it holds more (the empty choice a scene became is not a loss); any other
 * choice counts, since its link goes with it.
 */
function countLostChoices(choices: unknown[], kept: readonly string[]): number {
  return choices.filter(
    (choice, i) =>
      i > 0 || (isRecord(choice) && Object.entries(choice).some(([k, m]) => !kept.includes(k) && holdsSomething(m))),
  ).length;
}

/**
 * Makes node `id` a node of `kind`, keeping what the new kind can hold: its title, its main text
 * (a scene's body becomes a decision's prompt and back), its image, and where it leads (a scene's
 * `next` becomes a decision's first choice, a decision's first choice the `next` of a scene or
 * reflection). What it cannot hold is removed and counted in `lost`; links to the node stay.
 * Members the editor does not know stay where they are, for the validator to judge.
 */
export function changeKind(value: CaseValue, id: string, kind: NodeKind): { value: CaseValue; lost: KindChangeLoss } {
  const node = getAt(value, `/nodes/${id}`);
  const lost: KindChangeLoss = { choices: 0, image: false, next: false };
  if (!isRecord(node) || node.kind === kind) return { value, lost };
  const choices = Array.isArray(node.choices) ? node.choices : [];
  const first: unknown = choices[0];
  const firstNext = isRecord(first) ? first.next : undefined;
  const leadsTo = typeof node.next === "string" ? node.next : firstNext;
  // What a new node of the kind has (emptyNode) is what the changed one must have at least.
  const blank = emptyNode(kind);
  // The kind first: a node written without one (the form shows "unknown kind") gets it too.
  const changed: Record<string, unknown> = { kind };
  for (const [key, member] of Object.entries(node)) {
    if (key === "kind" || key === "next" || key === "choices") continue;
    else if (key === "body" || key === "prompt") changed[MAIN_TEXT[kind]] ??= member;
    else if (key === "image" && !HAS_IMAGE[kind]) lost.image = true;
    else changed[key] = member;
  }
  // An outcome's empty title is a blank to fill; elsewhere a title is optional, and an empty one
  // would be an error the form does not show.
  if (kind !== "outcome" && changed.title !== undefined && !holdsSomething(changed.title)) delete changed.title;
  if ("next" in blank) {
    changed.next = typeof leadsTo === "string" ? leadsTo : "";
    // The first choice's link carries over; the rest of the choices (labels, feedback, scoring) do not.
    lost.choices = countLostChoices(choices, ["id", "next"]);
  } else if (kind === "decision") {
    changed.choices =
      choices.length > 0 ? choices : [{ id: "a", label: {}, next: typeof leadsTo === "string" ? leadsTo : "" }];
  } else {
    lost.choices = countLostChoices(choices, ["id"]);
    lost.next = typeof node.next === "string" && node.next !== "";
  }
  for (const [key, member] of Object.entries(blank)) changed[key] ??= member;
  return { value: setAt(value, `/nodes/${id}`, changed), lost };
}

/**
 * Removes a node. Links to it are left as they are, so the validator and the graph show every
 * place that still leads there (a silent re-link would change the case behind the author's back).
 */
export function removeNode(value: CaseValue, id: string): CaseValue {
  return setAt(value, `/nodes/${id}`, undefined);
}

function choicesAt(value: CaseValue, nodeId: string): unknown[] {
  const choices = getAt(value, `/nodes/${nodeId}/choices`);
  return Array.isArray(choices) ? choices : [];
}

/** A choice id free within the decision ("a", "b"... then "c27"). */
export function freeChoiceId(value: CaseValue, nodeId: string): string {
  const taken = new Set(choicesAt(value, nodeId).map((c) => (isRecord(c) ? c.id : undefined)));
  for (const letter of "abcdefghijklmnopqrstuvwxyz") if (!taken.has(letter)) return letter;
  for (let n = 27; ; n++) if (!taken.has(`c${n}`)) return `c${n}`;
}

export function addChoice(value: CaseValue, nodeId: string): CaseValue {
  const choices = choicesAt(value, nodeId);
  return setAt(value, `/nodes/${nodeId}/choices`, [
    ...choices,
    { id: freeChoiceId(value, nodeId), label: {}, next: "" },
  ]);
}

/** Moves a choice up (-1) or down (+1); out of range is no change. */
export function moveChoice(value: CaseValue, nodeId: string, index: number, by: -1 | 1): CaseValue {
  const choices = [...choicesAt(value, nodeId)];
  const to = index + by;
  if (index < 0 || index >= choices.length || to < 0 || to >= choices.length) return value;
  [choices[index], choices[to]] = [choices[to], choices[index]];
  return setAt(value, `/nodes/${nodeId}/choices`, choices);
}

export function removeChoice(value: CaseValue, nodeId: string, index: number): CaseValue {
  return setAt(value, `/nodes/${nodeId}/choices/${index}`, undefined);
}

/** A choice's effects with one more, on `standard` ("catalog:code"), worth `points`. */
export function addEffect(value: CaseValue, choicePointer: string, standard: string, points: number): CaseValue {
  const effects = getAt(value, `${choicePointer}/effects`);
  const list = Array.isArray(effects) ? effects : [];
  return setAt(value, `${choicePointer}/effects`, [...list, { standard, points }]);
}

/** Removes one effect; the last one removed takes the empty `effects` list with it. */
export function removeEffect(value: CaseValue, choicePointer: string, index: number): CaseValue {
  const effects = getAt(value, `${choicePointer}/effects`);
  const list = Array.isArray(effects) ? effects.filter((_, i) => i !== index) : [];
  return setAt(value, `${choicePointer}/effects`, list.length > 0 ? list : undefined);
}

/** `critical: true`, or no `critical` member at all (false is the default and says nothing). */
export function setCritical(value: CaseValue, choicePointer: string, critical: boolean): CaseValue {
  return setAt(value, `${choicePointer}/critical`, critical ? true : undefined);
}

/** The source text the studio saves for a value: two-space JSON and a final newline, like the starter. */
export function caseSource(value: CaseValue): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}
