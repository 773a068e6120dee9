// One load phase: autocannon at a target on loopback, bounded in time (and, for POSTs, by the pool
// of learners), while the server process's RSS and CPU time are sampled every 100 ms from /proc.
import fs from "node:fs";
import autocannon from "autocannon";

export type PhaseResult = {
  name: string;
  skipped?: string;
  seconds: number;
  responses: number;
  reqPerSec: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  /** Responses outside 2xx/3xx plus socket errors and timeouts (over the whole phase). */
  errors: number;
  /** Responses by status over the whole phase, stragglers included. */
  statusCounts: Record<string, number>;
  socketErrors: number;
  timeouts: number;
  /** Requests handed out (setupRequest calls): for POSTs, learners used. */
  sent: number;
  peakRssMb: number;
  /** Server CPU time during the phase over wall time (1.0 = one core busy). */
  cpuCores: number;
  /** The same for the benchmark process itself (autocannon is the client). */
  clientCores: number;
  /** CPU used by every other process on the machine meanwhile: should be near 0 for clean figures. */
  otherCores: number;
  endedBy: "time" | "pool";
};

export type Target = {
  name: string;
  url: string;
  connections: number;
  seconds: number;
  pid: number;
  /** Builds the n-th request (n < amount when amount is set). */
  request: (n: number) => { method: "GET" | "POST"; path: string; headers: Record<string, string>; body?: string };
  /** When set, at most this many requests are made (the pool size). */
  amount?: number;
  /** Print responses, median and worst latency second by second. */
  timeline?: boolean;
  /** Called with each answered request's n and status (for checking POSTs against the database). */
  onAnswer?: (n: number, status: number) => void;
};

const TICKS = 100; // USER_HZ on Linux

export function rssMb(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = /VmRSS:\s+(\d+)/.exec(status)?.[1];
    return kb ? Number(kb) / 1024 : 0;
  } catch {
    return 0;
  }
}

function cpuSeconds(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / TICKS; // utime + stime
  } catch {
    return 0;
  }
}

/** Busy CPU seconds of the whole machine, all cores (from /proc/stat). */
function machineBusySeconds(): number {
  try {
    const fields = fs.readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / TICKS;
  } catch {
    return NaN;
  }
}

type ServerUsage = Pick<PhaseResult, "peakRssMb" | "cpuCores" | "clientCores" | "otherCores"> & { wallSeconds: number };

/**
 * Starts watching the server: its RSS sampled every 100 ms, its CPU, this process's and the
 * machine's counted from now. `stop()` takes a last sample and gives the figures since.
 */
export function watchServer(pid: number): { stop: () => ServerUsage } {
  let peakRss = rssMb(pid);
  const cpuStart = cpuSeconds(pid);
  const machineStart = machineBusySeconds();
  const selfStart = process.cpuUsage();
  const started = performance.now();
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, rssMb(pid))), 100);
  return {
    stop() {
      clearInterval(sampler);
      peakRss = Math.max(peakRss, rssMb(pid));
      const wallSeconds = (performance.now() - started) / 1000;
      const cpu = cpuSeconds(pid) - cpuStart;
      const self = process.cpuUsage(selfStart);
      const selfCpu = (self.user + self.system) / 1e6;
      const machineCpu = machineBusySeconds() - machineStart;
      return {
        wallSeconds,
        peakRssMb: peakRss,
        cpuCores: cpu / wallSeconds,
        clientCores: selfCpu / wallSeconds,
        otherCores: Math.max(0, machineCpu - cpu - selfCpu) / wallSeconds,
      };
    },
  };
}

/** Responses answered outside 2xx/3xx. */
export function errorResponses(statusCounts: Record<string, number>): number {
  return Object.entries(statusCounts)
    .filter(([code]) => !(Number(code) >= 200 && Number(code) < 400))
    .reduce((sum, [, n]) => sum + n, 0);
}

/** p50, p95, p99 and max of the latencies (ms). */
export function latencyFigures(latencies: number[]): Pick<PhaseResult, "p50" | "p95" | "p99" | "max"> {
  const sorted = Float64Array.from(latencies).sort();
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: percentile(sorted, 1),
  };
}

function percentile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export async function runPhase(target: Target): Promise<PhaseResult> {
  // Latency and completion time (ms since the start) of every response.
  const latencies: number[] = [];
  const finishedAt: number[] = [];
  const statusCounts: Record<string, number> = {};
  let handedOut = 0;
  const watch = watchServer(target.pid);

  const url = new URL(target.url);
  const started = performance.now();
  let stoppedAt: number | undefined;
  let finish: (error: unknown, result: autocannon.Result) => void = () => {};
  const done = new Promise<autocannon.Result>((resolve, reject) => {
    finish = (error, result) =>
      error ? reject(error instanceof Error ? error : new Error(String(error))) : resolve(result);
  });
  const instance = autocannon(
    {
      url: target.url,
      connections: target.connections,
      pipelining: 1,
      timeout: 10,
      // Our own timer bounds the phase (autocannon ignores duration when amount is set).
      duration: target.seconds + 60,
      // autocannon notices a stop at its next sample tick: keep that short.
      sampleInt: 100,
      ...(target.amount !== undefined ? { amount: target.amount } : {}),
      requests: [
        {
          setupRequest: (request, context) => {
            const n = handedOut++;
            (context as { n?: number }).n = n;
            const next = target.request(n);
            return {
              ...request,
              method: next.method,
              path: next.path,
              headers: { Host: url.host, ...next.headers },
              ...(next.body !== undefined ? { body: next.body } : {}),
            };
          },
          onResponse: (status, _body, context) => {
            const n = (context as { n?: number }).n;
            if (n !== undefined) target.onAnswer?.(n, status);
          },
        },
      ],
    },
    (error: unknown, result: autocannon.Result) => finish(error, result),
  );
  instance.on("response", (_client, statusCode, _bytes, responseTime) => {
    latencies.push(responseTime);
    finishedAt.push(performance.now() - started);
    statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  });
  const timer = setTimeout(() => {
    stoppedAt = performance.now() - started;
    instance.stop();
  }, target.seconds * 1000);
  const result = await done;
  clearTimeout(timer);
  const { wallSeconds: _, ...usage } = watch.stop();

  // The measured window ends at the time bound, or at the last response when the pool ran out;
  // responses that straggle in after the bound count for the database check, not for the figures.
  const windowEnd = stoppedAt ?? finishedAt.at(-1) ?? 0;
  const inWindow = latencies.filter((_, i) => finishedAt[i]! <= windowEnd);
  const seconds = windowEnd / 1000;
  if (target.timeline) {
    for (let second = 0; second * 1000 < (finishedAt.at(-1) ?? 0); second++) {
      const bucket = latencies
        .filter((_, i) => finishedAt[i]! >= second * 1000 && finishedAt[i]! < (second + 1) * 1000)
        .sort((a, b) => a - b);
      const median = bucket[Math.floor(bucket.length / 2)];
      console.log(
        `    ${target.name} second ${second + 1}: ${bucket.length} responses, p50 ${median?.toFixed(0) ?? "—"} ms, worst ${bucket.at(-1)?.toFixed(0) ?? "—"} ms`,
      );
    }
  }
  return phaseResult(target, {
    seconds,
    latencies: inWindow,
    statusCounts,
    socketErrors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    sent: handedOut,
    usage,
  });
}

/** A phase's figures from what it measured in its window (latencies in ms, statuses, failed sockets). */
export function phaseResult(
  target: Pick<Target, "name" | "amount">,
  m: {
    seconds: number;
    latencies: number[];
    statusCounts: Record<string, number>;
    socketErrors: number;
    timeouts: number;
    sent: number;
    usage: Omit<ServerUsage, "wallSeconds">;
  },
): PhaseResult {
  return {
    name: target.name,
    seconds: m.seconds,
    responses: m.latencies.length,
    reqPerSec: m.latencies.length / m.seconds,
    ...latencyFigures(m.latencies),
    errors: errorResponses(m.statusCounts) + m.socketErrors + m.timeouts,
    statusCounts: m.statusCounts,
    socketErrors: m.socketErrors,
    timeouts: m.timeouts,
    sent: m.sent,
    ...m.usage,
    endedBy: target.amount !== undefined && m.sent >= target.amount ? "pool" : "time",
  };
}
