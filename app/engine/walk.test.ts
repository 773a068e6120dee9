import { describe, expect, it } from "vitest";
import { baseCase, mutateCase } from "./test-fixtures";
import { choicesOf, nextNode, walkPath } from "./walk";

describe("walkPath", () => {
  const expectedSteps = [
    { nodeId: "context", kind: "scene" },
    { nodeId: "q1", kind: "decision", choiceId: "ask" },
    { nodeId: "q2", kind: "decision", choiceId: "document" },
    { nodeId: "reflect", kind: "reflection" },
    { nodeId: "end", kind: "outcome" },
  ];

  it("follows a record of choices, passing scenes and reflections", () => {
    const result = walkPath(baseCase(), { q1: "ask", q2: "document" });
    expect(result).toEqual({ ok: true, steps: expectedSteps, outcomeId: "end" });
  });

  it("follows an ordered list of choices", () => {
    const choices = [
      { nodeId: "q1", choiceId: "ask" },
      { nodeId: "q2", choiceId: "document" },
    ];
    const result = walkPath(baseCase(), choices);
    expect(result.ok && result.steps).toEqual(expectedSteps);
    expect(result.ok && choicesOf(result.steps)).toEqual(choices);
  });

  it("ignores record entries for decisions the path never meets", () => {
    expect(walkPath(baseCase(), { q1: "ask", q2: "document", elsewhere: "x" }).ok).toBe(true);
  });

  it("does not read inherited properties as choices", () => {
    const c = mutateCase((x) => {
      x.nodes.toString = x.nodes.q1;
      x.nodes.context.next = "toString";
      x.nodes.toString.choices.forEach((ch: { next: string }) => (ch.next = "q2"));
      delete x.nodes.q1;
    });
    const result = walkPath(c, { q2: "document" });
    expect(!result.ok && result.error).toMatchObject({ code: "missing-choice", nodeId: "toString" });
  });

  it("reports a missing choice with the options", () => {
    const result = walkPath(baseCase(), { q1: "decline" });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toEqual({
      code: "missing-choice",
      nodeId: "q2",
      message: 'decision "q2" needs a choice (one of "document", "ignore")',
    });
    expect(result.steps.map((s) => s.nodeId)).toEqual(["context", "q1"]);
  });

  it("reports an unknown choice", () => {
    const result = walkPath(baseCase(), { q1: "shrug", q2: "document" });
    expect(!result.ok && result.error).toEqual({
      code: "unknown-choice",
      nodeId: "q1",
      message: 'decision "q1" has no choice "shrug" (choices: "decline", "ask", "accept")',
    });
  });

  it("reports a list that is out of order, short or too long", () => {
    const outOfOrder = walkPath(baseCase(), [
      { nodeId: "q2", choiceId: "document" },
      { nodeId: "q1", choiceId: "ask" },
    ]);
    expect(!outOfOrder.ok && outOfOrder.error.code).toBe("unexpected-choice");
    expect(!outOfOrder.ok && outOfOrder.error.message).toBe('choice 1 is for "q2", but the path is at decision "q1"');

    const short = walkPath(baseCase(), [{ nodeId: "q1", choiceId: "ask" }]);
    expect(!short.ok && short.error).toMatchObject({ code: "missing-choice", nodeId: "q2" });

    const long = walkPath(baseCase(), [
      { nodeId: "q1", choiceId: "ask" },
      { nodeId: "q2", choiceId: "document" },
      { nodeId: "q3", choiceId: "x" },
    ]);
    expect(!long.ok && long.error).toMatchObject({ code: "extra-choices", nodeId: "end" });
    expect(!long.ok && long.error.message).toMatch(/q3:x/);
  });

  it("stops on a link to a missing node and on a loop instead of spinning", () => {
    const broken = walkPath(
      mutateCase((c) => (c.nodes.reflect.next = "gone")),
      { q1: "ask", q2: "document" },
    );
    expect(!broken.ok && broken.error).toMatchObject({ code: "unknown-node", nodeId: "reflect" });

    const looping = walkPath(
      mutateCase((c) => (c.nodes.reflect.next = "context")),
      { q1: "ask", q2: "document" },
    );
    expect(!looping.ok && looping.error.code).toBe("loop");
  });
});

describe("nextNode", () => {
  it("moves on from scenes, reflections and chosen decisions", () => {
    expect(nextNode(baseCase(), "context")).toEqual({ ok: true, nextNodeId: "q1" });
    expect(nextNode(baseCase(), "q1", "accept")).toEqual({ ok: true, nextNodeId: "q2" });
    expect(nextNode(baseCase(), "reflect")).toEqual({ ok: true, nextNodeId: "end" });
  });

  it("explains why it cannot move", () => {
    const code = (nodeId: string, choiceId?: string) => {
      const result = nextNode(baseCase(), nodeId, choiceId);
      return result.ok ? "ok" : result.error.code;
    };
    expect(code("nowhere")).toBe("unknown-node");
    expect(code("q1")).toBe("missing-choice");
    expect(code("q1", "nope")).toBe("unknown-choice");
    expect(code("context", "decline")).toBe("unexpected-choice");
    expect(code("end")).toBe("at-outcome");
    expect(code("constructor")).toBe("unknown-node");
  });
});
