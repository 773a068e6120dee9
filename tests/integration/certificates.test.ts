// Certificates with the regulator's logo, and duplicates, over real HTTP against the production
// server: the logo is served from the database at an immutable URL (its type, cache headers,
// nosniff; 404 for anything else) and shown on the verification page and in the PDF; an admin
// reissues a certificate (same code, still valid, "reissued on"), optionally with the corrected
// name; a revoked one is refused; each reissue is audited.
import fs from "node:fs";
import path from "node:path";
import { PDFDict, PDFDocument, PDFName } from "pdf-lib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { Client, text } from "../support/client";
import { png } from "../support/images";
import { passMiniCase } from "../support/play";
import { startServer, type TestServer } from "../support/server";
import { makeTempDir } from "../support/temp-db";

let server: TestServer;
let content: { dir: string; cleanup: () => void };
const PASSWORD = "correct horse battery staple";
const logo = png(300, 100);

async function signedIn(email: string, name: string, registrationNumber: string, roles: string[]) {
  const { createUser } = await import("~/models/user.server");
  const user = await createUser({
    email,
    name,
    password: PASSWORD,
    registrationNumber,
    regulator: "demo",
    locale: "en",
    roles: roles as Array<"learner" | "admin">,
  });
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return { client, user };
}

/** Passes the mini-case; returns the certificate code. */
async function pass(client: Client): Promise<string> {
  const done = await client.get(await passMiniCase(client));
  return /\/certificates\/([a-z2-9]{26})/.exec(done.html)![1]!;
}

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
const latestProfile = (regulatorId: string) =>
  getDb().regulatorVersion.findFirstOrThrow({ where: { regulatorId }, orderBy: { sequence: "desc" } });

beforeAll(async () => {
  // The fixtures, with the demo regulator given a logo and a colour.
  content = makeTempDir("vignette-cert-");
  fs.cpSync(path.resolve("tests/fixtures/valid"), content.dir, { recursive: true });
  const profileFile = path.join(content.dir, "regulators/demo.json");
  const profile = JSON.parse(fs.readFileSync(profileFile, "utf8"));
  fs.writeFileSync(profileFile, JSON.stringify({ ...profile, logo: "demo.png", colour: "#17546b" }));
  fs.writeFileSync(path.join(content.dir, "regulators/demo.png"), logo);
  server = await startServer({ content: [content.dir] });
}, 120_000);

afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
  content?.cleanup();
});

describe("the regulator's logo", () => {
  it("is served from the database at an immutable URL, with its type and nosniff; anything else is 404", async () => {
    const logoHash = (await latestProfile("demo")).logoHash!;
    const anonymous = new Client(server.url);
    const got = await anonymous.download(`/regulators/demo/logo/${logoHash}`);
    expect(got.status).toBe(200);
    expect(got.headers.get("Content-Type")).toBe("image/png");
    expect(got.headers.get("Cache-Control")).toBe("public, max-age=31536000, immutable");
    expect(got.headers.get("X-Content-Type-Options")).toBe("nosniff");
    expect(Buffer.from(got.body).equals(logo)).toBe(true);

    // The demo content's own regulators got theirs at import too (cases/regulators/*.png).
    const coto = await latestProfile("coto");
    expect(coto!.logoType).toBe("image/png");
    expect((await anonymous.download(`/regulators/coto/logo/${coto!.logoHash}`)).status).toBe(200);

    for (const url of [
      `/regulators/demo/logo/${"0".repeat(64)}`,
      `/regulators/coto/logo/${logoHash}`,
      `/regulators/nobody/logo/${logoHash}`,
      `/regulators/demo/logo/${logoHash.toUpperCase()}`,
      "/regulators/demo/logo/..%2F..%2Fetc%2Fpasswd",
    ]) {
      const missing = await anonymous.download(url);
      expect(missing.status, url).toBe(404);
      expect(missing.headers.get("Cache-Control"), url).not.toContain("immutable");
    }
  });
});

describe("certificates with a logo, and duplicates", () => {
  let learner: Awaited<ReturnType<typeof signedIn>>;
  let admin: Client;
  let code: string;

  beforeAll(async () => {
    learner = await signedIn("lea@example.test", "Léa Before", "D-100", ["learner"]);
    code = await pass(learner.client);
    admin = (await signedIn("admin@example.test", "Ada Admin", "AD-1", ["admin"])).client;
  }, 120_000);

  it("shows the logo, named for the regulator, on the verification page and embeds it in the PDF", async () => {
    const page = await new Client(server.url).get(`/certificates/${code}`);
    expect(page.html).toMatch(
      /<img src="\/regulators\/demo\/logo\/[0-9a-f]{64}" alt="Demo regulator" width="300" height="100"/,
    );
    expect(page.html).toContain('<rect width="100" height="4" fill="#17546b"></rect>');
    const pdf = await learner.client.download(`/certificates/${code}/pdf`);
    expect(pdf.status).toBe(200);
    const doc = await PDFDocument.load(pdf.body);
    const xobjects = doc.getPages()[0]!.node.Resources()!.lookup(PDFName.of("XObject"), PDFDict);
    expect(xobjects.entries()).toHaveLength(1);
  });

  it("lets an admin issue a duplicate: the same code stays valid, says when, and prints the corrected name", async () => {
    const found = text((await admin.get(`/admin/certificates?code=${code}`)).html);
    expect(found).toContain("Issue a duplicate");
    // No correction to offer while the account says what the certificate says.
    expect(found).not.toContain("current name");
    const tooShort = await admin.post(`/admin/certificates?code=${code}`, {
      intent: "reissue",
      code,
      reissueReason: "x",
    });
    expect(tooShort.status).toBe(400);
    expect(text(tooShort.html)).toContain("Give a reason");

    // The learner's name was corrected on their account since.
    await getDb().user.update({ where: { id: learner.user.id }, data: { name: "Léa After" } });
    const offered = text((await admin.get(`/admin/certificates?code=${code}`)).html);
    expect(offered).toContain("Print the account's current name and registration number: Léa After, D-100");
    const reissued = await admin.post(`/admin/certificates?code=${code}`, {
      intent: "reissue",
      code,
      reissueReason: "Name corrected after marriage",
      correct: "yes",
    });
    expect(reissued.status).toBe(200);
    expect(text(reissued.html)).toContain("Duplicate 1 issued: Léa After, D-100.");

    const today = formatDate(new Date(), "en", "America/Toronto");
    const publicPage = text((await new Client(server.url).get(`/certificates/${code}`)).html);
    expect(publicPage).toContain("Status: Valid");
    expect(publicPage).toContain(`Reissued on ${today}: this code stays valid`);
    expect(publicPage).toContain("Léa After");
    expect(publicPage).toContain("As first issued Léa Before, D-100");

    const pdf = await learner.client.download(`/certificates/${code}/pdf`);
    expect((await PDFDocument.load(pdf.body)).getSubject()).toContain("Léa After");

    const audit = await getDb().auditEntry.findMany({ where: { action: "certificate_reissued" } });
    expect(audit).toHaveLength(1);
    const certificate = await getDb().certificate.findUnique({ where: { code } });
    expect(audit[0]!.subject).toBe(`certificate:${certificate!.id}`);
    expect(JSON.parse(audit[0]!.detail)).toEqual({
      number: 1,
      reason: "Name corrected after marriage",
      corrected: true,
    });
    // The log names the certificate by id, never by its code.
    expect(server.output()).toContain('"event":"certificate.reissued"');
    expect(server.output()).not.toContain(code);
  });

  it("refuses learners, and never reissues a revoked certificate", async () => {
    const refused = await learner.client.post(`/admin/certificates?code=${code}`, {
      intent: "reissue",
      code,
      reissueReason: "I want another one",
    });
    expect(refused.status).toBe(403);

    const revoked = await admin.post(`/admin/certificates?code=${code}`, { code, reason: "Entered in error" });
    expect(text(revoked.html)).toContain("Certificate revoked.");
    const page = text((await admin.get(`/admin/certificates?code=${code}`)).html);
    expect(page).not.toContain("Issue a duplicate");
    const again = await admin.post(`/admin/certificates?code=${code}`, {
      intent: "reissue",
      code,
      reissueReason: "Lost it again",
    });
    expect(again.status).toBe(409);
    expect(text(again.html)).toContain("A revoked certificate cannot be reissued.");
    expect(await getDb().certificateReissue.count()).toBe(1);
    expect(text((await new Client(server.url).get(`/certificates/${code}`)).html)).toContain("Status: Revoked");
  });
});
