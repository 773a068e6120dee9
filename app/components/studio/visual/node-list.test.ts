import { describe, expect, it } from "vitest";
import type { Diagnostic } from "~/engine";
import { nodeOfPointer } from "./case-reading";
import { nodeEntries } from "./node-list";

const error = (path: string): Diagnostic => ({ severity: "error", file: "case.json", path, message: "bad" });

describe("the visual editor's node list", () => {
  it("names the node a pointer points into, escaped ids included, and null for the case's own fields", () => {
    expect(nodeOfPointer("/nodes/q1/choices/0/next")).toBe("q1");
    expect(nodeOfPointer("/nodes/a~1b")).toBe("a/b");
    expect(nodeOfPointer("/title/en")).toBeNull();
    expect(nodeOfPointer("/nodes")).toBeNull();
  });

  it("labels each node with its first text in the locale, marks the start and counts its errors only", () => {
    const nodes = {
      intro: { kind: "scene", body: { en: "A  long\nintroduction", fr: "Une introduction" } },
      q1: { kind: "decision", prompt: { en: "What now?" }, choices: [] },
      odd: "not a node",
    };
    const diagnostics: Diagnostic[] = [
      error("/nodes/q1/choices"),
      error("/nodes/q1/prompt/fr"),
      { ...error("/nodes/intro/body"), severity: "warning" },
      error("/start"),
    ];
    expect(nodeEntries(nodes, "intro", diagnostics, "fr")).toEqual([
      { id: "intro", kind: "scene", label: "intro — Une introduction", problems: 0, start: true },
      { id: "q1", kind: "decision", label: "q1 — What now?", problems: 2, start: false },
      { id: "odd", kind: "unknown", label: "odd", problems: 0, start: false },
    ]);
    const long = { n: { kind: "scene", title: { en: "x".repeat(60) } } };
    expect(nodeEntries(long, undefined, [], "en")[0]!.label).toBe(`n — ${"x".repeat(47)}…`);
  });
});
