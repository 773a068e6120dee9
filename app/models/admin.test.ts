// The admin area's rules against a real migrated database: two regulators (coto, demo-psychotherapy)
// with an admin each, and operators. Every rule of admin.server.ts: who is in whose scope, what may be
// granted and revoked by whom, that nobody locks themselves or the deployment out, and that a
// deactivated account has no session and cannot sign in.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { parseGrants, type Grant } from "~/utils/roles";
import { getCurrentSession, startSession } from "~/utils/session.server";
import { setupModelDb } from "../../tests/support/model-db";
import {
  deactivateAccount,
  getPerson,
  grantRole,
  PEOPLE_PAGE_SIZE,
  personInScope,
  reactivateAccount,
  resetTwoFactor,
  revokeRole,
  revokeSessions,
  searchPeople,
  sendResetLink,
  type AdminActor,
} from "./admin.server";
import { listAudit } from "./audit.server";
import { publishContent } from "./content.server";
import { signInSecondStep } from "./two-factor.server";
import { createUser, verifyLogin } from "./user.server";

setupModelDb();

const COTO = "coto";
const DEMO = "demo-psychotherapy";
const PASSWORD = "correct horse battery staple";
const why = { reason: "Asked by the registrar, ticket 42." };

let counter = 0;
/** An account with grants ("role@regulator"), and the actor shape the model takes. */
async function person(regulator: string, grants: string[] = [], fields: { name?: string; email?: string } = {}) {
  const n = ++counter;
  const parsed = parseGrants(grants.join(","));
  const user = await createUser({
    email: fields.email ?? `person-${n}@admin.test`,
    name: fields.name ?? `Person ${String(n).padStart(3, "0")}`,
    password: PASSWORD,
    registrationNumber: `REG-${n}`,
    regulator,
    locale: "en",
    grants: parsed,
  });
  return await actorOf(user.id);
}

/** The actor as a session would have it: the grants as they are now in the database. */
async function actorOf(id: string): Promise<AdminActor & { email: string }> {
  const user = await getDb().user.findUniqueOrThrow({ where: { id }, include: { roles: true } });
  const grants: Grant[] = parseGrants(user.roles.map((r) => `${r.roleId}@${r.regulatorId}`).join(","));
  return { id, grants, email: user.email };
}

const sessionsOf = (userId: string) => getDb().session.count({ where: { userId } });

async function requestWith(setCookie: string): Promise<Request> {
  return new Request("http://localhost/", { headers: { Cookie: setCookie.split(";")[0]! } });
}

let cotoAdmin: AdminActor & { email: string };
let demoAdmin: AdminActor & { email: string };
let operator: AdminActor & { email: string };

beforeAll(async () => {
  const { regulators } = loadContent([path.resolve("cases")]);
  await publishContent(getDb(), { regulators, catalogs: [], cases: [] });
  cotoAdmin = await person(COTO, [`admin@${COTO}`]);
  demoAdmin = await person(DEMO, [`admin@${DEMO}`]);
  operator = await person(COTO, ["operator@*"]);
});

describe("scope", () => {
  it("an admin finds the people of their regulator and those holding a role for it; an operator finds everyone", async () => {
    const cotoLearner = await person(COTO, [], { name: "Zacharie Scope" });
    const demoLearner = await person(DEMO, [], { name: "Zoé Scope" });
    const demoWithCotoRole = await person(DEMO, [`author@${COTO}`], { name: "Zelda Scope" });
    const names = async (actor: AdminActor) => (await searchPeople(actor, "Z")).people.map((p) => p.name);
    expect(await names(cotoAdmin)).toEqual(["Zacharie Scope", "Zelda Scope"]);
    expect(await names(demoAdmin)).toEqual(["Zelda Scope", "Zoé Scope"]);
    expect(await names(operator)).toEqual(["Zacharie Scope", "Zelda Scope", "Zoé Scope"]);

    expect(await getPerson(cotoAdmin, demoLearner.id)).toBeNull();
    expect(await personInScope(cotoAdmin, demoLearner.id)).toBe(false);
    expect(await getPerson(cotoAdmin, cotoLearner.id)).not.toBeNull();
    expect(await getPerson(operator, demoLearner.id)).not.toBeNull();
    // Someone without an admin role administers nowhere.
    expect((await searchPeople(demoWithCotoRole, "")).people).toEqual([]);
  });

  it("shows only the roles held for the admin's regulators (and platform roles)", async () => {
    const both = await person(COTO, [`author@${COTO}`, `educator@${DEMO}`]);
    expect((await getPerson(cotoAdmin, both.id))!.grants).toEqual([{ role: "author", regulator: COTO }]);
    expect((await getPerson(demoAdmin, both.id))!.grants).toEqual([{ role: "educator", regulator: DEMO }]);
    expect((await getPerson(operator, both.id))!.grants).toHaveLength(2);
  });
});

describe("search", () => {
  it("matches an email prefix, a name prefix as typed or capitalized, and a registration number exactly", async () => {
    const target = await person(COTO, [], { name: "Tremblay Searchable", email: "tremblay.search@admin.test" });
    const ids = async (term: string) => (await searchPeople(operator, term)).people.map((p) => p.id);
    expect(await ids("tremblay.se")).toEqual([target.id]);
    expect(await ids("TREMBLAY.SEARCH@admin.test")).toEqual([target.id]);
    expect(await ids("Tremblay Sea")).toEqual([target.id]);
    expect(await ids("tremblay sea")).toEqual([target.id]);
    const row = await getDb().user.findUniqueOrThrow({ where: { id: target.id } });
    expect(await ids(row.registrationNumber)).toEqual([target.id]);
    expect(await ids(row.registrationNumber.slice(0, -1))).not.toContain(target.id);
    expect(await ids("Searchable")).toEqual([]);
  });

  it("pages through every match once, PEOPLE_PAGE_SIZE at a time", async () => {
    const made = new Set<string>();
    for (let i = 0; i < PEOPLE_PAGE_SIZE + 5; i++) made.add((await person(COTO, [], { name: `Paged ${i}` })).id);
    const first = await searchPeople(cotoAdmin, "Paged");
    expect(first.people).toHaveLength(PEOPLE_PAGE_SIZE);
    expect(first.next).not.toBeNull();
    const second = await searchPeople(cotoAdmin, "Paged", first.next);
    expect(second.people).toHaveLength(5);
    expect(second.next).toBeNull();
    expect(new Set([...first.people, ...second.people].map((p) => p.id))).toEqual(made);
  });

  it("tells each account's status", async () => {
    const someone = await person(COTO, [], { name: "Status Person" });
    expect((await searchPeople(cotoAdmin, "Status Person")).people[0]!.status).toBe("active");
    await deactivateAccount(cotoAdmin, someone.id, why);
    expect((await searchPeople(cotoAdmin, "Status Person")).people[0]!.status).toBe("deactivated");
  });
});

describe("granting and revoking roles", () => {
  it("grants a role for the admin's regulator, audited with who, the regulator and why", async () => {
    const target = await person(COTO);
    const at = new Date("2026-12-02T15:00:00Z");
    expect(await grantRole(cotoAdmin, target.id, { role: "author", regulator: COTO }, { ...why, now: at })).toEqual({
      ok: true,
      value: null,
    });
    expect((await actorOf(target.id)).grants).toContainEqual({ role: "author", regulator: COTO });
    const [entry] = await listAudit(`account:${target.id}`);
    expect(entry).toMatchObject({
      action: "role_granted",
      actorId: cotoAdmin.id,
      createdAt: at,
      detail: { role: "author", regulator: COTO, reason: why.reason },
    });
    expect(await grantRole(cotoAdmin, target.id, { role: "author", regulator: COTO }, why)).toEqual({
      ok: false,
      code: "already-held",
    });
  });

  it("refuses roles for another regulator, the operator role to a regulator admin, and people outside the scope", async () => {
    const target = await person(COTO);
    const demoOnly = await person(DEMO);
    expect(await grantRole(cotoAdmin, target.id, { role: "author", regulator: DEMO }, why)).toEqual({
      ok: false,
      code: "out-of-scope",
    });
    expect(await grantRole(cotoAdmin, target.id, { role: "operator", regulator: "*" }, why)).toEqual({
      ok: false,
      code: "operator-only",
    });
    expect(await grantRole(cotoAdmin, demoOnly.id, { role: "author", regulator: COTO }, why)).toEqual({
      ok: false,
      code: "not-found",
    });
    expect(await grantRole(operator, target.id, { role: "author", regulator: "no-such-regulator" }, why)).toEqual({
      ok: false,
      code: "out-of-scope",
    });
    expect(await listAudit(`account:${target.id}`)).toEqual([]);
    expect((await actorOf(target.id)).grants).toEqual([{ role: "learner", regulator: "*" }]);
  });

  it("grants and revokes the reviewer role for the admin's regulator only", async () => {
    const target = await person(COTO, [`author@${COTO}`]);
    const reviewer = { role: "reviewer", regulator: COTO } as const;
    expect(await grantRole(cotoAdmin, target.id, { role: "reviewer", regulator: DEMO }, why)).toEqual({
      ok: false,
      code: "out-of-scope",
    });
    expect(await grantRole(cotoAdmin, target.id, reviewer, why)).toEqual({ ok: true, value: null });
    expect((await actorOf(target.id)).grants).toContainEqual(reviewer);
    expect(await revokeRole(cotoAdmin, target.id, reviewer, why)).toEqual({ ok: true, value: null });
    expect((await actorOf(target.id)).grants).not.toContainEqual(reviewer);
    expect((await listAudit(`account:${target.id}`)).map((e) => [e.action, e.detail])).toEqual([
      ["role_granted", { role: "reviewer", regulator: COTO, reason: why.reason }],
      ["role_revoked", { role: "reviewer", regulator: COTO, reason: why.reason }],
    ]);
  });

  it("lets an operator grant and revoke the operator role", async () => {
    const target = await person(DEMO);
    expect((await grantRole(operator, target.id, { role: "operator", regulator: "*" }, why)).ok).toBe(true);
    expect((await revokeRole(operator, target.id, { role: "operator", regulator: "*" }, why)).ok).toBe(true);
    expect((await listAudit(`account:${target.id}`)).map((e) => e.action)).toEqual(["role_granted", "role_revoked"]);
  });

  it("nobody revokes their own last admin or operator role", async () => {
    const admin = await person(COTO, [`admin@${COTO}`]);
    expect(await revokeRole(admin, admin.id, { role: "admin", regulator: COTO }, why)).toEqual({
      ok: false,
      code: "own-last-admin",
    });
    // With a second admin role, one may go.
    const twice = await person(COTO, [`admin@${COTO}`, `admin@${DEMO}`]);
    expect((await revokeRole(twice, twice.id, { role: "admin", regulator: DEMO }, why)).ok).toBe(true);
    expect(await revokeRole(twice, twice.id, { role: "admin", regulator: COTO }, why)).toEqual({
      ok: false,
      code: "own-last-admin",
    });
    // Another admin of the regulator may.
    expect((await revokeRole(cotoAdmin, admin.id, { role: "admin", regulator: COTO }, why)).ok).toBe(true);
  });

  it("the last active operator stays: deactivated operators do not count", async () => {
    // A fresh database state of operators: the shared one plus two made here.
    const a = await person(COTO, ["operator@*", `admin@${COTO}`]);
    const b = await person(COTO, ["operator@*"]);
    // Only a and b stay active operators.
    expect((await deactivateAccount(a, operator.id, why)).ok).toBe(true);
    expect((await revokeRole(a, b.id, { role: "operator", regulator: "*" }, why)).ok).toBe(true);
    // a still holds admin@coto, so this is not their last admin role: it is the last operator.
    expect(await revokeRole(a, a.id, { role: "operator", regulator: "*" }, why)).toEqual({
      ok: false,
      code: "last-operator",
    });
    expect((await actorOf(a.id)).grants).toContainEqual({ role: "operator", regulator: "*" });
    expect((await reactivateAccount(a, operator.id, why)).ok).toBe(true);
    expect((await revokeRole(operator, a.id, { role: "operator", regulator: "*" }, why)).ok).toBe(true);
  });
});

describe("deactivation", () => {
  it("ends every session, refuses the right password, reads existing sessions as none; reactivation undoes it", async () => {
    const target = await person(COTO);
    const cookie = await startSession(target.id);
    await startSession(target.id);
    expect(await getCurrentSession(await requestWith(cookie))).not.toBeNull();
    expect(await verifyLogin(target.email, PASSWORD)).toBe(target.id);

    expect(await deactivateAccount(cotoAdmin, target.id, why)).toEqual({ ok: true, value: { sessions: 2 } });
    expect(await sessionsOf(target.id)).toBe(0);
    expect(await verifyLogin(target.email, PASSWORD)).toBeNull();
    expect(await deactivateAccount(cotoAdmin, target.id, why)).toEqual({ ok: false, code: "unchanged" });
    // A session started in a race with the deactivation is none either.
    const late = await startSession(target.id);
    expect(await getCurrentSession(await requestWith(late))).toBeNull();
    expect(await sendResetLink(cotoAdmin, target.id, why)).toEqual({ ok: false, code: "deactivated" });

    expect(await reactivateAccount(cotoAdmin, target.id, why)).toEqual({ ok: true, value: null });
    expect(await verifyLogin(target.email, PASSWORD)).toBe(target.id);
    const audit = await listAudit(`account:${target.id}`);
    expect(audit.map((e) => [e.action, e.actorId, (e.detail as { reason: string }).reason])).toEqual([
      ["account_deactivated", cotoAdmin.id, why.reason],
      ["account_reactivated", cotoAdmin.id, why.reason],
    ]);
    expect(audit[0]!.detail).toMatchObject({ sessions: 2 });
  });

  it("not oneself, and not someone holding roles beyond the admin's scope", async () => {
    expect(await deactivateAccount(cotoAdmin, cotoAdmin.id, why)).toEqual({ ok: false, code: "self" });
    const alsoDemoStaff = await person(COTO, [`author@${DEMO}`]);
    expect(await deactivateAccount(cotoAdmin, alsoDemoStaff.id, why)).toEqual({ ok: false, code: "beyond-scope" });
    expect(await deactivateAccount(cotoAdmin, operator.id, why)).toEqual({ ok: false, code: "beyond-scope" });
    expect(await revokeSessions(cotoAdmin, operator.id, why)).toEqual({ ok: false, code: "beyond-scope" });
    expect(await sendResetLink(cotoAdmin, operator.id, why)).toEqual({ ok: false, code: "beyond-scope" });
    expect((await getPerson(cotoAdmin, alsoDemoStaff.id))!.manageable).toBe(false);
    expect((await getPerson(operator, alsoDemoStaff.id))!.manageable).toBe(true);
    expect((await deactivateAccount(operator, alsoDemoStaff.id, why)).ok).toBe(true);
  });
});

describe("sessions and reset links", () => {
  it("signs the person out everywhere, audited with the count", async () => {
    const target = await person(DEMO);
    await startSession(target.id);
    expect(await revokeSessions(demoAdmin, target.id, why)).toEqual({ ok: true, value: { sessions: 1 } });
    expect(await sessionsOf(target.id)).toBe(0);
    expect((await listAudit(`account:${target.id}`))[0]).toMatchObject({
      action: "sessions_revoked",
      actorId: demoAdmin.id,
      detail: { sessions: 1, reason: why.reason },
    });
  });

  it("queues a reset message for the account (the link is made when it is sent), audited", async () => {
    const target = await person(DEMO);
    expect(await sendResetLink(demoAdmin, target.id, why)).toEqual({ ok: true, value: { email: target.email } });
    const queued = await getDb().mailMessage.findMany({ where: { userId: target.id } });
    expect(queued).toMatchObject([{ kind: "password_reset", to: target.email, regulator: DEMO, params: "{}" }]);
    expect(await getDb().passwordToken.count({ where: { userId: target.id } })).toBe(0);
    expect((await listAudit(`account:${target.id}`))[0]).toMatchObject({ action: "reset_link_sent" });
  });
});

describe("resetting two-factor sign-in (a lost authenticator)", () => {
  /** Two-factor sign-in turned on for the person, with recovery codes, a second step waiting and a session. */
  async function withTwoFactor(userId: string) {
    const db = getDb();
    await db.twoFactor.create({ data: { userId, secret: "v1:not-a-real-secret", enabledAt: new Date() } });
    await db.recoveryCode.createMany({ data: ["a", "b"].map((code) => ({ userId, codeHash: code.repeat(64) })) });
    await db.pendingLogin.create({
      data: { id: `pending-${userId}`, userId, redirectTo: "/", expiresAt: new Date(Date.now() + 60_000) },
    });
    await startSession(userId);
  }
  const left = async (userId: string) => {
    const db = getDb();
    const [twoFactor, codes, pending, sessions] = await Promise.all([
      db.twoFactor.count({ where: { userId } }),
      db.recoveryCode.count({ where: { userId } }),
      db.pendingLogin.count({ where: { userId } }),
      db.session.count({ where: { userId } }),
    ]);
    return { twoFactor, codes, pending, sessions };
  };

  it("clears it, ends every session, mails the person and audits why; an admin must set it up again", async () => {
    const target = await person(COTO, [`admin@${COTO}`], { email: "lost-phone@admin.test" });
    await withTwoFactor(target.id);
    expect((await getPerson(operator, target.id))!.twoFactorResettable).toBe(true);
    expect(await resetTwoFactor(operator, target.id, why)).toEqual({ ok: true, value: { sessions: 1 } });
    expect(await left(target.id)).toEqual({ twoFactor: 0, codes: 0, pending: 0, sessions: 0 });
    const queued = await getDb().mailMessage.findMany({ where: { userId: target.id } });
    expect(queued).toMatchObject([{ kind: "two_factor_reset", to: "lost-phone@admin.test", regulator: COTO }]);
    expect((await listAudit(`account:${target.id}`))[0]).toMatchObject({
      action: "two_factor_reset",
      actorId: operator.id,
      detail: { reason: why.reason, sessions: 1 },
    });
    // Held at set-up at the next sign-in, as anyone who must use it and has not turned it on.
    expect(await signInSecondStep(target.id)).toBe("enrol");
    expect(await resetTwoFactor(operator, target.id, why)).toEqual({ ok: false, code: "no-two-factor" });
  });

  it("lets a regulator admin reset staff of their scope, never an admin, an operator, another regulator's or their own", async () => {
    const author = await person(COTO, [`author@${COTO}`]);
    const otherAdmin = await person(COTO, [`admin@${COTO}`]);
    const demoAuthor = await person(DEMO, [`author@${DEMO}`]);
    for (const id of [author.id, otherAdmin.id, demoAuthor.id, cotoAdmin.id]) await withTwoFactor(id);

    expect((await getPerson(cotoAdmin, otherAdmin.id))!.twoFactorResettable).toBe(false);
    expect(await resetTwoFactor(cotoAdmin, otherAdmin.id, why)).toEqual({ ok: false, code: "admin-two-factor" });
    expect(await resetTwoFactor(cotoAdmin, operator.id, why)).toEqual({ ok: false, code: "beyond-scope" });
    expect(await resetTwoFactor(cotoAdmin, demoAuthor.id, why)).toEqual({ ok: false, code: "not-found" });
    expect((await getPerson(cotoAdmin, cotoAdmin.id))!.twoFactorResettable).toBe(false);
    expect(await resetTwoFactor(cotoAdmin, cotoAdmin.id, why)).toEqual({ ok: false, code: "own-two-factor" });
    for (const id of [otherAdmin.id, demoAuthor.id, cotoAdmin.id]) {
      expect(await left(id)).toEqual({ twoFactor: 1, codes: 2, pending: 1, sessions: 1 });
      expect(await listAudit(`account:${id}`)).toEqual([]);
    }

    expect((await getPerson(cotoAdmin, author.id))!.twoFactorResettable).toBe(true);
    expect(await resetTwoFactor(cotoAdmin, author.id, why)).toEqual({ ok: true, value: { sessions: 1 } });
    expect(await left(author.id)).toEqual({ twoFactor: 0, codes: 0, pending: 0, sessions: 0 });
    // An author need not use it: they sign in with their password and may turn it on again.
    expect(await signInSecondStep(author.id)).toBe("none");
  });
});

describe("the account's history", () => {
  it("hides entries about another regulator's roles from a regulator admin", async () => {
    const target = await person(COTO);
    await grantRole(operator, target.id, { role: "educator", regulator: DEMO }, why);
    await grantRole(cotoAdmin, target.id, { role: "author", regulator: COTO }, why);
    const seen = (await getPerson(cotoAdmin, target.id))!.history.map((e) => e.detail);
    expect(seen).toEqual([{ role: "author", regulator: COTO, reason: why.reason }]);
    expect((await getPerson(operator, target.id))!.history).toHaveLength(2);
  });
});
