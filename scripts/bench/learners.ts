// A learner-like load: N learners, each waiting a random think time (exponential, mean thinkMs)
// before every click, one request at a time. Unlike autocannon's overallRate, which releases a
// second's worth of requests together, arrivals here are spread out as real people's are, so the
// latency measured is that of a server at this load, not of a burst queue. Requests go through
// node:http with a keep-alive agent (one connection per learner, like a browser tab): fetch's
// own CPU cost on this shared 2-core machine showed up as server latency.
import http from "node:http";
import { setTimeout as sleep } from "node:timers/promises";
import { phaseResult, watchServer, type PhaseResult, type Target } from "./load";

type LearnerTarget = Target & { thinkMs: number };

type Answer = { status: number };

function send(
  agent: http.Agent,
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method, headers, agent, timeout: 10_000 }, (response) => {
      response.resume(); // read the whole body, as a browser would
      response.once("end", () => resolve({ status: response.statusCode ?? 0 }));
      response.once("error", reject);
    });
    request.once("timeout", () => request.destroy(new Error("timeout")));
    request.once("error", reject);
    request.end(body);
  });
}

export async function runLearnersPhase(target: LearnerTarget): Promise<PhaseResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  let socketErrors = 0;
  let handedOut = 0;
  const watch = watchServer(target.pid);
  const started = performance.now();
  const deadline = started + target.seconds * 1000;
  const think = () => -Math.log(1 - Math.random()) * target.thinkMs;
  // Idle sockets are dropped after 4 s, before the server's 5 s keep-alive timeout closes them:
  // reusing a socket the server is closing would fail the request.
  const agent = new http.Agent({ keepAlive: true, maxSockets: Infinity, timeout: 4_000 });

  const learner = async () => {
    while (true) {
      // Nobody starts thinking past the time bound, so the phase ends on time.
      await sleep(Math.min(think(), deadline - performance.now()));
      if (performance.now() >= deadline) return;
      if (target.amount !== undefined && handedOut >= target.amount) return;
      const n = handedOut++;
      const next = target.request(n);
      const t0 = performance.now();
      try {
        const response = await send(agent, new URL(next.path, target.url), next.method, next.headers, next.body);
        latencies.push(performance.now() - t0);
        statusCounts[response.status] = (statusCounts[response.status] ?? 0) + 1;
        target.onAnswer?.(n, response.status);
      } catch {
        socketErrors++;
      }
    }
  };
  await Promise.all(Array.from({ length: target.connections }, learner));
  agent.destroy();
  const { wallSeconds, ...usage } = watch.stop();
  return phaseResult(target, {
    seconds: wallSeconds,
    latencies,
    statusCounts,
    socketErrors,
    timeouts: 0,
    sent: handedOut,
    usage,
  });
}
