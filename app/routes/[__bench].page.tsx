// The benchmark's second reading of "the framework floor (an empty route)": a route module with
// nothing in it, which Remix renders as a page in the root layout (anonymous, so no session is
// read): what the framework costs for a page rather than for a bare response. Off unless the
// server was started with VIGNETTE_BENCH_ROUTES=1.
import { notFound } from "~/utils/http.server";

export function loader() {
  if (process.env.VIGNETTE_BENCH_ROUTES !== "1") throw notFound();
  return null;
}

export default function EmptyPage() {
  return null;
}
