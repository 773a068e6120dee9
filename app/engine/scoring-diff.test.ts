import { describe, expect, it } from "vitest";
import { scoringChanges } from "./scoring-diff";
import { baseCase, mutateCase } from "./test-fixtures";

describe("scoringChanges", () => {
  it("finds nothing between identical cases, and nothing for a new case", () => {
    expect(scoringChanges(baseCase(), baseCase())).toEqual([]);
    expect(scoringChanges(null, baseCase())).toEqual([]);
  });

  it("ignores text edits", () => {
    const after = mutateCase((c) => {
      c.nodes.q1.prompt.en = "Reworded";
      c.nodes.q1.choices[0].label.fr = "Refuser poliment";
    });
    expect(scoringChanges(baseCase(), after)).toEqual([]);
  });

  it("reports pass mark, critical flag, effect, added and removed choices", () => {
    const after = mutateCase((c) => {
      c.passMark = 0.8;
      c.nodes.q1.choices[2].critical = false;
      c.nodes.q1.choices[0].effects = [{ standard: "coto-boundaries:2.1", points: 3 }];
      c.nodes.q2.choices.pop();
      c.nodes.q2.choices.push({ id: "later", label: { en: "Later", fr: "Plus tard" }, next: "reflect" });
    });
    expect(scoringChanges(baseCase(), after)).toEqual([
      { kind: "passMark", from: 0.7, to: 0.8 },
      {
        kind: "effects",
        nodeId: "q1",
        choiceId: "decline",
        from: { "coto-boundaries:2.1": 2 },
        to: { "coto-boundaries:2.1": 3 },
      },
      { kind: "critical", nodeId: "q1", choiceId: "accept", from: true, to: false },
      { kind: "choiceAdded", nodeId: "q2", choiceId: "later" },
      { kind: "choiceRemoved", nodeId: "q2", choiceId: "ignore" },
    ]);
  });

  it("treats effects split over two lines like one effect with the sum", () => {
    const after = mutateCase((c) => {
      c.nodes.q1.choices[0].effects = [
        { standard: "coto-boundaries:2.1", points: 1 },
        { standard: "coto-boundaries:2.1", points: 1 },
      ];
    });
    expect(scoringChanges(baseCase(), after)).toEqual([]);
  });
});
