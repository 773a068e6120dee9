// What the reviewer-role migration does to a database made before it: every author grant gets a
// reviewer grant for the same regulator (authors approved each other's drafts until then), and
// nobody else gains one.
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { makeDbBefore } from "../../tests/support/temp-db";

const STAMP = "20261215200000_reviewer_role";
const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()));

describe("the reviewer-role migration", () => {
  it("gives every author a reviewer grant for the same regulator, and nobody else", () => {
    const { file, apply, cleanup } = makeDbBefore(STAMP);
    temps.push(cleanup);
    const db = new Database(file);
    const now = new Date().toISOString();
    const user = db.prepare(
      `INSERT INTO "User" (id, email, name, registrationNumber, regulator, locale, createdAt, updatedAt)
       VALUES (?, ?, ?, '', 'coto', 'en', ?, ?)`,
    );
    for (const id of ["u-author", "u-two", "u-educator", "u-operator"]) user.run(id, `${id}@x.test`, id, now, now);
    const role = db.prepare(`INSERT INTO "UserRole" (userId, roleId, regulatorId) VALUES (?, ?, ?)`);
    role.run("u-author", "author", "coto");
    role.run("u-two", "author", "coto");
    role.run("u-two", "author", "demo");
    role.run("u-two", "admin", "demo");
    role.run("u-educator", "educator", "coto");
    role.run("u-operator", "operator", "*");
    db.close();

    expect(apply()).toEqual([STAMP]);
    const after = new Database(file, { readonly: true });
    expect(after.prepare(`SELECT id FROM "Role" WHERE id = 'reviewer'`).all()).toEqual([{ id: "reviewer" }]);
    expect(
      after.prepare(`SELECT userId, roleId, regulatorId FROM "UserRole" ORDER BY userId, roleId, regulatorId`).all(),
    ).toEqual([
      { userId: "u-author", roleId: "author", regulatorId: "coto" },
      { userId: "u-author", roleId: "reviewer", regulatorId: "coto" },
      { userId: "u-educator", roleId: "educator", regulatorId: "coto" },
      { userId: "u-operator", roleId: "operator", regulatorId: "*" },
      { userId: "u-two", roleId: "admin", regulatorId: "demo" },
      { userId: "u-two", roleId: "author", regulatorId: "coto" },
      { userId: "u-two", roleId: "author", regulatorId: "demo" },
      { userId: "u-two", roleId: "reviewer", regulatorId: "coto" },
      { userId: "u-two", roleId: "reviewer", regulatorId: "demo" },
    ]);
    after.close();
  });
});
