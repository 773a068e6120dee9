// Password reset by email, end to end: a real SMTP server on loopback receives what the production
// server sends (through its outbox and mail sender), the message is parsed as a mail client would,
// and its link is followed to set a new password. An unknown email gets the same answer and no mail.
import { spawn } from "node:child_process";
import path from "node:path";
import type { ParsedMail } from "mailparser";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/utils/db.server";
import { Client, text } from "../support/client";
import { startServer, type TestServer } from "../support/server";
import { startMailbox, type TestMailbox } from "../support/smtp";

const PUBLIC_URL = "https://vignette.college.example";
const OLD_PASSWORD = "the old passphrase 1187";
const NEW_PASSWORD = "a brand new passphrase 5521";

let mailbox: TestMailbox;
let server: TestServer;

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({
    env: {
      SMTP_URL: mailbox.url,
      MAIL_FROM: "CE Office <ce@college.example>",
      PUBLIC_URL,
    },
  });
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
  await mailbox?.stop();
});

/** Outbox rows still waiting to be sent (the sender empties the queue within a second or so). */
const pending = () => getDb().mailMessage.count({ where: { status: "pending" } });

async function queueDrained(): Promise<void> {
  await vi.waitFor(async () => expect(await pending()).toBe(0), { timeout: 30_000, interval: 100 });
}

function linkIn(mail: ParsedMail, pathPrefix: string): string {
  const escaped = `${PUBLIC_URL}${pathPrefix}`.replace(/[.?*+^$()[\]{}|\\]/g, "\\$&");
  const match = new RegExp(`(${escaped}\\S+)`).exec(mail.text ?? "");
  if (!match) throw new Error(`no ${pathPrefix} link in:\n${mail.text}`);
  return match[1]!;
}

async function askForReset(email: string) {
  const client = new Client(server.url);
  const form = await client.get("/forgot-password");
  expect(form.status).toBe(200);
  const answer = await client.post("/forgot-password", { email });
  const page = answer.location ? await client.get(answer.location) : answer;
  return { status: answer.status, location: answer.location, body: answer.html, page: text(page.html) };
}

describe("password reset by email", () => {
  const email = "reset.learner@college.example";
  let oldSession: Client;

  it("offers the reset from the sign-in page", async () => {
    const login = await new Client(server.url).get("/login");
    expect(login.html).toContain('href="/forgot-password"');
    expect(text(login.html)).toContain("Forgot your password?");
  });

  it("mails a one-hour, single-use link in the account's language, and nothing for an unknown email", async () => {
    oldSession = new Client(server.url);
    const joined = await oldSession.join({
      name: "Camille <Reset>",
      email,
      password: OLD_PASSWORD,
      registrationNumber: "G1234",
      regulator: "coto",
      locale: "fr",
    });
    expect(joined.status).toBe(302);
    expect((await oldSession.get("/me/account")).status).toBe(200);

    const known = await askForReset("Reset.Learner@College.example");
    const unknown = await askForReset("nobody.at.all@college.example");
    expect(known.status).toBe(302);
    expect(unknown).toEqual(known);
    expect(known.page).toContain("If an account uses this address, a link to choose a new password is on its way.");

    await queueDrained();
    // Besides /join's address verification (ADR 024), one reset mail: none for the unknown address.
    const resets = mailbox.received.filter((m) => m.text?.includes("/set-password?token="));
    expect(resets).toHaveLength(1);
    const mail = resets[0]!;
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.text : "").toBe(email);
    expect(mail.from?.text).toBe('"CE Office" <ce@college.example>');
    expect(mail.subject).toBe("Choisir un nouveau mot de passe pour Vignette");
    expect(mail.text).toContain("Bonjour Camille <Reset>,");
    expect(mail.text).toContain("Le lien sert une fois, dans un délai de 1 heure(s).");
    expect(mail.html).toContain("Bonjour Camille &lt;Reset&gt;,");
    expect(mail.text).toContain("Envoyé par Vignette pour Ordre des ergothérapeutes de l'Ontario.");
    const link = linkIn(mail, "/set-password?token=");
    expect(mail.html).toContain(`href="${link}"`);

    const rows = await getDb().mailMessage.findMany({
      where: { kind: "password_reset" },
      select: { to: true, status: true, params: true },
    });
    const purposes = (await getDb().passwordToken.findMany({ select: { purpose: true } })).map((t) => t.purpose);
    // The unknown address left no row behind; the sent one keeps no link.
    expect(rows).toEqual([{ to: email, status: "sent", params: "{}" }]);
    expect(purposes).toEqual(["reset"]);

    const browser = new Client(server.url);
    const page = link.replace(PUBLIC_URL, "");
    const form = await browser.get(page);
    expect(form.status).toBe(200);
    expect(text(form.html)).toContain("Choose a new password");
    const token = new URL(link).searchParams.get("token")!;
    const done = await browser.post(page, { token, password: NEW_PASSWORD, confirm: NEW_PASSWORD });
    expect(done.status).toBe(302);
    expect((await browser.get("/me/account")).status).toBe(200);

    // Every session from before is gone; the old password no longer works, the new one does.
    const before = await oldSession.get("/me/account");
    expect([before.status, before.location?.startsWith("/login")]).toEqual([302, true]);
    expect((await new Client(server.url).login(email, OLD_PASSWORD)).status).toBe(401);
    expect((await new Client(server.url).login(email, NEW_PASSWORD)).status).toBe(302);

    // The link worked once.
    const again = await new Client(server.url).get(page);
    expect([again.status, text(again.html).includes("This link has already been used.")]).toEqual([410, true]);
  });

  it("answers a bad email with a field error and queues nothing", async () => {
    const client = new Client(server.url);
    await client.get("/forgot-password");
    const bad = await client.post("/forgot-password", { email: "not an email" });
    expect(bad.status).toBe(400);
    expect(text(bad.html)).toContain("Enter a valid email address.");
    expect(await pending()).toBe(0);
  });

  it("mails the invitation npm run users:create queues, with the link it printed", async () => {
    const before = mailbox.received.length;
    const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
      const child = spawn(
        path.resolve("node_modules/.bin/tsx"),
        [
          "scripts/users-create.ts",
          "--email",
          "new.author@college.example",
          "--name",
          "New Author",
          "--role",
          "author",
          "--regulator",
          "coto",
        ],
        {
          env: {
            ...process.env,
            DATABASE_URL: process.env.DATABASE_URL,
            PUBLIC_URL,
            NODE_ENV: "production",
            SESSION_SECRET: "password-reset-test-secret-0123456789-abcdef",
          },
          stdio: ["ignore", "pipe", "pipe"],
        },
      );
      let output = "";
      child.stdout.on("data", (c: Buffer) => (output += c.toString()));
      child.stderr.on("data", (c: Buffer) => (output += c.toString()));
      child.on("exit", (code) => resolve({ code, output }));
    });
    expect(result.code, result.output).toBe(0);
    const printed = /(https:\/\/\S+\/set-password\?token=[\w-]+)/.exec(result.output)?.[1];
    expect(printed).toBeDefined();
    expect(result.output).toContain("An invitation with this link is queued for new.author@college.example");
    await queueDrained();
    expect(mailbox.received).toHaveLength(before + 1);
    const mail = mailbox.received.at(-1)!;
    expect(mail.subject).toBe("Your Vignette account is ready");
    expect(linkIn(mail, "/set-password?token=")).toBe(printed);
  });
});
