// Two production servers on one PostgreSQL database (issue 12, ADR 017), one of them killed
// mid-load. Learners join on one instance and play on both (a session made on one is used on the
// other), some steps posted to both at once; then instance A gets SIGKILL and everyone carries on
// against B. Afterwards: every acknowledged step is recorded exactly once, every attempt is a
// consistent prefix of the case's path, each finished attempt has one completion and each learner
// one certificate and one certificate mail; B answers /healthz and /readyz; the mail A had claimed
// stays A's until its lease is over and is then sent by B. PostgreSQL only: `npm run test:pg`.
import type { AddressInfo } from "node:net";
import net from "node:net";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { enqueueMail, outboxPolicy } from "~/models/mail-outbox.server";
import { createDb, type Db } from "~/utils/db.server";
import { Client } from "../support/client";
import { makeMigratedPostgresql, onPostgresql } from "../support/postgres";
import { publish, startServer, type TestServer } from "../support/server";
import { startMailbox, type TestMailbox } from "../support/smtp";

const PASSWORD = "two instances password 5521";
const LEARNERS = 10;
/** The mini case's path to a pass: the node each POST leaves, and what it sends. */
const PATH: Array<[string, Record<string, string>]> = [
  ["context", {}],
  ["q1", { choice: "decline" }],
  ["q2", { choice: "explain" }],
  ["reflect", { reflection: "I would decline and explain why." }],
];
const NODES = PATH.map(([node]) => node);
/** mini-case.json allows two attempts per learner. */
const ATTEMPTS_EACH = 2;

/**
 * An SMTP server that greets and then never finishes answering: its reply to the first command is
 * a multi-line reply whose last line never comes (a continuation line every 5 s keeps the client's
 * socket timeout from firing). Instance A's sender claims a message, sends it here and waits, so
 * A still holds its lease when it is killed.
 */
async function startStalledSmtp(): Promise<{ url: string; stop: () => Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    let timer: NodeJS.Timeout | undefined;
    socket.on("error", () => {});
    socket.on("close", () => {
      clearInterval(timer);
      sockets.delete(socket);
    });
    socket.once("data", () => {
      socket.write("250-stalled.test\r\n");
      timer = setInterval(() => socket.write("250-STILL-THINKING\r\n"), 5000);
    });
    socket.write("220 stalled.test ESMTP\r\n");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

let database: { url: string; drop: () => Promise<void> };
let db: Db;
let a: TestServer;
let b: TestServer;
let mailbox: TestMailbox;
let stalled: { url: string; stop: () => Promise<void> };
let env: Record<string, string>;

beforeAll(async () => {
  if (!onPostgresql) throw new Error("two-instances.test.ts runs on PostgreSQL: npm run test:pg");
  database = await makeMigratedPostgresql();
  await publish(database.url, [path.resolve("tests/fixtures/valid")]);
  db = createDb(database.url);
  [mailbox, stalled] = await Promise.all([startMailbox(), startStalledSmtp()]);
  env = { MAIL_FROM: "CE Office <ce@college.example>", PUBLIC_URL: "https://vignette.college.example" };
  a = await startServer({ dbFile: database.url, env: { ...env, SMTP_URL: stalled.url } });
});
afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await db?.$disconnect();
  await Promise.all([mailbox?.stop(), stalled?.stop()]);
  await database?.drop();
});

type Learner = { email: string; on: { a: Client; b: Client } };

async function join(n: number): Promise<Learner> {
  const email = `learner-${n}@two-instances.test`;
  // Joins and signs in on one instance; the session is a row both read.
  const first = new Client(n % 2 === 0 ? a.url : b.url);
  const page = await first.join({
    name: `Learner ${n}`,
    email,
    password: PASSWORD,
    registrationNumber: `TI-${n}`,
    regulator: "demo",
    locale: n % 3 === 0 ? "fr" : "en",
  });
  expect(page.status).toBe(302);
  const other = first.on(n % 2 === 0 ? b.url : a.url);
  return { email, on: n % 2 === 0 ? { a: first, b: other } : { a: other, b: first } };
}

describe("two instances on one PostgreSQL database", () => {
  it("keeps every acknowledged step once when one is killed mid-load, and the survivor takes over its mail", async () => {
    // Before any load: a message A alone can claim, held by it (its SMTP never answers).
    const held = await db.user.create({
      data: { email: "held@two-instances.test", name: "Held Mail", registrationNumber: "", regulator: "demo" },
    });
    await enqueueMail(db, {
      kind: "set_password",
      to: held.email,
      locale: "en",
      regulator: "demo",
      userId: held.id,
      params: { link: "https://vignette.college.example/set-password?token=held" },
    });
    await vi.waitFor(
      async () => expect(await db.mailMessage.findFirst({ where: { to: held.email } })).toMatchObject({ attempts: 1 }),
      { timeout: 30_000, interval: 200 },
    );
    const heldClaim = (await db.mailMessage.findFirstOrThrow({ where: { to: held.email } })).claimToken;
    expect(heldClaim).not.toBeNull();
    // B, on the same database, with an SMTP server that takes mail.
    b = await startServer({ dbFile: database.url, env: { ...env, SMTP_URL: mailbox.url } });

    const learners = await Promise.all(Array.from({ length: LEARNERS }, (_, n) => join(n)));

    /** What the servers acknowledged: `${attemptId} ${node}` for each POST answered 302. */
    const acknowledged: string[] = [];
    const attemptsOf = new Map<string, Set<string>>();
    let aAlive = true;
    let killed: Promise<unknown> | undefined;
    const totalPosts = LEARNERS * ATTEMPTS_EACH * (PATH.length + 1);
    let answered = 0;
    let turn = 0;

    /** A request on A or B in turn (only B once A is gone); a request A never answered goes to B. */
    async function send(
      learner: Learner,
      request: (client: Client) => Promise<{ status: number; location: string | null }>,
    ) {
      const useA = aAlive && turn++ % 2 === 0;
      if (useA) {
        try {
          return await request(learner.on.a);
        } catch (error) {
          // A died with this request in flight (fetch fails): not acknowledged; the learner tries
          // again on B. Anything else (a failed expectation, A failing while alive) is a failure.
          if (aAlive || !(error instanceof TypeError)) throw error;
        }
      }
      return request(learner.on.b);
    }

    async function afterAnswer() {
      answered++;
      // Half-way through, A is killed without warning: no draining, connections cut.
      if (!killed && answered >= totalPosts / 2) {
        aAlive = false;
        a.kill("SIGKILL");
        killed = a.exited;
      }
    }

    async function play(learner: Learner) {
      for (let n = 0; n < ATTEMPTS_EACH; n++) {
        const started = await send(learner, async (client) => {
          await client.get("/cases/mini-case");
          return client.post("/cases/mini-case", {});
        });
        expect(started.status).toBe(302);
        const url = started.location!;
        const attemptId = url.split("/").at(-1)!;
        attemptsOf.set(learner.email, (attemptsOf.get(learner.email) ?? new Set()).add(attemptId));
        await afterAnswer();
        for (const [from, fields] of PATH) {
          const post = async (client: Client) => {
            expect((await client.get(url)).status).toBe(200);
            return client.post(url, { from, ...fields });
          };
          // The second decision is sent to both instances at once while both run (a double submit).
          const answers =
            from === "q2" && aAlive
              ? await Promise.all([send(learner, post), send(learner, post)])
              : [await send(learner, post)];
          for (const answer of answers) {
            expect([answer.status, answer.location]).toEqual([302, url]);
            acknowledged.push(`${attemptId} ${from}`);
          }
          await afterAnswer();
        }
      }
    }

    await Promise.all(learners.map(play));
    expect(killed).toBeDefined();
    expect(await killed).toBe("SIGKILL");

    // Every acknowledged step is recorded, once; each attempt a prefix of the path, in order.
    const attempts = await db.attempt.findMany({ include: { steps: { orderBy: { seq: "asc" } }, completion: true } });
    const recorded = attempts.flatMap((attempt) => attempt.steps.map((step) => `${attempt.id} ${step.nodeId}`));
    expect(new Set(recorded).size).toBe(recorded.length);
    for (const step of acknowledged) expect(recorded).toContain(step);
    for (const attempt of attempts) {
      expect(attempt.steps.map((s) => s.seq)).toEqual(attempt.steps.map((_, i) => i));
      expect(attempt.steps.map((s) => s.nodeId)).toEqual(NODES.slice(0, attempt.steps.length));
      if (attempt.status === "completed") {
        expect(attempt.steps).toHaveLength(NODES.length);
        expect([attempt.currentNodeId, attempt.passed]).toEqual(["end-good", true]);
        expect(attempt.completion).not.toBeNull();
      } else {
        expect(attempt.status).toBe("in_progress");
        expect(attempt.completion).toBeNull();
      }
    }
    // Each learner's two attempts were played to the end, on whichever instance answered.
    for (const learner of learners) {
      const mine = [...attemptsOf.get(learner.email)!];
      expect(mine).toHaveLength(ATTEMPTS_EACH);
      for (const id of mine) expect(attempts.find((t) => t.id === id)?.status).toBe("completed");
    }
    expect(await db.completion.count()).toBe(attempts.filter((t) => t.status === "completed").length);
    // One credited pass per learner: one certificate each.
    const certificates = await db.certificate.findMany({ include: { completion: true } });
    expect(certificates.map((c) => c.completion.userId).sort()).toEqual(
      (await db.user.findMany({ where: { email: { in: learners.map((l) => l.email) } } })).map((u) => u.id).sort(),
    );

    // The survivor is alive and ready.
    const anonymous = new Client(b.url);
    expect((await anonymous.get("/healthz")).status).toBe(200);
    expect((await anonymous.get("/readyz")).status).toBe(200);

    // The message A claimed is still A's: B leaves it while the lease runs.
    const stillHeld = await db.mailMessage.findFirstOrThrow({ where: { to: held.email } });
    expect(stillHeld).toMatchObject({ status: "pending", attempts: 1, claimToken: heldClaim });
    expect(stillHeld.leaseUntil.getTime()).toBeGreaterThan(Date.now());
    expect(stillHeld.leaseUntil.getTime()).toBeLessThanOrEqual(Date.now() + outboxPolicy.leaseMs);
    expect(mailbox.received.filter((m) => m.text?.includes("token=held"))).toEqual([]);
    // The lease (five minutes, outboxPolicy.leaseMs) runs out: moved to now rather than waited for.
    // Every row A claimed and never settled is then B's to send.
    await db.mailMessage.updateMany({
      where: { status: "pending", claimToken: { not: null } },
      data: { leaseUntil: new Date(Date.now() - 1000) },
    });
    await vi.waitFor(async () => expect(await db.mailMessage.count({ where: { status: { not: "sent" } } })).toBe(0), {
      timeout: 60_000,
      interval: 250,
    });
    const heldMail = await db.mailMessage.findFirstOrThrow({ where: { to: held.email } });
    expect(heldMail).toMatchObject({ status: "sent", attempts: 2, claimToken: null });
    expect(mailbox.received.filter((m) => m.text?.includes("token=held"))).toHaveLength(1);
    // Each certificate's mail arrived once.
    for (const certificate of certificates) {
      const link = `/certificates/${certificate.code}`;
      expect(mailbox.received.filter((m) => m.text?.includes(link))).toHaveLength(1);
    }
    // Minutes on a busy 2-core machine: two servers, a dozen learners, a mail round after the lease.
  }, 400_000);
});
