import { describe, expect, it } from "vitest";
import { buildDebrief } from "./debrief";
import { analyzeCase } from "./score";
import { baseCase, mutateCase, t } from "./test-fixtures";

describe("buildDebrief", () => {
  it("puts the learner's choices beside the expert's and scores each standard item", () => {
    const c = baseCase();
    const result = buildDebrief(c, analyzeCase(c), [
      { nodeId: "q1", choiceId: "ask" },
      { nodeId: "q2", choiceId: "document" },
    ]);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.debrief.rows).toEqual([
      { nodeId: "q1", learnerChoiceId: "ask", expertChoiceId: "decline", same: false },
      { nodeId: "q2", learnerChoiceId: "document", expertChoiceId: "document", same: true },
    ]);
    expect(result.debrief.standards).toEqual([
      { item: "coto-boundaries:1.1", earned: 2, best: 2, worst: 0 },
      { item: "coto-boundaries:1.2", earned: 0, best: 0, worst: -1 },
      { item: "coto-boundaries:2.1", earned: 1, best: 2, worst: -2 },
    ]);
    expect(result.debrief.total).toBe(3);
    expect(result.debrief.score).toBe(3 / 4);
    expect(result.debrief.passed).toBe(true);
  });

  it("lists decisions only one of the two paths met, in case order", () => {
    // q1 "ask" detours through q-detour; the expert goes straight to q2.
    const c = mutateCase((x) => {
      x.nodes.q1.choices[1].next = "q-detour";
      x.nodes["q-detour"] = {
        kind: "decision",
        prompt: t("Detour"),
        choices: [
          { id: "a", label: t("A"), next: "q2" },
          { id: "b", label: t("B"), next: "q2", effects: [{ standard: "coto-boundaries:1.1", points: -1 }] },
        ],
      };
    });
    const result = buildDebrief(c, analyzeCase(c), [
      { nodeId: "q1", choiceId: "ask" },
      { nodeId: "q-detour", choiceId: "a" },
      { nodeId: "q2", choiceId: "ignore" },
    ]);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.debrief.rows.map((r) => [r.nodeId, r.learnerChoiceId ?? null, r.expertChoiceId ?? null])).toEqual([
      ["q1", "ask", "decline"],
      ["q-detour", "a", null],
      ["q2", "ignore", "document"],
    ]);
  });

  it("explains a critical failure", () => {
    const c = baseCase();
    const result = buildDebrief(c, analyzeCase(c), [
      { nodeId: "q1", choiceId: "accept" },
      { nodeId: "q2", choiceId: "document" },
    ]);
    if (!result.ok) throw new Error(result.error.message);
    expect(result.debrief.passed).toBe(false);
    expect(result.debrief.reason).toBe("critical-choice");
    expect(result.debrief.criticalChoices).toEqual([{ nodeId: "q1", choiceId: "accept" }]);
  });

  it("rejects a path that does not reach an outcome", () => {
    const c = baseCase();
    const result = buildDebrief(c, analyzeCase(c), [{ nodeId: "q1", choiceId: "decline" }]);
    expect(result.ok).toBe(false);
  });
});
