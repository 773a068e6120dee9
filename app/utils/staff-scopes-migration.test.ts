// What the staff-scopes migration does to the roles and drafts of a database made before it: an
// admin (who could act on every regulator) becomes the operator, other staff roles are held for the
// person's own regulator, and drafts take their case's regulator, or the one their source names.
import Database from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { makeDbBefore } from "../../tests/support/temp-db";

const STAMP = "20261213200000_staff_scopes";
const temps: Array<() => void> = [];
afterEach(() => temps.splice(0).forEach((cleanup) => cleanup()));

describe("the staff-scopes migration", () => {
  it("turns admins into operators, scopes other staff to their regulator, and gives drafts a regulator", () => {
    const { file, apply, cleanup } = makeDbBefore(STAMP);
    temps.push(cleanup);
    const db = new Database(file);
    const now = new Date().toISOString();
    const user = db.prepare(
      `INSERT INTO "User" (id, email, name, registrationNumber, regulator, locale, createdAt, updatedAt)
       VALUES (?, ?, ?, '', ?, 'en', ?, ?)`,
    );
    user.run("u-admin", "admin@x.test", "Admin", "coto", now, now);
    user.run("u-author", "author@x.test", "Author", "coto", now, now);
    user.run("u-learner", "learner@x.test", "Learner", "demo", now, now);
    const role = db.prepare(`INSERT INTO "UserRole" (userId, roleId) VALUES (?, ?)`);
    role.run("u-admin", "admin");
    role.run("u-admin", "author");
    role.run("u-author", "author");
    role.run("u-author", "registrar");
    role.run("u-learner", "learner");
    db.prepare(`INSERT INTO "Case" (slug, regulator, createdAt) VALUES ('known', 'coto', ?)`).run(now);
    const draft = db.prepare(
      `INSERT INTO "CaseDraft" (id, slug, source, createdById, updatedById, createdAt, updatedAt)
       VALUES (?, ?, ?, 'u-author', 'u-author', ?, ?)`,
    );
    draft.run("d-known", "known", `{"slug": "known", "regulator": "elsewhere"}`, now, now);
    draft.run("d-new", "fresh", `{"slug": "fresh", "regulator": "demo"}`, now, now);
    draft.run("d-broken", "", "{ not json", now, now);
    db.close();

    expect(apply()).toEqual([STAMP]);
    const after = new Database(file, { readonly: true });
    expect(after.prepare(`SELECT userId, roleId, regulatorId FROM "UserRole" ORDER BY userId, roleId`).all()).toEqual([
      { userId: "u-admin", roleId: "author", regulatorId: "coto" },
      { userId: "u-admin", roleId: "operator", regulatorId: "*" },
      { userId: "u-author", roleId: "author", regulatorId: "coto" },
      { userId: "u-author", roleId: "registrar", regulatorId: "coto" },
      { userId: "u-learner", roleId: "learner", regulatorId: "*" },
    ]);
    expect(after.prepare(`SELECT id, regulator FROM "CaseDraft" ORDER BY id`).all()).toEqual([
      { id: "d-broken", regulator: "" },
      // The case's regulator wins over what a draft's source says.
      { id: "d-known", regulator: "coto" },
      { id: "d-new", regulator: "demo" },
    ]);
    after.close();
  });
});
