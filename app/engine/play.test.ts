import { describe, expect, it } from "vitest";
import { passThrough, planStep, replayPath, type RecordedStep } from "./play";
import { analyzeCase, scorePath } from "./score";
import { baseCase, enumeratePaths, mutateCase, prng, randomCase, t, withReflections } from "./test-fixtures";
import { walkPath } from "./walk";

describe("planStep", () => {
  const c = baseCase();

  it("moves on from scenes, reflections and chosen decisions, and completes at an outcome", () => {
    expect(planStep(c, "context", { from: "context" })).toEqual({
      kind: "advanced",
      step: { nodeId: "context", kind: "scene", choiceId: null },
      at: "q1",
    });
    expect(planStep(c, "q1", { from: "q1", choiceId: "accept" })).toEqual({
      kind: "advanced",
      step: { nodeId: "q1", kind: "decision", choiceId: "accept" },
      at: "q2",
    });
    expect(planStep(c, "reflect", { from: "reflect" })).toEqual({
      kind: "completed",
      step: { nodeId: "reflect", kind: "reflection", choiceId: null },
      outcomeId: "end",
    });
  });

  it("ignores a stray choice away from a decision", () => {
    expect(planStep(c, "context", { from: "context", choiceId: "decline" })).toMatchObject({ kind: "advanced" });
  });

  it("says which field is wrong and why, or that the input is stale", () => {
    const plan = (at: string, from: string, choiceId?: string | null) => {
      const p = planStep(c, at, { from, choiceId });
      return p.kind === "invalid" || p.kind === "stale" ? `${p.kind}:${p.reason}` : p.kind;
    };
    expect(plan("q1", "q1")).toBe("invalid:missing-choice");
    expect(plan("q1", "q1", "")).toBe("invalid:missing-choice");
    expect(plan("q1", "q1", null)).toBe("invalid:missing-choice");
    expect(plan("q1", "q1", "shrug")).toBe("invalid:unknown-choice");
    expect(plan("q2", "q1", "decline")).toBe("stale:moved");
    expect(plan("gone", "gone")).toBe("stale:unknown-node");
    expect(plan("constructor", "constructor")).toBe("stale:unknown-node");
    expect(plan("end", "end")).toBe("stale:at-outcome");
    const broken = mutateCase((x) => (x.nodes.reflect.next = "nowhere"));
    expect(planStep(broken, "reflect", { from: "reflect" })).toMatchObject({ kind: "stale", reason: "broken-link" });
  });
});

describe("passThrough", () => {
  it("follows scenes and reflections to the next decision or outcome", () => {
    expect(passThrough(baseCase(), "context")).toEqual(["context", "q1"]);
    expect(passThrough(baseCase(), "reflect")).toEqual(["reflect", "end"]);
    expect(passThrough(baseCase(), "q1")).toEqual(["q1"]);
    const looping = mutateCase((x) => {
      x.nodes.q1 = { kind: "scene", body: t("…"), next: "context" };
    });
    expect(passThrough(looping, "context").length).toBeLessThan(10);
  });
});

describe("replayPath", () => {
  const c = baseCase();
  const analysis = analyzeCase(c);

  it("rebuilds an attempt from its every recorded row, and scores it when complete", () => {
    const rows = [
      { nodeId: "context", choiceId: null },
      { nodeId: "q1", choiceId: "ask" },
      { nodeId: "q2", choiceId: "document" },
    ];
    const playing = replayPath(c, analysis, rows);
    expect(playing).toMatchObject({ ok: true, status: "playing", at: "reflect" });
    const done = replayPath(c, analysis, [...rows, { nodeId: "reflect", choiceId: null }]);
    expect(done).toMatchObject({ ok: true, status: "completed", outcomeId: "end" });
    expect(done.ok && done.status === "completed" && done.score).toMatchObject({ total: 3, score: 0.75 });
  });

  it("passes the scenes and reflections a list of decisions leaves out", () => {
    const decisions = [
      { nodeId: "q1", choiceId: "decline" },
      { nodeId: "q2", choiceId: "document" },
    ];
    // It stops where the last record leads (a learner answers the reflection there)...
    const atReflection = replayPath(c, analysis, decisions);
    expect(atReflection).toMatchObject({ ok: true, status: "playing", at: "reflect" });
    expect(atReflection.steps.map((s) => s.nodeId)).toEqual(["context", "q1", "q2"]);
    // ...and passes what is not named on the way to a later record.
    const done = replayPath(c, analysis, [...decisions, { nodeId: "reflect" }]);
    expect(done.ok && done.status === "completed" && done.score).toMatchObject({ total: 4, passed: true });
  });

  it("stops at the first record that does not follow, keeping where the others led", () => {
    const wrong = replayPath(c, analysis, [
      { nodeId: "q1", choiceId: "decline" },
      { nodeId: "q1", choiceId: "ask" },
    ]);
    expect(wrong).toMatchObject({ ok: false, at: "q2", index: 1, plan: { kind: "stale", reason: "moved" } });
    expect(wrong.path).toEqual([{ nodeId: "q1", choiceId: "decline" }]);
    const unknown = replayPath(c, analysis, [{ nodeId: "q1", choiceId: "shrug" }]);
    expect(unknown).toMatchObject({ ok: false, at: "q1", plan: { kind: "invalid", reason: "unknown-choice" } });
    const choiceAtScene = replayPath(c, analysis, [{ nodeId: "context", choiceId: "decline" }]);
    expect(choiceAtScene).toMatchObject({ ok: false, at: "context", index: 0 });
    const pastTheEnd = replayPath(c, analysis, [
      { nodeId: "q1", choiceId: "decline" },
      { nodeId: "q2", choiceId: "document" },
      { nodeId: "q3", choiceId: "x" },
    ]);
    expect(pastTheEnd).toMatchObject({ ok: false, at: "end", plan: { kind: "stale" } });
  });

  it("replays from the middle without a score", () => {
    const fromQ2 = replayPath(c, analysis, [{ nodeId: "q2", choiceId: "document" }, { nodeId: "reflect" }], {
      from: "q2",
    });
    expect(fromQ2).toMatchObject({ ok: true, status: "completed", outcomeId: "end", score: null });
  });
});

describe("planStep against walkPath and scorePath on 200 random cases", () => {
  const random = prng(20261210);
  const cases = Array.from({ length: 200 }, () => withReflections(randomCase(random)));

  it("covers scenes, reflections and long paths", () => {
    const kinds = new Set(cases.flatMap((c) => Object.values(c.nodes).map((n) => n.kind)));
    expect([...kinds].sort()).toEqual(["decision", "outcome", "reflection", "scene"]);
    expect(cases.some((c) => enumeratePaths(c).some((p) => p.choices.length >= 5))).toBe(true);
  });

  it.each(cases.map((c, i) => [i, c] as const))("case %i: every path, step by step", (_, c) => {
    const analysis = analyzeCase(c);
    for (const p of enumeratePaths(c)) {
      const walk = walkPath(c, p.choices);
      const scored = scorePath(c, analysis, p.choices);
      if (!walk.ok || !scored.ok) throw new Error("brute-force path does not walk");

      // Step by step, as the player does: each node sends "continue" or the path's choice there.
      const choices = new Map(p.choices.map((ch) => [ch.nodeId, ch.choiceId]));
      let at = c.start;
      const recorded: RecordedStep[] = [];
      for (let guard = 0; ; guard++) {
        expect(guard).toBeLessThan(100);
        const choiceId = choices.get(at);
        const plan = planStep(c, at, { from: at, ...(choiceId ? { choiceId } : {}) });
        if (plan.kind !== "advanced" && plan.kind !== "completed") throw new Error(`${at}: ${plan.kind}`);
        recorded.push({ nodeId: plan.step.nodeId, choiceId: plan.step.choiceId });
        if (plan.kind === "completed") {
          expect(plan.outcomeId).toBe(walk.outcomeId);
          break;
        }
        at = plan.at;
      }
      expect(recorded.map((s) => s.nodeId)).toEqual(walk.steps.slice(0, -1).map((s) => s.nodeId));

      // Rebuilt from the rows: the same end and the same score.
      const replay = replayPath(c, analysis, recorded);
      if (!replay.ok || replay.status !== "completed") throw new Error("replay did not complete");
      expect(replay.outcomeId).toBe(walk.outcomeId);
      expect(replay.path).toEqual(p.choices);
      expect(replay.score).toEqual({ ...scored, ok: undefined });
      // From the decisions alone (a preview URL): at the last one's target, which passes on to the same end.
      const fromChoices = replayPath(c, analysis, p.choices);
      if (!fromChoices.ok) throw new Error("decisions did not replay");
      expect(fromChoices.path).toEqual(p.choices);
      const end = fromChoices.status === "completed" ? fromChoices.outcomeId : passThrough(c, fromChoices.at).at(-1);
      expect(end).toBe(walk.outcomeId);
      expect(scored.total).toBe(p.total);
    }
  });
});
