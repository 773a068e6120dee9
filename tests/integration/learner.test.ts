// The learner's side of Vignette over real HTTP, as a browser without JavaScript uses it: a real
// production server, a real SQLite file, real forms. Also what an attacker would try.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { analyzeCase, caseFileSchema, formatDiagnostic } from "~/engine";
import { publishContent } from "~/models/content.server";
import { loadContent } from "~/utils/case-files.server";
import { createDb, type Db } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { Client, text, title } from "../support/client";
import { directSql } from "../support/direct-sql";
import { publishMiniCaseVersion, startServer, type TestServer } from "../support/server";

let server: TestServer;
/** Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg). */
let db: Db;
const fixtures = path.resolve("tests/fixtures");

beforeAll(async () => {
  server = await startServer({
    content: [path.join(fixtures, "valid"), path.resolve("cases")],
  });
  await publishUnchecked(server.dbFile, path.join(fixtures, "hostile/hostile-case.json"));
  db = createDb(server.dbFile);
});

/**
 * Publishes a case past validation's raw HTML rule, as a version stored before the rule existed:
 * validation now refuses the hostile fixture, and the player must stay safe on such versions.
 */
async function publishUnchecked(dbFile: string, file: string) {
  const text = fs.readFileSync(file, "utf8");
  const caseFile = caseFileSchema.parse(JSON.parse(text));
  const db = createDb(dbFile);
  try {
    await publishContent(db, { catalogs: [], cases: [{ file, text, caseFile, analysis: analyzeCase(caseFile) }] });
  } finally {
    await db.$disconnect();
  }
}
afterAll(async () => {
  await db?.$disconnect();
  await server?.stop();
});

/** The end of "the year so far" for transcript queries (UTC's date is never behind Toronto's). */
const today = new Date().toISOString().slice(0, 10);

let counter = 0;
/** Joins a new learner through the real form and returns their signed-in client. */
async function newLearner(locale: "en" | "fr" = "en") {
  const client = new Client(server.url);
  const email = `learner${++counter}-${Date.now()}@example.test`;
  const page = await client.join({
    name: `Learner ${counter}`,
    email,
    password: "correct horse battery staple",
    registrationNumber: `OT-${1000 + counter}`,
    // The regulator of the fixtures' mini-case: credit and certificates are for the case's regulator.
    regulator: "demo",
    locale,
  });
  expect(page.status).toBe(302);
  expect(page.location).toBe("/cases");
  return { client, email };
}

async function start(client: Client, slug = "mini-case") {
  await client.get(`/cases/${slug}`);
  const page = await client.post(`/cases/${slug}`, {});
  expect(page.status).toBe(302);
  const url = page.location!;
  expect(url).toMatch(new RegExp(`^/cases/${slug}/attempts/\\w+$`));
  return url;
}

/** Plays one step from the attempt page as a form post. */
async function step(client: Client, url: string, from: string, fields: Record<string, string> = {}) {
  await client.get(url);
  const page = await client.post(url, { from, ...fields });
  return page;
}

async function playMini(client: Client, url: string, q2: "explain" | "ignore" = "explain", q1 = "decline") {
  expect((await step(client, url, "context")).status).toBe(302);
  expect((await step(client, url, "q1", { choice: q1 })).status).toBe(302);
  expect((await step(client, url, "q2", { choice: q2 })).status).toBe(302);
  if (q2 === "explain")
    expect((await step(client, url, "reflect", { reflection: "My private thoughts 7f3a" })).status).toBe(302);
  return client.get(url);
}

const attemptIdOf = (url: string) => url.split("/").at(-1)!;
const steps = (attemptId: string) =>
  db.attemptStep.findMany({ where: { attemptId }, orderBy: { seq: "asc" }, select: { nodeId: true, choiceId: true } });

describe("accounts", () => {
  it("rejects a bad join form with field errors, keeping what was typed except the password", async () => {
    const client = new Client(server.url);
    await client.get("/join");
    const page = await client.post("/join", {
      name: "Sam",
      email: "not-an-email",
      password: "short",
      registrationNumber: "OT 12/3",
      regulator: "nowhere",
      locale: "en",
    });
    expect(page.status).toBe(400);
    const body = text(page.html);
    expect(body).toContain("Enter a valid email address.");
    expect(body).toContain("Use at least 12 characters.");
    expect(body).toContain("Enter your registration number");
    expect(body).toContain("Choose a regulator.");
    expect(page.html).toContain('value="not-an-email"');
    expect(page.html).toContain('value="Sam"');
    expect(page.html).not.toContain('value="short"');
  });

  it("refuses a name with control or text-direction characters, with a field error", async () => {
    for (const name of ["Sam\u202Eevil", "Sam\u0000", "Sam\u2066x"]) {
      const page = await new Client(server.url).join({
        name,
        email: `unsafe-${name.length}-${name.codePointAt(3)}@learners.test`,
        password: "correct horse battery staple",
        registrationNumber: "OT-1",
        regulator: "coto",
        locale: "en",
      });
      expect(page.status, JSON.stringify(name)).toBe(400);
      expect(text(page.html)).toContain("Remove the control or text-direction characters");
    }
  });

  it("creates no second account with the same email, and does not sign the second one in", async () => {
    const { email } = await newLearner();
    const client = new Client(server.url);
    await client.get("/join");
    const page = await client.post("/join", {
      name: "Twin",
      email: email.toUpperCase(),
      password: "another long password",
      registrationNumber: "OT-1",
      regulator: "coto",
      locale: "en",
    });
    // The answer a new address gets (tests/integration/throttle.test.ts compares them).
    expect(page.status).toBe(302);
    expect(page.location).toBe("/login?joined=1&redirectTo=%2Fcases");
    expect((await client.get("/me/account")).status).toBe(302);
    expect((await new Client(server.url).login(email, "another long password")).status).toBe(401);
    expect((await new Client(server.url).login(email, "correct horse battery staple")).status).toBe(302);
  });

  it("stores passwords as argon2id hashes, in their own table", async () => {
    const { email } = await newLearner();
    const row = await db.password.findFirstOrThrow({ where: { user: { email } } });
    expect(row.hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(await db.user.findUnique({ where: { email } }))).not.toContain("argon2");
  });

  it("signs in, and signing out revokes the session on the server", async () => {
    const { client, email } = await newLearner();
    const again = new Client(server.url);
    const login = await again.login(email, "correct horse battery staple");
    expect(login.status).toBe(302);
    const cookie = (await again.get("/me/transcript")).status;
    expect(cookie).toBe(200);
    await again.get("/cases");
    const out = await again.post("/logout", {});
    expect(out.status).toBe(302);
    expect((await again.get("/me/transcript")).status).toBe(302);
    // The first browser's session is independent and still valid.
    expect((await client.get("/me/transcript")).status).toBe(200);
  });

  it("a stolen session cookie stops working after logout", async () => {
    const { client } = await newLearner();
    const stolen = new Client(server.url);
    // Copy the cookie as an attacker would.
    (stolen as unknown as { cookies: Map<string, string> }).cookies = new Map(
      (client as unknown as { cookies: Map<string, string> }).cookies,
    );
    expect((await stolen.get("/me/transcript")).status).toBe(200);
    await client.get("/cases");
    await client.post("/logout", {});
    expect((await stolen.get("/me/transcript")).status).toBe(302);
  });

  it("throttles a burst of wrong passwords with 429, even when the right one follows from there", async () => {
    const { email } = await newLearner();
    const attacker = new Client(server.url);
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attacker.login(email, `wrong password ${i}`)).status);
    // Three free tries, then growing delays (tests/integration/throttle.test.ts has the rest).
    expect(statuses).toEqual([401, 401, 401, 429]);
    const blocked = await attacker.login(email, "correct horse battery staple");
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(text(blocked.html)).toContain("Too many attempts");
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const client = new Client(server.url);
    const unknown = await client.login("nobody-here@example.test", "whatever password");
    expect(unknown.status).toBe(401);
    expect(text(unknown.html)).toContain("Email or password is incorrect.");
  });
});

describe("redirects after signing in or switching language", () => {
  it("stay on the site, whatever redirectTo says", async () => {
    const { client } = await newLearner();
    for (const evil of [
      "%2F%09%2Fevil.example",
      "%2F%2Fevil.example",
      "%2F%5Cevil.example",
      "https%3A%2F%2Fevil.example",
    ]) {
      const page = await client.get(`/login?redirectTo=${evil}`);
      expect(page.status).toBe(302);
      expect(page.location).toBe("/cases");
    }
    expect((await client.get("/login?redirectTo=%2Fme%2Ftranscript")).location).toBe("/me/transcript");
    await client.get("/cases");
    const switched = await client.post("/locale", { locale: "fr", redirectTo: "/\t/evil.example" });
    expect(switched.status).toBe(302);
    expect(switched.location).toBe("/");
  });
});

describe("playing a case without JavaScript", () => {
  it("walks the case one node at a time, shows feedback, and ends on a debrief with credit", async () => {
    const { client } = await newLearner();
    const url = await start(client);
    let page = await client.get(url);
    expect(text(page.html)).toContain("Decisions made: 0 of 2");
    // A node without a title of its own: the tab shows the case, once.
    expect(title(page.html)).toBe("A follow request · Vignette");
    await step(client, url, "context");
    await step(client, url, "q1", { choice: "decline" });
    page = await client.get(url);
    expect(text(page.html)).toContain("Feedback on your choice");
    expect(text(page.html)).toContain("You chose: Decline");
    expect(text(page.html)).toContain("Good.");
    expect(text(page.html)).toContain("Decisions made: 1 of 2");
    page = await playMiniRest(client, url);
    expect(title(page.html)).toBe("Debrief · A follow request · Vignette");
    const body = text(page.html);
    expect(body).toContain("Passed");
    expect(body).toContain("Score: 100%");
    expect(body).toContain("Completion recorded: 0.25 credit hour(s).");
    expect(body).toContain("1.1 — Personal contact");
    expect(body).toContain("My private thoughts 7f3a");
    const code = /\/certificates\/([a-z2-9]{26})/.exec(page.html)?.[1];
    expect(code).toBeDefined();

    // The certificate is publicly verifiable, without signing in.
    const anonymous = new Client(server.url);
    const certificate = await anonymous.get(`/certificates/${code}`);
    expect(certificate.status).toBe(200);
    const shown = text(certificate.html);
    expect(shown).toContain("Status: Valid");
    expect(shown).toMatch(/Learner \d+/);
    expect(shown).toContain("A follow request");
    expect(shown).not.toContain("My private thoughts");
    // The case's regulator's words from its profile (tests/fixtures/valid/regulators/demo.json), and the
    // time on its clock, zone named.
    expect(shown).toContain("Demo regulator");
    expect(shown).toContain("Contact practice@demo.example · https://demo.example");
    expect(shown).toContain("Signed by Dana Registrar, Registrar");
    expect(shown).toContain("This certificate records continuing education completed with the demo regulator's");
    expect(shown).toMatch(/Completed on \w+ \d{1,2}, \d{4} at \d{1,2}:\d{2} [ap]\.m\. E[SD]T/);
  });

  it("rejects a missing choice or an empty reflection with a field error and records nothing", async () => {
    const { client } = await newLearner();
    const url = await start(client);
    await step(client, url, "context");
    const noChoice = await step(client, url, "q1");
    expect(noChoice.status).toBe(400);
    expect(text(noChoice.html)).toContain("Choose one option.");
    const badChoice = await step(client, url, "q1", { choice: "maybe" });
    expect(badChoice.status).toBe(400);
    await step(client, url, "q1", { choice: "decline" });
    await step(client, url, "q2", { choice: "explain" });
    const empty = await step(client, url, "reflect", { reflection: "   " });
    expect(empty.status).toBe(400);
    expect(text(empty.html)).toContain("Write a few words before continuing.");
    expect(await steps(attemptIdOf(url))).toEqual([
      { nodeId: "context", choiceId: null },
      { nodeId: "q1", choiceId: "decline" },
      { nodeId: "q2", choiceId: "explain" },
    ]);
  });

  it("records a double-submitted or replayed choice once and never skips a node", async () => {
    const { client } = await newLearner();
    const url = await start(client);
    await step(client, url, "context");
    await client.get(url);
    const [first, second] = await Promise.all([
      client.post(url, { from: "q1", choice: "decline" }),
      client.post(url, { from: "q1", choice: "decline" }),
    ]);
    expect([first.status, second.status]).toEqual([302, 302]);
    // A replay of an older form (back button) with another answer changes nothing either.
    await client.post(url, { from: "q1", choice: "accept" });
    await client.post(url, { from: "context" });
    expect(await steps(attemptIdOf(url))).toEqual([
      { nodeId: "context", choiceId: null },
      { nodeId: "q1", choiceId: "decline" },
    ]);
    const page = await client.get(url);
    expect(text(page.html)).toContain("How do you follow up?");
  });

  it("resumes exactly where the learner was, and start does not open a second attempt", async () => {
    const { client } = await newLearner();
    const url = await start(client);
    await step(client, url, "context");
    await step(client, url, "q1", { choice: "decline" });
    const overview = await client.get("/cases/mini-case");
    expect(text(overview.html)).toContain("Resume where you left off");
    expect(overview.html).toContain(`href="${url}"`);
    const again = await client.post("/cases/mini-case", {});
    expect(again.location).toBe(url);
    expect(text((await client.get(url)).html)).toContain("How do you follow up?");
  });

  it("switches language mid-attempt without losing progress", async () => {
    const { client } = await newLearner("en");
    const url = await start(client);
    await step(client, url, "context");
    await step(client, url, "q1", { choice: "decline" });
    await client.get(url);
    const switched = await client.post("/locale", { locale: "fr", redirectTo: url });
    expect(switched.location).toBe(url);
    const page = await client.get(url);
    expect(page.html).toContain('<html lang="fr"');
    expect(text(page.html)).toContain("Comment faites-vous le suivi ?");
    expect(text(page.html)).toContain("Décisions prises : 1 sur 2");
  });

  it("gives credit for the first pass only; replays are practice; maxAttempts is enforced with the reason", async () => {
    const { client } = await newLearner();
    const first = await start(client);
    const failed = text((await playMini(client, first, "ignore")).html);
    expect(failed).toContain("Not passed");
    expect(failed).toContain("below the pass mark of 70%");
    const second = await start(client);
    expect(text((await playMini(client, second)).html)).toContain("Completion recorded: 0.25 credit hour(s).");
    // maxAttempts is 2 for this case.
    await client.get("/cases/mini-case");
    const refused = await client.post("/cases/mini-case", {});
    expect(refused.status).toBe(409);
    expect(text(refused.html)).toContain("You have used all 2 attempts allowed for this case.");

    const critical = await newLearner();
    const url = await start(critical.client);
    const body = text((await playMini(critical.client, url, "explain", "accept")).html);
    expect(body).toContain("Not passed");
    expect(body).toContain("A critical choice fails the attempt whatever the score: Accept.");
  });

  it("pins an attempt to its version when a new version is published", async () => {
    const { client } = await newLearner();
    const url = await start(client);
    await step(client, url, "context");
    const versionOf = async (attemptId: string) =>
      (await db.attempt.findUniqueOrThrow({ where: { id: attemptId } })).caseVersionId;
    const versionBefore = await versionOf(attemptIdOf(url));
    await publishMiniCaseVersion(server.dbFile, "What do you do now (v2)?");

    const page = await client.get(url);
    expect(text(page.html)).toContain("What do you do?");
    expect(text(page.html)).toContain("Version 1");
    expect(await versionOf(attemptIdOf(url))).toEqual(versionBefore);
    // A new learner starts on version 2.
    const other = await newLearner();
    const url2 = await start(other.client);
    await step(other.client, url2, "context");
    expect(text((await other.client.get(url2)).html)).toContain("What do you do now (v2)?");
  });
});

describe("credit once per case, across versions", () => {
  it("a learner who passed one version earns nothing more by passing a later one", async () => {
    const { client } = await newLearner();
    const first = text((await playMini(client, await start(client))).html);
    expect(first).toContain("Passed");
    expect(first).not.toContain("This was a practice attempt");
    await publishMiniCaseVersion(server.dbFile, "What do you do now (credit test)?");

    const overview = text((await client.get("/cases/mini-case")).html);
    expect(overview).toContain("further attempts are practice and earn no credit");
    expect(overview).toContain("Play again (practice)");
    const url = await start(client);
    await step(client, url, "context");
    expect(text((await client.get(url)).html)).toContain("What do you do now (credit test)?");
    const second = text((await playMini(client, url)).html);
    expect(second).toContain("Passed");
    expect(second).toContain("This was a practice attempt: no credit (credit is earned once per case).");

    const { userId } = await db.attempt.findUniqueOrThrow({ where: { id: attemptIdOf(url) } });
    const rows = await db.completion.findMany({
      where: { attempt: { userId } },
      orderBy: { attemptNumber: "asc" },
      include: { certificate: true },
    });
    expect(rows.map((r) => (r.certificate ? 1 : 0))).toEqual([1, 0]);
    expect(rows[1]!.caseVersion).toBeGreaterThan(rows[0]!.caseVersion);
    expect(text((await client.get(`/me/transcript?from=2000-01-01&to=${today}`)).html)).toContain(
      "Total credit hours: 0.25",
    );
  });
});

async function playMiniRest(client: Client, url: string) {
  await step(client, url, "q2", { choice: "explain" });
  await step(client, url, "reflect", { reflection: "My private thoughts 7f3a" });
  return client.get(url);
}

describe("authorization: one learner never reads another's records", () => {
  it("hides another learner's attempt, reflection, certificate PDF and transcript", async () => {
    const alice = await newLearner();
    const url = await start(alice.client);
    const done = await playMini(alice.client, url);
    const code = /\/certificates\/([a-z2-9]{26})/.exec(done.html)![1]!;

    const bob = await newLearner();
    const read = await bob.client.get(url);
    expect(read.status).toBe(404);
    expect(read.html).not.toContain("My private thoughts 7f3a");
    // Acting on it is refused the same way, and nothing changes.
    await bob.client.get("/cases");
    const act = await bob.client.post(url, { from: "context" });
    expect(act.status).toBe(404);
    // Under another case's URL too.
    expect((await bob.client.get(url.replace("mini-case", "social-media-boundaries"))).status).toBe(404);
    expect((await bob.client.get(`/certificates/${code}/pdf`)).status).toBe(404);
    const transcript = await bob.client.get("/me/transcript");
    expect(transcript.status).toBe(200);
    expect(text(transcript.html)).toContain("No completion in this period.");
    const csv = await bob.client.get("/me/transcript.csv");
    expect(csv.html).not.toContain(code);
    // The owner gets the PDF.
    const pdf = await alice.client.get(`/certificates/${code}/pdf`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    // Signed out, attempts and transcripts send you to sign in.
    const anonymous = new Client(server.url);
    expect((await anonymous.get(url)).status).toBe(302);
    expect((await anonymous.get("/me/transcript.csv")).status).toBe(302);
    expect((await anonymous.get(`/certificates/${code}/pdf`)).status).toBe(302);
  });

  it("a learner gets 403 on the admin pages", async () => {
    const { client } = await newLearner();
    expect((await client.get("/admin/certificates")).status).toBe(403);
  });

  it("refuses mutations without the CSRF token or from another site", async () => {
    const { client } = await newLearner();
    await client.get("/cases/mini-case");
    expect((await client.post("/cases/mini-case", {}, { csrf: false })).status).toBe(403);
    expect((await client.post("/cases/mini-case", { csrf: "forged" })).status).toBe(403);
    expect((await client.post("/cases/mini-case", {}, { origin: "https://evil.example" })).status).toBe(403);
    // A sandboxed cross-site frame posts with "Origin: null": refused too, sign-in forms included.
    expect((await client.post("/cases/mini-case", {}, { origin: "null" })).status).toBe(403);
    const framed = new Client(server.url);
    await framed.get("/login");
    expect(
      (await framed.post("/login", { email: "x@example.test", password: "whatever it is" }, { origin: "null" })).status,
    ).toBe(403);

    expect((await client.post("/logout", {}, { csrf: false })).status).toBe(403);
    expect(await db.attempt.count({ where: { user: { name: `Learner ${counter}` } } })).toBe(0);
  });
});

describe("transcript and certificate files", () => {
  it("lists completions in a date range with total hours, as CSV and PDF", async () => {
    const { client } = await newLearner();
    const url = await start(client);
    await playMini(client, url);
    const page = await client.get(`/me/transcript?from=2000-01-01&to=${today}`);
    expect(text(page.html)).toContain("Total credit hours: 0.25");
    const csv = await client.get(`/me/transcript.csv?from=2000-01-01&to=${today}`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("Content-Type")).toContain("text/csv");
    expect(csv.headers.get("Content-Disposition")).toContain("attachment");
    const lines = csv.html
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(lines[0]).toMatch(/^Completed \(UTC\),Learner,Registration number,Regulator,Case ID,/);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(/^\d{4}-\d{2}-\d{2}T[\d:.]+Z,/);
    expect(lines[1]).toContain(",mini-case,");
    expect(lines[1]).toMatch(/,yes,0\.25,\d+,[\w-]+,Valid$/);
    const pdf = await client.get(`/me/transcript.pdf?from=2000-01-01&to=${today}`);
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("Content-Type")).toBe("application/pdf");
    // An empty or inverted range.
    expect(text((await client.get(`/me/transcript?from=1990-01-01&to=1990-12-31`)).html)).toContain(
      "No completion in this period.",
    );
    expect(text((await client.get(`/me/transcript?from=2020-02-01&to=2020-01-01`)).html)).toContain(
      "Enter valid dates",
    );
    const refused = await client.get(`/me/transcript.csv?from=nope`);
    expect(refused.status).toBe(400);
    expect(refused.html).toBe("Enter valid dates (the start must not be after the end).");
    expect((await client.get(`/me/transcript.pdf?from=2020-02-31`)).status).toBe(400);

    // In French, the same file speaks French; what a program reads (dates, numbers, IDs) is unchanged.
    await client.post("/locale", { locale: "fr", redirectTo: "/me/transcript" });
    const french = (await client.get(`/me/transcript.csv?from=2000-01-01&to=${today}`)).html
      .replace(/^\uFEFF/, "")
      .trim()
      .split("\r\n");
    expect(french[0]).toMatch(/^Terminé le \(UTC\),Participant·e,Numéro d'inscription,Ordre professionnel,/);
    expect(french[1]!.split(",")[0]).toBe(lines[1]!.split(",")[0]);
    expect(french[1]).toMatch(/,oui,0\.25,\d+,[\w-]+,Valide$/);
    expect((await client.get(`/me/transcript.csv?from=nope`)).html).toBe(
      "Entrez des dates valides (le début ne doit pas suivre la fin).",
    );
  });

  it("shows unknown certificate codes as not found", async () => {
    const page = await new Client(server.url).get("/certificates/aaaaaaaaaaaaaaaaaaaaaaaaaa");
    expect(page.status).toBe(404);
    // Error pages name themselves in the tab too (WCAG 2.4.2), in the visitor's language.
    expect(title(page.html)).toBe("Page not found · Vignette");
    const french = await new Client(server.url).get("/cases/no-such-case", { "Accept-Language": "fr-CA" });
    expect(title(french.html)).toBe("Page introuvable · Vignette");
  });
});

describe("authored content and headers", () => {
  it("refuses raw HTML in a case at validation, naming each text and what to write instead", () => {
    // What publishing the fixtures as before (valid and hostile together) now reports.
    const { diagnostics } = loadContent([path.join(fixtures, "valid"), path.join(fixtures, "hostile")]);
    const errors = diagnostics.filter((d) => d.severity === "error").map(formatDiagnostic);
    const file = "tests/fixtures/hostile/hostile-case.json";
    expect(errors).toEqual([
      `${file}:10:5: /title/en: "<b>" is raw HTML, which is not allowed in text: this text is shown as written, not as markdown: remove <b> and keep the words`,
      `${file}:11:5: /title/fr: "<b>" is raw HTML, which is not allowed in text: this text is shown as written, not as markdown: remove <b> and keep the words`,
      `${file}:33:9: /nodes/context/body/en: "<script>" is raw HTML, which is not allowed in text: remove <script>: scripts never run in case text`,
      `${file}:33:9: /nodes/context/body/en: "<img src=x onerror=\\"window.__pwned=2\\">" is raw HTML, which is not allowed in text: images are not allowed in text`,
      `${file}:34:9: /nodes/context/body/fr: "<script>" is raw HTML, which is not allowed in text: remove <script>: scripts never run in case text`,
      `${file}:34:9: /nodes/context/body/fr: "<img src=x onerror=\\"window.__pwned=2\\">" is raw HTML, which is not allowed in text: images are not allowed in text`,
    ]);
  });

  it("renders a version stored before that rule without raw HTML and with javascript: links made inert", async () => {
    const { client } = await newLearner();
    const url = await start(client, "hostile-case");
    const page = await client.get(url);
    expect(page.status).toBe(200);
    // The raw markdown also travels inside the page's data script as an escaped JSON string; what
    // matters is that none of it becomes markup (tags are dropped, their text stays as text).
    const markup = page.html.replace(/<script[\s\S]*?<\/script>/g, "");
    expect(markup).not.toMatch(/<script/i);
    expect(page.html).not.toContain("<script>window");
    expect(markup).not.toMatch(/<img[^>]*onerror/);
    expect(page.html).not.toMatch(/href="javascript:/i);
    expect(page.html).toContain('href="https://example.org/policy"');
    expect(text(page.html)).toContain("bad link");
    // Titles are text, not markup.
    const list = await client.get("/cases");
    expect(list.html).not.toContain("<b>markup</b>");
    expect(list.html).toContain("Hostile &lt;b&gt;markup&lt;/b&gt; case");
  });

  it("sets a nonce-based CSP, framing and referrer policies on pages", async () => {
    const page = await new Client(server.url).get("/login");
    const csp = page.headers.get("Content-Security-Policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeDefined();
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(page.headers.get("Referrer-Policy")).toBe("strict-origin-when-cross-origin");
    expect(page.headers.get("X-Frame-Options")).toBe("DENY");
    expect(page.headers.get("X-Content-Type-Options")).toBe("nosniff");
    // Every inline script carries the nonce.
    const scripts = [...page.html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const attributes of scripts) {
      if (!attributes.includes("src=")) expect(attributes).toContain(`nonce="${nonce}"`);
    }
    const second = await new Client(server.url).get("/login");
    expect(second.headers.get("Content-Security-Policy")).not.toContain(nonce);
  });

  it("answers /healthz with 200 while the database is reachable", async () => {
    const page = await new Client(server.url).get("/healthz");
    expect(page.status).toBe(200);
    expect(JSON.parse(page.html)).toEqual({ status: "ok", database: "reachable" });
  });
});

describe("certificates over time", () => {
  it("lets an admin revoke a certificate with a reason; it stays on record and shows as revoked", async () => {
    const { createUser } = await import("~/models/user.server");
    await createUser({
      email: "admin-it@example.test",
      name: "Admin IT",
      password: "admin password long enough",
      registrationNumber: "AD-1",
      // An admin of the case's regulator (certificates of mini-case are demo's).
      regulator: "demo",
      locale: "en",
      roles: ["admin"],
    });
    const learner = await newLearner();
    const url = await start(learner.client);
    const done = await playMini(learner.client, url);
    const code = /\/certificates\/([a-z2-9]{26})/.exec(done.html)![1]!;

    const admin = new Client(server.url);
    expect((await admin.login("admin-it@example.test", "admin password long enough")).status).toBe(302);
    const found = await admin.get(`/admin/certificates?code=${code}`);
    expect(text(found.html)).toContain("Revoke this certificate");
    // The form posts back to the page it is on, search included, as a browser does.
    const tooShort = await admin.post(`/admin/certificates?code=${code}`, { code, reason: "no" });
    expect(tooShort.status).toBe(400);
    expect(text(tooShort.html)).toContain("Give a reason");
    const revoked = await admin.post(`/admin/certificates?code=${code}`, {
      code,
      reason: "Completed on a shared account",
    });
    expect(revoked.status).toBe(200);
    expect(text(revoked.html)).toContain("Certificate revoked.");

    // Anyone verifying sees that it was revoked and when; why is for the learner and admins.
    const revokedOn = formatDate(new Date(), "en");
    const publicPage = text((await new Client(server.url).get(`/certificates/${code}`)).html);
    expect(publicPage).toContain("Status: Revoked");
    expect(publicPage).toContain(`Revoked on ${revokedOn}`);
    expect(publicPage).not.toContain("Completed on a shared account");
    const otherLearner = (await newLearner()).client;
    expect(text((await otherLearner.get(`/certificates/${code}`)).html)).not.toContain("Completed on a shared account");
    for (const reader of [learner.client, admin]) {
      const page = text((await reader.get(`/certificates/${code}`)).html);
      expect(page).toContain(`Revoked on ${revokedOn}`);
      expect(page).toContain("Completed on a shared account");
    }
    const row = await db.certificate.findUniqueOrThrow({ where: { code } });
    expect(row.revokedReason).toBe("Completed on a shared account");
    expect(row.revokedById).toBeTruthy();
    // Revoked hours no longer count on the transcript.
    expect(text((await learner.client.get(`/me/transcript?from=2000-01-01&to=${today}`)).html)).toContain(
      "Total credit hours: 0",
    );
  });

  it("completion records cannot be changed or deleted, even with direct SQL", async () => {
    const learner = await newLearner();
    await playMini(learner.client, await start(learner.client));
    // With the engine's own driver, past the app and Prisma.
    const { id } = await db.completion.findFirstOrThrow();
    await expect(directSql(server.dbFile, `UPDATE "Completion" SET "score" = 1 WHERE "id" = $1`, [id])).rejects.toThrow(
      /immutable/,
    );
    await expect(directSql(server.dbFile, `DELETE FROM "Completion" WHERE "id" = $1`, [id])).rejects.toThrow(
      /never deleted/,
    );
  });
});

describe("password change", () => {
  it("checks the current password, then signs out every other session", async () => {
    const { client, email } = await newLearner();
    const other = new Client(server.url);
    await other.login(email, "correct horse battery staple");
    expect((await other.get("/me/transcript")).status).toBe(200);

    await client.get("/me/account");
    const wrong = await client.post("/me/account", {
      currentPassword: "not it at all",
      newPassword: "a brand new long password",
    });
    expect(wrong.status).toBe(400);
    expect(text(wrong.html)).toContain("The current password is incorrect.");
    expect((await other.get("/me/transcript")).status).toBe(200);

    const changed = await client.post("/me/account", {
      currentPassword: "correct horse battery staple",
      newPassword: "a brand new long password",
    });
    expect(changed.status).toBe(302);
    expect(text((await client.get(changed.location!)).html)).toContain("Password changed.");
    expect((await client.get("/me/transcript")).status).toBe(200);
    expect((await other.get("/me/transcript")).status).toBe(302);
    expect((await new Client(server.url).login(email, "correct horse battery staple")).status).toBe(401);
    expect((await new Client(server.url).login(email, "a brand new long password")).status).toBe(302);
  });
});
