// The benchmark's "framework floor": a route that does no work at all, served by the same
// production server. Off unless the server was started with VIGNETTE_BENCH_ROUTES=1.
import { notFound } from "~/utils/http.server";

export function loader() {
  if (process.env.VIGNETTE_BENCH_ROUTES !== "1") throw notFound();
  return new Response("ok", { headers: { "Content-Type": "text/plain" } });
}
