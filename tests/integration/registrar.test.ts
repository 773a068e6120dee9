// The QA report over real HTTP: learners of two regulators pass the mini-case through the forms; a
// COTO registrar sees COTO's registrants only (asking for another regulator is 403, page and
// download alike), an operator may pick any regulator, a learner is refused; the CSV, XLSX and JSON
// downloads parse back and are audited; `npm run records:export` writes the same file.
import { spawn } from "node:child_process";
import path from "node:path";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { Client, text } from "../support/client";
import { publishMiniCaseCopies } from "../support/mini-case";
import { passMiniCase } from "../support/play";
import { startServer, type TestServer } from "../support/server";
import { makeTempDir } from "../support/temp-db";

let server: TestServer;
const PASSWORD = "correct horse battery staple";

async function signedIn(email: string, name: string, registrationNumber: string, regulator: string, roles: string[]) {
  const { createUser } = await import("~/models/user.server");
  await createUser({
    email,
    name,
    password: PASSWORD,
    registrationNumber,
    regulator,
    locale: "en",
    roles: roles as Array<"learner" | "registrar" | "operator">,
  });
  const client = new Client(server.url);
  expect((await client.login(email, PASSWORD)).status).toBe(302);
  return client;
}

/** Passes the copy of the mini case that the learner's regulator published ("mini-<regulator>"). */
async function pass(client: Client, regulator = "coto") {
  await passMiniCase(client, { slug: `mini-${regulator}` });
}

// Rows through Prisma, so the same checks run on SQLite and PostgreSQL (npm run test:pg).
const exportsAudited = () =>
  getDb().auditEntry.findMany({
    where: { action: "records_exported" },
    select: { actorId: true, detail: true },
    orderBy: { id: "asc" },
  });

/** The names heading the registrants table's rows. */
const rowNames = (html: string) => [...html.matchAll(/<th scope="row">([^<]*)<\/th>/g)].map((m) => m[1]);

let registrar: Client;
let admin: Client;
let learner: Client;

beforeAll(async () => {
  server = await startServer({ content: [path.resolve("tests/fixtures/valid")] });
  // Credit is for the case's regulator: each regulator's registrants play that regulator's case.
  await publishMiniCaseCopies(["coto", "demo-psychotherapy"]);
  learner = await signedIn("ana@example.test", "Ana Passed", "OT-QA-1", "coto", ["learner"]);
  await pass(learner);
  await signedIn("ben@example.test", "Ben Pending", "OT-QA-2", "coto", ["learner"]);
  await pass(
    await signedIn("eve@example.test", "Eve Elsewhere", "CP-QA-3", "demo-psychotherapy", ["learner"]),
    "demo-psychotherapy",
  );
  registrar = await signedIn("registrar@example.test", "Rita Registrar", "ST-1", "coto", ["registrar"]);
  admin = await signedIn("admin@example.test", "Adam Admin", "ST-2", "coto", ["operator"]);
});
afterAll(async () => {
  await getDb().$disconnect();
  await server?.stop();
});

describe("/registrar", () => {
  it("shows a registrar their own regulator's registrants, with their hours, and no one else's", async () => {
    const page = await registrar.get("/registrar");
    expect(page.status).toBe(200);
    const body = text(page.html);
    expect(body).toContain("College of Occupational Therapists of Ontario");
    expect(body).toMatch(/Ana Passed OT-QA-1 0\.25 2 1 No, short/);
    expect(body).toMatch(/Ben Pending OT-QA-2 0 2 0 No, short/);
    expect(body).not.toContain("Eve Elsewhere");
    // Staff are not registrants.
    expect(rowNames(page.html)).toEqual(["Ana Passed", "Ben Pending"]);
    // Its header links to it; the table scrolls in its own labelled region.
    expect(page.html).toContain('href="/registrar"');
    expect(page.html).toMatch(/class="table-scroll" role="region"/);
  });

  it("refuses a registrar another regulator's report, page and downloads alike", async () => {
    expect((await registrar.get("/registrar?regulator=demo-psychotherapy")).status).toBe(403);
    const download = await registrar.download("/registrar/export?regulator=demo-psychotherapy&format=json");
    expect(download.status).toBe(403);
    expect(new TextDecoder().decode(download.body)).not.toContain("Eve");
  });

  it("lets an operator pick any regulator", async () => {
    const page = await admin.get("/registrar?regulator=demo-psychotherapy");
    expect(page.status).toBe(200);
    const body = text(page.html);
    expect(body).toContain("Eve Elsewhere");
    expect(body).not.toContain("Ana Passed");
    expect(page.html).toMatch(/<select id="regulator" name="regulator"/);
    expect((await admin.get("/registrar?regulator=no-such")).status).toBe(404);
  });

  it("refuses learners, and sends the signed-out to sign in", async () => {
    expect((await learner.get("/registrar")).status).toBe(403);
    expect((await learner.download("/registrar/export?format=csv")).status).toBe(403);
    const anonymous = await new Client(server.url).get("/registrar");
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=/);
  });

  it("filters on meets / short and on the name or registration number", async () => {
    const found = text((await registrar.get("/registrar?q=qa-2")).html);
    expect(found).toContain("Ben Pending");
    expect(found).not.toContain("Ana Passed");
    const meets = text((await registrar.get("/registrar?status=meets")).html);
    expect(meets).toContain("No registrant matches these filters.");
  });

  it("answers a bad cycle or format with 400 and a reason, not 500", async () => {
    const badCycle = await registrar.get("/registrar?cycle=2026-04-02");
    expect(badCycle.status).toBe(400);
    expect((await registrar.get("/registrar/export?cycle=2026-04-02")).status).toBe(400);
    const badFormat = await registrar.get("/registrar/export?format=pdf");
    expect(badFormat.status).toBe(400);
    expect(badFormat.html).toContain("Unknown format or export kind.");
    expect((await registrar.get("/registrar?status=everyone")).status).toBe(400);
  });

  it("is in French too", async () => {
    await registrar.get("/registrar");
    expect((await registrar.post("/locale", { locale: "fr", redirectTo: "/registrar" })).status).toBe(302);
    const body = text((await registrar.get("/registrar")).html);
    expect(body).toContain("Rapport d’assurance qualité");
    expect(body).toContain("Non, heures insuffisantes");
    // Back to English for the other tests.
    expect((await registrar.post("/locale", { locale: "en", redirectTo: "/registrar" })).status).toBe(302);
  });
});

describe("/registrar/export", () => {
  it("gives the registrants as CSV, uncached", async () => {
    const before = (await exportsAudited()).length;
    const download = await registrar.download("/registrar/export?kind=registrants&format=csv");
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(download.headers.get("Cache-Control")).toBe("no-store");
    expect(download.headers.get("Content-Disposition")).toMatch(/filename="qa-registrants-coto-\d{4}-04-01\.csv"/);
    const lines = new TextDecoder()
      .decode(download.body)
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe(
      "Learner name,Registration number,Provider,Cycle start,Cycle end,Time zone,Hours earned,Hours required,Meets requirement,Cases passed,Completions",
    );
    expect(lines.slice(1).sort()).toEqual([
      expect.stringMatching(
        /^Ana Passed,OT-QA-1,College of Occupational Therapists of Ontario,\d{4}-04-01,\d{4}-03-31,America\/Toronto,0\.25,2,false,1,1$/,
      ),
      expect.stringMatching(/^Ben Pending,OT-QA-2,.*,0,2,false,0,0$/),
    ]);
    const audited = await exportsAudited();
    expect(audited).toHaveLength(before + 1);
    const registrarId = (await getDb().user.findUniqueOrThrow({ where: { email: "registrar@example.test" } })).id;
    expect(audited.at(-1)!.actorId).toBe(registrarId);
    expect(JSON.parse(audited.at(-1)!.detail)).toMatchObject({
      regulator: "coto",
      kind: "registrants",
      format: "csv",
      rows: 2,
      via: "web",
    });
  });

  it("gives the completions as a real XLSX workbook: header row, typed cells, frozen header", async () => {
    const download = await registrar.download("/registrar/export?kind=completions&format=xlsx");
    expect(download.status).toBe(200);
    expect(download.headers.get("Content-Type")).toBe(
      "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(download.body.buffer as ArrayBuffer);
    const sheet = workbook.worksheets[0]!;
    expect(sheet.name).toBe("Completions");
    expect(sheet.views[0]).toMatchObject({ state: "frozen", ySplit: 1 });
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      "Learner name",
      "Registration number",
      "Provider",
      "Provider contact",
      "Activity title",
      "Activity id",
      "Activity version",
      "Learning format",
      "Credit category",
      "Credit hours awarded",
      "Completed at (UTC)",
      "Completion date",
      "Time zone",
      "Score",
      "Passed",
      "Attempt number",
      "Certificate id",
      "Certificate status",
    ]);
    expect(sheet.rowCount).toBe(2);
    const row = sheet.getRow(2);
    const cell = (name: string) => row.getCell(header.indexOf(name) + 1).value;
    expect(cell("Learner name")).toBe("Ana Passed");
    expect(cell("Provider contact")).toBe("practice@coto.example");
    expect(cell("Activity title")).toBe("A follow request");
    expect(cell("Learning format")).toBe("online self-study");
    expect(cell("Credit category")).toBe("ethics");
    expect(cell("Credit hours awarded")).toBe(0.25);
    expect(cell("Completed at (UTC)")).toBeInstanceOf(Date);
    expect(cell("Passed")).toBe(true);
    expect(cell("Attempt number")).toBe(1);
    expect(cell("Certificate status")).toBe("valid");
    expect(typeof cell("Score")).toBe("number");
  });

  it("gives JSON with the regulator, the cycle and the rows", async () => {
    const download = await admin.download(
      "/registrar/export?regulator=demo-psychotherapy&kind=completions&format=json",
    );
    expect(download.status).toBe(200);
    const body = JSON.parse(new TextDecoder().decode(download.body));
    expect(body).toMatchObject({
      kind: "completions",
      regulator: { id: "demo-psychotherapy", timeZone: "America/Vancouver" },
      cycle: { start: expect.stringMatching(/^\d{4}-01-01$/), timeZone: "America/Vancouver" },
      requiredHours: 4,
    });
    expect(body.rows).toHaveLength(1);
    expect(body.rows[0]).toMatchObject({
      learnerName: "Eve Elsewhere",
      registrationNumber: "CP-QA-3",
      creditHours: 0.25,
      certificateStatus: "valid",
      timeZone: "America/Vancouver",
    });
  });
});

describe("npm run records:export", () => {
  it("writes the same report to a file and audits it as the CLI", async () => {
    const { dir, cleanup } = makeTempDir("vignette-records-export-");
    try {
      const out = path.join(dir, "completions.xlsx");
      const result = await new Promise<{ code: number | null; output: string }>((resolve) => {
        const child = spawn(
          path.resolve("node_modules/.bin/tsx"),
          [
            "scripts/records-export.ts",
            "--regulator",
            "coto",
            "--kind",
            "completions",
            "--format",
            "xlsx",
            "--out",
            out,
          ],
          { env: { ...process.env, DATABASE_URL: server.databaseUrl }, stdio: ["ignore", "pipe", "pipe"] },
        );
        let output = "";
        child.stdout.on("data", (c: Buffer) => (output += c.toString()));
        child.stderr.on("data", (c: Buffer) => (output += c.toString()));
        child.on("exit", (code) => resolve({ code, output }));
      });
      expect(result.code, result.output).toBe(0);
      expect(result.output).toContain("Wrote 1 completions row(s) of coto");
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(out);
      const sheet = workbook.worksheets[0]!;
      expect(sheet.getRow(2).getCell(1).value).toBe("Ana Passed");
      const last = (await exportsAudited()).at(-1)!;
      expect(last.actorId).toBeNull();
      expect(JSON.parse(last.detail)).toMatchObject({ regulator: "coto", format: "xlsx", via: "cli" });
    } finally {
      cleanup();
    }
  }, 60_000);
});
