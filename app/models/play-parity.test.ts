// The learner's player and the studio preview give the same result: 200 random cases published to a
// real migrated SQLite file, each played through advanceAttempt (the fast step write and the final
// Prisma step) while the preview follows the same choices through its links, node by node.
import { beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, type CaseFile } from "~/engine";
import { prng, randomCase, withReflections } from "~/engine/test-fixtures";
import { getDb } from "~/utils/db.server";
import { formatPercent } from "~/utils/format";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { advanceAttempt, getAttemptForUser, startAttempt } from "./attempt.server";
import { publishContent } from "./content.server";
import { previewModel, type PreviewParams } from "./studio-view.server";

setupModelDb();

const CASES = 200;
const random = prng(20261211);
const cases: CaseFile[] = Array.from({ length: CASES }, (_, i) => {
  const c = withReflections(randomCase(random));
  // Unlimited attempts and no catalogs: each case is played twice, and scored on its own items.
  const { maxAttempts: _unlimited, ...rest } = { ...c, slug: `random-${i}`, standards: [] };
  return rest;
});

beforeAll(async () => {
  // One call, one transaction, for all 200.
  await publishContent(getDb(), {
    catalogs: [],
    cases: cases.map((caseFile) => ({
      file: `${caseFile.slug}.json`,
      text: JSON.stringify(caseFile),
      caseFile,
      analysis: analyzeCase(caseFile),
    })),
  });
}, 120_000);

const base = "/studio/preview-parity";
const paramsOf = (href: string): PreviewParams => {
  const q = new URL(href, "http://vignette.invalid").searchParams;
  return { from: q.get("from"), at: q.get("at"), path: q.get("path"), lang: "en" };
};

describe("the player and the preview on 200 random cases", () => {
  it("agree on every node, on refused choices and on the final score", async () => {
    const user = await insertUser("parity@example.org");
    let steps = 0;
    let completed = 0;
    let refused = 0;
    for (const c of cases) {
      for (let round = 0; round < 2; round++) {
        const started = await startAttempt(user.id, c.slug);
        if (!started.ok) throw new Error(`${c.slug}: could not start`);
        const { attemptId } = started.value;
        const state = async () => (await getAttemptForUser(attemptId, user.id))!;
        const { version } = await state();
        const preview = (params: PreviewParams) =>
          previewModel(version.caseFile, version.analysis, version.clauses, base, params, "en");

        let params: PreviewParams = { lang: "en" };
        for (let guard = 0; ; guard++) {
          expect(guard, c.slug).toBeLessThan(50);
          const shown = preview(params);
          const attempt = await state();
          expect(shown.mismatch, c.slug).toBe(false);
          expect(attempt.currentNodeId, c.slug).toBe(shown.at);
          if (shown.node.kind === "outcome") {
            expect(attempt.status).toBe("completed");
            expect(shown.result, c.slug).toEqual({
              score: formatPercent(attempt.score!, "en"),
              passed: attempt.passed,
              reason: shown.result!.reason,
              total: attempt.total,
              bestTotal: version.analysis.bestTotal,
            });
            completed++;
            break;
          }
          expect(attempt.status).toBe("in_progress");
          const from = shown.at;
          if (shown.node.kind === "decision") {
            // A choice the decision does not have: refused by the player, a stale link for the preview.
            if (round === 0 && guard < 3) {
              const bogus = await advanceAttempt(attemptId, user.id, { from, choiceId: "no-such-choice" });
              expect(bogus).toEqual({ ok: false, code: "invalid", field: "choice", message: "play.choiceRequired" });
              const prefix = params.path ? `${params.path},` : "";
              expect(preview({ ...params, path: `${prefix}${from}.no-such-choice` }).mismatch).toBe(true);
              refused++;
            }
            const choice = shown.node.choices[Math.floor(random() * shown.node.choices.length)]!;
            const result = await advanceAttempt(attemptId, user.id, { from, choiceId: choice.id });
            expect(result.ok, c.slug).toBe(true);
            params = paramsOf(choice.href);
          } else {
            const reflection = shown.node.kind === "reflection" ? "Because." : undefined;
            const result = await advanceAttempt(attemptId, user.id, { from, reflection });
            expect(result.ok, c.slug).toBe(true);
            params = paramsOf(shown.node.continueHref!);
          }
          steps++;
        }
      }
    }
    expect(completed).toBe(CASES * 2);
    expect(refused).toBeGreaterThan(CASES / 2);
    expect(steps).toBeGreaterThan(CASES * 4);
  }, 600_000);
});
