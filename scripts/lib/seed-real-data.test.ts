// `npm start` on a database that already holds a regulator's own cases: real data, left alone.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { setupModelDb } from "../../tests/support/model-db";
import { publishFiles } from "./publish";
import { seed } from "./seed";

setupModelDb();

describe("seed on a database with cases already", () => {
  it("imports no demo content and creates no demo accounts", async () => {
    await publishFiles(getDb(), [path.resolve("tests/fixtures/valid")]);
    await seed({ demoAccounts: true });
    const db = getDb();
    expect((await db.case.findMany()).map((c) => c.slug)).toEqual(["mini-case"]);
    expect(await db.user.count()).toBe(0);
    expect(await db.cohort.count()).toBe(0);
  });
});
