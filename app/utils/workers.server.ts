// The worker pool for work that grows with content (piscina): the studio graph's layout and markup.
// Bounded so staff pages cannot eat the machine learners need: one thread on two cores (cores - 1,
// at most 4, WORKER_THREADS to choose), and a short queue (4, WORKER_QUEUE); past it, callers get WorkerPoolBusyError,
// which the page answers as 503 with Retry-After instead of piling work up. Threads start on first
// use and stop after a minute idle. The worker entry is scripts/graph-layout-worker.mjs, a plain
// file found from this module's place (app/utils/ under vitest and tsx, build/ in production).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { HeadersFunction } from "@remix-run/node";
import { Piscina } from "piscina";
import type { GraphMarkup } from "~/components/studio/case-graph";
import type { GraphLayout, LayoutEdgeInput, LayoutNodeInput, LayoutOptions } from "~/engine/graph-layout";
import type { Locale } from "~/i18n";
import type { Diagram } from "~/models/studio-view.server";
import { fail, ok, type Result } from "./result";

const WORKER_FILE = "scripts/graph-layout-worker.mjs";
/** Layouts waiting for a thread, beyond those running, before callers are told to come back (WORKER_QUEUE). */
export function poolQueue(source: NodeJS.ProcessEnv = process.env): number {
  const chosen = Number(source.WORKER_QUEUE);
  return source.WORKER_QUEUE && Number.isInteger(chosen) && chosen >= 1 ? chosen : 4;
}
/** Seconds a refused caller is told to wait (Retry-After). */
export const RETRY_AFTER_SECONDS = 5;

/** A route's headers when its loader may answer "busy" (503): the Retry-After reaches the client. */
export const busyHeaders: HeadersFunction = ({ loaderHeaders }) => loaderHeaders;

/** The status and headers of a page whose work the pool refused: come back shortly, nothing is lost. */
export const busyInit = {
  status: 503,
  headers: { "Retry-After": String(RETRY_AFTER_SECONDS), "Cache-Control": "no-store" },
};

export class WorkerPoolBusyError extends Error {
  constructor() {
    super("the worker pool's queue is full");
    this.name = "WorkerPoolBusyError";
  }
}

function workerFile(): string {
  // Walk up from here to the directory holding scripts/ (the repository root).
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, WORKER_FILE);
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${WORKER_FILE} not found above ${fileURLToPath(import.meta.url)}`);
    dir = parent;
  }
}

export function poolThreads(source: NodeJS.ProcessEnv = process.env): number {
  const chosen = Number(source.WORKER_THREADS);
  if (source.WORKER_THREADS && Number.isInteger(chosen) && chosen >= 1) return chosen;
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

let pool: Piscina | undefined;
let queueLimit = 4;

function getPool(): Piscina {
  if (pool) return pool;
  queueLimit = poolQueue();
  pool = new Piscina({
    filename: workerFile(),
    minThreads: 0,
    maxThreads: poolThreads(),
    maxQueue: queueLimit,
    idleTimeout: 60_000,
    // A layout at the format's limits fits well within this; a runaway one ends the worker, not the server.
    resourceLimits: { maxOldGenerationSizeMb: 512 },
  });
  return pool;
}

/** `work`'s value, or the "busy" failure when it met a full pool (the page answers 503 with Retry-After). */
export async function unlessBusy<T>(work: () => Promise<T>): Promise<Result<T, "busy">> {
  try {
    return ok(await work());
  } catch (error) {
    if (error instanceof WorkerPoolBusyError) return fail("busy");
    throw error;
  }
}

/** Runs the worker's export `name` on `task`; WorkerPoolBusyError when the queue is full. */
async function runOffThread<T>(name: string, task: object): Promise<T> {
  const workers = getPool();
  if (workers.queueSize >= queueLimit) throw new WorkerPoolBusyError();
  try {
    return (await workers.run(task, { name })) as T;
  } catch (error) {
    if (error instanceof Error && /queue is at limit/i.test(error.message)) throw new WorkerPoolBusyError();
    throw error;
  }
}

/** The engine's layoutGraph, run on a worker thread. Rejects with WorkerPoolBusyError when the queue is full. */
export function layoutOffThread(
  nodes: readonly LayoutNodeInput[],
  edges: readonly LayoutEdgeInput[],
  options?: LayoutOptions,
): Promise<GraphLayout> {
  // Only what the layout reads crosses the thread boundary (structured clone).
  return runOffThread<GraphLayout>("layout", {
    nodes: nodes.map(({ id, width, height }) => ({ id, width, height })),
    edges: edges.map(({ id, from, to, labelWidth, labelHeight }) => ({ id, from, to, labelWidth, labelHeight })),
    options,
  });
}

/** The graph page's markup for a laid-out diagram (components/studio/graph-markup.server.tsx), on a worker thread. */
export function graphMarkupOffThread(
  diagram: Diagram,
  previewBase: string | null,
  locale: Locale,
): Promise<GraphMarkup> {
  return runOffThread<GraphMarkup>("markup", { diagram, previewBase, locale });
}

/** Stops the pool's threads (tests and scripts that end without process.exit). */
export async function closeWorkers(): Promise<void> {
  const closing = pool;
  pool = undefined;
  await closing?.destroy();
}
