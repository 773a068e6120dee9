// /healthz tells a load balancer the truth about the database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startServer, type TestServer } from "../support/server";

const servers: TestServer[] = [];
let unreachable: string;
beforeAll(() => {
  unreachable = fs.mkdtempSync(path.join(os.tmpdir(), "vignette-nodb-"));
});
afterAll(async () => {
  for (const server of servers) await server.stop();
  fs.rmSync(unreachable, { recursive: true, force: true });
});

it("answers 200 while the database is reachable", async () => {
  const server = await startServer();
  servers.push(server);
  const ok = await fetch(`${server.url}/healthz`);
  expect(ok.status).toBe(200);
  expect(ok.headers.get("Cache-Control")).toBe("no-store");
});

it("answers 503 when the database cannot be opened", async () => {
  // DATABASE_URL names a directory, as with an unmounted or misconfigured volume.
  const server = await startServer({ env: { DATABASE_URL: `file:${unreachable}` } });
  servers.push(server);
  const down = await fetch(`${server.url}/healthz`);
  expect(down.status).toBe(503);
  expect(await down.json()).toEqual({ status: "error", database: "unreachable" });
});

it("serves the benchmark's reference routes only when VIGNETTE_BENCH_ROUTES=1", async () => {
  const plain = await startServer();
  const bench = await startServer({ env: { VIGNETTE_BENCH_ROUTES: "1" } });
  servers.push(plain, bench);
  for (const route of ["/__bench/empty", "/__bench/page"]) {
    expect((await fetch(`${plain.url}${route}`)).status).toBe(404);
  }
  const empty = await fetch(`${bench.url}/__bench/empty`);
  expect([empty.status, await empty.text()]).toEqual([200, "ok"]);
  const page = await fetch(`${bench.url}/__bench/page`);
  expect(page.status).toBe(200);
  // A whole document in the root layout, with nothing of its own in <main>.
  expect(await page.text()).toMatch(/<main id="main" tabindex="-1"><\/main>/);
});
