// A learner corrects their own profile, end to end against the production server and a real SMTP
// server on loopback: name and language (audited; issued certificates keep the name they were
// issued with), a change of email proved by the link mailed to the new address (read from the real
// mail), the notice to the old one, and the link's refusals (used, expired, taken, wrong password).
// /join mails a verification link too. Bad input is a 400 with field errors and writes nothing.
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { Client, text } from "../support/client";
import { passMiniCase } from "../support/play";
import { startServer, type TestServer } from "../support/server";
import { startMailbox, type TestMailbox } from "../support/smtp";
import { makeTempDir } from "../support/temp-db";

const PUBLIC_URL = "https://vignette.college.example";
const PASSWORD = "correct horse battery staple";

let mailbox: TestMailbox;
let server: TestServer;
let content: { dir: string; cleanup: () => void };

beforeAll(async () => {
  mailbox = await startMailbox();
  // The fixtures, and a second case to earn a second certificate with (one per case).
  content = makeTempDir("vignette-profile-");
  fs.cpSync(path.resolve("tests/fixtures/valid"), content.dir, { recursive: true });
  const second = JSON.parse(fs.readFileSync(path.join(content.dir, "mini-case.json"), "utf8")) as { slug: string };
  fs.writeFileSync(path.join(content.dir, "mini-case-two.json"), JSON.stringify({ ...second, slug: "mini-case-two" }));
  server = await startServer({
    content: [content.dir],
    env: { SMTP_URL: mailbox.url, MAIL_FROM: "CE Office <ce@college.example>", PUBLIC_URL },
  });
});
afterAll(async () => {
  await server?.stop();
  await mailbox?.stop();
  content?.cleanup();
});

function sql<T>(query: string, ...params: unknown[]): T[] {
  const db = new Database(server.dbFile);
  try {
    return query.trimStart().startsWith("SELECT")
      ? (db.prepare(query).all(...params) as T[])
      : (db.prepare(query).run(...params), []);
  } finally {
    db.close();
  }
}

const queued = () => sql<{ n: number }>(`SELECT COUNT(*) AS n FROM MailMessage`)[0]!.n;
const pending = () => sql<{ n: number }>(`SELECT COUNT(*) AS n FROM MailMessage WHERE status = 'pending'`)[0]!.n;
const queueDrained = () => vi.waitFor(() => expect(pending()).toBe(0), { timeout: 30_000, interval: 100 });
const recipient = (mail: ParsedMail) => (mail.to && !Array.isArray(mail.to) ? mail.to.text : "");
const mailsTo = (address: string) => mailbox.received.filter((m) => recipient(m) === address);
const auditOf = (userId: string) =>
  sql<{ action: string; detail: string }>(
    `SELECT action, detail FROM AuditEntry WHERE subject = ? ORDER BY id`,
    `account:${userId}`,
  ).map((r) => [r.action, JSON.parse(r.detail) as unknown]);
const userRow = (email: string) =>
  sql<{ id: string; name: string; locale: string; email: string; emailVerifiedAt: number | null }>(
    `SELECT id, name, locale, email, emailVerifiedAt FROM User WHERE email = ?`,
    email,
  )[0];

/** The mail to `address` whose subject is `subject`, once it has arrived. */
async function mailTo(address: string, subject: string): Promise<ParsedMail> {
  let found: ParsedMail | undefined;
  await vi.waitFor(
    () => {
      found = mailsTo(address).findLast((m) => m.subject === subject);
      expect(found, `no "${subject}" to ${address}`).toBeDefined();
    },
    { timeout: 30_000, interval: 100 },
  );
  return found!;
}

/** The verification link's path, as a person clicks it in the mail. */
function verifyPathIn(mail: ParsedMail): string {
  const match = /https:\/\/vignette\.college\.example(\/verify-email\?token=[\w-]{43})/.exec(mail.text ?? "");
  if (!match) throw new Error(`no verification link in:\n${mail.text}`);
  expect(mail.html).toContain(`href="${PUBLIC_URL}${match[1]}"`);
  return match[1]!;
}

let counter = 0;
/** A new learner of the demo regulator, joined through /join and signed in. */
async function joined(name = "Ann Lee", locale = "en") {
  const email = `learner.${++counter}.${Date.now()}@college.example`;
  const client = new Client(server.url);
  const page = await client.join({
    name,
    email,
    password: PASSWORD,
    registrationNumber: `D-${1000 + counter}`,
    regulator: "demo",
    locale,
  });
  expect(page.status).toBe(302);
  return { client, email, id: userRow(email)!.id };
}

/** Follows a verification link as a person would: opens it, then presses Confirm. */
async function confirmLink(client: Client, linkPath: string) {
  const opened = await client.get(linkPath);
  const token = new URL(linkPath, PUBLIC_URL).searchParams.get("token")!;
  const posted = opened.status === 200 ? await client.post(linkPath, { token }) : opened;
  return { opened, posted };
}

describe("a new account's address", () => {
  it("is mailed a verification link by /join; opening it changes nothing, confirming it works once", async () => {
    const { client, email, id } = await joined("Camille <Joiner>", "fr");
    const mail = await mailTo(email, "Confirmez votre adresse courriel pour Vignette");
    expect(mail.from?.text).toBe('"CE Office" <ce@college.example>');
    expect(mail.text).toContain("Bonjour Camille <Joiner>,");
    expect(mail.html).toContain("Bonjour Camille &lt;Joiner&gt;,");
    expect(mail.text).toContain("Le lien sert une fois, dans un délai de 24 heures.");
    const link = verifyPathIn(mail);
    expect(text((await client.get("/me/account")).html)).toContain("Pas encore vérifiée");

    // A mail scanner opening the link twice proves nothing.
    expect((await new Client(server.url).get(link)).status).toBe(200);
    const { opened, posted } = await confirmLink(new Client(server.url), link);
    expect(text(opened.html)).toContain("Confirm that l***@college.example is your address.");
    expect([posted.status, posted.location]).toEqual([302, "/verify-email?done=verified"]);
    expect(userRow(email)!.emailVerifiedAt).not.toBeNull();
    expect(text((await client.get("/me/account")).html)).toContain("Vérifiée.");
    expect(auditOf(id).map(([action]) => action)).toEqual(["email_verified"]);

    const again = await confirmLink(new Client(server.url), link);
    expect([again.opened.status, text(again.opened.html).includes("This link has already been used.")]).toEqual([
      410,
      true,
    ]);
  });

  it("sends the link again on request, three times an hour, then says to wait", async () => {
    const { client, email } = await joined();
    await mailTo(email, "Confirm your email address for Vignette");
    await client.get("/me/account");
    for (let i = 0; i < 3; i++) {
      const sent = await client.post("/me/account", { intent: "resend" });
      expect([sent.status, sent.location]).toEqual([302, "/me/account?saved=resent"]);
    }
    const refused = await client.post("/me/account", { intent: "resend" });
    expect(refused.status).toBe(429);
    expect(Number(refused.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(text(refused.html)).toContain("Links were already sent several times this hour.");
    await queueDrained();
    // Each request replaced the link before it (one still queued then is not sent): the last one works.
    const links = mailsTo(email).map(verifyPathIn);
    expect(links.length).toBeGreaterThanOrEqual(2);
    for (const old of links.slice(0, -1)) expect((await new Client(server.url).get(old)).status).toBe(410);
    expect((await confirmLink(new Client(server.url), links.at(-1)!)).posted.status).toBe(302);
  });
});

describe("name and language", () => {
  it("are saved, audited with old and new value, and the pages switch language at once", async () => {
    const { client, id } = await joined("Ann Lee");
    await client.get("/me/account");
    const saved = await client.post("/me/account", { intent: "profile", name: "  Ann Lee-Tremblay ", locale: "fr" });
    expect([saved.status, saved.location]).toEqual([302, "/me/account?saved=profile"]);
    expect(saved.headers.getSetCookie().some((c) => c.startsWith("vignette_locale="))).toBe(true);
    const page = await client.get("/me/account?saved=profile");
    expect(page.html).toContain('<html lang="fr"');
    expect(text(page.html)).toContain("Profil enregistré.");
    expect(page.html).toContain('value="Ann Lee-Tremblay"');
    expect(auditOf(id)).toEqual([
      ["name_changed", { from: "Ann Lee", to: "Ann Lee-Tremblay" }],
      ["locale_changed", { from: "en", to: "fr" }],
    ]);
  });

  it("refuses bad input with field errors (400) and writes nothing; a post without the CSRF token is refused", async () => {
    const { client, email, id } = await joined("Bea Stone");
    await client.get("/me/account");
    const before = userRow(email);
    const empty = await client.post("/me/account", { intent: "profile", name: "   ", locale: "de" });
    expect(empty.status).toBe(400);
    expect(text(empty.html)).toContain("Enter your name.");
    expect(text(empty.html)).toContain("Choose English or French.");
    const unsafe = await client.post("/me/account", { intent: "profile", name: "Bea\u202eenotS", locale: "en" });
    expect(unsafe.status).toBe(400);
    expect(text(unsafe.html)).toContain("Remove the control or text-direction characters");
    const long = await client.post("/me/account", { intent: "profile", name: "B".repeat(201), locale: "en" });
    expect(long.status).toBe(400);
    const forged = await client.post(
      "/me/account",
      { intent: "profile", name: "Mallory", locale: "en" },
      { csrf: false },
    );
    expect(forged.status).toBe(403);
    expect(userRow(email)).toEqual(before);
    expect(auditOf(id)).toEqual([]);
  });

  it("leaves issued certificates with the name they were issued with; the next one has the new name", async () => {
    const { client } = await joined("Ann Lee");
    const first = /\/certificates\/([a-z2-9]{26})/.exec((await client.get(await passMiniCase(client))).html)![1]!;
    await client.get("/me/account");
    expect((await client.post("/me/account", { intent: "profile", name: "Ann Tremblay", locale: "en" })).status).toBe(
      302,
    );
    const issued = text((await new Client(server.url).get(`/certificates/${first}`)).html);
    expect(issued).toContain("Ann Lee");
    expect(issued).not.toContain("Ann Tremblay");
    const secondAttempt = await passMiniCase(client, { slug: "mini-case-two" });
    const second = /\/certificates\/([a-z2-9]{26})/.exec((await client.get(secondAttempt)).html)![1]!;
    expect(second).not.toBe(first);
    const next = text((await new Client(server.url).get(`/certificates/${second}`)).html);
    expect(next).toContain("Ann Tremblay");
    expect(next).not.toContain("Ann Lee");
  });
});

describe("a change of email", () => {
  it("is proved by the link mailed to the new address; the old one is told; other sessions end", async () => {
    const { client, email, id } = await joined("Noor Haddad");
    const otherDevice = new Client(server.url);
    expect((await otherDevice.login(email, PASSWORD)).status).toBe(302);
    const newEmail = `noor.${Date.now()}@mail.example`;

    await client.get("/me/account");
    const asked = await client.post("/me/account", { intent: "email", newEmail, emailPassword: PASSWORD });
    expect([asked.status, asked.location]).toEqual([302, "/me/account?saved=email"]);
    const account = text((await client.get("/me/account?saved=email")).html);
    expect(account).toContain("Check the inbox of the new address");
    expect(account).toContain("A change to n***@mail.example waits for the link sent there.");
    // Not used until proved: the new address cannot sign in yet.
    expect((await new Client(server.url).login(newEmail, PASSWORD)).status).toBe(401);

    const notice = await mailTo(email, "Your Vignette email address is being changed");
    expect(notice.text).toContain("asked to change its address to n***@mail.example.");
    expect(notice.text).toContain(`${PUBLIC_URL}/forgot-password`);
    expect(notice.text).not.toContain(newEmail);
    const mail = await mailTo(newEmail, "Confirm your new email address for Vignette");
    expect(mail.text).toContain("Hello Noor Haddad,");
    const link = verifyPathIn(mail);

    const { opened, posted } = await confirmLink(client, link);
    expect(text(opened.html)).toContain("Use n***@mail.example as your account's address from now on.");
    expect([posted.status, posted.location]).toEqual([302, "/verify-email?done=changed"]);
    expect(userRow(newEmail)).toMatchObject({ id, email: newEmail });
    expect(userRow(newEmail)!.emailVerifiedAt).not.toBeNull();
    // This browser stays signed in; the other device is signed out.
    expect((await client.get("/me/account")).status).toBe(200);
    expect((await otherDevice.get("/me/account")).location?.startsWith("/login")).toBe(true);
    expect((await new Client(server.url).login(email, PASSWORD)).status).toBe(401);
    expect((await new Client(server.url).login(newEmail, PASSWORD)).status).toBe(302);
    expect(auditOf(id).map(([action]) => action)).toEqual(["email_change_requested", "email_changed"]);

    const reused = await confirmLink(new Client(server.url), link);
    expect(reused.opened.status).toBe(410);
  });

  it("gives the same answer for an address another account has, and its link then changes nothing", async () => {
    const owner = await joined("Owner Person");
    const { client, email } = await joined("Asker Person");
    await client.get("/me/account");
    const free = await client.post("/me/account", {
      intent: "email",
      newEmail: `free.${Date.now()}@mail.example`,
      emailPassword: PASSWORD,
    });
    const taken = await client.post("/me/account", { intent: "email", newEmail: owner.email, emailPassword: PASSWORD });
    expect([taken.status, taken.location, taken.html]).toEqual([free.status, free.location, free.html]);
    const mail = await mailTo(owner.email, "Confirm your new email address for Vignette");
    const { opened } = await confirmLink(new Client(server.url), verifyPathIn(mail));
    expect(opened.status).toBe(409);
    expect(text(opened.html)).toContain("Another account uses this address now, so nothing was changed.");
    expect(userRow(email)).toBeDefined();
    expect(userRow(owner.email)!.id).toBe(owner.id);
  });

  it("refuses a link whose address was taken meanwhile (409) or that expired (410)", async () => {
    const { client, email } = await joined("Slow Person");
    const wanted = `wanted.${Date.now()}@mail.example`;
    await client.get("/me/account");
    await client.post("/me/account", { intent: "email", newEmail: wanted, emailPassword: PASSWORD });
    const link = verifyPathIn(await mailTo(wanted, "Confirm your new email address for Vignette"));
    await joined("Quick Person").then(({ email: other }) =>
      sql(`UPDATE User SET email = ? WHERE email = ?`, wanted, other),
    );
    const token = new URL(link, PUBLIC_URL).searchParams.get("token")!;
    const refused = await client.post(link, { token });
    expect(refused.status).toBe(409);
    expect(text(refused.html)).toContain("Another account uses this address now");
    expect(userRow(email)).toBeDefined();

    sql(`UPDATE User SET email = ? WHERE email = ?`, `moved.${Date.now()}@mail.example`, wanted);
    sql(`UPDATE EmailChange SET expiresAt = createdAt WHERE email = ?`, wanted);
    const expired = await confirmLink(client, link);
    expect(expired.opened.status).toBe(410);
    expect(text(expired.opened.html)).toContain("This link has expired.");
    expect(userRow(email)).toBeDefined();
  });

  it("needs the current password and a valid address (400, nothing queued or written)", async () => {
    const { client, email, id } = await joined("Careful Person");
    await mailTo(email, "Confirm your email address for Vignette");
    await queueDrained();
    const before = queued();
    await client.get("/me/account");
    const bad = await client.post("/me/account", {
      intent: "email",
      newEmail: "not an address",
      emailPassword: PASSWORD,
    });
    expect(bad.status).toBe(400);
    expect(text(bad.html)).toContain("Enter a valid email address.");
    const same = await client.post("/me/account", { intent: "email", newEmail: email, emailPassword: PASSWORD });
    expect(same.status).toBe(400);
    expect(text(same.html)).toContain("This is already your address.");
    // Last: a wrong password slows this account's next password checks (ADR 012).
    const wrong = await client.post("/me/account", {
      intent: "email",
      newEmail: "careful.new@mail.example",
      emailPassword: "not my password at all",
    });
    expect(wrong.status).toBe(400);
    expect(text(wrong.html)).toContain("The current password is incorrect.");
    expect(wrong.html).toContain('value="careful.new@mail.example"');
    expect(queued()).toBe(before);
    expect(sql(`SELECT id FROM EmailChange WHERE userId = ? AND purpose = 'change'`, id)).toEqual([]);
    expect(auditOf(id)).toEqual([]);
  });
});
