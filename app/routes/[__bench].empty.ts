// The benchmark's "framework floor": a route that does no work at all, served by the same
// production server. Off unless the server was started with VIGNETTE_BENCH_ROUTES=1.
export function loader() {
  if (process.env.VIGNETTE_BENCH_ROUTES !== "1") throw new Response("Not found", { status: 404 });
  return new Response("ok", { headers: { "Content-Type": "text/plain" } });
}
