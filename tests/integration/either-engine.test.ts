// A learner's play over real HTTP on the engine of this run (SQLite in `npm test`, PostgreSQL in
// `npm run test:pg`), with the rows checked through Prisma so the same assertions hold on both: a
// replayed POST and two concurrent POSTs of one step each record it once; the attempt completes
// with one completion and one certificate, whose page answers.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "~/utils/db.server";
import { Client } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
let db: Db;

beforeAll(async () => {
  server = await startServer({ content: [path.resolve("tests/fixtures/valid")] });
  db = createDb(server.dbFile);
});
afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

async function learner(email: string) {
  const client = new Client(server.url);
  const page = await client.join({
    name: "Pat Either",
    email,
    password: "correct horse battery staple",
    registrationNumber: "OT-EITHER-1",
    regulator: "demo",
    locale: "en",
  });
  expect(page.status).toBe(302);
  return client;
}

describe("playing a case", () => {
  it("records each step once, then one completion and one certificate", async () => {
    const client = await learner("pat-either@example.test");
    await client.get("/cases/mini-case");
    const started = await client.post("/cases/mini-case", {});
    expect(started.status).toBe(302);
    const url = started.location!;
    const attemptId = url.split("/").at(-1)!;
    const post = (from: string, fields: Record<string, string> = {}) => client.post(url, { from, ...fields });

    await client.get(url);
    expect((await post("context")).status).toBe(302);
    await client.get(url);
    expect((await post("q1", { choice: "decline" })).status).toBe(302);
    // The same POST again (the back button, a second tab): nothing more is recorded.
    await post("q1", { choice: "decline" });
    // Two POSTs of the next step at once: one of them moves the attempt.
    await client.get(url);
    await Promise.all([post("q2", { choice: "explain" }), post("q2", { choice: "explain" })]);
    await client.get(url);
    expect((await post("reflect", { reflection: "I declined and named the office channels." })).status).toBe(302);

    const steps = await db.attemptStep.findMany({ where: { attemptId }, orderBy: { seq: "asc" } });
    expect(steps.map((s) => [s.seq, s.nodeId, s.choiceId])).toEqual([
      [0, "context", null],
      [1, "q1", "decline"],
      [2, "q2", "explain"],
      [3, "reflect", null],
    ]);
    const attempt = await db.attempt.findUniqueOrThrow({ where: { id: attemptId } });
    expect(attempt).toMatchObject({ status: "completed", currentNodeId: "end-good", passed: true });
    expect(await db.reflection.count({ where: { attemptId } })).toBe(1);
    const completions = await db.completion.findMany({ where: { attemptId }, include: { certificate: true } });
    expect(completions).toHaveLength(1);
    const code = completions[0]!.certificate!.code;

    const debrief = await client.get(url);
    expect(debrief.html).toContain(`/certificates/${code}`);
    expect((await new Client(server.url).get(`/certificates/${code}`)).status).toBe(200);
  });

  it("keeps the session in the database: signing out ends it", async () => {
    const client = await learner("pat-session@example.test");
    expect((await client.get("/me/account")).status).toBe(200);
    const user = await db.user.findUniqueOrThrow({ where: { email: "pat-session@example.test" } });
    expect(await db.session.count({ where: { userId: user.id } })).toBe(1);
    await db.session.deleteMany({ where: { userId: user.id } });
    expect((await client.get("/me/account")).status).toBe(302);
  });
});
