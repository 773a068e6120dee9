// The admin area's people pages over real HTTP against the production server: two regulators'
// admins (coto, demo-psychotherapy) and an operator. Outside one's scope is 404 by every route;
// roles are granted and revoked and the account's history says who and why; a deactivated person
// is signed out and cannot sign in until reactivated; a reset link arrives by mail (a real SMTP
// server on loopback) and sets a new password.
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { listAudit } from "~/models/audit.server";
import { createUser } from "~/models/user.server";
import type { Grant, Role } from "~/utils/roles";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";
import { startMailbox, type TestMailbox } from "../support/smtp";

const PUBLIC_URL = "https://vignette.people.example";
const PASSWORD = "correct horse battery staple";
const NEW_PASSWORD = "a brand new passphrase 5521";
const COTO = "coto";
const DEMO = "demo-psychotherapy";

let mailbox: TestMailbox;
let server: TestServer;

let counter = 0;
async function account(regulator: string, roles: Role[] = ["learner"], grants: Grant[] = [], name?: string) {
  const n = ++counter;
  const email = `people-${n}@admin-people.test`;
  const user = await createUser({
    email,
    name: name ?? `People ${n}`,
    password: PASSWORD,
    registrationNumber: `AP-${n}`,
    regulator,
    locale: "en",
    roles,
    grants,
  });
  return { id: user.id, email };
}

async function signIn(email: string): Promise<Client> {
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

/** The account's audit entries, read through the model (either engine). */
async function auditOf(userId: string) {
  return (await listAudit(`account:${userId}`)).map(({ action, actorId, detail }) => ({ action, actorId, detail }));
}

let cotoAdmin: { id: string; email: string; client: Client };
let demoAdmin: { id: string; email: string; client: Client };
let operator: { id: string; email: string; client: Client };

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({
    env: { SMTP_URL: mailbox.url, MAIL_FROM: "CE Office <ce@college.example>", PUBLIC_URL },
  });
  const c = await account(COTO, ["admin"]);
  const d = await account(DEMO, ["admin"]);
  const o = await account(COTO, ["operator"]);
  cotoAdmin = { ...c, client: await signIn(c.email) };
  demoAdmin = { ...d, client: await signIn(d.email) };
  operator = { ...o, client: await signIn(o.email) };
});
afterAll(async () => {
  await server?.stop();
  await mailbox?.stop();
});

describe("who reaches the people pages", () => {
  it("admins and operators only; learners and other staff get 403, visitors the sign-in page", async () => {
    expect((await cotoAdmin.client.get("/admin/people")).status).toBe(200);
    expect((await operator.client.get("/admin/people")).status).toBe(200);
    const author = await account(COTO, ["author"]);
    expect((await (await signIn(author.email)).get("/admin/people")).status).toBe(403);
    const visitor = await new Client(server.url).get("/admin/people");
    expect(visitor.status).toBe(302);
    expect(visitor.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("lists the admin's own people, in English and French, and nobody else's", async () => {
    await account(COTO, ["learner"], [], "Yannick Cotonly");
    await account(DEMO, ["learner"], [], "Yolande Demonly");
    const coto = text((await cotoAdmin.client.get("/admin/people?q=Y")).html);
    expect(coto).toContain("Yannick Cotonly");
    expect(coto).not.toContain("Yolande Demonly");
    const all = text((await operator.client.get("/admin/people?q=y")).html);
    expect([all.includes("Yannick Cotonly"), all.includes("Yolande Demonly")]).toEqual([true, true]);
    expect(all).toContain("You see every account of this deployment.");
    const french = await operator.client.post("/locale", { locale: "fr", redirectTo: "/admin/people" });
    expect(french.status).toBeLessThan(400);
    const fr = text((await operator.client.get("/admin/people?q=Y")).html);
    expect(fr).toContain("Vous voyez tous les comptes de ce déploiement.");
    await operator.client.post("/locale", { locale: "en", redirectTo: "/admin/people" });
  });

  it("answers 404 for a person outside the admin's scope, on the page and on every action, changing nothing", async () => {
    const demoLearner = await account(DEMO);
    const url = `/admin/people/${demoLearner.id}`;
    expect((await cotoAdmin.client.get(url)).status).toBe(404);
    expect((await demoAdmin.client.get(url)).status).toBe(200);
    expect((await cotoAdmin.client.get("/admin/people/no-such-person")).status).toBe(404);
    await cotoAdmin.client.get("/admin/people");
    const attempts: Record<string, string>[] = [
      { intent: "grant", grant: `author@${COTO}`, grantReason: "Trying my luck." },
      { intent: "revoke", revoke: `learner@*`, revokeReason: "Trying my luck." },
      { intent: "deactivate", accountReason: "Trying my luck." },
      { intent: "sessions", accountReason: "Trying my luck." },
      { intent: "reset", accountReason: "Trying my luck." },
      { intent: "deactivate", accountReason: "" },
    ];
    for (const fields of attempts) {
      expect([fields.intent, (await cotoAdmin.client.post(url, fields)).status]).toEqual([fields.intent, 404]);
    }
    expect(await auditOf(demoLearner.id)).toEqual([]);
  });

  it("refuses a post without the session's CSRF token", async () => {
    const learner = await account(COTO);
    const page = await cotoAdmin.client.post(
      `/admin/people/${learner.id}`,
      { intent: "sessions", accountReason: "No token here." },
      { csrf: false },
    );
    expect(page.status).toBe(403);
    expect(await auditOf(learner.id)).toEqual([]);
  });
});

describe("roles", () => {
  it("grants and revokes a role for the admin's regulator, audited with who and why", async () => {
    const learner = await account(COTO);
    const url = `/admin/people/${learner.id}`;
    const page = await cotoAdmin.client.get(url);
    expect(page.html).toContain(`value="author@${COTO}"`);
    expect(page.html).not.toContain(`value="author@${DEMO}"`);
    expect(page.html).not.toContain(`value="operator@*"`);

    const granted = await cotoAdmin.client.post(url, {
      intent: "grant",
      grant: `author@${COTO}`,
      grantReason: "New author for the spring cases.",
    });
    expect(granted.status).toBe(200);
    expect(text(granted.html)).toContain("Role granted.");
    // The person's next request is an author's.
    expect((await (await signIn(learner.email)).get("/studio")).status).toBe(200);

    const revoked = await cotoAdmin.client.post(url, {
      intent: "revoke",
      revoke: `author@${COTO}`,
      revokeReason: "Left the authoring team.",
    });
    expect(revoked.status).toBe(200);
    expect(await auditOf(learner.id)).toEqual([
      {
        action: "role_granted",
        actorId: cotoAdmin.id,
        detail: { role: "author", regulator: COTO, reason: "New author for the spring cases." },
      },
      {
        action: "role_revoked",
        actorId: cotoAdmin.id,
        detail: { role: "author", regulator: COTO, reason: "Left the authoring team." },
      },
    ]);
    const history = text((await cotoAdmin.client.get(url)).html);
    expect(history).toContain("Role revoked");
    expect(history).toContain("Left the authoring team.");
  });

  it("refuses another regulator's role, the operator role and a missing reason, with the reason kept", async () => {
    const learner = await account(COTO);
    const url = `/admin/people/${learner.id}`;
    await cotoAdmin.client.get(url);
    const foreign = await cotoAdmin.client.post(url, {
      intent: "grant",
      grant: `author@${DEMO}`,
      grantReason: "Should not work.",
    });
    expect(foreign.status).toBe(400);
    expect(text(foreign.html)).toContain("You can grant and revoke roles only for your own regulators.");
    const operatorRole = await cotoAdmin.client.post(url, {
      intent: "grant",
      grant: "operator@*",
      grantReason: "Should not work.",
    });
    expect(operatorRole.status).toBe(403);
    const noReason = await cotoAdmin.client.post(url, { intent: "grant", grant: `author@${COTO}`, grantReason: "ok" });
    expect(noReason.status).toBe(400);
    expect(text(noReason.html)).toContain("Say why (5 to 1000 characters).");
    expect(noReason.html).toContain(">ok</textarea>");
    const badBody = await cotoAdmin.client.post(url, {
      intent: "grant",
      grant: "root@everything",
      grantReason: "Hmm hmm.",
    });
    expect(badBody.status).toBe(400);
    expect(await auditOf(learner.id)).toEqual([]);
  });

  it("nobody revokes their own last admin role", async () => {
    const url = `/admin/people/${demoAdmin.id}`;
    await demoAdmin.client.get(url);
    const page = await demoAdmin.client.post(url, {
      intent: "revoke",
      revoke: `admin@${DEMO}`,
      revokeReason: "Stepping down today.",
    });
    expect(page.status).toBe(409);
    expect(text(page.html)).toContain("You cannot revoke your own last admin role");
    expect((await demoAdmin.client.get("/admin/people")).status).toBe(200);
  });
});

describe("deactivation", () => {
  it("signs the person out, refuses their right password, and reactivation lets them in again", async () => {
    const learner = await account(COTO);
    const theirs = await signIn(learner.email);
    expect((await theirs.get("/me/account")).status).toBe(200);
    const url = `/admin/people/${learner.id}`;
    await cotoAdmin.client.get(url);
    const done = await cotoAdmin.client.post(url, { intent: "deactivate", accountReason: "Registration suspended." });
    expect(done.status).toBe(200);
    expect(text(done.html)).toContain("Account deactivated; 1 session(s) ended.");
    expect((await theirs.get("/me/account")).status).toBe(302);
    const refused = await new Client(server.url).login(learner.email, PASSWORD);
    expect(refused.status).toBe(401);

    await cotoAdmin.client.post(url, { intent: "reactivate", accountReason: "Suspension lifted." });
    expect((await new Client(server.url).login(learner.email, PASSWORD)).status).toBe(302);
    expect(
      (await auditOf(learner.id)).map((e) => [e.action, e.actorId, (e.detail as { reason?: string }).reason]),
    ).toEqual([
      ["account_deactivated", cotoAdmin.id, "Registration suspended."],
      ["account_reactivated", cotoAdmin.id, "Suspension lifted."],
    ]);
  });

  it("a regulator admin cannot deactivate the operator; an admin cannot deactivate themselves", async () => {
    const url = `/admin/people/${operator.id}`;
    const page = await cotoAdmin.client.get(url);
    expect(page.status).toBe(200);
    expect(text(page.html)).toContain("only an operator can deactivate the account");
    const refused = await cotoAdmin.client.post(url, { intent: "deactivate", accountReason: "Taking over." });
    expect(refused.status).toBe(403);
    const self = await cotoAdmin.client.post(`/admin/people/${cotoAdmin.id}`, {
      intent: "deactivate",
      accountReason: "Oops, myself.",
    });
    expect(self.status).toBe(409);
    expect((await operator.client.get("/admin/people")).status).toBe(200);
  });
});

describe("sessions and reset links", () => {
  it("signs a person out everywhere", async () => {
    const learner = await account(DEMO);
    const theirs = await signIn(learner.email);
    const url = `/admin/people/${learner.id}`;
    await demoAdmin.client.get(url);
    const done = await demoAdmin.client.post(url, { intent: "sessions", accountReason: "Lost their laptop." });
    expect(text(done.html)).toContain("1 session(s) ended.");
    expect((await theirs.get("/me/account")).status).toBe(302);
  });

  it("mails a reset link that sets a new password", async () => {
    const learner = await account(DEMO);
    const url = `/admin/people/${learner.id}`;
    await operator.client.get(url);
    const done = await operator.client.post(url, { intent: "reset", accountReason: "Asked by phone." });
    expect(text(done.html)).toContain(`A password reset link is on its way to ${learner.email}`);
    await vi.waitFor(() => expect(mailbox.received.some((m) => m.text?.includes("/set-password?token="))).toBe(true), {
      timeout: 30_000,
      interval: 100,
    });
    const mail = mailbox.received.find((m) => m.text?.includes("/set-password?token="))!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe(learner.email);
    const link = /(https:\/\/vignette\.people\.example\/set-password\?token=\S+)/.exec(mail.text ?? "")![1]!;
    const token = new URL(link).searchParams.get("token")!;
    const client = new Client(server.url);
    await client.get(`/set-password?token=${token}`);
    const set = await client.post("/set-password", { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(set.status).toBeLessThan(400);
    expect((await new Client(server.url).login(learner.email, NEW_PASSWORD)).status).toBe(302);
    expect(await auditOf(learner.id)).toEqual([
      { action: "reset_link_sent", actorId: operator.id, detail: { reason: "Asked by phone." } },
    ]);
  });
});
