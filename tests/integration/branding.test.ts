// Each regulator's branding and clock, against the production server: the header names the
// regulator in context (the case's on its pages, else the signed-in person's, else Vignette alone),
// dates are shown on the regulator's clock with the zone named when a time is shown, and the mail a
// real SMTP server receives carries the regulator's logo inline with its name. The regulator in
// another zone is the demo content's College of Psychotherapists (America/Vancouver).
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "~/utils/db.server";
import { formatDate, formatZonedDateTime } from "~/utils/format";
import { Client, text } from "../support/client";
import { publishMiniCaseCopies } from "../support/mini-case";
import { signedInAs } from "../support/people";
import { passMiniCase } from "../support/play";
import { startServer, type TestServer } from "../support/server";
import { startMailbox, type TestMailbox } from "../support/smtp";

const COTO = "College of Occupational Therapists of Ontario";
const PACIFIC = "College of Psychotherapists (demo)";
const VANCOUVER = "America/Vancouver";

let mailbox: TestMailbox;
let server: TestServer;

beforeAll(async () => {
  mailbox = await startMailbox();
  server = await startServer({
    content: [path.resolve("tests/fixtures/valid")],
    env: { SMTP_URL: mailbox.url, PUBLIC_URL: "https://vignette.example.org" },
  });
  // Before any request, so the server's first read of the profiles sees these copies' regulators.
  await publishMiniCaseCopies(["coto", "demo-psychotherapy"]);
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
  await mailbox?.stop();
});

/** The site header's markup. */
const headerOf = (html: string) => /<header class="site-header">[\s\S]*?<\/header>/.exec(html)?.[0] ?? "";

describe("the header's branding", () => {
  it("is Vignette alone when signed out on a neutral page", async () => {
    const header = headerOf((await new Client(server.url).get("/login")).html);
    expect(header).toContain(">Vignette</a>");
    expect(header).not.toContain("regulator-brand");
    expect(header).not.toContain("brand-rule");
  });

  it("names the signed-in person's regulator elsewhere: its logo (alt, fixed size), name and colour", async () => {
    const learner = await signedInAs(server, { roles: ["learner"], regulator: "coto" });
    const header = headerOf((await learner.get("/me/transcript")).html);
    const logo = new RegExp(`<img src="(/regulators/coto/logo/[0-9a-f]{64})" alt="${COTO}" height="32" width="96"/>`);
    // coto.png is 240 × 80: 32 px high, so 96 wide, reserved before it loads.
    const src = logo.exec(header)?.[1];
    expect(src, header).toBeDefined();
    expect(header).toContain(`<span class="regulator-name" aria-hidden="true">${COTO}</span>`);
    expect(header).toContain('<rect width="100" height="4" fill="#17546b"></rect>');
    const image = await learner.download(src!);
    expect(Buffer.from(image.body).equals(fs.readFileSync(path.resolve("cases/regulators/coto.png")))).toBe(true);
  });

  it("names the case's regulator on its pages, whoever is signed in (and when no one is)", async () => {
    const cotoLearner = await signedInAs(server, { roles: ["learner"], regulator: "coto" });
    for (const client of [cotoLearner, new Client(server.url)]) {
      const header = headerOf((await client.get("/cases/mini-demo-psychotherapy")).html);
      expect(header).toContain(`alt="${PACIFIC}" height="32" width="32"/>`);
      expect(header).toContain('fill="#5b2a6e"');
      expect(header).not.toContain(COTO);
    }
  });
});

describe("dates on the regulator's clock, and its logo in mail", () => {
  it("shows a Vancouver regulator's completion on Pacific time on every page, zone named with a time", async () => {
    const learner = await signedInAs(server, { roles: ["learner"], regulator: "demo-psychotherapy" });
    const attemptUrl = await passMiniCase(learner, { slug: "mini-demo-psychotherapy" });
    const completion = await getDb().completion.findFirstOrThrow({
      where: { attemptId: attemptUrl.split("/").at(-1)! },
      include: { certificate: true },
    });
    expect(completion.regulator).toBe("demo-psychotherapy");
    const day = formatDate(completion.completedAt, "en", VANCOUVER);

    // The attempt's header is the case's regulator's; the transcript and case name the day on Pacific time.
    const attempt = await learner.get(attemptUrl);
    expect(headerOf(attempt.html)).toContain(`alt="${PACIFIC}"`);
    expect(text((await learner.get("/me/transcript?from=2025-01-01&to=2027-12-31")).html)).toContain(day);
    expect(text((await learner.get("/cases/mini-demo-psychotherapy")).html)).toContain(day);
    // A time of day is shown with the zone named, on the certificate's regulator's clock (three
    // hours from Toronto's, so the Toronto text cannot pass for it).
    const certificate = text((await new Client(server.url).get(`/certificates/${completion.certificate!.code}`)).html);
    expect(certificate).toContain(formatZonedDateTime(completion.completedAt, "en", VANCOUVER));
    expect(certificate).toMatch(/ at \d{1,2}:\d{2} [ap]\.m\. P[SD]T/);
    expect(certificate).not.toContain(formatZonedDateTime(completion.completedAt, "en", "America/Toronto"));

    // The "certificate issued" mail, as a mail client parses it: the logo is an inline part with
    // the profile's bytes, the HTML shows it by its Content-ID, the heading has the colour.
    // The only pass of this suite: the only "certificate issued" mail.
    await vi.waitFor(() => expect(mailbox.received).toHaveLength(1), { timeout: 30_000, interval: 100 });
    const mail = mailbox.received[0]!;
    const bytes = fs.readFileSync(path.resolve("cases/regulators/demo-psychotherapy.png"));
    expect(mail.attachments).toHaveLength(1);
    const [logo] = mail.attachments;
    expect(logo!.contentType).toBe("image/png");
    expect(logo!.contentDisposition).toBe("inline");
    expect(logo!.cid).toBe("regulator-logo@vignette");
    expect(logo!.content.equals(bytes)).toBe(true);
    // A mail client's parser resolves the HTML's cid: link to that very part (here, as a data: URL).
    expect(mail.html).toContain(
      `<img src="data:image/png;base64,${bytes.toString("base64")}" alt="${PACIFIC}" height="48" width="48">`,
    );
    expect(mail.html).toContain(`<strong style="color: #5b2a6e">${PACIFIC}</strong>`);
    expect(mail.text?.split("\n")[0]).toBe(PACIFIC);
    expect(mail.html).not.toContain("https://vignette.example.org/regulators/");
  });
});

describe("a due date typed by a Vancouver regulator's educator", () => {
  it("is the end of that day in Vancouver, shown back as that day (not Toronto's)", async () => {
    const educator = await signedInAs(server, { roles: ["educator"], regulator: "demo-psychotherapy" });
    await educator.get("/educator");
    const created = await educator.post("/educator?index", { name: "Pacific cohort" });
    expect(created.status).toBe(302);
    const cohortUrl = created.location!;
    const { id: caseId } = await getDb().case.findUniqueOrThrow({ where: { slug: "mini-demo-psychotherapy" } });
    await educator.get(cohortUrl);
    const assigned = await educator.post(cohortUrl, {
      intent: "assign",
      target: `case:${caseId}:latest`,
      dueDate: "2026-12-20",
    });
    expect(assigned.status).toBe(200);
    const assignment = await getDb().assignment.findFirstOrThrow({ where: { cohortId: cohortUrl.split("/").at(-1)! } });
    // 23:59:59.999 on December 20 in Vancouver (PST, UTC−8); Toronto's would be 04:59:59.999Z.
    expect(assignment.dueAt?.toISOString()).toBe("2026-12-21T07:59:59.999Z");
    expect(text((await educator.get(cohortUrl)).html)).toContain("December 20, 2026");
    const page = await educator.get(`${cohortUrl}/assignments/${assignment.id}`);
    expect(page.html).toContain('value="2026-12-20"');
  });
});

describe("the studio's pages of a Vancouver regulator's case", () => {
  it("show its history on Pacific time with the zone named, not Toronto's", async () => {
    const author = await signedInAs(server, {
      roles: [],
      grants: [{ role: "author", regulator: "demo-psychotherapy" }],
      regulator: "demo-psychotherapy",
    });
    const page = text((await author.get("/studio/cases/mini-demo-psychotherapy")).html);
    // The import's audit entries: a time of day, on the regulator's clock (PST in winter, PDT in summer).
    expect(page).toMatch(/\d:\d\d [ap]\.m\. P[SD]T/);
    expect(page).not.toMatch(/\d:\d\d [ap]\.m\. E[SD]T/);
  });
});
