// `npm run bench`: load on the player, measured against two references, in about a minute and a half.
// Starts the production server as people run it (node scripts/serve.js on the production build,
// NODE_ENV=production, request logging on) over a fresh SQLite file, creates learners with attempts
// at the first decision of the demo case, and drives autocannon (loopback only, bounded in time) at:
//   floor       /__bench/empty on the same server: a route that does no work (skipped if absent)
//   empty page  /__bench/page: an empty page in the root layout, for information (skipped if absent)
//   bare GET    the same SQL as the node page, by a bare Node http server with better-sqlite3
//   real GET    the node page, /cases/<slug>/attempts/<id>
//   bare POST   the same compare-and-set UPDATE + step INSERT, by the bare server
//   real POST   the choice POST, each request a different learner's real, accepted choice
// then checks the database holds exactly one choice record per accepted POST. See scripts/bench/README.md.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { parseArgs } from "node:util";
import { createDb, type Db } from "~/utils/db.server";
import { createBenchDatabase, type BenchDatabase } from "./bench/database";
import { benchEditor } from "./bench/editor";
import { benchGraph, describeGraph, GRAPH_SLUG, seedGraphCase } from "./bench/graph";
import { runLearnersPhase } from "./bench/learners";
import { rssMb, runPhase, type PhaseResult, type Target } from "./bench/load";
import {
  backgroundCatchUp,
  readLoop,
  REFERENCE_ATTEMPTS,
  repeated,
  seedScale,
  staffLoop,
  type CatchUp,
  type Loop,
  type Repeated,
  type StaffLoop,
} from "./bench/scale";
import { attemptPrefix, caseInfo, createLearners, sharedPasswordHash, type CaseInfo, type Pool } from "./bench/seed";
import { buildIfNeeded } from "./lib/build";
import { publishFiles } from "./lib/publish";
import { SERVER_NODE_FLAGS } from "./lib/server-flags";

const SLUG = "social-media-boundaries";
const SECRET = "bench-session-secret-0123456789-abcdefghijkl";
const FLOOR_PATH = "/__bench/empty";
const EMPTY_PAGE_PATH = "/__bench/page";

const TARGETS = { floorShare: 0.5, p99Ms: 100, errors: 0, rssMb: 250 };

const usage = `Usage: npm run bench -- [options]

Load-tests the player on the production server against two references (a no-work route on the
same server, and a bare Node server doing the same SQL), then prints a summary with the targets.

Options:
  --duration <s>      seconds of measured load per phase (default 10)
  --connections <n>   concurrent connections, i.e. learners in flight (default 100)
  --learners <n>      learners created for each POST phase; a POST phase ends early when they are
                      all used (default 12000)
  --warmup <s>        seconds of unmeasured load before each phase, 0 for none (default 3)
  --learner-rate <r>  clicks per second per learner in the paced phases (default 1; random think
                      times with that mean, one request at a time): the
                      latency target is measured there, with <connections> learners who read and
                      think between clicks, while the unpaced phases measure saturation throughput
  --timeline          print each phase second by second (responses, median and worst latency)
  --database <url>    run on SQLite and then on PostgreSQL, and print both engines' targets in one
                      table at the end: a postgresql:// URL whose role may create databases; the
                      bench creates a fresh database there, migrates it and drops it at the end
                      (without it: SQLite only, a fresh file). The bare server reads SQLite only,
                      so its phases are skipped on PostgreSQL
  --postgresql-only   with --database: skip the SQLite run
  --scale [n]         instead of the player's phases: seed n completed attempts of one case version
                      (default 100000; 1000000 takes a few minutes) and 1,000 of a copy, then time
                      the analytics page and CSV at both sizes, the studio graph of an 847-node
                      case, and paced learners while an author opens analytics and the graph in a
                      loop, with the server's event-loop delay (see scripts/bench/README.md)
  --keep              keep the temporary directory (database, server logs) and print its path
  -h, --help          show this help

Loopback only (127.0.0.1). Always exits 0 once the run completes, whatever the figures; 1 if the
benchmark itself failed.`;

type Options = {
  duration: number;
  connections: number;
  learners: number;
  warmup: number;
  learnerRate: number;
  keep: boolean;
  timeline: boolean;
  /** A PostgreSQL server to run on (a fresh database is made there), or undefined for SQLite. */
  database: string | undefined;
  /** With database: skip the SQLite run (the default runs both engines, SQLite first). */
  postgresqlOnly: boolean;
  /** --scale: completed attempts to seed, or undefined for the player's phases. */
  scale: number | undefined;
};

const DEFAULT_SCALE = 100_000;

function options(): Options | null {
  // `--scale` may come without a number: it then takes the default.
  const args = process.argv
    .slice(2)
    .flatMap((arg, i, all) =>
      arg === "--scale" && (all[i + 1] === undefined || all[i + 1]!.startsWith("-"))
        ? [`--scale=${DEFAULT_SCALE}`]
        : [arg],
    );
  const { values } = parseArgs({
    args,
    options: {
      duration: { type: "string", default: "10" },
      connections: { type: "string", default: "100" },
      learners: { type: "string", default: "12000" },
      warmup: { type: "string", default: "3" },
      "learner-rate": { type: "string", default: "1" },
      keep: { type: "boolean", default: false },
      timeline: { type: "boolean", default: false },
      database: { type: "string" },
      "postgresql-only": { type: "boolean", default: false },
      scale: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) return null;
  if (values["postgresql-only"] && !values.database) throw new Error("--postgresql-only needs --database <url>");
  const number = (name: string, raw: string, min: number, max: number) => {
    const n = Number(raw);
    if (!Number.isFinite(n) || n < min || n > max)
      throw new Error(`--${name} must be a number from ${min} to ${max} (got "${raw}")`);
    return n;
  };
  return {
    duration: number("duration", values.duration, 1, 120),
    connections: Math.round(number("connections", values.connections, 1, 1000)),
    learners: Math.round(number("learners", values.learners, 100, 200_000)),
    warmup: number("warmup", values.warmup, 0, 30),
    learnerRate: number("learner-rate", values["learner-rate"], 0.1, 100),
    keep: values.keep,
    timeline: values.timeline,
    database: values.database,
    postgresqlOnly: values["postgresql-only"],
    scale: values.scale === undefined ? undefined : Math.round(number("scale", values.scale, 1000, 10_000_000)),
  };
}

function machineLine(): string {
  const cpus = os.cpus();
  const model = (cpus[0]?.model ?? "unknown CPU").replace(/\s+/g, " ").trim();
  const gb = (os.totalmem() / 1024 ** 3).toFixed(1);
  return `machine: ${cpus.length}x ${model}, ${gb} GB RAM, node ${process.version}, ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

// ---- servers -------------------------------------------------------------------------------

type Server = { url: string; pid: number; logFile: string; stop: () => Promise<void> };
const running = new Set<ChildProcess>();

async function startProcess(
  name: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  logFile: string,
  ready: RegExp,
): Promise<Server> {
  // Logs go to a file, as a deployment's would; the bench process spends no time reading them.
  const fd = fs.openSync(logFile, "a");
  const child = spawn(process.execPath, args, { env, stdio: ["ignore", fd, fd] });
  fs.closeSync(fd);
  running.add(child);
  child.once("exit", () => running.delete(child));
  // Generous: on a busy machine (other processes, a build) a start can take most of a minute.
  const deadline = Date.now() + 90_000;
  for (;;) {
    const log = fs.readFileSync(logFile, "utf8");
    const match = ready.exec(log);
    if (match) {
      return {
        url: match[1]!.replace("localhost", "127.0.0.1"),
        pid: child.pid!,
        logFile,
        stop: () => stopProcess(child),
      };
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stopProcess(child);
      throw new Error(`${name} did not start:\n${log.slice(-4000)}`);
    }
    await sleep(50);
  }
}

function stopProcess(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const killer = setTimeout(() => child.kill("SIGKILL"), 5000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** node scripts/serve.js on the production build, as people run it, with the bench-only routes on. */
function startProductionServer(databaseUrl: string, dir: string): Promise<Server> {
  return startProcess(
    "scripts/serve.js",
    [...SERVER_NODE_FLAGS, path.resolve("scripts/serve.js")],
    serverEnv({
      NODE_ENV: "production",
      PORT: "0",
      HOST: "127.0.0.1",
      DATABASE_URL: databaseUrl,
      SESSION_SECRET: SECRET,
      VIGNETTE_INSECURE_COOKIES: "1",
      VIGNETTE_BENCH_ROUTES: "1",
    }),
    path.join(dir, "serve.log"),
    /serving on (http:\/\/localhost:\d+)/,
  );
}

function serverEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  // Request logging as by default: whatever the caller's shell says.
  delete env.LOG_REQUESTS;
  delete env.TRUST_PROXY;
  return env;
}

// ---- requests ------------------------------------------------------------------------------

function attemptPath(info: CaseInfo, attemptId: string) {
  return `/cases/${info.slug}/attempts/${attemptId}`;
}

function getTarget(name: string, server: Server, info: CaseInfo, pool: Pool, o: Options, seconds: number): Target {
  const { learners } = pool;
  return {
    name,
    url: server.url,
    connections: o.connections,
    seconds,
    pid: server.pid,
    timeline: o.timeline && !name.includes("warm-up"),
    request: (n) => {
      const learner = learners[n % learners.length]!;
      return {
        method: "GET",
        path: attemptPath(info, learner.attemptId),
        headers: { Cookie: learner.cookie, Accept: "text/html" },
      };
    },
  };
}

/** Status answered to each learner's POST, by pool (0: never answered). */
const answers = new Map<string, Int16Array>();

function postTarget(name: string, server: Server, info: CaseInfo, pool: Pool, o: Options, seconds: number): Target {
  const { learners } = pool;
  const answered = new Int16Array(learners.length);
  answers.set(pool.name, answered);
  return {
    onAnswer: (n, status) => {
      answered[n] = status;
    },
    name,
    url: server.url,
    connections: Math.min(o.connections, learners.length),
    seconds,
    pid: server.pid,
    timeline: o.timeline && !name.includes("warm-up"),
    amount: learners.length,
    request: (n) => {
      const learner = learners[n]!;
      const body = new URLSearchParams({
        csrf: learner.csrf,
        from: info.firstDecision,
        choice: info.choice,
      }).toString();
      return {
        method: "POST",
        path: attemptPath(info, learner.attemptId),
        headers: {
          Cookie: learner.cookie,
          Origin: server.url,
          "Content-Type": "application/x-www-form-urlencoded",
          Accept: "text/html",
        },
        body,
      };
    },
  };
}

function skipped(name: string, reason: string): PhaseResult {
  return {
    name,
    skipped: reason,
    seconds: 0,
    responses: 0,
    reqPerSec: NaN,
    p50: NaN,
    p95: NaN,
    p99: NaN,
    max: NaN,
    errors: 0,
    statusCounts: {},
    socketErrors: 0,
    timeouts: 0,
    sent: 0,
    peakRssMb: NaN,
    cpuCores: NaN,
    clientCores: NaN,
    otherCores: NaN,
    endedBy: "time",
  };
}

/** One request by hand before the load, so a broken setup fails loudly instead of as 100% errors. */
async function probe(
  url: string,
  init: RequestInit,
  expect: (status: number, body: string) => string | null,
): Promise<string | null> {
  const response = await fetch(url, { redirect: "manual", ...init });
  return expect(response.status, await response.text());
}

function describe(r: PhaseResult): string {
  if (r.skipped) return `  ${r.name}: skipped (${r.skipped})`;
  const codes = Object.entries(r.statusCounts)
    .map(([code, n]) => `${code}×${n}`)
    .join(" ");
  return (
    `  ${r.name}: ${fmt(r.reqPerSec, 0)} req/s over ${r.seconds.toFixed(1)} s (${r.responses} responses: ${codes || "none"}` +
    `${r.socketErrors ? `, ${r.socketErrors} socket errors` : ""}${r.timeouts ? `, ${r.timeouts} timeouts` : ""}), ` +
    `p50 ${fmt(r.p50, 1)} / p95 ${fmt(r.p95, 1)} / p99 ${fmt(r.p99, 1)} / max ${fmt(r.max, 0)} ms, ` +
    `peak RSS ${fmt(r.peakRssMb, 0)} MB, CPU: server ${fmt(r.cpuCores * 100, 0)}% / bench client ${fmt(r.clientCores * 100, 0)}% / other processes ${fmt(r.otherCores * 100, 0)}%${r.endedBy === "pool" ? ", ended when the learner pool was used up" : ""}`
  );
}

const fmt = (n: number, digits: number) => (Number.isFinite(n) ? n.toFixed(digits) : "—");

// ---- verification --------------------------------------------------------------------------

type Check = {
  pool: string;
  sent: number;
  accepted: number;
  rows: number;
  /** Answered 302 but no choice row (a "stale" answer to a fresh learner). */
  missing: number;
  /** A row for a learner whose POST was answered with an error, or never sent. */
  unexpected: number;
  /** Sent, then abandoned unanswered when the phase's time ran out; the server may have recorded them. */
  abandoned: number;
  abandonedRecorded: number;
  moved: number;
  duplicates: number;
  ok: boolean;
};

async function verifyPool(db: Db, info: CaseInfo, pool: Pool, phase: PhaseResult): Promise<Check> {
  const prefix = attemptPrefix(pool.name);
  const answered = answers.get(pool.name) ?? new Int16Array(pool.learners.length);
  const rows = await db.attemptStep.findMany({
    where: { attemptId: { startsWith: prefix }, nodeId: info.firstDecision },
    select: { attemptId: true, choiceId: true },
  });
  const recorded = new Map<string, number>();
  for (const row of rows)
    if (row.choiceId === info.choice) recorded.set(row.attemptId, (recorded.get(row.attemptId) ?? 0) + 1);
  let accepted = 0;
  let missing = 0;
  let unexpected = 0;
  let abandoned = 0;
  let abandonedRecorded = 0;
  pool.learners.forEach((learner, i) => {
    const count = recorded.get(learner.attemptId) ?? 0;
    const status = answered[i]!;
    if (status === 302) {
      accepted++;
      if (count !== 1) missing++;
    } else if (status !== 0 || i >= phase.sent) {
      if (count !== 0) unexpected++;
    } else {
      abandoned++;
      if (count !== 0) abandonedRecorded++;
    }
  });
  const moved = await db.attempt.count({ where: { id: { startsWith: prefix }, currentNodeId: info.after } });
  // Through Prisma, so the same check runs on either engine.
  const duplicates = (
    await db.attemptStep.groupBy({
      by: ["attemptId", "nodeId"],
      where: { attemptId: { startsWith: prefix } },
      having: { attemptId: { _count: { gt: 1 } } },
    })
  ).length;
  return {
    pool: pool.name,
    sent: phase.sent,
    accepted,
    rows: rows.length,
    missing,
    unexpected,
    abandoned,
    abandonedRecorded,
    moved,
    duplicates,
    ok: missing === 0 && unexpected === 0 && duplicates === 0 && rows.length === recorded.size && moved === rows.length,
  };
}

// ---- main ----------------------------------------------------------------------------------

const ENGINE_LABEL = { sqlite: "SQLite", postgresql: "PostgreSQL" } as const;
const engineName = (database: BenchDatabase) => `${ENGINE_LABEL[database.engine]} (${database.label})`;

/** One engine's target lines (its phases', or its --scale ones), for the table of both engines. */
type EngineRun = { engine: BenchDatabase["engine"]; targets: TargetLine[] };
type TargetLine = [label: string, value: string, ok: boolean | null];
const mark = (ok: boolean | null) => (ok === null ? "info" : ok ? "PASS" : "MISS");

/** What is running (servers, databases, directories), stopped or removed on SIGINT/SIGTERM too. */
const cleanups = new Set<() => Promise<void>>();

async function main() {
  const o = options();
  if (!o) {
    console.log(usage);
    return;
  }
  const machine = machineLine();
  console.log(`Vignette load benchmark — ${o.connections} connections, ${o.duration} s per phase`);
  console.log(machine);
  const [load1 = 0] = os.loadavg();
  if (load1 > 0.5) {
    console.log(
      `warning: load average ${os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ")} — other processes are using the CPU; ` +
        `figures will be lower and noisier than on an idle machine (see "other processes" per phase).`,
    );
  }
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    process.once(signal, () => {
      console.log(`\n${signal}: stopping`);
      void Promise.all([...cleanups].map((c) => c())).then(() => process.exit(130));
    });
  }

  buildIfNeeded();
  // With --database, SQLite first and then PostgreSQL, the same phases on each, and both engines'
  // figures in one table at the end (--postgresql-only skips SQLite).
  const servers = o.database ? (o.postgresqlOnly ? [o.database] : [undefined, o.database]) : [undefined];
  const runs: EngineRun[] = [];
  for (const server of servers) runs.push(await benchEngine(o, machine, server));
  if (runs.length > 1) printEngines(machine, o, runs);
}

/** Every phase on one engine: a fresh database (SQLite, or on the PostgreSQL server given). */
async function benchEngine(o: Options, machine: string, server: string | undefined): Promise<EngineRun> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vignette-bench-"));
  let db: Db | undefined;
  let database: BenchDatabase | undefined;
  const cleanup = async () => {
    cleanups.delete(cleanup);
    for (const child of running) await stopProcess(child);
    await db?.$disconnect().catch(() => {});
    if (o.keep) console.log(`Kept ${dir}${database?.engine === "postgresql" ? ` and ${database.label}` : ""}`);
    else {
      fs.rmSync(dir, { recursive: true, force: true });
      await database?.drop().catch((error: unknown) => console.error(`could not drop ${database?.label}: ${error}`));
    }
  };
  cleanups.add(cleanup);

  try {
    // A fresh database (SQLite, or PostgreSQL with --database), migrated by the real runner, with
    // the demo content published.
    const t0 = Date.now();
    database = await createBenchDatabase(dir, server);
    const { file: dbFile } = database;
    const engine = engineName(database);
    console.log(`\nengine: ${engine}`);
    db = createDb(database.url);
    await publishFiles(db, [path.resolve("cases")]);
    const info = await caseInfo(db, SLUG);
    const hash = await sharedPasswordHash();
    if (o.scale !== undefined) {
      return { engine: database.engine, targets: await runScale(o, o.scale, machine, dir, database, db, info, hash) };
    }
    const warmSize = Math.min(1000, o.learners);
    const pools = {
      realWarm: await createLearners(db, info, SECRET, "rw", warmSize, hash),
      real: await createLearners(db, info, SECRET, "rp", o.learners, hash),
      bareWarm: await createLearners(db, info, SECRET, "bw", warmSize, hash),
      bare: await createLearners(db, info, SECRET, "bp", o.learners, hash),
      // Enough for the paced POST phase: rate × duration, with room.
      paced: await createLearners(
        db,
        info,
        SECRET,
        "pp",
        Math.ceil(o.connections * o.learnerRate * o.duration * 1.2) + 10,
        hash,
      ),
    };
    const authorCookie = await seedGraphCase(db, dir, SECRET);
    await db.$disconnect();
    console.log(
      `Database: ${Object.values(pools).reduce((n, p) => n + p.learners.length, 0)} learners with sessions and attempts at ` +
        `"${info.firstDecision}" of ${SLUG} in ${((Date.now() - t0) / 1000).toFixed(1)} s; each POST chooses "${info.choice}" → "${info.after}".`,
    );
    const results: PhaseResult[] = [];
    const warmups: Record<string, PhaseResult> = {};
    const report = (r: PhaseResult) => {
      results.push(r);
      console.log(describe(r));
    };

    // ---- the real server --------------------------------------------------------------------
    const real = await startProductionServer(database.url, dir);
    console.log(
      `\nProduction server (node scripts/serve.js, pid ${real.pid}) at ${real.url}, idle RSS ${fmt(rssMb(real.pid), 0)} MB`,
    );
    const firstReal = pools.real.learners[0]!;
    const pageProblem = await probe(
      `${real.url}${attemptPath(info, firstReal.attemptId)}`,
      { headers: { Cookie: firstReal.cookie } },
      (status, body) =>
        status === 200 && body.includes(`value="${info.firstDecision}"`)
          ? null
          : `node page answered ${status}: ${body.slice(0, 300)}`,
    );
    if (pageProblem) throw new Error(pageProblem);
    const floorProblem = await probe(`${real.url}${FLOOR_PATH}`, {}, (status, body) =>
      status === 200
        ? null
        : `${FLOOR_PATH} answered ${status}${status === 404 ? " — the empty route is not in this build (see scripts/bench/README.md)" : `: ${body.slice(0, 200)}`}`,
    );

    const floorTarget: Target = {
      name: "floor",
      url: real.url,
      connections: o.connections,
      seconds: o.duration,
      pid: real.pid,
      request: () => ({ method: "GET", path: FLOOR_PATH, headers: {} }),
    };
    // A reference phase runs (after its warm-up) only if its route answered the probe.
    const reference = async (target: Target, problem: string | null) => {
      if (problem) {
        console.log(`  ${target.name}: skipped — ${problem}`);
        results.push(skipped(target.name, problem));
        return;
      }
      if (o.warmup > 0) await runPhase({ ...target, name: `${target.name} (warm-up)`, seconds: o.warmup });
      report(await runPhase({ ...target, timeline: o.timeline }));
    };
    await reference(floorTarget, floorProblem);
    // The floor read as a page: what a document costs the framework before the app does anything.
    const pageTarget: Target = {
      ...floorTarget,
      name: "empty page",
      request: () => ({ method: "GET", path: EMPTY_PAGE_PATH, headers: { Accept: "text/html" } }),
    };
    const emptyPageProblem = await probe(`${real.url}${EMPTY_PAGE_PATH}`, {}, (status, body) =>
      status === 200 && body.includes("<main") ? null : `${EMPTY_PAGE_PATH} answered ${status}`,
    );
    await reference(pageTarget, emptyPageProblem);
    if (o.warmup > 0) await runPhase(getTarget("real GET (warm-up)", real, info, pools.real, o, o.warmup));
    report(await runPhase(getTarget("real GET", real, info, pools.real, o, o.duration)));
    if (o.warmup > 0)
      warmups.real = await runPhase(postTarget("real POST (warm-up)", real, info, pools.realWarm, o, o.warmup));
    report(await runPhase(postTarget("real POST", real, info, pools.real, o, o.duration)));
    // Paced: <connections> learners, each clicking after a random think time (mean 1/learnerRate s),
    // after a pause that lets the server finish what the saturated phases left queued.
    const thinkMs = 1000 / o.learnerRate;
    await sleep(3000);
    report(await runLearnersPhase({ ...getTarget("real GET paced", real, info, pools.real, o, o.duration), thinkMs }));
    report(
      await runLearnersPhase({ ...postTarget("real POST paced", real, info, pools.paced, o, o.duration), thinkMs }),
    );
    // The studio graph of a large case, with /healthz probed and the event loop watched meanwhile.
    const graph = await benchGraph(real.url, authorCookie);
    console.log(`\n${describeGraph(graph).join("\n")}`);
    // The visual editor's work per change on the same size of case, in this process (it runs in the browser).
    const editor = benchEditor();
    console.log(
      `Visual editor, ${editor.nodes} nodes (${fmt(editor.bytes / 1024, 0)} kB): edit ${fmt(editor.editMs, 2)} ms, ` +
        `write back ${fmt(editor.serializeMs, 1)} ms, validate ${fmt(editor.validateMs, 0)} ms per change (median)`,
    );
    await real.stop();
    const logged = fs.readFileSync(real.logFile, "utf8").split("\n").length - 1;

    // ---- the bare server --------------------------------------------------------------------
    // It reads the SQLite file with better-sqlite3: a reference for SQLite only.
    if (!dbFile) {
      const why = "the bare server reads a SQLite file; this run is on PostgreSQL";
      console.log(`\nBare Node server: skipped — ${why}`);
      results.push(skipped("bare GET", why), skipped("bare POST", why));
    } else {
      const bare = await startProcess(
        "bare server",
        [path.resolve("scripts/bench/bare-server.mjs")],
        serverEnv({ PORT: "0", BENCH_DB: dbFile, BENCH_SECRET: SECRET, NODE_ENV: "production" }),
        path.join(dir, "bare.log"),
        /listening on (http:\/\/127\.0\.0\.1:\d+)/,
      );
      console.log(
        `\nBare Node server (scripts/bench/bare-server.mjs, pid ${bare.pid}) at ${bare.url}, idle RSS ${fmt(rssMb(bare.pid), 0)} MB`,
      );
      const firstBare = pools.bare.learners[0]!;
      const bareProblem = await probe(
        `${bare.url}${attemptPath(info, firstBare.attemptId)}`,
        { headers: { Cookie: firstBare.cookie } },
        (status, body) =>
          status === 200 && body.includes(`value="${info.firstDecision}"`)
            ? null
            : `bare node page answered ${status}: ${body.slice(0, 300)}`,
      );
      if (bareProblem) throw new Error(bareProblem);
      if (o.warmup > 0) await runPhase(getTarget("bare GET (warm-up)", bare, info, pools.bare, o, o.warmup));
      report(await runPhase(getTarget("bare GET", bare, info, pools.bare, o, o.duration)));
      if (o.warmup > 0)
        warmups.bare = await runPhase(postTarget("bare POST (warm-up)", bare, info, pools.bareWarm, o, o.warmup));
      report(await runPhase(postTarget("bare POST", bare, info, pools.bare, o, o.duration)));
      await bare.stop();
    }

    // ---- the database afterwards ------------------------------------------------------------
    db = createDb(database.url);
    const byName = (name: string) => results.find((r) => r.name === name)!;
    // The production server's pools (the target is about them), then the bare server's.
    const realChecks: Check[] = [];
    if (warmups.real) realChecks.push(await verifyPool(db, info, pools.realWarm, warmups.real));
    realChecks.push(await verifyPool(db, info, pools.real, byName("real POST")));
    realChecks.push(await verifyPool(db, info, pools.paced, byName("real POST paced")));
    const checks = [...realChecks];
    if (warmups.bare) checks.push(await verifyPool(db, info, pools.bareWarm, warmups.bare));
    if (!byName("bare POST").skipped) checks.push(await verifyPool(db, info, pools.bare, byName("bare POST")));
    console.log(`\nDatabase after the run (choice records for "${info.firstDecision}"):`);
    for (const c of checks) {
      console.log(
        `  pool ${c.pool}: ${c.sent} POSTs sent, ${c.accepted} answered 302 → ${c.accepted - c.missing} of them recorded once` +
          `${c.missing ? `, ${c.missing} NOT recorded` : ""}${c.unexpected ? `, ${c.unexpected} rows for POSTs not accepted or not sent` : ""}; ` +
          `${c.abandoned} abandoned in flight at the time bound (${c.abandonedRecorded} of them recorded); ` +
          `${c.rows} choice rows, ${c.moved} attempts moved on, ${c.duplicates} attempts with two rows for one node — ${c.ok ? "consistent" : "MISMATCH"}`,
      );
    }
    console.log(`  server log: ${logged} lines (pino JSON, one per request, plus startup and shutdown)`);

    return { engine: database.engine, targets: printSummary(`${machine}\nengine: ${engine}`, o, results, realChecks) };
  } finally {
    await cleanup();
  }
}

/** Both engines' targets side by side: the same lines, one column of figures per engine. */
function printEngines(machine: string, o: Options, runs: EngineRun[]) {
  console.log(`\n## Both engines${o.scale !== undefined ? `, --scale ${o.scale}` : ""}\n\n${machine}\n`);
  const labels = [...new Set(runs.flatMap((r) => r.targets.map(([label]) => label)))];
  const header = ["", ...runs.map((r) => ENGINE_LABEL[r.engine])];
  const rows = labels.map((label) => [
    label,
    ...runs.map((r) => {
      const line = r.targets.find(([l]) => l === label);
      return line ? `${mark(line[2])} ${line[1]}` : "—";
    }),
  ]);
  printTable(header, rows);
}

/** A markdown table: the first column left-aligned, the others right-aligned. */
function printTable(header: string[], rows: string[][]) {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join(" | ")} |`;
  console.log(line(header));
  console.log(`|${widths.map((w, i) => (i === 0 ? "-".repeat(w + 2) : `${"-".repeat(w + 1)}:`)).join("|")}|`);
  for (const row of rows) console.log(line(row));
}

function printSummary(machine: string, o: Options, results: PhaseResult[], realChecks: Check[]): TargetLine[] {
  const get = (name: string) => results.find((r) => r.name === name)!;
  const floor = get("floor");
  const bareGet = get("bare GET");
  const realGet = get("real GET");
  const barePost = get("bare POST");
  const realPost = get("real POST");
  const pacedGet = get("real GET paced");
  const pacedPost = get("real POST paced");

  console.log(
    `\n## Benchmark summary\n\n${machine}\n${o.connections} connections, ${o.duration} s per phase, loopback; CPU: 100% = one core\n`,
  );
  const emptyPage = get("empty page");
  const rows = [floor, emptyPage, bareGet, realGet, barePost, realPost, pacedGet, pacedPost];
  const header = ["", "req/s", "p50 ms", "p95 ms", "p99 ms", "errors", "peak RSS MB", "server CPU", "others' CPU"];
  const table = rows.map((r) =>
    r.skipped
      ? [r.name, "skipped", "", "", "", "", "", "", ""]
      : [
          r.name,
          fmt(r.reqPerSec, 0),
          fmt(r.p50, 1),
          fmt(r.p95, 1),
          fmt(r.p99, 1),
          String(r.errors),
          fmt(r.peakRssMb, 0),
          `${fmt(r.cpuCores * 100, 0)}%`,
          `${fmt(r.otherCores * 100, 0)}%`,
        ],
  );
  printTable(header, table);

  const ratio = (a: PhaseResult, b: PhaseResult) => (a.skipped || b.skipped ? NaN : a.reqPerSec / b.reqPerSec);
  const pct = (n: number) => (Number.isFinite(n) ? `${(n * 100).toFixed(0)}%` : "—");
  console.log(
    `\nratios: real GET/floor ${pct(ratio(realGet, floor))}, real POST/floor ${pct(ratio(realPost, floor))}, ` +
      `real GET/bare GET ${pct(ratio(realGet, bareGet))}, real POST/bare POST ${pct(ratio(realPost, barePost))}, ` +
      `empty page/floor ${pct(ratio(emptyPage, floor))}, real GET/empty page ${pct(ratio(realGet, emptyPage))}`,
  );

  const targets: TargetLine[] = [];
  // "The framework floor (an empty route)" read two ways: a resource route that does nothing
  // (the stricter), and a route module with nothing in it, which Remix renders as a page.
  for (const [reference, what] of [
    [floor, "floor (empty resource route)"],
    [emptyPage, "an empty page (same layout)"],
  ] as const) {
    for (const r of [realGet, realPost]) {
      const share = ratio(r, reference);
      targets.push([
        `${r.name} throughput >= ${pct(TARGETS.floorShare)} of ${what}`,
        pct(share),
        Number.isFinite(share) ? share >= TARGETS.floorShare : null,
      ]);
    }
  }
  for (const r of [pacedGet, pacedPost]) {
    targets.push([
      `${r.name} p99 <= ${TARGETS.p99Ms} ms at ${o.connections} learners thinking ~${fmt(1 / o.learnerRate, 1)} s`,
      `${fmt(r.p99, 1)} ms (${fmt(r.reqPerSec, 0)} req/s)`,
      r.p99 <= TARGETS.p99Ms,
    ]);
  }
  for (const r of [realGet, realPost]) {
    targets.push([`(saturated, no think time) ${r.name} p99 — for information`, `${fmt(r.p99, 1)} ms`, null]);
    targets.push([`(saturated) ${r.name} throughput — for information`, `${fmt(r.reqPerSec, 0)} req/s`, null]);
  }
  // Every phase run against the production server.
  const production = [floor, emptyPage, realGet, realPost, pacedGet, pacedPost].filter((r) => !r.skipped);
  for (const r of production) targets.push([`${r.name} errors = 0`, String(r.errors), r.errors === TARGETS.errors]);
  const rss = Math.max(...production.map((r) => r.peakRssMb));
  targets.push([`production server peak RSS <= ${TARGETS.rssMb} MB`, `${fmt(rss, 0)} MB`, rss <= TARGETS.rssMb]);
  const accepted = realChecks.reduce((n, c) => n + c.accepted, 0);
  const recordedOnce = realChecks.reduce((n, c) => n + c.accepted - c.missing, 0);
  targets.push([
    `one choice record per accepted POST`,
    `${recordedOnce} of ${accepted} accepted`,
    realChecks.every((c) => c.ok),
  ]);

  console.log(
    `\ntargets${o.connections !== 100 ? ` (the p99 target is defined at 100 connections; this run used ${o.connections})` : ""}:`,
  );
  const w = Math.max(...targets.map((t) => t[0].length));
  for (const [label, value, ok] of targets) console.log(`  ${mark(ok)}  ${label.padEnd(w)}  ${value}`);
  if (floor.skipped) console.log(`  (floor skipped: ${floor.skipped})`);
  return targets;
}

// ---- --scale ---------------------------------------------------------------------------------

type ScalePhase = { result: PhaseResult; loop: Loop; staff: StaffLoop | null };

/** `--scale N`: staff pages at N attempts and at 1,000, and what they cost learners meanwhile. */
async function runScale(
  o: Options,
  attempts: number,
  machine: string,
  dir: string,
  database: BenchDatabase,
  db: Db,
  info: CaseInfo,
  hash: string,
): Promise<TargetLine[]> {
  const t0 = Date.now();
  console.log(
    `Seeding ${attempts.toLocaleString("en")} completed attempts, and ${REFERENCE_ATTEMPTS.toLocaleString("en")} of a copy:`,
  );
  const scale = await seedScale(db, dir, database, attempts, SECRET, (line) => console.log(line));
  await seedGraphCase(db, dir, SECRET);
  const getPool = await createLearners(db, info, SECRET, "sg", Math.max(2 * o.connections, 100), hash);
  const postPool = await createLearners(
    db,
    info,
    SECRET,
    "sp",
    Math.ceil(o.connections * o.learnerRate * o.duration * 1.2) + 10,
    hash,
  );
  console.log(`Database ready in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const real = await startProductionServer(database.url, dir);
  console.log(`\nProduction server (pid ${real.pid}) at ${real.url}, idle RSS ${fmt(rssMb(real.pid), 0)} MB`);
  const cookie = scale.authorCookie;
  // The server counts the seeded attempts into the analytics tally on its own (ADR 026): how long,
  // and what it costs a request meanwhile, before anyone opens analytics.
  const catchUp = await backgroundCatchUp(real.url, db);
  await db.$disconnect();
  console.log(
    `  background analytics catch-up: ${fmt(catchUp.seconds, 1)} s; /healthz worst ${fmt(catchUp.healthzMaxMs, 0)} ms over ${catchUp.healthzProbes} probes; ` +
      `event loop p99 ${fmt(catchUp.loop.p99Ms, 1)} / max ${fmt(catchUp.loop.maxMs, 0)} ms`,
  );
  // The route modules and the author's session, on an analytics URL that reads no attempt.
  const warm = await fetch(`${real.url}/analytics/no-such-case/1`, { headers: { Cookie: cookie } });
  if (warm.status !== 404) throw new Error(`/analytics/no-such-case/1 answered ${warm.status} (expected 404)`);

  const page = (slug: string, version: number) => `/analytics/${slug}/${version}`;
  const sizes = [
    [`${REFERENCE_ATTEMPTS.toLocaleString("en")} attempts`, scale.small],
    [`${attempts.toLocaleString("en")} attempts`, scale.large],
  ] as const;
  const views: Repeated[] = [];
  for (const [label, v] of sizes) {
    for (const [kind, suffix] of [
      ["page", ""],
      ["CSV", ".csv"],
    ] as const) {
      const r = await repeated(
        real.url,
        cookie,
        `analytics ${kind}, ${label}`,
        `${page(v.slug, v.version)}${suffix}`,
        10,
      );
      views.push(r);
      console.log(
        `  ${r.name}: first ${fmt(r.first.ms, 0)} ms (/healthz worst ${fmt(r.first.healthzMaxMs, 0)} ms, event loop worst ${fmt(r.first.loop.maxMs, 0)} ms), ` +
          `then median ${fmt(r.medianMs, 0)} ms over ${r.rest.length}${r.completed !== null ? `; CSV counts ${r.completed} completed` : ""}`,
      );
    }
  }
  const index = await repeated(real.url, cookie, "analytics index (every version)", "/analytics", 5);
  views.push(index);
  console.log(`  ${index.name}: first ${fmt(index.first.ms, 0)} ms, then median ${fmt(index.medianMs, 0)} ms`);
  const graph = await benchGraph(real.url, cookie);
  console.log(`\n${describeGraph(graph).join("\n")}`);

  // Paced learners alone, then while one author opens analytics (page, CSV) and the graph in a loop.
  const thinkMs = 1000 / o.learnerRate;
  const staffPaths = [
    page(scale.large.slug, scale.large.version),
    `${page(scale.large.slug, scale.large.version)}.csv`,
    `/studio/cases/${GRAPH_SLUG}/versions/1/graph`,
  ];
  const phase = async (target: Target, withStaff: boolean): Promise<ScalePhase> => {
    await readLoop(real.url, true);
    const staff = withStaff ? staffLoop(real.url, cookie, staffPaths) : null;
    const result = await runLearnersPhase({ ...target, thinkMs });
    const staffResult = staff ? await staff.stop() : null;
    const loop = await readLoop(real.url, false);
    console.log(
      `${describe(result)}; event loop p99 ${fmt(loop.p99Ms, 1)} / max ${fmt(loop.maxMs, 0)} ms` +
        (staffResult
          ? `; author: ${staffResult.requests} requests, median ${fmt(staffResult.p50, 0)} / max ${fmt(staffResult.max, 0)} ms`
          : ""),
    );
    return { result, loop, staff: staffResult };
  };
  console.log("");
  const phases = [
    await phase(getTarget("learners GET paced, alone", real, info, getPool, o, o.duration), false),
    await phase(getTarget("learners GET paced + author", real, info, getPool, o, o.duration), true),
    await phase(postTarget("learners POST paced + author", real, info, postPool, o, o.duration), true),
  ];
  await real.stop();
  return printScaleSummary(
    `${machine}\nengine: ${engineName(database)}`,
    o,
    attempts,
    scale.seeded,
    catchUp,
    views,
    graph,
    phases,
  );
}

function printScaleSummary(
  machine: string,
  o: Options,
  attempts: number,
  seeded: { attempts: number; learners: number; steps: number; seconds: number }[],
  catchUp: CatchUp,
  views: Repeated[],
  graph: Awaited<ReturnType<typeof benchGraph>>,
  phases: ScalePhase[],
): TargetLine[] {
  const load = os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");
  console.log(`\n## Scale benchmark summary\n\n${machine}\nload average at the end: ${load}`);
  for (const s of seeded)
    console.log(
      `seeded: ${s.attempts.toLocaleString("en")} attempts (${s.learners.toLocaleString("en")} learners, ${s.steps.toLocaleString("en")} steps) in ${s.seconds.toFixed(1)} s`,
    );
  console.log(
    `background analytics catch-up of all of it: ${catchUp.seconds.toFixed(1)} s, /healthz worst ${fmt(catchUp.healthzMaxMs, 0)} ms, ` +
      `event loop p99 ${fmt(catchUp.loop.p99Ms, 1)} / max ${fmt(catchUp.loop.maxMs, 0)} ms`,
  );
  const worst = (r: Repeated, pick: (t: Repeated["first"]) => number) => Math.max(...[r.first, ...r.rest].map(pick));
  console.log("");
  const graphCachedWorst = graph.cached.reduce((a, b) => (b.ms > a.ms ? b : a));
  printTable(
    ["staff page", "first ms", "median ms", "views", "/healthz worst ms", "event loop worst ms", "kB"],
    [
      ...views.map((r) => [
        r.name,
        fmt(r.first.ms, 0),
        fmt(r.medianMs, 0),
        String(r.rest.length),
        fmt(
          worst(r, (t) => t.healthzMaxMs),
          0,
        ),
        fmt(
          worst(r, (t) => t.loop.maxMs),
          0,
        ),
        fmt(r.first.bytes / 1024, 0),
      ]),
      [
        "studio graph, 847 nodes",
        fmt(graph.uncached.ms, 0),
        fmt(graphCachedWorst.ms, 0),
        String(graph.cached.length),
        fmt(Math.max(graph.uncached.healthzMaxMs, ...graph.cached.map((g) => g.healthzMaxMs)), 0),
        fmt(Math.max(graph.uncached.loopMaxMs, ...graph.cached.map((g) => g.loopMaxMs)), 0),
        "",
      ],
    ],
  );
  console.log("(studio graph: median column is the slowest cached view)\n");
  printTable(
    [
      "paced learners",
      "req/s",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "errors",
      "loop p99 ms",
      "loop max ms",
      "author requests",
    ],
    phases.map(({ result: r, loop, staff }) => [
      r.name,
      fmt(r.reqPerSec, 0),
      fmt(r.p50, 1),
      fmt(r.p95, 1),
      fmt(r.p99, 1),
      String(r.errors),
      fmt(loop.p99Ms, 1),
      fmt(loop.maxMs, 0),
      staff ? `${staff.requests} (median ${fmt(staff.p50, 0)} ms)` : "",
    ]),
  );

  const byName = (name: string) => views.find((v) => v.name === name)!;
  const small = `${REFERENCE_ATTEMPTS.toLocaleString("en")} attempts`;
  const large = `${attempts.toLocaleString("en")} attempts`;
  const targets: TargetLine[] = [];
  for (const kind of ["page", "CSV"]) {
    const a = byName(`analytics ${kind}, ${small}`);
    const b = byName(`analytics ${kind}, ${large}`);
    const steady = b.medianMs / a.medianMs;
    targets.push([
      `analytics ${kind} at ${large} within 3x of at ${small} (steady median)`,
      `${fmt(b.medianMs, 0)} / ${fmt(a.medianMs, 0)} ms = ${fmt(steady, 1)}x`,
      steady <= 3,
    ]);
    targets.push([
      `analytics ${kind}, first view after seeding, same ratio`,
      `${fmt(b.first.ms, 0)} / ${fmt(a.first.ms, 0)} ms = ${fmt(b.first.ms / a.first.ms, 1)}x`,
      null,
    ]);
    if (b.completed !== null)
      targets.push([
        `analytics ${kind}: the CSV counts every seeded attempt`,
        `${b.completed}`,
        b.completed === attempts,
      ]);
  }
  targets.push([
    `studio graph of 847 nodes, first view <= 3 s`,
    `${fmt(graph.uncached.ms, 0)} ms`,
    graph.uncached.ms <= 3000,
  ]);
  for (const { result: r, loop, staff } of phases) {
    const during = staff ? "while an author loops" : "alone (reference)";
    targets.push([
      `${r.name.replace(/ \+ author|, alone/, "")} p99 < ${TARGETS.p99Ms} ms, ${during}`,
      `${fmt(r.p99, 1)} ms`,
      staff ? r.p99 < TARGETS.p99Ms : null,
    ]);
    targets.push([`event loop p99 < 50 ms, ${during}`, `${fmt(loop.p99Ms, 1)} ms`, staff ? loop.p99Ms < 50 : null]);
    targets.push([`event loop max, ${during}`, `${fmt(loop.maxMs, 0)} ms`, null]);
    targets.push([`${r.name} errors = 0`, String(r.errors), r.errors === 0]);
  }
  console.log(
    `\ntargets (${o.connections} learners thinking ~${fmt(1 / o.learnerRate, 1)} s, ${o.duration} s per phase):`,
  );
  const w = Math.max(...targets.map((t) => t[0].length));
  for (const [label, value, ok] of targets) console.log(`  ${mark(ok)}  ${label.padEnd(w)}  ${value}`);
  return targets;
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
