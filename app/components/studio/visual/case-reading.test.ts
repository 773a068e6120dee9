import { describe, expect, it } from "vitest";
import type { CaseValue } from "~/engine";
import { setOptionalText } from "./case-reading";

describe("setOptionalText", () => {
  const choice = (feedback: unknown): CaseValue => ({ nodes: { q1: { choices: [{ id: "a", feedback }] } } });

  it("writes one locale and keeps the others", () => {
    expect(setOptionalText(choice({ en: "Good" }), "/nodes/q1/choices/0/feedback", "fr", "Bien")).toEqual(
      choice({ en: "Good", fr: "Bien" }),
    );
  });

  it("drops a locale emptied, and the whole member with the last one", () => {
    const pointer = "/nodes/q1/choices/0/feedback";
    expect(setOptionalText(choice({ en: "Good", fr: "Bien" }), pointer, "fr", "")).toEqual(choice({ en: "Good" }));
    const emptied = setOptionalText(choice({ en: "Good" }), pointer, "en", "");
    expect(emptied).toEqual({ nodes: { q1: { choices: [{ id: "a" }] } } });
    expect(Object.keys((emptied.nodes as { q1: { choices: object[] } }).q1.choices[0]!)).toEqual(["id"]);
  });
});
