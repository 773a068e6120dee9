// What the production server writes to its log, read as the regulator's IT staff would: one JSON
// line per request and per security event, each with a time, a level and a request id; and never a
// code, a password, a session or a stack trace for a URL that does not exist.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb } from "~/utils/db.server";
import { Client } from "../support/client";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
beforeAll(async () => {
  server = await startServer({ env: { LOG_REQUESTS: "1", LOG_LEVEL: "info" } });
});
afterAll(async () => {
  await server?.stop();
});

type Line = Record<string, unknown> & { time: string; level: string; reqId?: string; msg: string };

function lines(): Line[] {
  return server
    .output()
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as Line);
}

/** Log lines are written asynchronously: waits until one matches. */
async function waitForLine(match: (line: Line) => boolean): Promise<Line> {
  for (let i = 0; i < 100; i++) {
    const found = lines().find(match);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no matching log line in:\n${server.output()}`);
}

const PASSWORD = "logging test passphrase 4417";
const WRONG_PASSWORD = "wrong guess 9931 zebra";
const CERT_CODE = "SECRETCERTCODE7Q2";
const INVITE_CODE = "SECRETINVITE5K8";

describe("server logs", () => {
  it("writes one JSON line per request with its id, and none of a visitor's secrets", async () => {
    const client = new Client(server.url);
    const email = `logging-${Date.now()}@example.test`;
    const joined = await client.join({
      name: "Logging Test",
      email,
      password: PASSWORD,
      registrationNumber: "OT-77",
      regulator: "coto",
      locale: "en",
    });
    expect(joined.status).toBe(302);
    const cookie = joined.headers.getSetCookie().find((c) => c.startsWith("__vignette_session="));
    const cookieValue = cookie!.split(";")[0]!.split("=")[1]!;

    await client.get(`/certificates/${CERT_CODE}`);
    await client.get(`/certificates/${CERT_CODE}/pdf`);
    await client.get(`/invite/${INVITE_CODE}`);
    await client.get(`/%69nvite/${INVITE_CODE}x`);
    await client.get(`/cases?token=${INVITE_CODE}q`);
    const csrf = client.csrf;

    const stranger = new Client(server.url);
    expect((await stranger.login(email, WRONG_PASSWORD)).status).toBe(401);
    expect((await new Client(server.url).login(email, PASSWORD)).status).toBe(302);

    const certificateLine = await waitForLine((l) => l.path === "/certificates/[code]/pdf");
    expect(certificateLine).toMatchObject({ level: "info", method: "GET" });
    expect(typeof certificateLine.status).toBe("number");
    expect(typeof certificateLine.durationMs).toBe("number");
    await waitForLine((l) => l.path === "/certificates/[code]");
    await waitForLine((l) => l.path === "/invite/[code]");
    await waitForLine((l) => l.path === "/cases");
    const failed = await waitForLine((l) => l.event === "auth.login_failed");
    expect(failed.level).toBe("warn");
    expect(failed.account).toMatch(/^[0-9a-f]{16}$/);

    // The failed login's event belongs to its request: same reqId as the POST /login 401 line.
    const loginLine = await waitForLine((l) => l.path === "/login" && l.status === 401);
    expect(failed.reqId).toBe(loginLine.reqId);

    const all = lines();
    for (const line of all) {
      expect(new Date(line.time).toISOString()).toBe(line.time);
      expect(["trace", "debug", "info", "warn", "error", "fatal"]).toContain(line.level);
    }
    // Every line after the "serving" one was written while serving a request.
    expect(all[0]!.msg).toMatch(/^Vignette is serving on http:\/\/localhost:\d+$/);
    for (const line of all.slice(1)) expect(line.reqId).toMatch(/^[\w.:-]+$/);

    const output = server.output();
    const sessionIds = await sessionsOf(email);
    expect(sessionIds.length).toBeGreaterThan(0);
    for (const secret of [
      CERT_CODE,
      INVITE_CODE,
      PASSWORD,
      WRONG_PASSWORD,
      encodeURIComponent(WRONG_PASSWORD),
      email,
      encodeURIComponent(email),
      cookieValue,
      csrf!,
      ...sessionIds.flatMap((s) => [s.id, s.csrfToken]),
    ]) {
      expect(output).not.toContain(secret);
    }
    expect(output).not.toMatch(/cookie|authorization/i);
  });

  it("logs an unknown URL as one 404 line, without a stack trace", async () => {
    const page = await new Client(server.url).get("/no/such/page-31337");
    expect(page.status).toBe(404);
    const line = await waitForLine((l) => l.path === "/no/such/page-31337");
    expect(line).toMatchObject({ status: 404, level: "info" });
    // Give a stray error line time to arrive before looking for it.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const output = server.output();
    expect(output).not.toMatch(/\n\s+at /);
    expect(output).not.toContain("No route matches");
    expect(lines().filter((l) => JSON.stringify(l).includes("page-31337"))).toHaveLength(1);
  });

  it("echoes a safe X-Request-Id and replaces one that is not", async () => {
    const kept = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": "lb-7f3a.92" } });
    expect(kept.headers.get("X-Request-Id")).toBe("lb-7f3a.92");
    await waitForLine((l) => l.reqId === "lb-7f3a.92" && l.path === "/healthz");

    const forged = '"}\n{"level":"error"';
    const replaced = await fetch(`${server.url}/healthz`, { headers: { "X-Request-Id": encodeURI(forged) } });
    const id = replaced.headers.get("X-Request-Id");
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    await waitForLine((l) => l.reqId === id);
  });
});

async function sessionsOf(email: string) {
  const db = createDb(server.dbFile);
  try {
    return await db.session.findMany({ where: { user: { email } }, select: { id: true, csrfToken: true } });
  } finally {
    await db.$disconnect();
  }
}
