// The studio graph of a generated 847-node case (scripts/bench/graph-case.ts) on the production
// server: the first (uncached) and cached response times, /healthz probed back to back meanwhile,
// and the server's worst event-loop delay (perf_hooks.monitorEventLoopDelay, read through the
// bench-only route /__bench/loop) while the graph renders. Target: no delay over 50 ms.
import fs from "node:fs";
import path from "node:path";
import type { Db } from "~/utils/db.server";
import { publishFiles } from "../lib/publish";
import { largeCase } from "./graph-case";
import { staffSessionCookie } from "./seed";

export const GRAPH_SLUG = "bench-large-case";
export const GRAPH_NODES = 847;

/** Publishes the large case (with the demo standards) and makes an author with a session; returns its cookie. */
export async function seedGraphCase(db: Db, dir: string, secret: string): Promise<string> {
  const content = path.join(dir, "graph-content");
  fs.cpSync(path.resolve("cases/standards"), path.join(content, "standards"), { recursive: true });
  const base = JSON.parse(fs.readFileSync(path.resolve("cases/social-media-boundaries.json"), "utf8"));
  fs.writeFileSync(path.join(content, `${GRAPH_SLUG}.json`), JSON.stringify(largeCase(base, GRAPH_NODES, GRAPH_SLUG)));
  await publishFiles(db, [content]);
  const user = await db.user.create({
    data: { email: "author@bench.invalid", name: "Bench Author", registrationNumber: "A-1", regulator: "coto" },
  });
  await db.userRole.create({ data: { userId: user.id, roleId: "author" } });
  return staffSessionCookie(db, user.id, secret);
}

export type GraphRun = { status: number; ms: number; healthzMaxMs: number; healthzProbes: number; loopMaxMs: number };
export type GraphBench = { uncached: GraphRun; cached: GraphRun[] };

async function loop(url: string, reset: boolean): Promise<{ maxMs: number }> {
  const response = await fetch(`${url}/__bench/loop${reset ? "?reset=1" : ""}`);
  if (response.status !== 200) throw new Error(`/__bench/loop answered ${response.status}`);
  return (await response.json()) as { maxMs: number };
}

async function once(url: string, cookie: string): Promise<GraphRun> {
  await loop(url, true);
  let done = false;
  const t0 = performance.now();
  const graph = fetch(`${url}/studio/cases/${GRAPH_SLUG}/versions/1/graph`, {
    headers: { Cookie: cookie, Accept: "text/html" },
  }).then(async (response) => {
    const body = await response.text();
    done = true;
    if (response.status === 200 && !body.includes('id="graph-start"'))
      throw new Error("graph page without its start node");
    return { status: response.status, ms: performance.now() - t0 };
  });
  let healthzMaxMs = 0;
  let healthzProbes = 0;
  while (!done) {
    const p0 = performance.now();
    await (await fetch(`${url}/healthz`)).text();
    healthzMaxMs = Math.max(healthzMaxMs, performance.now() - p0);
    healthzProbes++;
    await new Promise((r) => setTimeout(r, 10));
  }
  const result = await graph;
  return { ...result, healthzMaxMs, healthzProbes, loopMaxMs: (await loop(url, false)).maxMs };
}

export async function benchGraph(url: string, cookie: string, cachedRuns = 5): Promise<GraphBench> {
  const uncached = await once(url, cookie);
  const cached: GraphRun[] = [];
  for (let i = 0; i < cachedRuns; i++) cached.push(await once(url, cookie));
  return { uncached, cached };
}

export function describeGraph(bench: GraphBench): string[] {
  const line = (name: string, r: GraphRun) =>
    `  ${name}: ${r.status} in ${r.ms.toFixed(0)} ms; /healthz worst ${r.healthzMaxMs.toFixed(1)} ms over ${r.healthzProbes} probes; event loop worst delay ${r.loopMaxMs.toFixed(1)} ms`;
  const worst = bench.cached.reduce((a, b) => (b.ms > a.ms ? b : a));
  return [
    `Studio graph of a generated ${GRAPH_NODES}-node case (/studio/cases/${GRAPH_SLUG}/versions/1/graph):`,
    line("first (uncached)", bench.uncached),
    line(`cached (slowest of ${bench.cached.length})`, worst),
  ];
}
