// Cohorts by consent, end to end on the production server (ADR 018): an educator invites an
// account's address and an address without one and gets the same answer; a real SMTP server on
// loopback receives the invitations; the learner follows the link, reads what the educator will see
// and accepts; the educator then sees only attempts started after that, at the cohort's assignments
// (page and CSV alike); the learner leaves and the educator sees nothing more.
import path from "node:path";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/utils/db.server";
import { Client, text, type Page } from "../support/client";
import { passMiniCase } from "../support/play";
import { startServer, type TestServer } from "../support/server";
import { startMailbox, type TestMailbox } from "../support/smtp";

const PUBLIC_URL = "https://vignette.college.example";
const PASSWORD = "consent tests password 4417";

let mailbox: TestMailbox;
let server: TestServer;

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({
    content: [path.resolve("tests/fixtures/valid"), path.resolve("cases")],
    env: { SMTP_URL: mailbox.url, MAIL_FROM: "CE Office <ce@college.example>", PUBLIC_URL },
  });
  const { createUser } = await import("~/models/user.server");
  await createUser({
    email: "teacher@example.test",
    name: "Tess Teacher",
    password: PASSWORD,
    registrationNumber: "ED-9",
    regulator: "coto",
    locale: "en",
    roles: ["educator"],
  });
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
  await mailbox?.stop();
});

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
async function memberEmails(cohortId: string): Promise<string[]> {
  const members = await getDb().cohortMember.findMany({ where: { cohortId }, select: { userId: true } });
  const users = await getDb().user.findMany({
    where: { id: { in: members.map((m) => m.userId) } },
    select: { email: true },
    orderBy: { email: "asc" },
  });
  return users.map((u) => u.email);
}

async function mailTo(address: string): Promise<ParsedMail> {
  let found: ParsedMail | undefined;
  await vi.waitFor(
    () => {
      // The invitation, not /join's address verification (ADR 024).
      found = mailbox.received.find(
        (m) => m.to && !Array.isArray(m.to) && m.to.text === address && m.text?.includes("/invitations/"),
      );
      expect(found, `no mail to ${address}`).toBeDefined();
    },
    { timeout: 30_000, interval: 100 },
  );
  return found!;
}
/** The invitation link's path (/invitations/<token>), taken from the mail as a person would. */
function invitationPathIn(mail: ParsedMail): string {
  const match = /https:\/\/vignette\.college\.example(\/invitations\/[\w-]{43})/.exec(mail.text ?? "");
  if (!match) throw new Error(`no invitation link in:\n${mail.text}`);
  return match[1]!;
}

async function submit(client: Client, url: string, fields: Record<string, string>): Promise<Page> {
  await client.get(url);
  return client.post(url, fields);
}

let counter = 0;
async function newLearner(locale = "en") {
  const client = new Client(server.url);
  const n = ++counter;
  const email = `consent${n}-${Date.now()}@example.test`;
  const page = await client.join({
    name: `Consent Learner ${n}`,
    email,
    password: PASSWORD,
    registrationNumber: `OT-${7000 + n}`,
    regulator: "coto",
    locale,
  });
  expect(page.status).toBe(302);
  return { client, email, name: `Consent Learner ${n}` };
}

/** Plays the fixture mini-case to a pass. */
async function passMini(client: Client) {
  await passMiniCase(client, { reflection: "Private words" });
}

async function educator() {
  const client = new Client(server.url);
  expect((await client.login("teacher@example.test", PASSWORD)).status).toBe(302);
  return client;
}

async function newCohort(edu: Client, name: string): Promise<string> {
  const page = await submit(edu, "/educator?index", { name });
  return /^\/educator\/cohorts\/(\w+)$/.exec(page.location ?? "")![1]!;
}

/** The page with what differs by cohort and address blanked, to compare two answers. */
function normalized(html: string, cohortId: string, cohortName: string, email: string): string {
  return html
    .replaceAll(cohortId, "COHORT")
    .replaceAll(cohortName, "NAME")
    .replaceAll(email, "EMAIL")
    .replace(/\/invite\/[a-z2-9]{26}/g, "/invite/CODE")
    .replace(/name="csrf" value="[^"]*"/g, 'name="csrf"')
    .replace(/name="invitationId" value="[^"]*"/g, 'name="invitationId"')
    .replace(/\bc[a-z0-9]{24}\b/g, "ID") // row ids (the assignment's, the invitation's)
    .replace(/nonce="[^"]*"/g, "nonce");
}

describe("cohort invitations by email", () => {
  it("invites, asks consent, shows only what came after, and lets the learner leave", async () => {
    const edu = await educator();
    const lea = await newLearner("fr");
    // Before any invitation: a pass the educator must never see.
    await passMini(lea.client);

    const withAccount = await newCohort(edu, "Cohort with an account");
    const withoutAccount = await newCohort(edu, "Cohort without one");
    const caseId = (await getDb().case.findUniqueOrThrow({ where: { slug: "mini-case" } })).id;
    await submit(edu, `/educator/cohorts/${withAccount}`, { intent: "assign", target: `case:${caseId}:latest` });
    await submit(edu, `/educator/cohorts/${withoutAccount}`, { intent: "assign", target: `case:${caseId}:latest` });
    const assignmentId = (await getDb().assignment.findFirstOrThrow({ where: { cohortId: withAccount } })).id;

    // The same answer for an account's address and for one no account uses.
    const stranger = `stranger-${Date.now()}@example.test`;
    const a = await submit(edu, `/educator/cohorts/${withAccount}`, { intent: "add-members", emails: lea.email });
    const b = await submit(edu, `/educator/cohorts/${withoutAccount}`, { intent: "add-members", emails: stranger });
    expect([a.status, b.status]).toEqual([200, 200]);
    expect(text(a.html)).toContain("Invitation sent to 1 address.");
    expect(normalized(a.html, withAccount, "Cohort with an account", lea.email)).toBe(
      normalized(b.html, withoutAccount, "Cohort without one", stranger),
    );
    expect(await memberEmails(withAccount)).toEqual([]);
    const page = text((await edu.get(`/educator/cohorts/${withAccount}`)).html);
    expect(page).toContain("Pending: 1 · Accepted: 0 · Declined: 0 · Expired: 0");
    expect(page).not.toContain(lea.name);

    // The mails: cohort, educator and regulator named, in the recipient's language when known.
    const leaMail = await mailTo(lea.email);
    expect(leaMail.subject).toBe("Tess Teacher vous invite dans le groupe « Cohort with an account »");
    expect(leaMail.text).toContain("la formation par études de cas de Ordre des ergothérapeutes de l'Ontario");
    expect(leaMail.text).toContain("jamais vos réflexions");
    expect(leaMail.html).toContain("Voir l&#39;invitation");
    const strangerMail = await mailTo(stranger);
    expect(strangerMail.subject).toBe("Tess Teacher invites you to the cohort “Cohort without one”");
    expect(strangerMail.text).toContain("Hello,\n");
    // The database keeps a hash of the token, and no link once the mail is sent.
    const token = invitationPathIn(leaMail).split("/").at(-1)!;
    expect(await getDb().cohortInvitation.findMany({ where: { tokenHash: token } })).toEqual([]);
    await vi.waitFor(async () =>
      expect(await getDb().mailMessage.findMany({ where: { params: { contains: token } } })).toEqual([]),
    );

    // Léa follows the link signed out: sign-up first (or sign in), then back to the invitation.
    const leaLink = invitationPathIn(leaMail);
    const visitor = new Client(server.url);
    const opened = await visitor.get(leaLink);
    expect(opened.status).toBe(302);
    expect(opened.location).toBe(`/join?invitation=${leaLink.split("/").at(-1)}`);
    const joinPage = await visitor.get(opened.location!);
    expect(text(joinPage.html)).toContain("Tess Teacher invites you to the cohort “Cohort with an account”");
    expect(joinPage.html).toContain(`/login?redirectTo=${encodeURIComponent(leaLink)}`);
    const signedIn = await visitor.login(lea.email, PASSWORD, leaLink);
    expect(signedIn.location).toBe(leaLink);
    const offer = await visitor.get(leaLink);
    expect(offer.status).toBe(200);
    expect(offer.headers.get("Cache-Control")).toBe("no-store");
    const offerText = text(offer.html);
    expect(offerText).toContain("Ce que signifie rejoindre le groupe");
    expect(offerText).toContain("ni ce que vous avez fait avant de rejoindre le groupe");
    expect((await visitor.post(leaLink, { intent: "accept" }, { csrf: false })).status).toBe(403);
    expect((await visitor.post(leaLink, { intent: "bogus" })).status).toBe(400);
    expect(await memberEmails(withAccount)).toEqual([]);
    const accepted = await visitor.post(leaLink, { intent: "accept" });
    expect(accepted.location).toBe(`/me/cohorts?joined=${withAccount}`);
    expect(text((await visitor.get(accepted.location!)).html)).toContain(
      "Vous avez rejoint « Cohort with an account ».",
    );
    expect(await memberEmails(withAccount)).toEqual([lea.email]);

    // The educator now sees Léa, and nothing of her pass from before she joined.
    const row = async () => {
      const html = (await edu.get(`/educator/cohorts/${withAccount}/assignments/${assignmentId}`)).html;
      return [...html.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((m) => text(m[1]!)).find((r) => r.includes(lea.name));
    };
    expect(await row()).toContain("Not started");
    const csvLine = async () =>
      (await edu.get(`/educator/cohorts/${withAccount}/progress.csv`)).html
        .replace(/^\uFEFF/, "")
        .trim()
        .split("\r\n")
        .filter((l) => l.includes(lea.email));
    expect(await csvLine()).toHaveLength(1);
    expect((await csvLine())[0]).toMatch(/,not_started,false,false,,,0,1$/);
    expect(text((await edu.get(`/educator/cohorts/${withAccount}`)).html)).toContain(
      "Pending: 0 · Accepted: 1 · Declined: 0 · Expired: 0",
    );

    // A pass after joining: seen on the page and in the CSV alike.
    await passMini(visitor);
    expect(await row()).toContain("Passed");
    expect((await csvLine())[0]).toMatch(/,passed,false,false,1,\d{4}-\d\d-\d\dT[\d:.]+Z,1,1$/);

    // Léa leaves from her account: the educator sees nothing more of her.
    const mine = await visitor.get("/me/cohorts");
    expect(text(mine.html)).toContain("Cohort with an account Tess Teacher");
    expect((await visitor.post("/me/cohorts", { intent: "leave", cohortId: withoutAccount })).status).toBe(404);
    const left = await visitor.post("/me/cohorts", { intent: "leave", cohortId: withAccount });
    expect(left.status).toBe(200);
    expect(text(left.html)).toContain("Vous avez quitté « Cohort with an account »");
    expect(await memberEmails(withAccount)).toEqual([]);
    expect(await row()).toBeUndefined();
    expect(await csvLine()).toEqual([]);
    expect((await edu.get(`/educator/cohorts/${withAccount}`)).html).not.toContain(lea.email.split("@")[0]!);

    // The stranger declines without an account; the educator sees a count, not who.
    const strangerLink = invitationPathIn(strangerMail);
    const someone = new Client(server.url);
    const form = await someone.get(`/join?invitation=${strangerLink.split("/").at(-1)}`);
    expect(form.html).toContain(`value="${stranger}"`);
    const declined = await someone.post(strangerLink, { intent: "decline" });
    expect(declined.location).toBe(strangerLink);
    expect(text((await someone.get(strangerLink)).html)).toContain("You declined this invitation");
    const after = text((await edu.get(`/educator/cohorts/${withoutAccount}`)).html);
    expect(after).toContain("Pending: 0 · Accepted: 0 · Declined: 1 · Expired: 0");
    expect(
      (await new Client(server.url).post(strangerLink, { intent: "decline" }, { origin: "https://evil.example" }))
        .status,
    ).toBe(403);
  });

  it("only the invited address's account can accept; a withdrawn invitation's link opens nothing", async () => {
    const edu = await educator();
    const cohortId = await newCohort(edu, "Forwarded links");
    const kim = await newLearner();
    const sam = await newLearner();
    await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "add-members", emails: kim.email });
    const link = invitationPathIn(await mailTo(kim.email));

    const offer = text((await sam.client.get(link)).html);
    expect(offer).toContain(`This invitation was sent to ${kim.email}, and you are signed in as ${sam.email}.`);
    expect((await sam.client.post(link, { intent: "accept" })).location).toBe(link);
    expect(await memberEmails(cohortId)).toEqual([]);

    const page = await edu.get(`/educator/cohorts/${cohortId}`);
    const invitationId = /name="invitationId" value="([^"]+)"/.exec(page.html)![1]!;
    const bad = await edu.post(`/educator/cohorts/${cohortId}`, { intent: "revoke-invitation" });
    expect(bad.status).toBe(400);
    const revoked = await submit(edu, `/educator/cohorts/${cohortId}`, { intent: "revoke-invitation", invitationId });
    expect(text(revoked.html)).toContain("Invitation withdrawn: its link no longer works.");
    expect((await kim.client.get(link)).status).toBe(404);
    expect((await kim.client.post(link, { intent: "accept" })).status).toBe(404);
    expect((await new Client(server.url).get("/invitations/not-a-token")).status).toBe(404);
    const audit = await getDb().auditEntry.findMany({
      where: { subject: `cohort:${cohortId}` },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    });
    expect(audit.map((r) => r.action)).toEqual(["cohort_invited", "cohort_invitation_revoked"]);
  });
});
