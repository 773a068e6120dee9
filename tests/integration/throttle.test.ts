// Password guessing over real HTTP, from several client addresses: the server trusts the loopback
// proxy here (TRUST_PROXY), so each test is its own address through X-Forwarded-For. Growing delays,
// never a lockout of the right password (docs/decisions/012-login-throttling.md).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { delayAfter } from "~/models/throttle.server";
import { createDb } from "~/utils/db.server";
import { Client, text, type Page } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
/** Short idle timeout (3 s) and a small sign-up limit, to watch them act. */
let strict: TestServer;
beforeAll(async () => {
  [server, strict] = await Promise.all([
    startServer({ env: { TRUST_PROXY: "loopback" } }),
    startServer({ env: { TRUST_PROXY: "loopback", SESSION_IDLE_MINUTES: "0.05", JOIN_LIMIT_PER_HOUR: "3" } }),
  ]);
});
afterAll(async () => {
  await Promise.all([server?.stop(), strict?.stop()]);
});

let counter = 0;
const PASSWORD = "correct horse battery staple";
const address = () => `203.0.113.${++counter % 250}`;
const addressV6 = () => `2001:db8:${(++counter).toString(16)}::1`;
/** A client that the server sees at `ip`. */
const from = (ip: string, on: TestServer = server) => new Client(on.url, { "X-Forwarded-For": ip });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const retryAfter = (page: Page) => Number(page.headers.get("Retry-After"));

const joinFields = (email: string, password = PASSWORD) => ({
  name: "Throttle Test",
  email,
  password,
  registrationNumber: "OT-1",
  regulator: "coto",
  locale: "en",
});
const newEmail = () => `throttle${++counter}-${Date.now()}@example.test`;

async function join(ip: string, on: TestServer = server) {
  const client = from(ip, on);
  const email = newEmail();
  const page = await client.join(joinFields(email));
  expect(page.status).toBe(302);
  return { client, email, page };
}

describe("sign-in throttling", () => {
  it("counts parallel guesses one by one: a burst gets no more tries than a sequence", async () => {
    const { email } = await join(address());
    const ip = address();
    const started = Date.now();
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => from(ip).login(email, `guess ${i}`)));
    const elapsed = Date.now() - started;
    const statuses = guesses.map((page) => page.status);
    // A sequence as long as the burst gets the free tries, then one more each time a delay has run
    // out (1 s, 2 s, 4 s…). Counted one by one, the burst gets no more: on an idle machine (a burst
    // well under a second) exactly the free three; a loaded one that stretches it gets what that
    // time earns, never the twelve a check-then-count race would let through.
    let earned = 0;
    while (earned < 9 && delayAfter(3 + earned, 3) * 2 - 1000 <= elapsed) earned++;
    const tried = statuses.filter((s) => s === 401).length;
    expect(tried).toBeGreaterThanOrEqual(3);
    expect(tried, `burst of ${elapsed} ms`).toBeLessThanOrEqual(3 + earned);
    expect(statuses.filter((s) => s === 429)).toHaveLength(12 - tried);
    const sequence: number[] = [];
    const other = await join(address());
    const ip2 = address();
    for (let i = 0; i < 4; i++) sequence.push((await from(ip2).login(other.email, `guess ${i}`)).status);
    // Three free tries, then the fourth (sent at once, well inside the 1 s delay it earned) waits. Later
    // tries in a sequence depend on how long each took, which a loaded machine stretches past the delay.
    expect(sequence).toEqual([401, 401, 401, 429]);
  });

  it("slows the guessing address with growing delays, and never refuses the owner elsewhere", async () => {
    const { email } = await join(address());
    const attacker = address();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await from(attacker).login(email, `guess ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
    const first = await from(attacker).login(email, "guess 4");
    expect(first.status).toBe(429);
    expect(retryAfter(first)).toBe(1);
    expect(text(first.html)).toContain("Wait 1 second(s)");
    await sleep(1100);
    expect((await from(attacker).login(email, "guess 5")).status).toBe(401);
    const second = await from(attacker).login(email, "guess 6");
    expect(retryAfter(second)).toBe(2);
    // The right password from the attacker's address waits too; from the owner's it works at once.
    expect((await from(attacker).login(email, PASSWORD)).status).toBe(429);
    expect((await from(address()).login(email, PASSWORD)).status).toBe(302);
    expect((await from(addressV6()).login(email, PASSWORD)).status).toBe(302);
  });

  it("counts an IPv6 subscriber's whole /64 as one address", async () => {
    const { email } = await join(address());
    const statuses: number[] = [];
    for (let i = 1; i <= 4; i++) statuses.push((await from(`2001:db8:aa:bb::${i}`).login(email, "no")).status);
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it("delays an address that tries many accounts, and only that address", async () => {
    const ip = address();
    const victims = await Promise.all(Array.from({ length: 21 }, () => join(address())));
    const sprayer = from(ip);
    const statuses: number[] = [];
    for (const { email } of victims) statuses.push((await sprayer.login(email, "Spring2026!")).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    expect((await sprayer.login(victims[0]!.email, PASSWORD)).status).toBe(429);
    expect((await from(address()).login(victims[0]!.email, PASSWORD)).status).toBe(302);
  });

  it("bounds a spray at one account from many addresses to 100 guesses a day", async () => {
    const home = address();
    const { email } = await join(home);
    let guesses = 0;
    // Each address uses its two free tries and moves on, as a botnet would.
    for (let n = 0; n < 60; n++) {
      const ip = `198.18.${n}.1`;
      for (let i = 0; i < 2; i++) if ((await from(ip).login(email, `guess ${n}-${i}`)).status === 401) guesses++;
    }
    expect(guesses).toBe(100);
    const fresh = await from("198.19.0.1").login(email, PASSWORD);
    expect(fresh.status).toBe(429);
    expect(retryAfter(fresh)).toBeGreaterThan(20 * 3600);
    // The address the owner signed in from before still gets in.
    expect((await from(home).login(email, PASSWORD)).status).toBe(302);
  }, 120_000);

  it("gives a signed-in address back the attempts its right passwords used", async () => {
    const ip = address();
    const { email } = await join(address());
    for (let i = 0; i < 25; i++) {
      expect((await from(ip).login(email, PASSWORD)).status).toBe(302);
    }
  });

  it("throttles the current-password check on the account page, with the same counters", async () => {
    const ip = address();
    const { client, email } = await join(ip);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      await client.get("/me/account");
      statuses.push(
        (await client.post("/me/account", { currentPassword: `guess ${i}`, newPassword: "a brand new passphrase" }))
          .status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 429]);
    await client.get("/me/account");
    const blocked = await client.post("/me/account", {
      currentPassword: PASSWORD,
      newPassword: "a brand new passphrase",
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(text(blocked.html)).toContain("Too many attempts");
    // Those guesses do not stop the owner signing in from another address.
    expect((await from(address()).login(email, PASSWORD)).status).toBe(302);
  });
});

describe("/join", () => {
  /** Posts /join and times it (the page GET first, untimed). */
  async function timedJoin(email: string) {
    const client = from(address());
    await client.get("/join");
    const started = performance.now();
    const page = await client.post("/join", joinFields(email, "some other long password"));
    return { page, ms: performance.now() - started };
  }

  it("answers the same, in the same time, for a registered and a new email", async () => {
    const { email: taken } = await join(address());
    const takenRuns = [];
    const freeRuns = [];
    // Interleaved, so a busy moment of the machine weighs on both kinds alike; medians of nine.
    for (let i = 0; i < 9; i++) {
      takenRuns.push(await timedJoin(taken));
      freeRuns.push(await timedJoin(newEmail()));
    }
    for (const { page } of [...takenRuns, ...freeRuns]) {
      expect(page.status).toBe(302);
      expect(page.location).toBe("/login?joined=1&redirectTo=%2Fcases");
      expect(page.headers.getSetCookie()).toEqual([]);
      expect(page.html).toBe(freeRuns[0]!.page.html);
    }
    const median = (runs: { ms: number }[]) => runs.map((r) => r.ms).sort((a, b) => a - b)[4]!;
    const [takenMs, freeMs] = [median(takenRuns), median(freeRuns)];
    console.info(`/join median: taken ${takenMs.toFixed(1)} ms, new ${freeMs.toFixed(1)} ms`);
    expect(takenMs / freeMs).toBeGreaterThan(0.5);
    expect(takenMs / freeMs).toBeLessThan(2);
    const next = await from(address()).get("/login?joined=1&redirectTo=%2Fcases");
    expect(text(next.html)).toContain("If this email address was not registered yet, your account is ready.");
  });

  it("limits sign-ups per address (JOIN_LIMIT_PER_HOUR), taken emails counted alike", async () => {
    const ip = address();
    const { email } = await join(ip, strict);
    expect((await from(ip, strict).joinOnly(joinFields(email))).status).toBe(302);
    expect((await from(ip, strict).joinOnly(joinFields(newEmail()))).status).toBe(302);
    const refused = await from(ip, strict).joinOnly(joinFields(newEmail()));
    expect(refused.status).toBe(429);
    expect(retryAfter(refused)).toBeGreaterThan(3500);
    expect(text(refused.html)).toContain("Too many sign-ups from this network.");
    expect((await from(address(), strict).joinOnly(joinFields(newEmail()))).status).toBe(302);
  });
});

describe("sessions", () => {
  it("signs out a session left unused for SESSION_IDLE_MINUTES, not one in use", async () => {
    const { client } = await join(address(), strict);
    for (let i = 0; i < 4; i++) {
      await sleep(1000);
      expect((await client.get("/me/account")).status).toBe(200);
    }
    await sleep(3200);
    const idle = await client.get("/me/account");
    expect(idle.status).toBe(302);
    expect(idle.location).toMatch(/^\/login/);
  });

  it("writes a session's last use at most once a minute", async () => {
    const { client } = await join(address());
    // Through Prisma, so the same check runs on SQLite and PostgreSQL (npm run test:pg).
    const db = createDb(server.dbFile);
    try {
      const lastSeen = () =>
        db.session.findFirstOrThrow({ orderBy: { createdAt: "desc" }, select: { lastSeenAt: true } });
      const before = await lastSeen();
      for (let i = 0; i < 3; i++) expect((await client.get("/me/account")).status).toBe(200);
      expect(await lastSeen()).toEqual(before);
    } finally {
      await db.$disconnect();
    }
  });

  it("gives this browser a new session id on a password change and revokes every other", async () => {
    const ip = address();
    const { client, email, page } = await join(ip);
    const oldCookie = page.headers.getSetCookie()[0]!.split(";")[0]!;
    const other = from(address());
    expect((await other.login(email, PASSWORD)).status).toBe(302);
    await client.get("/me/account");
    const changed = await client.post("/me/account", {
      currentPassword: PASSWORD,
      newPassword: "a brand new passphrase",
    });
    expect(changed.status).toBe(302);
    const newCookie = changed.headers.getSetCookie()[0]!.split(";")[0]!;
    expect(newCookie).not.toBe(oldCookie);
    expect(text((await client.get(changed.location!)).html)).toContain("Password changed.");
    const replayed = await fetch(new URL("/me/account", server.url), {
      headers: { Cookie: oldCookie },
      redirect: "manual",
    });
    expect(replayed.status).toBe(302);
    expect((await other.get("/me/account")).status).toBe(302);
  });
});
