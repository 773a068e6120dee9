// Password guessing over real HTTP, from several client addresses: the server trusts the loopback
// proxy here (TRUST_PROXY), so each test is its own address through X-Forwarded-For.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { TRUST_PROXY: "loopback" } });
});
afterAll(async () => {
  await server?.stop();
});

let counter = 0;
const PASSWORD = "correct horse battery staple";
const address = () => `203.0.113.${++counter}`;
/** A client that the server sees at `ip`. */
const from = (ip: string) => new Client(server.url, { "X-Forwarded-For": ip });

async function join(ip: string) {
  const client = from(ip);
  const email = `throttle${++counter}-${Date.now()}@example.test`;
  const page = await client.join({
    name: "Throttle Test",
    email,
    password: PASSWORD,
    registrationNumber: "OT-1",
    regulator: "coto",
    locale: "en",
  });
  expect(page.status).toBe(302);
  return { client, email };
}

describe("login throttling", () => {
  it("counts parallel guesses one by one: a burst gets no more tries than a sequence", async () => {
    const { email } = await join(address());
    const ip = address();
    const guesses = await Promise.all(Array.from({ length: 12 }, (_, i) => from(ip).login(email, `guess ${i}`)));
    const statuses = guesses.map((page) => page.status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });

  it("blocks an address that tries many accounts, and only that address", async () => {
    const ip = address();
    const victims = await Promise.all(Array.from({ length: 21 }, () => join(address())));
    const sprayer = from(ip);
    const statuses: number[] = [];
    for (const { email } of victims) statuses.push((await sprayer.login(email, "Spring2026!")).status);
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // The right password from that address waits too; from anywhere else it works.
    expect((await sprayer.login(victims[0]!.email, PASSWORD)).status).toBe(429);
    expect((await from(address()).login(victims[0]!.email, PASSWORD)).status).toBe(302);
  });

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
    for (let i = 0; i < 6; i++) {
      await client.get("/me/account");
      statuses.push(
        (await client.post("/me/account", { currentPassword: `guess ${i}`, newPassword: "a brand new passphrase" }))
          .status,
      );
    }
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429]);
    await client.get("/me/account");
    const blocked = await client.post("/me/account", {
      currentPassword: PASSWORD,
      newPassword: "a brand new passphrase",
    });
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(text(blocked.html)).toContain("Too many attempts");
    // The account is blocked for signing in as well (the guesses were at its password).
    expect((await from(address()).login(email, PASSWORD)).status).toBe(429);
  });
});
