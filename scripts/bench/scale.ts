// `npm run bench -- --scale N`: what staff pages cost when a case version holds a year of a large
// regulator's attempts, and what they cost everyone else meanwhile. Seeds (scale-seed.ts) two
// copies of the demo case: one with N completed attempts, one with 1,000 as the reference, so the
// two analytics figures differ only in the number of attempts. Measured over HTTP on the production
// server, so the figures hold whatever analytics does inside (computed per view, or aggregates
// caught up from the attempt rows: the first view after seeding may pay that catch-up, so it is
// reported apart from the steady views after it).
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import type { Db } from "~/utils/db.server";
import { publishFiles } from "../lib/publish";
import { latencyFigures } from "./load";
import {
  loadSeedVersion,
  postgresqlSink,
  seedCompletedAttempts,
  sqliteSink,
  type RowSink,
  type SeedSummary,
  type SeedVersion,
} from "./scale-seed";
import { staffSessionCookie } from "./seed";

export const SCALE_LARGE = "bench-scale-large";
export const SCALE_SMALL = "bench-scale-small";
export const REFERENCE_ATTEMPTS = 1000;

export type ScaleSeed = { large: SeedVersion; small: SeedVersion; seeded: SeedSummary[]; authorCookie: string };

/** Publishes the two copies of the demo case, fills them, and makes an author of their regulator. */
export async function seedScale(
  db: Db,
  dir: string,
  target: { file: string | null; url: string },
  attempts: number,
  secret: string,
  log: (line: string) => void,
): Promise<ScaleSeed> {
  const content = path.join(dir, "scale-content");
  fs.cpSync(path.resolve("cases/standards"), path.join(content, "standards"), { recursive: true });
  const base = JSON.parse(fs.readFileSync(path.resolve("cases/social-media-boundaries.json"), "utf8"));
  for (const slug of [SCALE_LARGE, SCALE_SMALL])
    fs.writeFileSync(path.join(content, `${slug}.json`), JSON.stringify({ ...base, slug }));
  await publishFiles(db, [content]);
  const large = await loadSeedVersion(db, SCALE_LARGE);
  const small = await loadSeedVersion(db, SCALE_SMALL);

  const { sink, close } = await openSink(target);
  const seeded: SeedSummary[] = [];
  try {
    for (const [version, count, prefix] of [
      [small, REFERENCE_ATTEMPTS, "s"],
      [large, attempts, "l"],
    ] as const) {
      let reported = 0;
      const summary = await seedCompletedAttempts(sink, version, {
        attempts: count,
        prefix,
        seed: prefix === "s" ? 7 : 12,
        progress: (n) => {
          if (n - reported >= 100_000) {
            reported = n;
            log(`  ${version.slug}: ${n.toLocaleString("en")} attempts…`);
          }
        },
      });
      seeded.push(summary);
      log(
        `  ${version.slug}: ${summary.attempts.toLocaleString("en")} completed attempts by ${summary.learners.toLocaleString("en")} learners ` +
          `(${summary.passed.toLocaleString("en")} passed; ${summary.steps.toLocaleString("en")} steps, ${summary.reflections.toLocaleString("en")} reflections, ` +
          `${summary.completions.toLocaleString("en")} completions, ${summary.certificates.toLocaleString("en")} certificates; ${summary.paths} distinct paths) ` +
          `in ${summary.seconds.toFixed(1)} s (${Math.round(summary.attempts / summary.seconds).toLocaleString("en")} attempts/s)`,
      );
    }
  } finally {
    await close();
  }

  // An author of the cases' regulator (a staff role is held per regulator), signed in.
  const user = await db.user.create({
    data: {
      email: "scale-author@bench.invalid",
      name: "Scale Author",
      registrationNumber: "A-2",
      regulator: large.regulator,
    },
  });
  await db.userRole.create({ data: { userId: user.id, roleId: "author", regulatorId: large.regulator } });
  return { large, small, seeded, authorCookie: await staffSessionCookie(db, user.id, secret) };
}

async function openSink(target: {
  file: string | null;
  url: string;
}): Promise<{ sink: RowSink; close: () => Promise<void> }> {
  if (target.file) {
    const sqlite = new Database(target.file);
    // This connection only: a crash mid-seed loses a throw-away database, not durability elsewhere.
    sqlite.pragma("synchronous = OFF");
    sqlite.pragma("cache_size = -262144");
    return {
      sink: sqliteSink(sqlite),
      close: async () => {
        // The WAL grows by gigabytes at a million attempts: fold it into the file before the server opens it.
        sqlite.pragma("wal_checkpoint(TRUNCATE)");
        sqlite.close();
      },
    };
  }
  const client = new pg.Client({ connectionString: target.url });
  await client.connect();
  return { sink: postgresqlSink(client), close: () => client.end() };
}

// ---- measuring ------------------------------------------------------------------------------

export type Loop = { maxMs: number; p99Ms: number; meanMs: number };

/** The server's event-loop delay since the last reset (the bench-only /__bench/loop route). */
export async function readLoop(url: string, reset: boolean): Promise<Loop> {
  const response = await fetch(`${url}/__bench/loop${reset ? "?reset=1" : ""}`);
  if (response.status !== 200) throw new Error(`/__bench/loop answered ${response.status}`);
  return (await response.json()) as Loop;
}

export type Timed = { status: number; ms: number; bytes: number; body: string; healthzMaxMs: number; loop: Loop };

/** One request, with /healthz probed back to back meanwhile and the event loop's worst delay over it. */
export async function timedRequest(url: string, cookie: string, requestPath: string): Promise<Timed> {
  await readLoop(url, true);
  let done = false;
  const t0 = performance.now();
  const request = fetch(`${url}${requestPath}`, { headers: { Cookie: cookie, Accept: "text/html" } }).then(
    async (response) => {
      const body = await response.text();
      done = true;
      return { status: response.status, ms: performance.now() - t0, body };
    },
  );
  let healthzMaxMs = 0;
  while (!done) {
    const p0 = performance.now();
    await (await fetch(`${url}/healthz`)).text();
    healthzMaxMs = Math.max(healthzMaxMs, performance.now() - p0);
    await new Promise((r) => setTimeout(r, 10));
  }
  const result = await request;
  return { ...result, bytes: Buffer.byteLength(result.body), healthzMaxMs, loop: await readLoop(url, false) };
}

export type CatchUp = { seconds: number; healthzMaxMs: number; healthzProbes: number; loop: Loop };

/**
 * How long the server's background catch-up (ADR 026) takes to count everything seeded, with
 * /healthz probed twice a second and the event loop's delay over the whole of it. Gives up after
 * `limitMs` (the figures then say so by their length).
 */
export async function backgroundCatchUp(url: string, db: Db, limitMs = 30 * 60_000): Promise<CatchUp> {
  await readLoop(url, true);
  const t0 = performance.now();
  let healthzMaxMs = 0;
  let healthzProbes = 0;
  const pending = async () =>
    (await db.attempt.findFirst({
      where: { OR: [{ analyticsCounted: 0 }, { analyticsCounted: 1, status: "completed" }] },
      select: { id: true },
    })) !== null || (await db.attemptStep.findFirst({ where: { counted: false }, select: { id: true } })) !== null;
  while ((await pending()) && performance.now() - t0 < limitMs) {
    const p0 = performance.now();
    await (await fetch(`${url}/healthz`)).text();
    healthzMaxMs = Math.max(healthzMaxMs, performance.now() - p0);
    healthzProbes += 1;
    await new Promise((r) => setTimeout(r, 500));
  }
  return { seconds: (performance.now() - t0) / 1000, healthzMaxMs, healthzProbes, loop: await readLoop(url, false) };
}

export type Repeated = {
  name: string;
  path: string;
  first: Timed;
  /** The views after the first. */
  rest: Timed[];
  medianMs: number;
  /** What the CSV says about the funnel, to show the figures cover every seeded attempt. */
  completed: number | null;
};

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length === 0 ? NaN : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** The `completed` count in an analytics CSV ("funnel,completed,<label>,,,<count>,…"). */
function completedInCsv(body: string): number | null {
  const line = body.split(/\r?\n/).find((l) => l.startsWith("funnel,completed,"));
  const count = line?.split(",")[5];
  return count !== undefined && /^\d+$/.test(count) ? Number(count) : null;
}

/** The first view and `repeats` more of a staff page. */
export async function repeated(
  url: string,
  cookie: string,
  name: string,
  requestPath: string,
  repeats: number,
): Promise<Repeated> {
  const first = await timedRequest(url, cookie, requestPath);
  if (first.status !== 200) throw new Error(`${requestPath} answered ${first.status}: ${first.body.slice(0, 300)}`);
  const rest: Timed[] = [];
  for (let i = 0; i < repeats; i++) rest.push(await timedRequest(url, cookie, requestPath));
  const last = rest.at(-1) ?? first;
  return {
    name,
    path: requestPath,
    first,
    rest,
    medianMs: median(rest.map((r) => r.ms)),
    completed: requestPath.endsWith(".csv") || requestPath.includes(".csv?") ? completedInCsv(last.body) : null,
  };
}

export type StaffLoop = { requests: number; statuses: Record<string, number>; p50: number; max: number };

/** An author opening `paths` one after another, again and again, until `stop` resolves. */
export function staffLoop(url: string, cookie: string, paths: string[]): { stop: () => Promise<StaffLoop> } {
  let running = true;
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  const done = (async () => {
    for (let i = 0; running; i++) {
      const t0 = performance.now();
      const response = await fetch(`${url}${paths[i % paths.length]}`, {
        headers: { Cookie: cookie, Accept: "text/html" },
      });
      await response.arrayBuffer();
      latencies.push(performance.now() - t0);
      statuses[response.status] = (statuses[response.status] ?? 0) + 1;
    }
  })();
  return {
    stop: async () => {
      running = false;
      await done;
      const { p50, max } = latencyFigures(latencies);
      return { requests: latencies.length, statuses, p50, max };
    },
  };
}
