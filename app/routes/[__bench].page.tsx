// The benchmark's second reference: an empty page, rendered as a document through the root layout
// like every page (anonymous, so no session is read), to show what the framework costs for a page
// rather than for a bare response. Off unless the server was started with VIGNETTE_BENCH_ROUTES=1.
export function loader() {
  if (process.env.VIGNETTE_BENCH_ROUTES !== "1") throw new Response("Not found", { status: 404 });
  return null;
}

export default function EmptyPage() {
  return null;
}
