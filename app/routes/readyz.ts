import { logger } from "~/utils/log.server";
import { checkReadiness } from "~/utils/readiness.server";

// Readiness for load balancers and orchestrators: 200 when this instance should get traffic, 503
// with the reason when not (draining, database missing or unwritable, disk full, migrations pending).
export async function loader() {
  const readiness = await checkReadiness();
  const headers = { "Cache-Control": "no-store" };
  if (readiness.ready) return Response.json({ status: "ready" }, { headers });
  if (readiness.reason !== "draining") {
    logger.warn({ reason: readiness.reason, detail: readiness.detail }, `readyz: not ready: ${readiness.reason}`);
  }
  return Response.json({ status: "not-ready", reason: readiness.reason }, { status: 503, headers });
}
