// The benchmark's view of this server's event loop: the worst delay (perf_hooks.monitorEventLoopDelay)
// since the last `?reset=1`, in ms. Off unless the server was started with VIGNETTE_BENCH_ROUTES=1.
import { monitorEventLoopDelay, type IntervalHistogram } from "node:perf_hooks";
import { notFound } from "~/utils/http.server";

let histogram: IntervalHistogram | undefined;

export function loader({ request }: { request: Request }) {
  if (process.env.VIGNETTE_BENCH_ROUTES !== "1") throw notFound();
  if (!histogram) {
    histogram = monitorEventLoopDelay({ resolution: 10 });
    histogram.enable();
  }
  const ms = (ns: number) => Math.round(ns / 1e4) / 100;
  const figures = { maxMs: ms(histogram.max), p99Ms: ms(histogram.percentile(99)), meanMs: ms(histogram.mean) };
  if (new URL(request.url).searchParams.get("reset") === "1") histogram.reset();
  return Response.json(figures, { headers: { "Cache-Control": "no-store" } });
}
