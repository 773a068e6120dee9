import fs from "node:fs";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import Database from "better-sqlite3";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDatabase, dropDatabase, newDatabaseName, testPostgresUrl } from "../../tests/support/postgres";
import { makeTempDir } from "../../tests/support/temp-db";
import {
  defaultMigrationsDir,
  migrate,
  migratePostgresql,
  migrationsDirs,
  postgresqlMigrationStatus,
  readMigrations,
} from "./migrate.server";

type DmmfField = {
  name: string;
  dbName?: string | null;
  kind: string;
  type: string;
  isRequired: boolean;
  isList: boolean;
  relationFromFields?: string[];
  relationToFields?: string[];
};
type DmmfModel = { name: string; dbName: string | null; fields: DmmfField[] };
type DmmfIndex = { model: string; type: "id" | "unique" | "normal" | "fulltext"; fields: { name: string }[] };
type Dmmf = { datamodel: { models: DmmfModel[]; indexes: DmmfIndex[] } };

const schemaText = fs.readFileSync(path.resolve("prisma/schema.prisma"), "utf8");
const dmmf = JSON.parse(get_dmmf(JSON.stringify({ prismaSchema: schemaText }))) as Dmmf;

// How Prisma's SQLite and PostgreSQL connectors declare each scalar type in the SQL they generate
// (for PostgreSQL, as format_type() prints it).
const sqliteType: Record<string, string> = {
  String: "TEXT",
  Int: "INTEGER",
  BigInt: "BIGINT",
  Float: "REAL",
  Decimal: "DECIMAL",
  Boolean: "BOOLEAN",
  DateTime: "DATETIME",
  Bytes: "BLOB",
  Json: "JSONB",
};
const postgresqlType: Record<string, string> = {
  String: "text",
  Int: "integer",
  BigInt: "bigint",
  Float: "double precision",
  Decimal: "numeric(65,30)",
  Boolean: "boolean",
  DateTime: "timestamp(3) without time zone",
  Bytes: "bytea",
  Json: "jsonb",
};

const temps: Array<() => void> = [];
afterEach(() => {
  while (temps.length) temps.pop()!();
});

function freshFile(): string {
  const { dir, cleanup } = makeTempDir();
  temps.push(cleanup);
  return path.join(dir, "db.sqlite");
}

function copyMigrations(): string {
  const { dir, cleanup } = makeTempDir();
  temps.push(cleanup);
  fs.cpSync(defaultMigrationsDir, dir, { recursive: true });
  return dir;
}

/** What the schema test compares, read from a migrated database of either engine. */
type TableShape = {
  columns: Record<string, { type: string; required: boolean }>;
  primaryKey: string[];
  indexes: Array<{ unique: boolean; columns: string[]; name: string }>;
  foreignKeys: string[];
};
type DatabaseShape = { tables: string[]; table: (name: string) => TableShape };

function sqliteShape(file: string): DatabaseShape {
  const db = new Database(file, { readonly: true });
  const tables = (
    db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as {
      name: string;
    }[]
  ).map((t) => t.name);
  return {
    tables,
    table: (table) => {
      const info = db.prepare(`PRAGMA table_info("${table}")`).all() as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
      }[];
      const indexes = (
        db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[]
      )
        .filter((i) => i.origin === "c")
        .map((i) => ({
          unique: i.unique === 1,
          columns: (db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name),
          name: i.name,
        }));
      const foreignKeys = (
        db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string; to: string }[]
      ).map((fk) => `${fk.from} -> ${fk.table}.${fk.to}`);
      return {
        columns: Object.fromEntries(info.map((c) => [c.name, { type: c.type, required: c.notnull === 1 || c.pk > 0 }])),
        primaryKey: info
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name),
        indexes,
        foreignKeys,
      };
    },
  };
}

async function postgresqlShape(url: string): Promise<DatabaseShape> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const query = async <T extends pg.QueryResultRow>(sql: string) => (await client.query<T>(sql)).rows;
    const tables = (
      await query<{ name: string }>(
        `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = 'public' AND c.relkind = 'r'`,
      )
    ).map((t) => t.name);
    const columns = await query<{ table: string; name: string; type: string; required: boolean }>(
      `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS required
       FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
       WHERE n.nspname = 'public' AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped`,
    );
    // Every index with its columns in order; the primary key's is the one marked primary.
    const indexes = await query<{ table: string; name: string; unique: boolean; primary: boolean; columns: string[] }>(
      `SELECT t.relname AS table, i.relname AS name, x.indisunique AS unique, x.indisprimary AS primary,
              array_agg(a.attname::text ORDER BY k.ordinality) AS columns
       FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
       JOIN pg_class t ON t.oid = x.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace
       CROSS JOIN LATERAL unnest(x.indkey) WITH ORDINALITY AS k(attnum, ordinality)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE n.nspname = 'public'
       GROUP BY t.relname, i.relname, x.indisunique, x.indisprimary`,
    );
    const foreignKeys = await query<{ table: string; from: string; target: string; to: string }>(
      `SELECT t.relname AS table, a.attname::text AS from, r.relname AS target, ra.attname::text AS to
       FROM pg_constraint f
       JOIN pg_class t ON t.oid = f.conrelid
       JOIN pg_class r ON r.oid = f.confrelid
       CROSS JOIN LATERAL unnest(f.conkey, f.confkey) AS k(attnum, refnum)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       JOIN pg_attribute ra ON ra.attrelid = r.oid AND ra.attnum = k.refnum
       WHERE f.contype = 'f'`,
    );
    return {
      tables,
      table: (table) => ({
        columns: Object.fromEntries(
          columns.filter((c) => c.table === table).map((c) => [c.name, { type: c.type, required: c.required }]),
        ),
        primaryKey: indexes.find((i) => i.table === table && i.primary)?.columns ?? [],
        indexes: indexes
          .filter((i) => i.table === table && !i.primary)
          .map((i) => ({ unique: i.unique, columns: i.columns, name: i.name })),
        foreignKeys: foreignKeys.filter((f) => f.table === table).map((f) => `${f.from} -> ${f.target}.${f.to}`),
      }),
    };
  } finally {
    await client.end();
  }
}

/** The schema test, the same for both engines; `types` is how that engine's connector declares each scalar. */
function describeSchemaMatch(engine: string, types: Record<string, string>, open: () => Promise<DatabaseShape>) {
  describe(`the migrated ${engine} database matches schema.prisma`, () => {
    let shape: DatabaseShape;
    beforeAll(async () => {
      shape = await open();
    });
    const column = (model: DmmfModel, fieldName: string) => {
      const field = model.fields.find((f) => f.name === fieldName);
      return field?.dbName ?? fieldName;
    };

    it("has exactly one table per model, plus Prisma's bookkeeping", () => {
      const expected = dmmf.datamodel.models.map((m) => m.dbName ?? m.name);
      expect([...shape.tables].sort()).toEqual([...expected, "_prisma_migrations"].sort());
    });

    for (const model of dmmf.datamodel.models) {
      const table = model.dbName ?? model.name;

      it(`${model.name}: columns, types and nullability`, () => {
        const expected = Object.fromEntries(
          model.fields
            .filter((f) => f.kind === "scalar" || f.kind === "enum")
            .map((f) => [
              f.dbName ?? f.name,
              { type: f.kind === "enum" ? types.String : types[f.type], required: f.isRequired },
            ]),
        );
        expect(shape.table(table).columns).toEqual(expected);
      });

      it(`${model.name}: primary key, unique and plain indexes`, () => {
        const { primaryKey, indexes } = shape.table(table);
        const modelIndexes = dmmf.datamodel.indexes.filter((i) => i.model === model.name);
        const id = modelIndexes.find((i) => i.type === "id");
        expect(primaryKey).toEqual(id ? id.fields.map((f) => column(model, f.name)) : []);

        const expected = modelIndexes
          .filter((i) => i.type === "unique" || i.type === "normal")
          .map((i) => {
            const columns = i.fields.map((f) => column(model, f.name));
            const suffix = i.type === "unique" ? "key" : "idx";
            return { unique: i.type === "unique", columns, name: `${table}_${columns.join("_")}_${suffix}` };
          });
        const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
        expect([...indexes].sort(byName)).toEqual(expected.sort(byName));
      });

      it(`${model.name}: foreign keys`, () => {
        const expected = model.fields
          .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
          .flatMap((f) => {
            const target = dmmf.datamodel.models.find((m) => m.name === f.type)!;
            return f.relationFromFields!.map(
              (from, i) =>
                `${column(model, from)} -> ${target.dbName ?? target.name}.${column(target, f.relationToFields![i]!)}`,
            );
          });
        expect([...shape.table(table).foreignKeys].sort()).toEqual(expected.sort());
      });
    }
  });
}

describeSchemaMatch("SQLite", sqliteType, async () => {
  const file = freshFile();
  migrate(file);
  return sqliteShape(file);
});

describe("migrate", () => {
  it("records each migration as Prisma does, enables WAL and is idempotent", () => {
    const file = freshFile();
    const first = migrate(file);
    const names = readMigrations().map((m) => m.name);
    expect(first.applied).toEqual(names);
    expect(migrate(file)).toEqual({ applied: [], alreadyApplied: names });

    const db = new Database(file, { readonly: true });
    const rows = db.prepare(`SELECT * FROM _prisma_migrations ORDER BY migration_name`).all() as Array<
      Record<string, unknown>
    >;
    expect(rows.map((r) => r.migration_name)).toEqual(names);
    for (const [i, row] of rows.entries()) {
      expect(row.checksum).toBe(readMigrations()[i]!.checksum);
      expect(row.checksum).toMatch(/^[0-9a-f]{64}$/);
      expect(row.finished_at).not.toBeNull();
      expect(row.rolled_back_at).toBeNull();
      expect(row.applied_steps_count).toBe(1);
    }
    expect(db.pragma("journal_mode", { simple: true })).toBe("wal");
    db.close();
  });

  it("refuses to run when an applied migration was edited", () => {
    const file = freshFile();
    const dir = copyMigrations();
    migrate(file, dir);
    const first = readMigrations(dir)[0]!;
    fs.appendFileSync(path.join(dir, first.name, "migration.sql"), "\n-- edited\n");
    expect(() => migrate(file, dir)).toThrow(/changed after it was applied/);
  });

  it("rolls back a failing migration entirely and records nothing for it", () => {
    const file = freshFile();
    const dir = copyMigrations();
    migrate(file, dir);
    const broken = path.join(dir, "99990101000000_broken");
    fs.mkdirSync(broken);
    fs.writeFileSync(
      path.join(broken, "migration.sql"),
      `CREATE TABLE "Half" ("id" INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO "NoSuchTable" VALUES (1);\n`,
    );
    expect(() => migrate(file, dir)).toThrow(/99990101000000_broken failed and was rolled back/);
    const db = new Database(file, { readonly: true });
    expect(db.prepare(`SELECT name FROM sqlite_master WHERE name = 'Half'`).get()).toBeUndefined();
    expect(
      db.prepare(`SELECT count(*) AS n FROM _prisma_migrations WHERE migration_name = ?`).get("99990101000000_broken"),
    ).toEqual({ n: 0 });
    db.close();
  });

  it("refuses a database that has migrations this checkout lacks", () => {
    const file = freshFile();
    const dir = copyMigrations();
    const extra = path.join(dir, "99990101000000_extra");
    fs.mkdirSync(extra);
    fs.writeFileSync(path.join(extra, "migration.sql"), `CREATE TABLE "Extra" ("id" INTEGER PRIMARY KEY);\n`);
    migrate(file, dir);
    fs.rmSync(extra, { recursive: true });
    expect(() => migrate(file, dir)).toThrow(/migrations this checkout does not: 99990101000000_extra/);
  });
});

describe("the PostgreSQL migrations", () => {
  it("are the SQLite migrations' names, one for one, with PostgreSQL's lock file", () => {
    const names = (dir: string) => readMigrations(dir).map((m) => m.name);
    expect(names(migrationsDirs.postgresql)).toEqual(names(migrationsDirs.sqlite));
    expect(fs.readFileSync(path.join(migrationsDirs.postgresql, "migration_lock.toml"), "utf8")).toMatch(
      /^provider = "postgresql"$/m,
    );
  });
});

// The PostgreSQL half runs wherever a server is given (TEST_POSTGRES_URL); CI always gives one, and
// testPostgresUrl() fails the file there when it is missing.
const postgresUrl = testPostgresUrl();
if (postgresUrl) {
  const databases: string[] = [];
  afterAll(async () => {
    for (const name of databases) await dropDatabase(name);
  });
  const freshPostgresql = async () => {
    const name = newDatabaseName();
    databases.push(name);
    return createDatabase(name);
  };
  const withClient = async <T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const copyPostgresqlMigrations = () => {
    const { dir, cleanup } = makeTempDir();
    temps.push(cleanup);
    fs.cpSync(migrationsDirs.postgresql, dir, { recursive: true });
    return dir;
  };

  describeSchemaMatch("PostgreSQL", postgresqlType, async () => {
    const url = await freshPostgresql();
    await migratePostgresql(url);
    return postgresqlShape(url);
  });

  describe("migratePostgresql", () => {
    it("records each migration as Prisma does and is idempotent", async () => {
      const url = await freshPostgresql();
      expect(await postgresqlMigrationStatus(url)).toEqual({
        missing: false,
        pending: readMigrations(migrationsDirs.postgresql).map((m) => m.name),
      });
      const names = readMigrations(migrationsDirs.postgresql).map((m) => m.name);
      expect((await migratePostgresql(url)).applied).toEqual(names);
      expect(await migratePostgresql(url)).toEqual({ applied: [], alreadyApplied: names });
      expect(await postgresqlMigrationStatus(url)).toEqual({ missing: false, pending: [] });
      const rows = await withClient(
        url,
        async (c) => (await c.query(`SELECT * FROM _prisma_migrations ORDER BY migration_name`)).rows,
      );
      expect(rows.map((r) => r.migration_name)).toEqual(names);
      for (const [i, row] of rows.entries()) {
        expect(row.checksum).toBe(readMigrations(migrationsDirs.postgresql)[i]!.checksum);
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(row.rolled_back_at).toBeNull();
        expect(row.applied_steps_count).toBe(1);
      }
    });

    it("applies each migration once when two runners start together (advisory lock)", async () => {
      const url = await freshPostgresql();
      const [a, b] = await Promise.all([migratePostgresql(url), migratePostgresql(url)]);
      const names = readMigrations(migrationsDirs.postgresql).map((m) => m.name);
      expect([...a.applied, ...b.applied].sort()).toEqual(names);
      expect([a.applied.length, b.applied.length].sort()).toEqual([0, names.length]);
      const count = await withClient(url, async (c) =>
        Number((await c.query(`SELECT count(*) AS n FROM _prisma_migrations`)).rows[0].n),
      );
      expect(count).toBe(names.length);
    });

    it("refuses an edited migration, rolls a failing one back entirely, refuses unknown ones", async () => {
      const url = await freshPostgresql();
      const dir = copyPostgresqlMigrations();
      await migratePostgresql(url, dir);

      const broken = path.join(dir, "99990101000000_broken");
      fs.mkdirSync(broken);
      fs.writeFileSync(
        path.join(broken, "migration.sql"),
        `CREATE TABLE "Half" ("id" INTEGER NOT NULL PRIMARY KEY);\nINSERT INTO "NoSuchTable" VALUES (1);\n`,
      );
      await expect(migratePostgresql(url, dir)).rejects.toThrow(/99990101000000_broken failed and was rolled back/);
      const left = await withClient(url, async (c) => ({
        half: (await c.query(`SELECT to_regclass('"Half"') AS t`)).rows[0].t,
        rows: (await c.query(`SELECT 1 FROM _prisma_migrations WHERE migration_name = '99990101000000_broken'`))
          .rowCount,
      }));
      expect(left).toEqual({ half: null, rows: 0 });
      fs.rmSync(broken, { recursive: true });

      const first = path.join(dir, readMigrations(dir)[0]!.name, "migration.sql");
      const original = fs.readFileSync(first, "utf8");
      fs.appendFileSync(first, "\n-- edited\n");
      await expect(migratePostgresql(url, dir)).rejects.toThrow(/changed after it was applied/);
      fs.writeFileSync(first, original);

      const extra = path.join(dir, "99990101000000_extra");
      fs.mkdirSync(extra);
      fs.writeFileSync(path.join(extra, "migration.sql"), `CREATE TABLE "Extra" ("id" INTEGER PRIMARY KEY);\n`);
      await migratePostgresql(url, dir);
      fs.rmSync(extra, { recursive: true });
      await expect(migratePostgresql(url, dir)).rejects.toThrow(
        /migrations this checkout does not: 99990101000000_extra/,
      );
    });

    it("reports a database the server does not have as missing", async () => {
      const url = new URL(postgresUrl);
      url.pathname = `/${newDatabaseName()}`;
      expect(await postgresqlMigrationStatus(url.toString())).toEqual({ missing: true });
    });
  });

  describe("the PostgreSQL database enforces the immutability rules", () => {
    let url: string;
    beforeAll(async () => {
      url = await freshPostgresql();
      await migratePostgresql(url);
      await withClient(url, (c) =>
        c.query(`
          INSERT INTO "Case" ("slug", "regulator") VALUES ('c', 'coto');
          INSERT INTO "CaseVersion" ("caseId", "version", "contentHash", "content", "source", "title", "summary",
            "locales", "profession", "release", "creditHours", "creditCategory", "passMark", "bestTotal", "decisionCount")
            VALUES (1, 1, 'h', '{}', '{}', '{}', '{}', 'en', 'ot', '2026-01-01', 1, 'x', 0.5, 1, 1);
          INSERT INTO "User" ("id", "email", "name", "registrationNumber", "regulator", "updatedAt", "closedAt") VALUES
            ('open', 'o@example.org', 'O', 'R', 'coto', now(), NULL),
            ('closed', 'c@example.org', 'C', 'R', 'coto', now(), now());
          INSERT INTO "Attempt" ("id", "userId", "caseId", "caseVersionId", "number", "currentNodeId")
            VALUES ('a-open', 'open', 1, 1, 1, 'end'), ('a-closed', 'closed', 1, 1, 1, 'end');
          INSERT INTO "Completion" ("id", "attemptId", "userId", "learnerName", "registrationNumber", "regulator",
            "caseSlug", "caseVersion", "caseVersionId", "caseTitle", "locale", "startedAt", "completedAt",
            "timeOnTaskSeconds", "score", "passed", "creditHours", "attemptNumber")
            VALUES ('k-open', 'a-open', 'open', 'O', 'R', 'coto', 'c', 1, 1, 'T', 'en', '2020-01-01', '2020-01-01', 1, 1, true, 1, 1),
                   ('k-closed', 'a-closed', 'closed', 'C', 'R', 'coto', 'c', 1, 1, 'T', 'en', '2020-01-01', '2020-01-01', 1, 1, true, 1, 1);
          INSERT INTO "Certificate" ("id", "completionId", "code", "revokedAt")
            VALUES ('cert-open', 'k-open', 'C-1', NULL), ('cert-closed', 'k-closed', 'C-2', now());
          INSERT INTO "CertificateReissue" ("id", "certificateId", "number", "learnerName", "registrationNumber",
            "reason", "reissuedById") VALUES ('r1', 'cert-open', 1, 'O', 'R', 'lost', 'admin');
          INSERT INTO "AuditEntry" ("subject", "action") VALUES ('s', 'a');
          INSERT INTO "Regulator" ("id") VALUES ('coto');
          INSERT INTO "RegulatorVersion" ("regulatorId", "sequence", "contentHash", "content", "source")
            VALUES ('coto', 1, 'h', '{}', 'x');
        `),
      );
    });
    const refused = (sql: string) =>
      withClient(url, (c) => c.query(sql)).then(
        () => "accepted",
        (error: Error) => error.message,
      );

    it("completion records: no update, no delete, no truncate", async () => {
      expect(await refused(`UPDATE "Completion" SET "score" = 0`)).toMatch(/completion records are immutable/);
      expect(await refused(`DELETE FROM "Certificate"; DELETE FROM "Completion"`)).toMatch(/never deleted/);
      expect(await refused(`TRUNCATE "Completion" CASCADE`)).toMatch(/never deleted/);
    });

    it("the purge's door: only a closed account's record past the cutoff may go, inside the purge's transaction", async () => {
      const purge = (userId: string) =>
        refused(`BEGIN;
          INSERT INTO "RecordPurge" ("id", "cutoff") VALUES (1, '2021-01-01');
          DELETE FROM "Certificate";
          DELETE FROM "Completion" WHERE "userId" = '${userId}';
          ROLLBACK;`);
      expect(await purge("open")).toMatch(/never deleted, except by records:purge/);
      expect(await purge("closed")).toBe("accepted");
      expect(
        await refused(`BEGIN;
          INSERT INTO "RecordPurge" ("id", "cutoff") VALUES (1, '2019-01-01');
          DELETE FROM "Certificate";
          DELETE FROM "Completion" WHERE "userId" = 'closed';
          ROLLBACK;`),
      ).toMatch(/never deleted/);
    });

    it("the audit log is append-only; regulator profile versions are immutable", async () => {
      expect(await refused(`UPDATE "AuditEntry" SET "action" = 'b'`)).toMatch(/append-only/);
      expect(await refused(`DELETE FROM "AuditEntry"`)).toMatch(/append-only/);
      expect(await refused(`TRUNCATE "AuditEntry"`)).toMatch(/append-only/);
      expect(await refused(`UPDATE "RegulatorVersion" SET "source" = 'y'`)).toMatch(/immutable/);
    });

    it("certificate reissues are immutable, and a revoked certificate is never reissued", async () => {
      expect(await refused(`UPDATE "CertificateReissue" SET "reason" = 'x'`)).toMatch(/immutable/);
      expect(
        await refused(`INSERT INTO "CertificateReissue" ("id", "certificateId", "number", "learnerName",
          "registrationNumber", "reason", "reissuedById") VALUES ('r2', 'cert-closed', 1, 'C', 'R', 'lost', 'admin')`),
      ).toMatch(/a revoked certificate cannot be reissued/);
    });
  });
}
