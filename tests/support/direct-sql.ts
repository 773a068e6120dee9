// SQL written by hand and sent with the engine's own driver, past the app and Prisma: better-sqlite3
// on a SQLite file, pg on PostgreSQL. For tests that the database itself refuses something (its
// triggers), whose messages Prisma's SQLite adapter does not pass on (it reports a trigger's RAISE
// as a foreign key violation). Placeholders are written $1, $2… for both.
import pg from "pg";
import { databaseEngine } from "~/utils/env.server";

/** Runs one statement on `target` (a SQLite file or `file:` URL, or a PostgreSQL URL); its rows. */
export async function directSql(target: string, sql: string, params: unknown[] = []): Promise<unknown[]> {
  if (databaseEngine(target) === "postgresql") {
    const client = new pg.Client({ connectionString: target });
    await client.connect();
    try {
      return (await client.query(sql, params)).rows;
    } finally {
      await client.end();
    }
  }
  const { default: Database } = await import("better-sqlite3");
  const db = new Database(target.replace(/^file:/, ""));
  try {
    const statement = db.prepare(sql.replace(/\$\d+/g, "?"));
    return statement.reader ? statement.all(...params) : (statement.run(...params), []);
  } finally {
    db.close();
  }
}
