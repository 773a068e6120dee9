import { afterAll, describe, expect, it } from "vitest";
import { makeMigratedDb } from "../../tests/support/temp-db";
import { createDb } from "./db.server";

const database = makeMigratedDb();
const db = createDb(database.file);
afterAll(async () => {
  await db.$disconnect();
  database.cleanup();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("one SQLite connection shared by concurrent requests", () => {
  it("does not let a rolled-back transaction take another request's write with it", async () => {
    let wrote!: () => void;
    const transactionHasWritten = new Promise<void>((resolve) => (wrote = resolve));
    const failing = db
      .$transaction(async (tx) => {
        await tx.role.create({ data: { id: "temporary" } });
        wrote();
        await pause(50); // another request runs meanwhile
        throw new Error("rolled back on purpose");
      })
      .catch((error: Error) => error.message);
    await transactionHasWritten;
    // "Another request": a single-statement write while the transaction above is open (Prisma
    // sends it straight to the connection, without a transaction of its own).
    // (Prisma's promises are lazy: .then() sends the query now.)
    const independent = db.$executeRaw`INSERT INTO "LoginThrottle" ("key", "failures", "windowStart") VALUES ('ip:203.0.113.9', 1, ${new Date()})`.then(
      (count) => count,
    );
    expect(await failing).toBe("rolled back on purpose");
    await independent;
    expect(await db.role.findUnique({ where: { id: "temporary" } })).toBeNull();
    expect(await db.loginThrottle.findUnique({ where: { key: "ip:203.0.113.9" } })).not.toBeNull();
  });

  it("runs queries issued during a transaction after it, in order, and keeps both results", async () => {
    const order: string[] = [];
    let wrote!: () => void;
    const transactionHasWritten = new Promise<void>((resolve) => (wrote = resolve));
    const transaction = db.$transaction(async (tx) => {
      await tx.role.create({ data: { id: "tx-role" } });
      wrote();
      await pause(30);
      order.push("transaction done");
    });
    await transactionHasWritten;
    const read = db.role.count().then((n) => {
      order.push("read");
      return n;
    });
    await transaction;
    // The read waited for the commit, so it sees the committed row.
    expect(await read).toBe(5);
    expect(order).toEqual(["transaction done", "read"]);
    await db.role.delete({ where: { id: "tx-role" } });
  });
});
