import { describe, expect, it } from "vitest";
import {
  aggregateStandards,
  choiceDistribution,
  hiddenCells,
  median,
  protectFunnel,
  recommendedChoices,
} from "./analytics";
import { analyzeCase } from "./score";
import { baseCase, mutateCase, t } from "./test-fixtures";

describe("median", () => {
  it("is the middle value, the mean of the two middle ones for an even count, null for none", () => {
    expect(median([])).toBeNull();
    expect(median([5])).toBe(5);
    expect(median([9, 1, 5])).toBe(5);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });
});

describe("recommendedChoices", () => {
  it("marks the expert path's choices, and the best way on from decisions off the expert path", () => {
    // q1 "ask" leads to a decision the expert never meets.
    const caseFile = mutateCase((c) => {
      c.nodes.q1.choices[1].next = "side";
      c.nodes.side = {
        kind: "decision",
        prompt: t("Side"),
        choices: [
          {
            id: "bad",
            label: t("Bad"),
            next: "q2",
            effects: [{ standard: "coto-boundaries:2.2", points: 5 }],
            critical: true,
          },
          { id: "meh", label: t("Meh"), next: "q2" },
          { id: "good", label: t("Good"), next: "q2", effects: [{ standard: "coto-boundaries:2.2", points: 1 }] },
        ],
      };
    });
    const analysis = analyzeCase(caseFile);
    const picks = recommendedChoices(caseFile, analysis);
    expect(picks.get("q1")).toEqual({ choiceId: "decline", onExpertPath: true });
    expect(picks.get("q2")).toEqual({ choiceId: "document", onExpertPath: true });
    // The critical choice pays more, but the best clean way on is recommended.
    expect(picks.get("side")).toEqual({ choiceId: "good", onExpertPath: false });
  });
});

describe("choiceDistribution", () => {
  it("counts and shares per decision in case order, with the expert and critical choices marked", () => {
    const caseFile = baseCase();
    const analysis = analyzeCase(caseFile);
    const rows = choiceDistribution(caseFile, analysis, [
      { nodeId: "q2", choiceId: "ignore", count: 1 },
      { nodeId: "q1", choiceId: "accept", count: 3 },
      { nodeId: "q1", choiceId: "decline", count: 1 },
      { nodeId: "q1", choiceId: "gone", count: 7 },
    ]);
    expect(rows.map((r) => r.nodeId)).toEqual(["q1", "q2"]);
    expect(rows[0]!.responses).toBe(4);
    expect(rows[0]!.choices).toEqual([
      { choiceId: "decline", count: 1, share: 0.25, recommended: true, critical: false },
      { choiceId: "ask", count: 0, share: 0, recommended: false, critical: false },
      { choiceId: "accept", count: 3, share: 0.75, recommended: false, critical: true },
    ]);
    expect(rows[1]!.choices.map((c) => [c.choiceId, c.share, c.recommended])).toEqual([
      ["document", 0, true],
      ["ignore", 1, false],
    ]);
  });
});

describe("aggregateStandards", () => {
  it("averages what each item earned over the scored attempts, weighted by path, weakest first", () => {
    const caseFile = baseCase();
    const analysis = analyzeCase(caseFile);
    const expert = [
      { nodeId: "q1", choiceId: "decline" },
      { nodeId: "q2", choiceId: "document" },
    ];
    const poor = [
      { nodeId: "q1", choiceId: "ask" },
      { nodeId: "q2", choiceId: "ignore" },
    ];
    const broken = [{ nodeId: "q1", choiceId: "decline" }];
    const result = aggregateStandards(caseFile, analysis, [
      { choices: expert, count: 2 },
      { choices: poor, count: 1 },
      { choices: broken, count: 1 },
    ]);
    expect(result.scored).toBe(3);
    expect(result.unscored).toBe(1);
    // 2.1: (2 + 1 + 2) / 3 of 2; 1.1: (2 + 0 + 2) / 3 of 2; 1.2: -1/3 of best 0 (nothing to earn: last).
    expect(result.standards.map((s) => s.item)).toEqual([
      "coto-boundaries:1.1",
      "coto-boundaries:2.1",
      "coto-boundaries:1.2",
    ]);
    expect(result.standards[0]).toEqual({ item: "coto-boundaries:1.1", mean: 4 / 3, best: 2, worst: 0, ratio: 2 / 3 });
    expect(result.standards[1]!.mean).toBeCloseTo(5 / 3);
    expect(result.standards[2]).toMatchObject({ mean: -1 / 3, best: 0, ratio: null });
  });

  it("has no means when nothing was scored", () => {
    const caseFile = baseCase();
    const result = aggregateStandards(caseFile, analyzeCase(caseFile), []);
    expect(result.scored).toBe(0);
    expect(result.standards.every((s) => s.mean === null && s.ratio === null)).toBe(true);
  });
});

describe("hiddenCells", () => {
  it("hides cells of 1-4 learners and the smallest cell of 5 or more beside them; empty cells stay", () => {
    expect(hiddenCells([10, 7, 0], 5)).toEqual([false, false, false]);
    expect(hiddenCells([10, 1], 5)).toEqual([true, true]);
    expect(hiddenCells([10, 1, 6, 0], 5)).toEqual([false, true, true, false]);
    expect(hiddenCells([2, 2, 1], 5)).toEqual([true, true, true]);
    expect(hiddenCells([3, 9, 9], 5)).toEqual([true, true, false]);
  });
});

describe("protectFunnel", () => {
  const counts = { started: 20, completed: 18, passed: 12, learners: 16 };
  it("withholds the whole group under the threshold, and a stage whose part has 1-4 learners", () => {
    expect(
      protectFunnel({ ...counts, learners: 4, inProgressLearners: 0, failedLearners: 2, passedLearners: 2 }, 5),
    ).toMatchObject({ suppressed: true, learners: "suppressed", started: "suppressed" });
    expect(protectFunnel({ ...counts, inProgressLearners: 0, failedLearners: 6, passedLearners: 10 }, 5)).toEqual({
      suppressed: false,
      learners: 16,
      started: 20,
      completed: 18,
      passed: 12,
    });
    // Two learners still playing: "completed" would give them back (started - completed).
    expect(protectFunnel({ ...counts, inProgressLearners: 2, failedLearners: 6, passedLearners: 10 }, 5)).toMatchObject(
      {
        started: 20,
        completed: "suppressed",
        passed: 12,
      },
    );
  });
});
