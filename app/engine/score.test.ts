import { describe, expect, it } from "vitest";
import type { CaseFile, CaseNode } from "./schema";
import { analyzeCase, scoreFromTotal, scorePath, type PathScore } from "./score";
import {
  baseCase,
  caseOf,
  choice,
  decision,
  enumeratePaths,
  mutateCase,
  outcome,
  prng,
  randomCase,
} from "./test-fixtures";
import type { ChoiceRef } from "./walk";

function scored(caseFile: CaseFile, path: ChoiceRef[] | Record<string, string>): PathScore {
  const result = scorePath(caseFile, analyzeCase(caseFile), path);
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

describe("analyzeCase on the base case", () => {
  const analysis = analyzeCase(baseCase());

  it("finds the expert path and the totals", () => {
    expect(analysis.expertPath).toEqual([
      { nodeId: "q1", choiceId: "decline" },
      { nodeId: "q2", choiceId: "document" },
    ]);
    expect(analysis).toMatchObject({
      bestTotal: 4,
      bestTotalAnyPath: 4,
      worstTotal: -3,
      expertPathIsClean: true,
      hasCleanPath: true,
      decisionCount: 2,
      longestPath: 2,
      items: ["coto-boundaries:1.1", "coto-boundaries:1.2", "coto-boundaries:2.1"],
    });
    expect(analysis.best).toEqual({ "coto-boundaries:1.1": 2, "coto-boundaries:1.2": 0, "coto-boundaries:2.1": 2 });
    expect(analysis.worst).toEqual({ "coto-boundaries:1.1": 0, "coto-boundaries:1.2": -1, "coto-boundaries:2.1": -2 });
    expect(analysis.outcomes).toEqual({ end: { bestCleanTotal: 4, bestScore: 1, passable: true } });
  });

  it("scores paths", () => {
    const best = scored(baseCase(), { q1: "decline", q2: "document" });
    expect(best).toMatchObject({ total: 4, score: 1, passed: true, reason: "passed", outcomeId: "end" });
    expect(best.earned).toEqual({ "coto-boundaries:1.1": 2, "coto-boundaries:1.2": 0, "coto-boundaries:2.1": 2 });

    const middling = scored(baseCase(), { q1: "ask", q2: "document" }); // 3 of 4
    expect(middling).toMatchObject({ total: 3, score: 0.75, passed: true });

    const low = scored(baseCase(), { q1: "decline", q2: "ignore" }); // 1 of 4
    expect(low).toMatchObject({ total: 1, score: 0.25, passed: false, reason: "below-pass-mark" });
  });

  it("fails a critical choice and names it", () => {
    const result = scored(baseCase(), [
      { nodeId: "q1", choiceId: "accept" },
      { nodeId: "q2", choiceId: "document" },
    ]);
    expect(result).toMatchObject({ total: 0, score: 0, passed: false, reason: "critical-choice" });
    expect(result.criticalChoices).toEqual([{ nodeId: "q1", choiceId: "accept" }]);
  });

  it("refuses an incomplete path instead of scoring it", () => {
    const result = scorePath(baseCase(), analysis, { q1: "decline" });
    expect(result.ok).toBe(false);
    expect(!result.ok && result.error.code).toBe("missing-choice");
  });
});

describe("scoring edge cases", () => {
  it("scores 1 when nothing can be earned (bestTotal 0): only critical choices fail", () => {
    const c = caseOf({
      q: decision(choice("a", "end"), choice("b", "end", {}, true)),
      end: outcome(),
    });
    const analysis = analyzeCase(c);
    expect(analysis.bestTotal).toBe(0);
    expect(analysis.items).toEqual([]);
    expect(scored(c, { q: "a" })).toMatchObject({ score: 1, passed: true, earned: {} });
    expect(scored(c, { q: "b" })).toMatchObject({ score: 1, passed: false, reason: "critical-choice" });
  });

  it("scores 1 when the best clean path loses points (bestTotal < 0)", () => {
    const c = caseOf({
      q: decision(choice("a", "end", { "s:1": -1 }), choice("b", "end", { "s:1": -3 })),
      end: outcome(),
    });
    expect(analyzeCase(c).bestTotal).toBe(-1);
    expect(scored(c, { q: "b" })).toMatchObject({ total: -3, score: 1, passed: true });
    expect(scoreFromTotal(-3, -1)).toBe(1);
  });

  it("reports an item whose best is 0 and still scores the rest", () => {
    const c = caseOf({
      q: decision(choice("good", "end", { "s:1": 2 }), choice("breach", "end", { "s:1": 1, "s:2": -2 })),
      end: outcome(),
    });
    const analysis = analyzeCase(c);
    expect(analysis.best["s:2"]).toBe(0);
    expect(analysis.worst["s:2"]).toBe(-2);
    expect(scored(c, { q: "breach" })).toMatchObject({ earned: { "s:1": 1, "s:2": -2 }, total: -1 });
  });

  it("clamps a negative total to a score of 0", () => {
    const c = caseOf({
      q: decision(choice("a", "end", { "s:1": 2 }), choice("b", "end", { "s:1": -5 })),
      end: outcome(),
    });
    expect(scored(c, { q: "b" })).toMatchObject({ total: -5, score: 0, passed: false, reason: "below-pass-mark" });
  });

  it("fails a critical choice that out-scores the expert, and caps its score at 1", () => {
    const c = caseOf({
      q: decision(choice("careful", "end", { "s:1": 2 }), choice("reckless", "end", { "s:1": 10 }, true)),
      end: outcome(),
    });
    const analysis = analyzeCase(c);
    expect(analysis).toMatchObject({ bestTotal: 2, bestTotalAnyPath: 10 });
    expect(analysis.expertPath).toEqual([{ nodeId: "q", choiceId: "careful" }]);
    expect(scored(c, { q: "reckless" })).toMatchObject({
      total: 10,
      score: 1,
      passed: false,
      reason: "critical-choice",
    });
  });

  it("passes a score exactly at the pass mark", () => {
    const c = caseOf(
      {
        q: decision(
          choice("a", "end", { "s:1": 10 }),
          choice("b", "end", { "s:1": 7 }),
          choice("c", "end", { "s:1": 6 }),
        ),
        end: outcome(),
      },
      0.7,
    );
    expect(scored(c, { q: "b" })).toMatchObject({ score: 0.7, passed: true });
    expect(scored(c, { q: "c" })).toMatchObject({ score: 0.6, passed: false });
  });

  it("falls back to the best critical path when every path is critical, preferring clean choices on ties", () => {
    const c = caseOf({
      q1: decision(choice("x", "q2", { "s:1": 1 }, true), choice("y", "q2", { "s:1": 1 })),
      q2: decision(choice("p", "end", { "s:1": 1 }, true), choice("r", "end", { "s:1": 3 }, true)),
      end: outcome(),
    });
    const analysis = analyzeCase(c);
    expect(analysis).toMatchObject({ hasCleanPath: false, expertPathIsClean: false, bestTotal: 4 });
    expect(analysis.expertPath).toEqual([
      { nodeId: "q1", choiceId: "y" },
      { nodeId: "q2", choiceId: "r" },
    ]);
    expect(analysis.outcomes.end).toEqual({ bestCleanTotal: null, bestScore: null, passable: false });
  });

  it("breaks ties by file order", () => {
    const c = caseOf({
      q: decision(choice("first", "end", { "s:1": 1 }), choice("second", "end", { "s:1": 1 })),
      end: outcome(),
    });
    expect(analyzeCase(c).expertPath).toEqual([{ nodeId: "q", choiceId: "first" }]);
  });

  it("refuses to analyse a looping or broken case", () => {
    expect(() => analyzeCase(mutateCase((c) => (c.nodes.reflect.next = "q1")))).toThrow(/loops/);
    expect(() => analyzeCase(mutateCase((c) => (c.nodes.reflect.next = "nowhere")))).toThrow(/not a node/);
    expect(() => analyzeCase(mutateCase((c) => (c.start = "nowhere")))).toThrow(/start/);
  });
});

describe("a 40-decision case (3^40 paths)", () => {
  it("is analysed by dynamic programming", () => {
    const nodes: Record<string, CaseNode> = {};
    for (let i = 0; i < 40; i++) {
      const next = i === 39 ? "end" : `d${i + 1}`;
      nodes[`d${i}`] = decision(
        choice("a", next, { "s:x": 2 }),
        choice("b", next, { "s:y": 1 }),
        choice("c", next, { "s:x": -1 }, i % 2 === 0),
      );
    }
    nodes.end = outcome();
    const c = caseOf(nodes);
    const analysis = analyzeCase(c);
    expect(analysis).toMatchObject({
      bestTotal: 80,
      bestTotalAnyPath: 80,
      worstTotal: -40,
      decisionCount: 40,
      longestPath: 40,
    });
    expect(analysis.best).toEqual({ "s:x": 80, "s:y": 40 });
    expect(analysis.worst).toEqual({ "s:x": -40, "s:y": 0 });
    expect(analysis.expertPath.map((s) => s.choiceId)).toEqual(Array(40).fill("a"));
    expect(scored(c, analysis.expertPath)).toMatchObject({ total: 80, score: 1, passed: true });
  });
});

// ----------------------------------------------------------------------------------------------
// The DP against brute force on random small cases.

describe("analyzeCase against brute force on 200 random cases", () => {
  const random = prng(20210501);
  const cases = Array.from({ length: 200 }, () => randomCase(random));

  it("covers the interesting situations", () => {
    const analyses = cases.map(analyzeCase);
    expect(analyses.some((a) => !a.hasCleanPath)).toBe(true);
    expect(analyses.some((a) => a.bestTotal <= 0)).toBe(true);
    expect(analyses.some((a) => a.bestTotalAnyPath > a.bestTotal)).toBe(true);
    expect(analyses.some((a) => a.longestPath >= 5)).toBe(true);
  });

  it.each(cases.map((c, i) => [i, c] as const))("case %i", (_, c) => {
    const analysis = analyzeCase(c);
    const paths = enumeratePaths(c);
    const clean = paths.filter((p) => !p.critical);
    const items = [...new Set(paths.flatMap((p) => Object.keys(p.earned)))].sort();
    const max = (xs: number[]) => Math.max(...xs);
    const min = (xs: number[]) => Math.min(...xs);

    expect(analysis.items).toEqual(items);
    for (const s of items) {
      expect(analysis.best[s], s).toBe(max(paths.map((p) => p.earned[s] ?? 0)));
      expect(analysis.worst[s], s).toBe(min(paths.map((p) => p.earned[s] ?? 0)));
    }
    expect(analysis.bestTotalAnyPath).toBe(max(paths.map((p) => p.total)));
    expect(analysis.worstTotal).toBe(min(paths.map((p) => p.total)));
    expect(analysis.hasCleanPath).toBe(clean.length > 0);
    const bestTotal = max((clean.length > 0 ? clean : paths).map((p) => p.total));
    expect(analysis.bestTotal).toBe(bestTotal);
    expect(analysis.longestPath).toBe(max(paths.map((p) => p.choices.length)));
    // Decisions still ahead of each decision (the progress bar's rest): the most any path has left there.
    const ahead = new Map<string, number>();
    for (const p of paths) {
      p.choices.forEach((ch, i) => ahead.set(ch.nodeId, Math.max(ahead.get(ch.nodeId) ?? 0, p.choices.length - i)));
    }
    for (const [nodeId, left] of ahead) expect(analysis.decisionsAhead[nodeId], nodeId).toBe(left);
    expect(analysis.decisionsAhead[c.start]).toBe(analysis.longestPath);

    // The expert path really scores bestTotal; with a clean path it is the first best clean path.
    const expert = scored(c, analysis.expertPath);
    expect(expert.total).toBe(bestTotal);
    expect(expert.criticalChoices.length === 0).toBe(analysis.expertPathIsClean);
    if (clean.length > 0) {
      expect(analysis.expertPath).toEqual(clean.find((p) => p.total === bestTotal)!.choices);
      expect(expert.score).toBe(1);
      expect(expert.passed).toBe(true);
    }

    for (const o of Object.keys(analysis.outcomes)) {
      const ending = clean.filter((p) => p.end === o);
      const best = ending.length > 0 ? max(ending.map((p) => p.total)) : null;
      expect(analysis.outcomes[o]!.bestCleanTotal, o).toBe(best);
      expect(analysis.outcomes[o]!.passable, o).toBe(best !== null && scoreFromTotal(best, bestTotal) >= c.passMark);
    }

    for (const p of paths) {
      const result = scored(c, p.choices);
      expect(result.total).toBe(p.total);
      for (const [s, points] of Object.entries(p.earned)) expect(result.earned[s]).toBe(points);
      const score = bestTotal <= 0 ? 1 : Math.min(1, Math.max(0, p.total) / bestTotal);
      expect(result.score).toBe(score);
      expect(result.passed).toBe(!p.critical && score >= c.passMark);
      expect(result.outcomeId).toBe(p.end);
    }
  });
});
