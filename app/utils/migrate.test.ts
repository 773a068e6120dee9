import fs from "node:fs";
import path from "node:path";
import { get_dmmf } from "@prisma/prisma-schema-wasm";
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { makeTempDir } from "../../tests/support/temp-db";
import { defaultMigrationsDir, migrate, readMigrations } from "./migrate.server";

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

// How Prisma's SQLite connector declares each scalar type in the SQL it generates.
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

describe("the migrated database matches schema.prisma", () => {
  const file = freshFile();
  migrate(file);
  const db = new Database(file, { readonly: true });
  const column = (model: DmmfModel, fieldName: string) => {
    const field = model.fields.find((f) => f.name === fieldName);
    return field?.dbName ?? fieldName;
  };

  it("has exactly one table per model, plus Prisma's bookkeeping", () => {
    const tables = (
      db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as {
        name: string;
      }[]
    ).map((t) => t.name);
    const expected = dmmf.datamodel.models.map((m) => m.dbName ?? m.name);
    expect(tables.sort()).toEqual([...expected, "_prisma_migrations"].sort());
  });

  for (const model of dmmf.datamodel.models) {
    const table = model.dbName ?? model.name;

    it(`${model.name}: columns, types and nullability`, () => {
      const info = db.prepare(`PRAGMA table_info("${table}")`).all() as {
        name: string;
        type: string;
        notnull: number;
        pk: number;
      }[];
      const actual = Object.fromEntries(
        info.map((c) => [c.name, { type: c.type, required: c.notnull === 1 || c.pk > 0 }]),
      );
      const expected = Object.fromEntries(
        model.fields
          .filter((f) => f.kind === "scalar" || f.kind === "enum")
          .map((f) => [
            f.dbName ?? f.name,
            { type: f.kind === "enum" ? "TEXT" : sqliteType[f.type], required: f.isRequired },
          ]),
      );
      expect(actual).toEqual(expected);
    });

    it(`${model.name}: primary key, unique and plain indexes`, () => {
      const pkColumns = (db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; pk: number }[])
        .filter((c) => c.pk > 0)
        .sort((a, b) => a.pk - b.pk)
        .map((c) => c.name);
      const indexes = (
        db.prepare(`PRAGMA index_list("${table}")`).all() as { name: string; unique: number; origin: string }[]
      )
        .filter((i) => i.origin === "c")
        .map((i) => ({
          unique: i.unique === 1,
          columns: (db.prepare(`PRAGMA index_info("${i.name}")`).all() as { name: string }[]).map((c) => c.name),
          name: i.name,
        }));

      const modelIndexes = dmmf.datamodel.indexes.filter((i) => i.model === model.name);
      const id = modelIndexes.find((i) => i.type === "id");
      expect(pkColumns).toEqual(id ? id.fields.map((f) => column(model, f.name)) : []);

      const expected = modelIndexes
        .filter((i) => i.type === "unique" || i.type === "normal")
        .map((i) => {
          const columns = i.fields.map((f) => column(model, f.name));
          const suffix = i.type === "unique" ? "key" : "idx";
          return { unique: i.type === "unique", columns, name: `${table}_${columns.join("_")}_${suffix}` };
        });
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(indexes.sort(byName)).toEqual(expected.sort(byName));
    });

    it(`${model.name}: foreign keys`, () => {
      const actual = (
        db.prepare(`PRAGMA foreign_key_list("${table}")`).all() as { table: string; from: string; to: string }[]
      ).map((fk) => `${fk.from} -> ${fk.table}.${fk.to}`);
      const expected = model.fields
        .filter((f) => f.kind === "object" && (f.relationFromFields?.length ?? 0) > 0)
        .flatMap((f) => {
          const target = dmmf.datamodel.models.find((m) => m.name === f.type)!;
          return f.relationFromFields!.map(
            (from, i) =>
              `${column(model, from)} -> ${target.dbName ?? target.name}.${column(target, f.relationToFields![i]!)}`,
          );
        });
      expect(actual.sort()).toEqual(expected.sort());
    });
  }
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
