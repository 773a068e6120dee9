// Crash consistency, against the production server: 20 learners play the fixture mini-case while the
// server is killed with SIGKILL three times and restarted on the same database file. Afterwards the
// database itself is read: every choice the server acknowledged (a 302) is there exactly once, nothing
// is there that no learner sent, no completion or certificate is doubled, no credit is given twice.
// Some learners double-click every button (two identical posts at once); exactly one of each is recorded.
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { migrate } from "~/utils/migrate.server";
import { Client, type Page } from "../support/client";
import { publish, startServer, type TestServer } from "../support/server";
import { makeTempDir } from "../support/temp-db";

const PASSWORD = "correct horse battery staple";
const LEARNERS = 20;
/** Attempts each learner plays: the load is bounded by this, and by DEADLINE_MS. */
const ROUNDS = 2;
const KILLS = 3;
const DEADLINE_MS = 150_000;
/** Every DOUBLE_CLICKER-th learner posts each form twice at once. */
const DOUBLE_CLICKER = 5;

type Fields = Record<string, string>;
const PATHS = {
  // passes
  good: {
    answers: { q1: { choice: "decline" }, q2: { choice: "explain" } },
    path: ["context", "q1", "q2", "reflect", "end-good"],
  },
  // a poor ending: fails
  poor: { answers: { q1: { choice: "decline" }, q2: { choice: "ignore" } }, path: ["context", "q1", "q2", "end-poor"] },
  // a critical choice on the way to the good ending: fails
  critical: {
    answers: { q1: { choice: "accept" }, q2: { choice: "explain" } },
    path: ["context", "q1", "q2", "reflect", "end-good"],
  },
} as const;
/** Learners' first and second attempts (and so on, alternating): credit on the first, the second or never. */
const SCHEDULES = [
  ["good", "good"], // credited, then a practice completion
  ["poor", "good"],
  ["critical", "poor"],
  ["good", "critical"],
] as const;

/** What a learner answers at each node of an attempt, and the nodes it walks through. */
function planFor(learner: number, attemptNumber: number): { answers: Record<string, Fields>; path: readonly string[] } {
  const { answers, path } = PATHS[SCHEDULES[learner % SCHEDULES.length]![(attemptNumber - 1) % 2]!];
  const reflection = `Learner ${learner}, attempt ${attemptNumber}: what I would do next time.`;
  return { answers: { context: {}, ...answers, reflect: { reflection } }, path };
}

/** A step post: what was sent, and whether the server acknowledged it with a 302. */
type Post = {
  attemptId: string;
  nodeId: string;
  fields: Fields;
  acknowledged: boolean;
  /** Each answer ("302 /cases/…", or "down"), and when it was sent (ms into the test): for failure messages. */
  answers: string[];
  at: number;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A free port on 127.0.0.1: every server of this test listens on it, so the learners' URLs stay valid. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

let dir: string;
let cleanup: () => void;
/** Every server this test started, killed or not: stopped (and their temp dirs removed) at the end. */
const servers: TestServer[] = [];
beforeAll(() => ({ dir, cleanup } = makeTempDir("vignette-crash-")));
afterAll(async () => {
  for (const server of servers) await server.stop();
  cleanup();
});

describe("crash consistency", () => {
  it("keeps every acknowledged choice exactly once across three SIGKILLs, double-clicks included", async () => {
    const began = Date.now();
    // The fixture mini-case with unlimited attempts (it allows 2), so each learner can play ROUNDS.
    const content = path.join(dir, "content");
    fs.cpSync(path.resolve("tests/fixtures/valid"), content, { recursive: true });
    const caseFile = path.join(content, "mini-case.json");
    const value = JSON.parse(fs.readFileSync(caseFile, "utf8"));
    delete value.maxAttempts;
    fs.writeFileSync(caseFile, JSON.stringify(value));
    const dbFile = path.join(dir, "app.db");
    migrate(dbFile);
    await publish(dbFile, [content]);

    const port = await freePort();
    const start = () => startServer({ dbFile, env: { PORT: String(port) } });
    servers.push(await start());
    const base = servers[0]!.url;
    expect(new URL(base).hostname).toBe("127.0.0.1");

    const posts: Post[] = [];
    const anomalies: string[] = [];
    const known = new Map<string, { learner: number; number: number }>();
    let inFlight = 0;
    let connectionErrors = 0;
    let doubleClicksBothAnswered = 0;
    const deadline = began + DEADLINE_MS;
    const expired = () => Date.now() > deadline;
    /** The page, or "down" when the connection failed (the server is dead or not back yet). */
    const send = async (request: () => Promise<Page>): Promise<Page | "down"> => {
      inFlight++;
      try {
        return await request();
      } catch {
        connectionErrors++;
        return "down";
      } finally {
        inFlight--;
      }
    };

    // Learners play as soon as they have joined (argon2 hashing overlaps the playing); the server is
    // killed only once all have joined.
    let joined = 0;
    let signedUp = 0;
    async function join(n: number): Promise<Client> {
      const client = new Client(base);
      const page = await client.join({
        name: `Crash Learner ${n}`,
        email: `crash-${n}@learners.test`,
        password: PASSWORD,
        registrationNumber: `C-${n}`,
        // Registered with the mini-case's regulator: their passes are credited completions.
        regulator: "demo",
        locale: n % 2 === 0 ? "en" : "fr",
      });
      expect(page.status).toBe(302);
      // The case page, as a browser comes to it: the signed-in session's CSRF token for the forms.
      expect((await client.get("/cases/mini-case")).status).toBe(200);
      if (++joined === LEARNERS) signedUp = Date.now();
      return client;
    }

    async function play(learner: number) {
      const client = await join(learner);
      const clicks = learner % DOUBLE_CLICKER === 0 ? 2 : 1;
      for (let round = 0; round < ROUNDS && !expired(); round++) {
        // Start (or resume: a start whose answer was lost to a kill returns the attempt it opened).
        let url: string | null = null;
        while (!url && !expired()) {
          const pages = await Promise.all(
            Array.from({ length: clicks }, () => send(() => client.post("/cases/mini-case", {}))),
          );
          const locations = new Set<string>();
          let refused = false;
          for (const page of pages) {
            if (page === "down") continue;
            if (page.status === 302 && /^\/cases\/mini-case\/attempts\/\w+$/.test(page.location ?? "")) {
              locations.add(page.location!);
            } else {
              anomalies.push(`learner ${learner} start: ${page.status} ${page.location ?? ""}`);
              refused = true;
            }
          }
          if (refused) break;
          if (locations.size > 1) anomalies.push(`learner ${learner}: a double-click on start opened two attempts`);
          url = [...locations][0] ?? null;
          if (!url) await sleep(200);
        }
        if (!url) {
          anomalies.push(`learner ${learner} could not start attempt ${round + 1} in time`);
          break;
        }
        const attemptId = url.split("/").pop()!;
        known.set(attemptId, { learner, number: round + 1 });
        const { answers, path: walk } = planFor(learner, round + 1);
        // Where the attempt is: known after an acknowledged step (the plan's next node), read from the
        // page when not (after a start, and after a connection error, which may or may not have moved it).
        let from: string | null = null;
        // Posts are bounded (a few per node); waiting for a restarted server only by the deadline.
        let finished = false;
        for (let hops = 0; hops < 3 * walk.length && !expired();) {
          if (from === null) {
            const page = await send(() => client.get(url));
            if (page === "down") {
              await sleep(200);
              continue;
            }
            // A 302 here (to /login) would mean the restart lost the learner's session.
            if (page.status !== 200) {
              anomalies.push(`learner ${learner} GET ${url}: ${page.status} ${page.location ?? ""}`);
              break;
            }
            from = /name="from" value="([^"]+)"/.exec(page.html)?.[1] ?? null;
            if (from === null) {
              finished = true; // the outcome page: this attempt is over
              break;
            }
          }
          hops++;
          const fields = { from, ...answers[from] };
          const at = Date.now() - began;
          const answered: Array<Page | "down"> = await Promise.all(
            Array.from({ length: clicks }, () => send(() => client.post(url, fields))),
          );
          for (const answer of answered) {
            if (answer !== "down" && (answer.status !== 302 || answer.location !== url)) {
              anomalies.push(`learner ${learner} POST ${url} from ${from}: ${answer.status}`);
            }
          }
          const acks = answered.filter((a) => a !== "down" && a.status === 302 && a.location === url).length;
          if (clicks === 2 && acks === 2) doubleClicksBothAnswered++;
          const said = answered.map((a) => (a === "down" ? "down" : `${a.status} ${a.location}`));
          posts.push({ attemptId, nodeId: from, fields, acknowledged: acks > 0, answers: said, at });
          if (acks === 0) from = null;
          else {
            from = walk[walk.indexOf(from) + 1]!;
            if (!answers[from]) {
              finished = true; // an outcome: nothing more to post
              break;
            }
          }
        }
        if (!finished) {
          anomalies.push(`learner ${learner} did not finish attempt ${round + 1}${expired() ? " in time" : ""}`);
          break;
        }
      }
    }

    const acknowledged = () => posts.filter((p) => p.acknowledged).length;
    // Kill at a quarter, a half and three quarters of the step posts the plans make.
    let expectedPosts = 0;
    for (let n = 0; n < LEARNERS; n++) for (let r = 1; r <= ROUNDS; r++) expectedPosts += planFor(n, r).path.length - 1;
    const loadStarted = Date.now();
    const load = Promise.all(Array.from({ length: LEARNERS }, (_, n) => play(n)));
    let loadDone = false;
    const done = () => (loadDone = true);
    load.then(done, done);
    const kills: Array<{ at: number; atAcknowledged: number; inFlight: number; downMs: number }> = [];
    while (kills.length < KILLS && !loadDone && !expired()) {
      if (joined < LEARNERS || acknowledged() < (expectedPosts * (kills.length + 1)) / (KILLS + 1)) {
        await sleep(10);
        continue;
      }
      const server = servers.at(-1)!;
      const atAcknowledged = acknowledged();
      const atInFlight = inFlight;
      const killedAt = Date.now();
      const at = killedAt - began;
      server.kill("SIGKILL");
      expect(await server.exited).toBe("SIGKILL");
      servers.push(await start());
      kills.push({ at, atAcknowledged, inFlight: atInFlight, downMs: Date.now() - killedAt });
    }
    await load;
    const loadMs = Date.now() - loadStarted;
    await servers.at(-1)!.stop();
    // Printed before the checks, so a failure comes with the figures of its run.
    console.log(
      `crash test, load: ${LEARNERS} learners, all joined ${((signedUp - loadStarted) / 1000).toFixed(1)} s into the load; ` +
        `${posts.length} step posts, ${acknowledged()} acknowledged, ${doubleClicksBothAnswered} double-clicks ` +
        `answered twice, ${connectionErrors} connection errors; kills ${JSON.stringify(kills)}; ` +
        `load ${(loadMs / 1000).toFixed(1)} s`,
    );

    const db = new Database(dbFile, { readonly: true });
    try {
      expect(db.prepare("PRAGMA integrity_check").pluck().all()).toEqual(["ok"]);
      expect(db.prepare("PRAGMA foreign_key_check").all()).toEqual([]);
      const users = new Map(
        (db.prepare(`SELECT id, email FROM "User"`).all() as { id: string; email: string }[]).map((u) => [
          u.id,
          Number(/^crash-(\d+)@/.exec(u.email)![1]),
        ]),
      );
      const attempts = db
        .prepare(`SELECT id, userId, number, status, currentNodeId, passed FROM Attempt ORDER BY userId, number`)
        .all() as {
        id: string;
        userId: string;
        number: number;
        status: string;
        currentNodeId: string;
        passed: 0 | 1 | null;
      }[];
      const steps = db
        .prepare(`SELECT attemptId, seq, nodeId, choiceId FROM AttemptStep ORDER BY attemptId, seq`)
        .all() as { attemptId: string; seq: number; nodeId: string; choiceId: string | null }[];
      const reflections = db.prepare(`SELECT attemptId, nodeId, text FROM Reflection`).all() as {
        attemptId: string;
        nodeId: string;
        text: string;
      }[];
      const completions = db
        .prepare(
          `SELECT id, attemptId, userId, caseSlug, caseVersionId, creditHours, creditKey, attemptNumber FROM Completion`,
        )
        .all() as {
        id: string;
        attemptId: string;
        userId: string;
        caseSlug: string;
        caseVersionId: number;
        creditHours: number;
        creditKey: string | null;
        attemptNumber: number;
      }[];
      const certificates = db.prepare(`SELECT completionId FROM Certificate`).pluck().all() as string[];
      const countBy = <T>(rows: T[], key: (row: T) => string) => {
        const counts = new Map<string, number>();
        for (const row of rows) counts.set(key(row), (counts.get(key(row)) ?? 0) + 1);
        return counts;
      };
      const doubled = (counts: Map<string, number>) => [...counts].filter(([, n]) => n > 1).map(([k]) => k);

      // Every acknowledged choice is recorded exactly once, with what the learner chose.
      const stepCounts = countBy(steps, (s) => `${s.attemptId}/${s.nodeId}`);
      const lost = posts.filter((p) => p.acknowledged && stepCounts.get(`${p.attemptId}/${p.nodeId}`) !== 1);
      expect(lost, "acknowledged choices not recorded exactly once").toEqual([]);
      for (const post of posts.filter((p) => p.acknowledged)) {
        const step = steps.find((s) => s.attemptId === post.attemptId && s.nodeId === post.nodeId)!;
        const history = () =>
          JSON.stringify({
            known: known.get(post.attemptId),
            posts: posts.filter((p) => p.attemptId === post.attemptId),
            steps: steps.filter((s) => s.attemptId === post.attemptId),
            kills,
          });
        expect(step.choiceId, history()).toBe(post.fields.choice ?? null);
        if (post.fields.reflection) {
          const kept = reflections.filter((r) => r.attemptId === post.attemptId && r.nodeId === post.nodeId);
          expect(kept.map((r) => r.text)).toEqual([post.fields.reflection]);
        }
      }
      // Nothing recorded that no learner sent; no node twice in an attempt (the schema's unique keys).
      const sent = new Set(posts.map((p) => `${p.attemptId}/${p.nodeId}/${p.fields.choice ?? ""}`));
      expect(steps.filter((s) => !sent.has(`${s.attemptId}/${s.nodeId}/${s.choiceId ?? ""}`))).toEqual([]);
      expect(doubled(stepCounts)).toEqual([]);
      expect(doubled(countBy(steps, (s) => `${s.attemptId}/${s.seq}`))).toEqual([]);
      expect(doubled(countBy(reflections, (r) => `${r.attemptId}/${r.nodeId}`))).toEqual([]);

      // Every learner played every round to its end, and its session outlived every restart.
      expect(anomalies).toEqual([]);
      // Each attempt walked its learner's plan, in order, with no gap, and ends where its steps lead.
      expect(attempts).toHaveLength(LEARNERS * ROUNDS);
      const completionsByAttempt = countBy(completions, (c) => c.attemptId);
      for (const attempt of attempts) {
        const learner = users.get(attempt.userId)!;
        const mine = known.get(attempt.id);
        expect(mine, `attempt ${attempt.id} unknown to its learner`).toEqual({ learner, number: attempt.number });
        const { path: walk } = planFor(learner, attempt.number);
        const walked = steps.filter((s) => s.attemptId === attempt.id);
        expect(walked.map((s) => s.seq)).toEqual(walked.map((_, i) => i));
        expect(walked.map((s) => s.nodeId)).toEqual(walk.slice(0, walked.length));
        expect(attempt.currentNodeId).toBe(walk[walked.length]);
        expect(attempt.status, `learner ${learner} attempt ${attempt.number}`).toBe("completed");
        // A completion exactly for a passed attempt.
        expect(completionsByAttempt.get(attempt.id) ?? 0).toBe(attempt.passed ? 1 : 0);
      }
      // No duplicate completion or certificate; a certificate exactly for credited completions.
      expect(doubled(completionsByAttempt)).toEqual([]);
      const certificatesByCompletion = countBy(certificates, (id) => id);
      expect(doubled(certificatesByCompletion)).toEqual([]);
      for (const completion of completions) {
        expect(certificatesByCompletion.get(completion.id) ?? 0).toBe(completion.creditHours > 0 ? 1 : 0);
      }
      // Credit once per learner and case (so once per case version too): on the first passing attempt.
      const credited = completions.filter((c) => c.creditHours > 0);
      expect(doubled(countBy(credited, (c) => `${c.userId}/${c.caseVersionId}`))).toEqual([]);
      expect(doubled(countBy(credited, (c) => `${c.userId}/${c.caseSlug}`))).toEqual([]);
      for (const [userId] of users) {
        const passedNumbers = completions.filter((c) => c.userId === userId).map((c) => c.attemptNumber);
        const creditedNumbers = credited.filter((c) => c.userId === userId).map((c) => c.attemptNumber);
        expect(creditedNumbers).toEqual(passedNumbers.length > 0 ? [Math.min(...passedNumbers)] : []);
      }

      // The load was what this test claims: three kills mid-load, each with requests in flight,
      // double-clicks answered twice and recorded once, every learner's session alive throughout.
      expect(kills).toHaveLength(KILLS);
      expect(kills.every((k) => k.inFlight > 0)).toBe(true);
      expect(doubleClicksBothAnswered).toBeGreaterThan(0);
      expect(credited.length).toBeGreaterThan(0);
      expect(completions.length).toBeGreaterThan(credited.length);
      console.log(
        `crash test, database: ${attempts.length} attempts, ${steps.length} steps, ` +
          `${completions.length} completions (${credited.length} credited), ${certificates.length} certificates`,
      );
    } finally {
      db.close();
    }
  }, 240_000);
});
