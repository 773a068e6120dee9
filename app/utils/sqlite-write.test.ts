import Database from "better-sqlite3";
import { describe, expect, it } from "vitest";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { getDb } from "./db.server";
import { isDuplicate, sqliteDateText, writeTransaction } from "./sqlite-write.server";

const database = setupModelDb();
const raw = (sql: string, ...params: unknown[]) => {
  const db = new Database(database.file, { readonly: true });
  try {
    return db.prepare(sql).all(...params) as Record<string, unknown>[];
  } finally {
    db.close();
  }
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const roles = () => raw(`SELECT "id" FROM "Role" WHERE "id" LIKE 'w-%' ORDER BY "id"`).map((r) => r.id);

describe("sqliteDateText", () => {
  it("writes a date exactly as Prisma writes DateTime columns", async () => {
    const user = await insertUser("dates@example.org");
    const when = new Date(Date.UTC(2026, 10, 23, 6, 27, 43, 254));
    await getDb().session.create({ data: { id: "s-dates", userId: user.id, csrfToken: "x", expiresAt: when } });
    const [row] = raw(`SELECT "expiresAt" FROM "Session" WHERE "id" = 's-dates'`);
    expect(sqliteDateText(when)).toBe(row!.expiresAt);
    expect(sqliteDateText(when)).toBe("2026-11-23T06:27:43.254+00:00");
  });
});

describe("writeTransaction", () => {
  it("commits its statements together", async () => {
    const changes = await writeTransaction(
      (run) =>
        run(`INSERT INTO "Role" ("id") VALUES (?)`, "w-one").changes +
        run(`INSERT INTO "Role" ("id") VALUES (?)`, "w-two").changes,
    );
    expect(changes).toBe(2);
    expect(roles()).toEqual(["w-one", "w-two"]);
  });

  it("rolls everything back when the work throws", async () => {
    const failed = writeTransaction((run) => {
      run(`INSERT INTO "Role" ("id") VALUES (?)`, "w-three");
      run(`INSERT INTO "Role" ("id") VALUES (?)`, "w-one"); // already there
    });
    const error = await failed.catch((e: unknown) => e);
    expect(isDuplicate(error)).toBe(true); // a primary key
    expect(roles()).toEqual(["w-one", "w-two"]);
  });

  it("reports a broken UNIQUE index as a duplicate too, and other errors as themselves", async () => {
    await insertUser("taken@example.org");
    const insert = `INSERT INTO "User" ("id", "email", "name", "registrationNumber", "regulator", "updatedAt") VALUES (?, ?, 'N', 'R', 'coto', ?)`;
    const duplicate = await writeTransaction((run) =>
      run(insert, "u-dup", "taken@example.org", sqliteDateText(new Date())),
    ).catch((e: unknown) => e);
    expect(isDuplicate(duplicate)).toBe(true);
    const orphan = await writeTransaction((run) =>
      run(
        `INSERT INTO "Session" ("id", "userId", "csrfToken", "expiresAt") VALUES ('s-orphan', 'no-such-user', 'x', ?)`,
        sqliteDateText(new Date()),
      ),
    ).catch((e: unknown) => e);
    expect(isDuplicate(orphan)).toBe(false);
    expect((orphan as { code?: string }).code).toBe("SQLITE_CONSTRAINT_FOREIGNKEY");
  });

  it("waits for an open Prisma transaction instead of meeting its lock half-way", async () => {
    let inside!: () => void;
    const opened = new Promise<void>((resolve) => (inside = resolve));
    const events: string[] = [];
    const prisma = getDb().$transaction(async (tx) => {
      await tx.role.create({ data: { id: "w-prisma" } });
      inside();
      await pause(100); // another request runs meanwhile
      events.push("prisma commits");
    });
    await opened;
    // With SQLite's synchronous busy wait, writing now would block the event loop the open
    // transaction needs to finish, then fail with SQLITE_BUSY.
    const write = writeTransaction((run) => {
      events.push("write runs");
      return run(`INSERT INTO "Role" ("id") VALUES (?)`, "w-after").changes;
    });
    await Promise.all([prisma, write]);
    expect(events).toEqual(["prisma commits", "write runs"]);
    expect(roles()).toEqual(["w-after", "w-one", "w-prisma", "w-two"]);
  });
});
