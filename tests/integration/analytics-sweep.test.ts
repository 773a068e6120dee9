// The analytics tally's background catch-up (ADR 026): the production server, with
// ANALYTICS_TALLY_MINUTES asking for a run every second (the floor), counts learners' attempts
// while nobody opens analytics, so the first view after a busy day does not wait for them.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/utils/db.server";
import { text } from "../support/client";
import { signedInAs } from "../support/people";
import { passMiniCase } from "../support/play";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;

beforeAll(async () => {
  server = await startServer({
    content: [path.resolve("tests/fixtures/valid"), path.resolve("cases")],
    env: { ANALYTICS_TALLY_MINUTES: "0.01" },
  });
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

describe("the server's analytics catch-up", () => {
  it("counts passed attempts before anyone opens analytics, and the page finds nothing left to count", async () => {
    const learners = await Promise.all([0, 1].map(() => signedInAs(server, { roles: ["learner"] })));
    for (const learner of learners) await passMiniCase(learner);
    const db = getDb();
    const version = await db.caseVersion.findFirstOrThrow({
      where: { case: { slug: "mini-case" } },
      orderBy: { version: "desc" },
      select: { id: true, version: true },
    });

    // Counted by the server on its own: every attempt and step marked, the funnel written.
    await vi.waitFor(
      async () => {
        const left = await db.attempt.count({ where: { caseVersionId: version.id, analyticsCounted: { not: 2 } } });
        expect(left).toBe(0);
      },
      { timeout: 30_000, interval: 250 },
    );
    const funnel = await db.analyticsVersion.findUniqueOrThrow({ where: { caseVersionId: version.id } });
    expect(funnel).toMatchObject({ started: 2, completed: 2, passed: 2, learners: 2, passedLearners: 2 });
    expect(await db.attemptStep.count({ where: { attempt: { caseVersionId: version.id }, counted: false } })).toBe(0);
    // Its log line is written after the rows commit and reaches us through a pipe: it may trail them.
    await vi.waitFor(() => expect(server.output()).toContain('"reqId":"analytics"'), {
      timeout: 10_000,
      interval: 100,
    });

    // The page reads those rows without taking the tally's lock: nothing was left for it.
    const runs = (await db.analyticsRefresh.findUniqueOrThrow({ where: { id: 1 } })).runs;
    const author = await signedInAs(server, { roles: ["author"] });
    const page = await author.get(`/analytics/mini-case/${version.version}`);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("Analytics: A follow request");
    expect((await db.analyticsRefresh.findUniqueOrThrow({ where: { id: 1 } })).runs).toBe(runs);
  });
});
