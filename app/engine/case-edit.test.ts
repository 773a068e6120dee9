import { describe, expect, it } from "vitest";
import {
  addChoice,
  addEffect,
  addNode,
  caseSource,
  changeKind,
  getAt,
  linksTo,
  moveChoice,
  removeChoice,
  removeEffect,
  removeNode,
  renameNode,
  setAt,
  setCritical,
  setText,
  type CaseValue,
} from "./case-edit";
import { validateCase } from "./validate";

const base = (): CaseValue => ({
  format: 1,
  slug: "edit",
  regulator: "coto",
  locales: ["en", "fr"],
  title: { en: "Edit", fr: "Édition" },
  summary: { en: "s", fr: "s" },
  profession: "occupational-therapy",
  release: "2026-12",
  credit: { hours: 0.25, category: "ethics" },
  passMark: 0.5,
  standards: ["std"],
  start: "intro",
  nodes: {
    intro: { kind: "scene", body: { en: "Hi", fr: "Salut" }, next: "q1" },
    q1: {
      kind: "decision",
      prompt: { en: "?", fr: "?" },
      choices: [
        { id: "a", label: { en: "A", fr: "A" }, next: "end" },
        { id: "b", label: { en: "B", fr: "B" }, next: "end", critical: true },
      ],
    },
    end: { kind: "outcome", title: { en: "End", fr: "Fin" }, body: { en: ".", fr: "." } },
  },
});

describe("setAt", () => {
  it("copies only the path it changes and never touches its input", () => {
    const before = base();
    const frozen = JSON.stringify(before);
    const after = setAt(before, "/nodes/q1/prompt/en", "What now?");
    expect(JSON.stringify(before)).toBe(frozen);
    expect(getAt(after, "/nodes/q1/prompt/en")).toBe("What now?");
    expect(after.nodes).not.toBe(before.nodes);
    expect((after.nodes as CaseValue).intro).toBe((before.nodes as CaseValue).intro);
  });

  it("creates missing objects and removes a member when given undefined", () => {
    const after = setAt({}, "/nodes/x/body/en", "text");
    expect(after).toEqual({ nodes: { x: { body: { en: "text" } } } });
    expect(setAt(after, "/nodes/x/body", undefined)).toEqual({ nodes: { x: {} } });
  });

  it("keeps the order of the members it does not remove", () => {
    const after = setAt(base(), "/title/en", "New");
    expect(Object.keys(after)).toEqual(Object.keys(base()));
  });
});

describe("texts", () => {
  it("removes an emptied translation so the validator reports it missing", () => {
    const after = setText(base(), "/nodes/q1/prompt", "fr", "");
    expect(getAt(after, "/nodes/q1/prompt")).toEqual({ en: "?" });
    const { diagnostics } = validateCase({ file: "edit.json", text: caseSource(after) }, new Map());
    expect(diagnostics.some((d) => d.path === "/nodes/q1/prompt" && /fr/.test(d.message))).toBe(true);
  });
});

describe("nodes", () => {
  it("adds a node behind a choice ('new node here') with a free id", () => {
    const { value, id } = addNode(base(), "decision", "/nodes/q1/choices/0/next");
    expect(id).toBe("q2");
    expect(getAt(value, "/nodes/q1/choices/0/next")).toBe("q2");
    expect(getAt(value, "/nodes/q2")).toEqual({ kind: "decision", prompt: {}, choices: [] });
  });

  it("makes the first node of an empty case its start", () => {
    const { value, id } = addNode({ format: 1, nodes: {} }, "scene");
    expect(value.start).toBe(id);
  });

  it("renames a node and every link to it, keeping its place", () => {
    const result = renameNode(base(), "end", "closing");
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.value.nodes as CaseValue)).toEqual(["intro", "q1", "closing"]);
    expect(linksTo(result.value, "closing")).toEqual(["/nodes/q1/choices/0/next", "/nodes/q1/choices/1/next"]);
    expect(linksTo(result.value, "end")).toEqual([]);
    const start = renameNode(base(), "intro", "opening");
    expect(start.ok && start.value.start).toBe("opening");
  });

  it("refuses a taken or malformed id", () => {
    expect(renameNode(base(), "end", "q1")).toEqual({ ok: false, code: "taken" });
    expect(renameNode(base(), "end", "the end")).toEqual({ ok: false, code: "invalid-id" });
    expect(renameNode(base(), "end", "x".repeat(200))).toEqual({ ok: false, code: "too-long" });
  });

  it("leaves the links to a removed node for the validator to point at", () => {
    const after = removeNode(base(), "end");
    const { diagnostics } = validateCase({ file: "edit.json", text: caseSource(after) }, new Map());
    expect(diagnostics.map((d) => d.path)).toContain("/nodes/q1/choices/0/next");
  });
});

describe("choices", () => {
  it("adds, reorders and removes choices", () => {
    let value = addChoice(base(), "q1");
    expect(getAt(value, "/nodes/q1/choices/2")).toEqual({ id: "c", label: {}, next: "" });
    value = moveChoice(value, "q1", 2, -1);
    expect((getAt(value, "/nodes/q1/choices") as CaseValue[]).map((c) => c.id)).toEqual(["a", "c", "b"]);
    expect(moveChoice(value, "q1", 0, -1)).toBe(value);
    value = removeChoice(value, "q1", 0);
    expect((getAt(value, "/nodes/q1/choices") as CaseValue[]).map((c) => c.id)).toEqual(["c", "b"]);
  });

  it("scores a choice and marks it critical, writing nothing for the defaults", () => {
    let value = addEffect(base(), "/nodes/q1/choices/0", "std:1.1", 2);
    value = addEffect(value, "/nodes/q1/choices/0", "std:1.2", -1);
    expect(getAt(value, "/nodes/q1/choices/0/effects")).toEqual([
      { standard: "std:1.1", points: 2 },
      { standard: "std:1.2", points: -1 },
    ]);
    value = removeEffect(removeEffect(value, "/nodes/q1/choices/0", 0), "/nodes/q1/choices/0", 0);
    expect(getAt(value, "/nodes/q1/choices/0")).not.toHaveProperty("effects");
    value = setCritical(value, "/nodes/q1/choices/1", false);
    expect(getAt(value, "/nodes/q1/choices/1")).not.toHaveProperty("critical");
  });
});

describe("changing a node's kind", () => {
  const check = (value: CaseValue) =>
    validateCase({ file: "edit.json", text: caseSource(value) }, new Map()).diagnostics.filter(
      (d) => d.severity === "error" && !d.path.startsWith("/standards") && !/catalog|standard/.test(d.message),
    );

  it("makes a scene a decision: its body is the question, where it led is the first choice's link", () => {
    const { value, lost } = changeKind(base(), "intro", "decision");
    expect(getAt(value, "/nodes/intro")).toEqual({
      kind: "decision",
      prompt: { en: "Hi", fr: "Salut" },
      choices: [{ id: "a", label: {}, next: "q1" }],
    });
    expect(lost).toEqual({ choices: 0, image: false, next: false });
    expect(linksTo(value, "intro")).toEqual(["/start"]);
  });

  it("makes a decision a scene: the first choice's link is kept, the choices are counted as lost", () => {
    const { value, lost } = changeKind(base(), "q1", "scene");
    expect(getAt(value, "/nodes/q1")).toEqual({ kind: "scene", body: { en: "?", fr: "?" }, next: "end" });
    expect(lost).toEqual({ choices: 2, image: false, next: false });
    expect(check(value).map((d) => d.path)).toEqual([]);
  });

  it("keeps the title and image an outcome can hold, and asks for a title it needs", () => {
    const image = { src: `sha256:${"a".repeat(64)}`, alt: { en: "A ward", fr: "Une salle" } };
    const withImage = setAt(base(), "/nodes/intro/image", image);
    const { value, lost } = changeKind(
      setAt(withImage, "/nodes/intro/title", { en: "T", fr: "T" }),
      "intro",
      "outcome",
    );
    expect(getAt(value, "/nodes/intro")).toEqual({
      kind: "outcome",
      body: { en: "Hi", fr: "Salut" },
      image,
      title: { en: "T", fr: "T" },
    });
    expect(lost).toEqual({ choices: 0, image: false, next: true });
    expect(getAt(changeKind(base(), "q1", "outcome").value, "/nodes/q1/title")).toEqual({});
  });

  it("says a reflection cannot hold the image", () => {
    const image = { src: `sha256:${"b".repeat(64)}`, alt: { en: "x", fr: "x" } };
    const { value, lost } = changeKind(setAt(base(), "/nodes/intro/image", image), "intro", "reflection");
    expect(getAt(value, "/nodes/intro")).toEqual({ kind: "reflection", prompt: { en: "Hi", fr: "Salut" }, next: "q1" });
    expect(lost).toEqual({ choices: 0, image: true, next: false });
  });

  it("changes nothing for the same kind or a missing node, and never touches its input", () => {
    const before = base();
    const frozen = JSON.stringify(before);
    expect(changeKind(before, "q1", "decision").value).toBe(before);
    expect(changeKind(before, "nowhere", "scene").value).toBe(before);
    changeKind(before, "q1", "outcome");
    expect(JSON.stringify(before)).toBe(frozen);
  });

  it("goes there and back without losing a scene's texts or link", () => {
    const there = changeKind(base(), "intro", "decision").value;
    const back = changeKind(there, "intro", "scene");
    expect(getAt(back.value, "/nodes/intro")).toEqual(getAt(base(), "/nodes/intro"));
    // The empty choice the scene became held nothing but its link, which went back: no loss to confirm.
    expect(back.lost).toEqual({ choices: 0, image: false, next: false });
  });

  it("gives a node written without a kind the one asked for", () => {
    const kindless = setAt(base(), "/nodes/intro", { body: { en: "Hi", fr: "Salut" }, next: "q1" });
    const { value } = changeKind(kindless, "intro", "scene");
    expect(getAt(value, "/nodes/intro")).toEqual({ kind: "scene", body: { en: "Hi", fr: "Salut" }, next: "q1" });
    expect(check(value)).toEqual([]);
  });

  it("drops an outcome's empty title when the new kind's title is optional, and keeps a written one", () => {
    const outcome = changeKind(base(), "intro", "outcome").value;
    expect(getAt(outcome, "/nodes/intro/title")).toEqual({});
    const scene = changeKind(setAt(outcome, "/nodes/intro/next", "q1"), "intro", "scene").value;
    expect(getAt(scene, "/nodes/intro/title")).toBeUndefined();
    expect(check(scene)).toEqual([]);
    const titled = setText(outcome, "/nodes/intro/title", "en", "Done");
    expect(getAt(changeKind(titled, "intro", "decision").value, "/nodes/intro/title")).toEqual({ en: "Done" });
  });

  it("counts a lone first choice as lost once it holds a label, and any further choice for its link", () => {
    const labelled = setText(changeKind(base(), "intro", "decision").value, "/nodes/intro/choices/0/label", "en", "Go");
    expect(changeKind(labelled, "intro", "scene").lost.choices).toBe(1);
    const twoEmpty = setAt(labelled, "/nodes/intro/choices", [
      { id: "a", label: {}, next: "q1" },
      { id: "b", label: {}, next: "end" },
    ]);
    expect(changeKind(twoEmpty, "intro", "reflection").lost.choices).toBe(1);
    // An outcome keeps no link: even an empty first choice's goes.
    expect(changeKind(twoEmpty, "intro", "outcome").lost.choices).toBe(2);
  });
});
