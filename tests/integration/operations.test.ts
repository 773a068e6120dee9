// Running the service as a regulator's IT staff would: `npm start` restarts a crashed server and
// refuses a production database that is missing or stale; a shutdown finishes within its deadline
// whatever a client does; readiness tells the truth; signed-in answers are never cached.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { migrate } from "~/utils/migrate.server";
import { Client } from "../support/client";
import { startServer, type TestServer } from "../support/server";
import { makeTempDir } from "../support/temp-db";

const cleanups: Array<() => void> = [];
const servers: TestServer[] = [];
afterEach(async () => {
  for (const server of servers.splice(0)) await server.stop();
});
afterAll(() => {
  for (const cleanup of cleanups) cleanup();
});

function tempDir(): string {
  const { dir, cleanup } = makeTempDir("vignette-ops-");
  cleanups.push(cleanup);
  return dir;
}

type Supervisor = { child: ChildProcess; output: () => string; waitFor: (re: RegExp, count?: number) => Promise<void> };

/** `npm start` (scripts/start.ts) with the given environment, its output collected. */
function npmStart(env: Record<string, string>): Supervisor {
  const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/start.ts"], {
    env: { ...process.env, PORT: "0", LOG_REQUESTS: "0", SUPERVISOR_BACKOFF_MS: "100", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
  child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
  const waitFor = (re: RegExp, count = 1) =>
    new Promise<void>((resolve, reject) => {
      const global = new RegExp(re.source, "g");
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${re}:\n${output}`)), 60_000);
      const check = () => {
        if ((output.match(global) ?? []).length >= count) {
          clearTimeout(timer);
          resolve();
        }
      };
      child.stdout!.on("data", check);
      child.stderr!.on("data", check);
      check();
    });
  return { child, output: () => output, waitFor };
}

const exitOf = (child: ChildProcess) =>
  new Promise<number | null>((resolve) =>
    child.exitCode !== null ? resolve(child.exitCode) : child.once("exit", (code) => resolve(code)),
  );

const production = (dbFile: string) => ({
  NODE_ENV: "production",
  DATABASE_URL: `file:${dbFile}`,
  SESSION_SECRET: "operations-test-secret-0123456789-abcdefgh",
});

describe("npm start", () => {
  it("restarts the server after it is killed, and stops cleanly on SIGTERM", async () => {
    const dbFile = path.join(tempDir(), "app.db");
    const supervisor = npmStart({ DATABASE_URL: `file:${dbFile}`, NODE_ENV: "development" });
    try {
      await supervisor.waitFor(/is serving on http:\/\/localhost:\d+/);
      const pid = Number(/Server process (\d+) started/.exec(supervisor.output())![1]);
      process.kill(pid, "SIGKILL");
      await supervisor.waitFor(/is serving on http:\/\/localhost:\d+/, 2);
      expect(supervisor.output()).toMatch(/The server was killed by SIGKILL after [\d.]+ s; restarting in 0\.1 s\./);
      const urls = [...supervisor.output().matchAll(/is serving on (http:\/\/localhost:\d+)/g)].map((m) => m[1]!);
      const health = await fetch(`${urls.at(-1)!.replace("localhost", "127.0.0.1")}/healthz`);
      expect(health.status).toBe(200);
    } finally {
      supervisor.child.kill("SIGTERM");
    }
    expect(await exitOf(supervisor.child)).toBe(0);
  }, 120_000);

  it("in production, refuses a missing database with the command that creates it, and creates nothing", async () => {
    const dbFile = path.join(tempDir(), "missing", "app.db");
    const supervisor = npmStart(production(dbFile));
    expect(await exitOf(supervisor.child)).toBe(1);
    expect(supervisor.output()).toContain(`No database at ${dbFile}. Create it with "npm run db:migrate"`);
    expect(fs.existsSync(dbFile)).toBe(false);
  });

  it("in production, refuses a database with pending migrations, naming them", async () => {
    const dir = tempDir();
    const dbFile = path.join(dir, "app.db");
    const migrations = path.join(dir, "migrations");
    fs.cpSync(path.resolve("prisma/migrations"), migrations, { recursive: true });
    const newest = fs
      .readdirSync(migrations)
      .filter((n) => /^\d/.test(n))
      .sort()
      .at(-1)!;
    fs.rmSync(path.join(migrations, newest), { recursive: true });
    migrate(dbFile, migrations);
    const supervisor = npmStart(production(dbFile));
    expect(await exitOf(supervisor.child)).toBe(1);
    expect(supervisor.output()).toContain(`lacks 1 migration(s) (${newest})`);
    expect(supervisor.output()).toContain('"npm run db:migrate"');
    // Nothing was imported: the database has no case.
    const db = new Database(dbFile, { readonly: true });
    expect(db.prepare(`SELECT COUNT(*) FROM "Case"`).pluck().get()).toBe(0);
    db.close();
  });

  it("gives up with exit code 1 when the server cannot start at all", async () => {
    const dbFile = path.join(tempDir(), "app.db");
    migrate(dbFile);
    const taken = net.createServer().listen(0, "127.0.0.1");
    await new Promise((resolve) => taken.once("listening", resolve));
    const port = (taken.address() as net.AddressInfo).port;
    try {
      const supervisor = npmStart({ ...production(dbFile), PORT: String(port), HOST: "127.0.0.1" });
      expect(await exitOf(supervisor.child)).toBe(1);
      expect(supervisor.output()).toContain("before serving, 5 times in a row: giving up.");
    } finally {
      taken.close();
    }
  }, 120_000);
});

describe("shutdown", () => {
  it("closes within its deadline although a client is stalled in the middle of a request", async () => {
    const server = await startServer({ env: { SHUTDOWN_TIMEOUT_MS: "1000" } });
    servers.push(server);
    const { hostname, port } = new URL(server.url);
    const socket = net.connect(Number(port), hostname);
    await new Promise((resolve) => socket.once("connect", resolve));
    socket.on("error", () => {});
    // Headers and 2 of the 100 bytes the body promises; then nothing.
    socket.write(
      `POST /login HTTP/1.1\r\nHost: ${hostname}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 100\r\n\r\nem`,
    );
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    server.kill("SIGTERM");
    const timeout = new Promise((resolve) => setTimeout(() => resolve("still running"), 15_000));
    expect(await Promise.race([server.exited, timeout])).toBe(0);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(server.output()).toContain("shutdown deadline reached");
    socket.destroy();
  });

  it("reports draining on /readyz while liveness stays up, then stops", async () => {
    const server = await startServer({ env: { DRAIN_DELAY_MS: "2000", SHUTDOWN_TIMEOUT_MS: "4000" } });
    servers.push(server);
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    server.kill("SIGTERM");
    await new Promise((resolve) => setTimeout(resolve, 300));
    const ready = await fetch(`${server.url}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([503, { status: "not-ready", reason: "draining" }]);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(await server.exited).toBe(0);
    expect(server.output()).toContain("all requests finished; stopped");
  });
});

describe("/readyz", () => {
  const readiness = async (server: TestServer) => {
    const response = await fetch(`${server.url}/readyz`);
    return [response.status, await response.json(), response.headers.get("Cache-Control")];
  };

  it("is ready when the database takes a write, and records it", async () => {
    const server = await startServer();
    servers.push(server);
    expect(await readiness(server)).toEqual([200, { status: "ready" }, "no-store"]);
    const db = new Database(server.dbFile, { readonly: true });
    expect(db.prepare(`SELECT COUNT(*) FROM HealthCheck`).pluck().get()).toBe(1);
    db.close();
  });

  it("is not ready when the disk has less room than READY_MIN_FREE_MB", async () => {
    const server = await startServer({ env: { READY_MIN_FREE_MB: String(1024 * 1024 * 1024) } });
    servers.push(server);
    expect(await readiness(server)).toEqual([503, { status: "not-ready", reason: "disk-full" }, "no-store"]);
  });

  it("is not ready when a migration is missing, when a write fails, or when the file is deleted", async () => {
    const server = await startServer();
    servers.push(server);
    const db = new Database(server.dbFile);
    const newest = db
      .prepare(`SELECT migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1`)
      .pluck()
      .get() as string;
    const row = db.prepare(`SELECT * FROM _prisma_migrations WHERE migration_name = ?`).get(newest) as Record<
      string,
      unknown
    >;
    db.prepare(`DELETE FROM _prisma_migrations WHERE migration_name = ?`).run(newest);
    expect((await readiness(server)).slice(0, 2)).toEqual([503, { status: "not-ready", reason: "migrations-pending" }]);
    const columns = Object.keys(row);
    db.prepare(
      `INSERT INTO _prisma_migrations (${columns.join(", ")}) VALUES (${columns.map(() => "?").join(", ")})`,
    ).run(...Object.values(row));
    db.exec(`DROP TABLE HealthCheck`);
    expect((await readiness(server)).slice(0, 2)).toEqual([
      503,
      { status: "not-ready", reason: "database-unwritable" },
    ]);
    db.close();
    for (const suffix of ["", "-wal", "-shm"]) fs.rmSync(server.dbFile + suffix, { force: true });
    expect((await readiness(server)).slice(0, 2)).toEqual([503, { status: "not-ready", reason: "database-missing" }]);
  });
});

describe("response headers", () => {
  it("marks every answer to a signed-in person no-store, and the sign-in that creates the session", async () => {
    const server = await startServer();
    servers.push(server);
    const client = new Client(server.url);
    const anonymous = await client.get("/cases");
    expect(anonymous.headers.get("Cache-Control")).not.toBe("no-store");
    const signedIn = await client.join({
      name: "Cache Test",
      email: "cache@ops.test",
      password: "correct horse battery staple",
      registrationNumber: "R-77",
      regulator: "coto",
      locale: "en",
    });
    expect(signedIn.headers.get("Cache-Control")).toBe("no-store");
    for (const url of ["/cases", "/me/account", "/me/transcript", "/cases/social-media-boundaries"]) {
      expect((await client.get(url)).headers.get("Cache-Control"), url).toBe("no-store");
    }
    expect((await client.get("/no/such/page")).headers.get("Cache-Control")).toBe("no-store");
  });

  it("sends HSTS in production over HTTPS only", async () => {
    const local = await startServer();
    const deployed = await startServer({ env: { VIGNETTE_INSECURE_COOKIES: "0" } });
    servers.push(local, deployed);
    expect((await fetch(`${local.url}/cases`)).headers.get("Strict-Transport-Security")).toBeNull();
    expect((await fetch(`${deployed.url}/cases`)).headers.get("Strict-Transport-Security")).toBe(
      "max-age=63072000; includeSubDomains",
    );
  });
});

describe("one same-origin rule, in the server and in the actions", () => {
  /** A sign-in post as a browser sends it to https://vignette.example through a proxy. */
  const viaProxy = (server: TestServer, origin: string, forwardedHost: string | null) =>
    fetch(`${server.url}/login`, {
      method: "POST",
      redirect: "manual",
      body: new URLSearchParams({ email: "nobody@ops.test", password: "wrong password", redirectTo: "/cases" }),
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        Origin: origin,
        "Sec-Fetch-Site": "same-origin",
        ...(forwardedHost ? { "X-Forwarded-Host": forwardedHost } : {}),
      },
    });

  it("behind a trusted proxy, takes the host the browser addressed from X-Forwarded-Host", async () => {
    const server = await startServer({ env: { TRUST_PROXY: "loopback" } });
    servers.push(server);
    // Through to the action, which answers the wrong password: neither layer called it cross-site.
    expect((await viaProxy(server, "https://vignette.example", "vignette.example")).status).toBe(401);
    expect((await viaProxy(server, "https://evil.example", "vignette.example")).status).toBe(403);
  });

  it("without a trusted proxy, ignores X-Forwarded-Host, and never answers a forged one with a 500", async () => {
    const server = await startServer();
    servers.push(server);
    expect((await viaProxy(server, "https://vignette.example", "vignette.example")).status).toBe(403);
    // Origin matches Host, X-Forwarded-Host says otherwise: the header is dropped, the post goes through.
    expect((await viaProxy(server, new URL(server.url).origin, "evil.example")).status).toBe(401);
  });
});
