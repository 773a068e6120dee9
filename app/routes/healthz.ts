import { getDb } from "~/utils/db.server";
import { logger } from "~/utils/log.server";

// Liveness for load balancers and `npm start` checks: 200 only when the database answers.
export async function loader() {
  try {
    // Reads the migrations table: the file must be there, readable and migrated.
    await getDb().$queryRaw`SELECT count(*) FROM "_prisma_migrations"`;
    return Response.json({ status: "ok", database: "reachable" }, { headers: { "Cache-Control": "no-store" } });
  } catch (error) {
    logger.error({ err: error }, "healthz: database check failed");
    return Response.json(
      { status: "error", database: "unreachable" },
      { status: 503, headers: { "Cache-Control": "no-store" } },
    );
  }
}
