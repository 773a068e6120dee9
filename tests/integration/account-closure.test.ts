// Closing an account over real HTTP, then `npm run records:purge` on the same database: a French
// learner passes the mini-case with a reflection and closes her account from /me/account; she is
// signed out everywhere and cannot sign in, her email can join again, her reflection is gone, and
// her certificate still verifies with her name as issued. The purge's dry run deletes nothing; with
// --yes, once retention is over, her records go and an open account's do not.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { RETENTION_YEARS } from "~/utils/retention";
import { Client, text } from "../support/client";
import { passMiniCase } from "../support/play";
import { startServer, type TestServer } from "../support/server";

let server: TestServer;
const PASSWORD = "correct horse battery staple";
const EMAIL = "celine-close@example.test";
const REFLECTION = "I would name the office channels first q7v3";

async function join(name: string, email: string, locale: "en" | "fr", registrationNumber: string) {
  const client = new Client(server.url);
  // Registered with the fixtures' mini-case regulator, so a pass is a credited completion record.
  const page = await client.join({ name, email, password: PASSWORD, registrationNumber, regulator: "demo", locale });
  expect(page.status).toBe(302);
  return client;
}

async function pass(client: Client): Promise<string> {
  const url = await passMiniCase(client, { reflection: REFLECTION });
  return /\/certificates\/([a-z2-9]{26})/.exec((await client.get(url)).html)![1]!;
}

/** Runs `npm run records:purge`'s command against the test server's database. */
function purge(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.resolve("node_modules/.bin/tsx"), ["scripts/records-purge.ts", ...args], {
      env: { ...process.env, DATABASE_URL: server.databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("exit", (code) => resolve({ code, output }));
  });
}

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
const counts = async () => ({
  completions: await getDb().completion.count(),
  certificates: await getDb().certificate.count(),
  users: await getDb().user.count(),
});

let learner: Client;
let otherDevice: Client;
let userId: string;
let code: string;
let openCode: string;

beforeAll(async () => {
  server = await startServer({ content: [path.resolve("tests/fixtures/valid")] });
  learner = await join("Céline Clôture", EMAIL, "fr", "OT-CLS-7");
  code = await pass(learner);
  otherDevice = new Client(server.url);
  expect((await otherDevice.login(EMAIL, PASSWORD)).status).toBe(302);
  userId = (await getDb().user.findUniqueOrThrow({ where: { email: EMAIL } })).id;
  openCode = await pass(await join("Omar Open", "omar-open@example.test", "en", "OT-OPN-8"));
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

describe("closing an account", () => {
  it("/me/account explains it, in the learner's language, and offers the export first", async () => {
    const page = await learner.get("/me/account");
    expect(page.status).toBe(200);
    const body = text(page.html);
    expect(body).toContain("Fermer mon compte");
    expect(body).toContain(`pendant ${RETENTION_YEARS} ans`);
    expect(page.html).toContain('action="/me/close"');
    expect(page.html).toContain('href="/me/export"');
  });

  it("refuses a forged post, a wrong confirmation and a wrong password, with field errors", async () => {
    expect(
      (await learner.post("/me/close", { closePassword: PASSWORD, confirmEmail: EMAIL }, { csrf: false })).status,
    ).toBe(403);
    const missing = await learner.post("/me/close", {});
    expect(missing.status).toBe(400);
    const typo = await learner.post("/me/close", { closePassword: PASSWORD, confirmEmail: "celine@example.test" });
    expect(typo.status).toBe(400);
    expect(text(typo.html)).toContain("Saisissez exactement l’adresse courriel de ce compte.");
    expect(typo.html).toContain('value="celine@example.test"');
    const wrong = await learner.post("/me/close", { closePassword: "not my password", confirmEmail: EMAIL });
    expect(wrong.status).toBe(400);
    expect(text(wrong.html)).toContain("Le mot de passe actuel est incorrect.");
    expect(wrong.html).not.toContain("not my password");
    expect((await learner.get("/me/account")).status).toBe(200);
  });

  it("closes it: signed out here and on every other browser, to a confirmation page", async () => {
    const closed = await learner.post("/me/close", {
      closePassword: PASSWORD,
      confirmEmail: ` ${EMAIL.toUpperCase()} `,
    });
    expect(closed.status).toBe(302);
    expect(closed.location).toBe("/account-closed");
    const confirmation = await learner.get("/account-closed");
    expect(confirmation.status).toBe(200);
    expect(text(confirmation.html)).toContain("Votre compte est fermé");
    expect(confirmation.html).not.toContain("Céline");
    expect((await learner.get("/me/account")).status).toBe(302);
    expect((await otherDevice.get("/me/account")).location).toMatch(/^\/login/);
  });

  it("leaves no way to sign in, and the email free to join again", async () => {
    expect((await new Client(server.url).login(EMAIL, PASSWORD)).status).toBe(401);
    const again = await join("Céline Clôture", EMAIL, "fr", "OT-CLS-7");
    expect((await again.get("/me/account")).status).toBe(200);
  });

  it("erased the profile and the reflection, and audited the closure without personal data", async () => {
    const user = await getDb().user.findUnique({ where: { id: userId } });
    expect(user).toMatchObject({
      name: "Closed account",
      registrationNumber: "",
      email: `closed-${userId}@closed.invalid`,
    });
    expect(await getDb().reflection.findMany({ where: { attempt: { userId } } })).toEqual([]);
    // Omar wrote the same words: his reflection stays.
    expect(await getDb().reflection.findMany({ where: { text: REFLECTION } })).toHaveLength(1);
    expect(await getDb().session.findMany({ where: { userId } })).toEqual([]);
    const audit = await getDb().auditEntry.findMany({ where: { subject: `account:${userId}` } });
    expect(audit.map((a) => a.action)).toEqual(["account_closed"]);
    expect(audit[0]!.detail).not.toMatch(/céline|celine|OT-CLS|example\.test/i);
  });

  it("keeps the certificate verifiable with the name and registration number as issued", async () => {
    const page = await new Client(server.url).get(`/certificates/${code}`);
    expect(page.status).toBe(200);
    const body = text(page.html);
    expect(body).toContain("Céline Clôture");
    expect(body).toContain("OT-CLS-7");
    expect(page.html).toContain("result-pass");
  });
});

describe("npm run records:purge", () => {
  const afterRetention = new Date(Date.now() + (RETENTION_YEARS + 0.1) * 365.25 * 86_400_000).toISOString();

  it("by default lists what it would delete, per table, and deletes nothing", async () => {
    const before = await counts();
    const { code: exit, output } = await purge(["--now", afterRetention]);
    expect(exit, output).toBe(0);
    expect(output).toMatch(/^\s+1 {2}Completion$/m);
    expect(output).toMatch(/^\s+1 {2}Certificate$/m);
    expect(output).toMatch(/^\s+1 {2}User$/m);
    expect(output).toMatch(/Completed between \d{4}-\d\d-\d\dT.+ and \d{4}-\d\d-\d\dT/);
    expect(output).toContain("Nothing was deleted");
    // The case's regulator ("demo", tests/fixtures/valid/regulators/demo.json) names no retentionYears: the default.
    expect(output).toMatch(/^demo: retention 6 years: records of closed accounts completed before \d{4}-/m);
    expect(await counts()).toEqual(before);
    // Today nothing has outlived its period.
    const today = await purge([]);
    expect(today.code).toBe(0);
    expect(today.output).toContain("Nothing has outlived its retention period.");
  });

  it("with --yes after retention deletes the closed account's records, never an open account's", async () => {
    const { code: exit, output } = await purge(["--yes", "--now", afterRetention]);
    expect(exit, output).toBe(0);
    expect(output).toContain("Deleted");
    expect(await getDb().completion.findMany({ where: { userId } })).toEqual([]);
    expect(await getDb().user.findMany({ where: { id: userId } })).toEqual([]);
    expect((await new Client(server.url).get(`/certificates/${code}`)).status).toBe(404);
    expect((await new Client(server.url).get(`/certificates/${openCode}`)).status).toBe(200);
    expect(await getDb().completion.count()).toBe(1);
    expect(await getDb().auditEntry.findMany({ where: { subject: "records" }, select: { action: true } })).toEqual([
      { action: "records_purged" },
    ]);
  });

  it("answers a bad option with its usage and exit code 2", async () => {
    const { code: exit, output } = await purge(["--now", "yesterday-ish"]);
    expect(exit).toBe(2);
    expect(output).toContain("Usage: npm run records:purge");
  });
});
