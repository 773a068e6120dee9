import { afterAll, describe, expect, it } from "vitest";
import { makeMigratedDb } from "../../tests/support/temp-db";
import { createDb } from "./db.server";
import { Lock } from "./serialized-adapter.server";

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
    const independent =
      db.$executeRaw`INSERT INTO "LoginThrottle" ("key", "failures", "windowStart") VALUES ('ip:203.0.113.9', 1, ${new Date()})`.then(
        (count) => count,
      );
    expect(await failing).toBe("rolled back on purpose");
    await independent;
    expect(await db.role.findUnique({ where: { id: "temporary" } })).toBeNull();
    expect(await db.loginThrottle.findUnique({ where: { key: "ip:203.0.113.9" } })).not.toBeNull();
  });

  it("runs queries issued during a transaction after it, in order, and keeps both results", async () => {
    const order: string[] = [];
    const rolesBefore = await db.role.count();
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
    expect(await read).toBe(rolesBefore + 1);
    expect(order).toEqual(["transaction done", "read"]);
    await db.role.delete({ where: { id: "tx-role" } });
  });
});

describe("Lock", () => {
  it("hands the lock over in order", async () => {
    const lock = new Lock(1000);
    const order: number[] = [];
    const holders = [1, 2, 3].map((n) =>
      lock.acquire().then(async (release) => {
        order.push(n);
        await pause(5);
        release();
      }),
    );
    await Promise.all(holders);
    expect(order).toEqual([1, 2, 3]);
  });

  it("after a waiter times out, the next ones still get the lock once the holder lets go", async () => {
    const lock = new Lock(30);
    const releaseFirst = await lock.acquire();
    const gaveUp = lock.acquire().then(
      () => "acquired",
      (error: Error) => error.message,
    );
    expect(await gaveUp).toMatch(/lock wait timed out/);
    releaseFirst();
    // Before the fix, the abandoned turn was never released and every later acquire timed out too.
    const releaseThird = await lock.acquire();
    releaseThird();
    const releaseFourth = await lock.acquire();
    releaseFourth();
  });
});
