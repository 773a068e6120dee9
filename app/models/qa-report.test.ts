// The QA report against a real migrated SQLite file: learners play the fixture case through the
// attempt model at chosen instants around COTO's cycle boundary (2026-04-01, Toronto time); the
// report counts only credited hours whose certificate stands, cuts the cycle on Toronto's clock,
// and never lists another regulator's registrants.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { RegulatorProfile } from "~/engine";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { ALL_REGULATORS, type Grant } from "~/utils/roles";
import { miniCaseOf } from "../../tests/support/mini-case";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { advanceAttempt, startAttempt } from "./attempt.server";
import { listAudit } from "./audit.server";
import { revokeCertificate } from "./completion.server";
import { publishContent } from "./content.server";
import { openReport, qaReport, recordExport, reportScope, resolveCycle } from "./qa-report.server";
import { getRegulator } from "./regulator.server";
import { closeAccount, createUser } from "./user.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");

async function play(userId: string, q1: "decline" | "accept", when: Date, slug = "mini-coto") {
  const started = await startAttempt(userId, slug);
  if (!started.ok) throw new Error("could not start");
  const id = started.value.attemptId;
  await advanceAttempt(id, userId, { from: "context" }, when);
  await advanceAttempt(id, userId, { from: "q1", choiceId: q1 }, when);
  await advanceAttempt(id, userId, { from: "q2", choiceId: "explain" }, when);
  await advanceAttempt(id, userId, { from: "reflect", reflection: "A reflection." }, when);
}

const learner = (name: string, registrationNumber: string, regulator = "coto") =>
  createUser({
    email: `${registrationNumber.toLowerCase()}@example.test`,
    name,
    password: "correct horse battery staple",
    registrationNumber,
    regulator,
    locale: "en",
  });

let coto: RegulatorProfile;
const ids: Record<string, string> = {};

beforeAll(async () => {
  // Each regulator's registrants play that regulator's copy of the mini case (credit is for the case's regulator).
  const content = loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") });
  const { regulators } = loadContent([path.resolve("cases")]);
  const copies = ["coto", "demo-psychotherapy"].map((id) => miniCaseOf(content, id));
  await publishContent(getDb(), {
    regulators: [...content.regulators, ...regulators],
    catalogs: copies.map((c) => c.catalog),
    cases: copies.map((c) => c.case),
  });
  coto = (await getRegulator("coto"))!;

  // 23:30 on the cycle's last day in Toronto (03:30 UTC the next day): in the 2026 cycle.
  ids.ana = (await learner("Ana Last-Evening", "OT-100")).id;
  await play(ids.ana, "decline", new Date("2027-04-01T03:30:00Z"));
  // 00:00 on the next cycle's first day: not in it.
  ids.ben = (await learner("Ben Next-Cycle", "OT-200")).id;
  await play(ids.ben, "decline", new Date("2027-04-01T04:00:00Z"));
  // Credited in the cycle, then the certificate is revoked.
  ids.cleo = (await learner("Cléo Revoked", "OT-300")).id;
  await play(ids.cleo, "decline", new Date("2026-05-01T15:00:00Z"));
  // Credited in the previous cycle; a practice replay in this one earns nothing.
  ids.dan = (await learner("Dan Replay", "OT-400")).id;
  await play(ids.dan, "decline", new Date("2025-05-01T15:00:00Z"));
  await play(ids.dan, "decline", new Date("2026-05-01T15:00:00Z"));
  // Passed in the cycle, then closed the account: listed with the name as issued.
  ids.fay = (await learner("Fay Closed", "OT-500")).id;
  await play(ids.fay, "decline", new Date("2026-09-01T15:00:00Z"));
  await closeAccount(ids.fay, new Date("2026-10-01T15:00:00Z"));
  // Failed only: a registrant with nothing.
  ids.gus = (await learner("Gus Failed", "OT-600")).id;
  await play(ids.gus, "accept", new Date("2026-06-01T15:00:00Z"));
  // Another regulator's learner, passing in the same period.
  ids.eve = (await learner("Eve Elsewhere", "CP-700", "demo-psychotherapy")).id;
  await play(ids.eve, "decline", new Date("2026-05-01T15:00:00Z"), "mini-demo-psychotherapy");
  // Staff of COTO are not registrants.
  ids.admin = (await insertUser("admin-qa@example.test", ["admin"])).id;

  const code = (await getDb().certificate.findFirstOrThrow({ where: { completion: { userId: ids.cleo } } })).code;
  expect(await revokeCertificate(code, ids.admin, ALL_REGULATORS, "Issued in error")).toEqual({
    ok: true,
    value: null,
  });
});

const cycle2026 = () => {
  const cycle = resolveCycle(coto, "2026-04-01");
  if (!cycle.ok) throw new Error("no cycle");
  return cycle.value;
};
// COTO asks 2 hours; the fixture case is worth 0.25, so the aggregation tests ask for 0.25.
const quarterHour = (): RegulatorProfile => ({ ...coto, ce: { ...coto.ce!, requiredHours: 0.25 } });
const all = { status: "all", q: "" } as const;

describe("qaReport", () => {
  it("lists every registrant of the regulator, with the hours that count in the Toronto cycle", async () => {
    const report = await qaReport(quarterHour(), cycle2026(), all, "en");
    expect(report.cycle).toMatchObject({ start: "2026-04-01", end: "2027-03-31", timeZone: "America/Toronto" });
    const rows = Object.fromEntries(report.registrants.map((r) => [r.registrationNumber, r]));
    expect(Object.keys(rows).sort()).toEqual(["OT-100", "OT-200", "OT-300", "OT-400", "OT-500", "OT-600"]);
    expect(rows["OT-100"]).toMatchObject({ learnerName: "Ana Last-Evening", hours: 0.25, meets: true, casesPassed: 1 });
    expect(rows["OT-200"]).toMatchObject({ hours: 0, meets: false, casesPassed: 0, completions: 0 });
    // The revoked certificate gives 0 hours and no case passed; the replay passes but earns 0.
    expect(rows["OT-300"]).toMatchObject({ hours: 0, meets: false, casesPassed: 0, completions: 1 });
    expect(rows["OT-400"]).toMatchObject({ hours: 0, meets: false, casesPassed: 1, completions: 1 });
    expect(rows["OT-500"]).toMatchObject({ learnerName: "Fay Closed", hours: 0.25, meets: true });
    expect(rows["OT-600"]).toMatchObject({ hours: 0, completions: 0 });
    expect(report).toMatchObject({ total: 6, meeting: 2, requiredHours: 0.25 });
  });

  it("counts the first instant of the next cycle there", async () => {
    const next = resolveCycle(coto, "2027-04-01");
    if (!next.ok) throw new Error("no cycle");
    const report = await qaReport(quarterHour(), next.value, all, "en");
    const ben = report.registrants.find((r) => r.registrationNumber === "OT-200");
    const ana = report.registrants.find((r) => r.registrationNumber === "OT-100");
    expect([ben?.hours, ana?.hours]).toEqual([0.25, 0]);
  });

  it("measures against the profile's required hours (COTO: 2)", async () => {
    const report = await qaReport(coto, cycle2026(), all, "en");
    expect(report.meeting).toBe(0);
    expect(report.registrants.every((r) => r.requiredHours === 2 && !r.meets)).toBe(true);
  });

  it("filters on meets / short and on name or registration number, accents aside", async () => {
    const meets = await qaReport(quarterHour(), cycle2026(), { status: "meets", q: "" }, "en");
    expect(meets.registrants.map((r) => r.registrationNumber)).toEqual(["OT-100", "OT-500"]);
    expect(meets.records.map((r) => r.registrationNumber).sort()).toEqual(["OT-100", "OT-500"]);
    const short = await qaReport(quarterHour(), cycle2026(), { status: "short", q: "" }, "en");
    expect(short.registrants).toHaveLength(4);
    const byName = await qaReport(quarterHour(), cycle2026(), { status: "all", q: "cleo" }, "en");
    expect(byName.registrants.map((r) => r.learnerName)).toEqual(["Cléo Revoked"]);
    const byNumber = await qaReport(quarterHour(), cycle2026(), { status: "all", q: "ot-4" }, "en");
    expect(byNumber.registrants.map((r) => r.learnerName)).toEqual(["Dan Replay"]);
    expect(byNumber.total).toBe(6);
  });

  it("never lists another regulator's registrants or records", async () => {
    const report = await qaReport(quarterHour(), cycle2026(), all, "en");
    expect(report.registrants.some((r) => r.userId === ids.eve || r.userId === ids.admin)).toBe(false);
    expect(report.records.some((r) => r.userId === ids.eve)).toBe(false);
    const theirs = await qaReport((await getRegulator("demo-psychotherapy"))!, cycle2026(), all, "en");
    expect(theirs.registrants.map((r) => r.registrationNumber)).toEqual(["CP-700"]);
  });

  it("gives each completion's CE record, with the hours actually awarded and the certificate's status", async () => {
    const report = await qaReport(coto, cycle2026(), all, "fr");
    const byNumber = Object.fromEntries(report.records.map((r) => [r.registrationNumber, r]));
    expect(Object.keys(byNumber).sort()).toEqual(["OT-100", "OT-300", "OT-400", "OT-500"]);
    expect(byNumber["OT-100"]).toMatchObject({
      learnerName: "Ana Last-Evening",
      provider: "Ordre des ergothérapeutes de l'Ontario",
      providerContact: "practice@coto.example",
      activityTitle: "Une demande d'abonnement",
      activitySlug: "mini-coto",
      activityVersion: 1,
      learningFormat: "online self-study",
      creditCategory: "ethics",
      creditHours: 0.25,
      completionDate: "2027-03-31",
      timeZone: "America/Toronto",
      passed: true,
      attemptNumber: 1,
      certificateStatus: "valid",
    });
    expect(byNumber["OT-100"]!.certificateId).toEqual(expect.any(String));
    expect(byNumber["OT-100"]!.completedAt.toISOString()).toBe("2027-04-01T03:30:00.000Z");
    expect(byNumber["OT-300"]).toMatchObject({ creditHours: 0, certificateStatus: "revoked" });
    expect(byNumber["OT-400"]).toMatchObject({ creditHours: 0, certificateStatus: "none", attemptNumber: 2 });
    expect(byNumber["OT-400"]!.certificateId).toBeNull();
  });
});

describe("who reads which regulator's report", () => {
  const registrar = { grants: [{ role: "registrar", regulator: "coto" }] as Grant[], regulator: "coto" };
  const operator = (regulator: string) => ({ grants: [{ role: "operator", regulator: "*" }] as Grant[], regulator });

  it("gives a registrar their own regulator and refuses any other", () => {
    expect(reportScope(registrar, null)).toEqual({ ok: true, value: { regulatorId: "coto", mayChoose: false } });
    expect(reportScope(registrar, "coto")).toMatchObject({ ok: true });
    expect(reportScope(registrar, "demo-psychotherapy")).toEqual({ ok: false, code: "forbidden" });
  });

  it("lets an operator choose any, a regulator admin or registrar only theirs, and refuses everyone else", () => {
    expect(reportScope(operator("coto"), "demo-psychotherapy")).toEqual({
      ok: true,
      value: { regulatorId: "demo-psychotherapy", mayChoose: true },
    });
    const cotoAdmin = { grants: [{ role: "admin", regulator: "coto" }] as Grant[], regulator: "coto" };
    expect(reportScope(cotoAdmin, null)).toEqual({ ok: true, value: { regulatorId: "coto", mayChoose: false } });
    expect(reportScope(cotoAdmin, "demo-psychotherapy")).toEqual({ ok: false, code: "forbidden" });
    // A registrar for two regulators, neither of them their own: the first by default, may choose.
    const both = {
      grants: [
        { role: "registrar", regulator: "demo-psychotherapy" },
        { role: "registrar", regulator: "coto" },
      ] as Grant[],
      regulator: "elsewhere",
    };
    expect(reportScope(both, null)).toEqual({ ok: true, value: { regulatorId: "coto", mayChoose: true } });
    expect(reportScope(both, "demo-psychotherapy")).toMatchObject({ ok: true });
    const staff = ["learner", "educator", "author"].map((role) => ({ role, regulator: "coto" })) as Grant[];
    expect(reportScope({ grants: staff, regulator: "coto" }, null)).toEqual({ ok: false, code: "forbidden" });
  });

  it("opens the cycle asked for, the current one by default, and refuses a day no cycle starts on", async () => {
    const now = new Date("2026-12-01T12:00:00Z");
    expect(await openReport(registrar, { regulator: null, cycle: null }, now)).toMatchObject({
      ok: true,
      value: { profile: { id: "coto" }, cycle: { start: "2026-04-01" } },
    });
    expect(await openReport(registrar, { regulator: null, cycle: "2026-04-02" }, now)).toEqual({
      ok: false,
      code: "bad-cycle",
    });
    expect(await openReport(operator("coto"), { regulator: "nope", cycle: null })).toEqual({
      ok: false,
      code: "not-found",
    });
    // An operator whose own regulator has no profile gets the first one instead of an error.
    expect(await openReport(operator("unknown"), { regulator: null, cycle: null })).toMatchObject({ ok: true });
  });
});

describe("recordExport", () => {
  it("writes who exported which regulator's cycle to the audit log, without the search text", async () => {
    await recordExport({
      actorId: ids.admin!,
      regulatorId: "coto",
      cycle: cycle2026(),
      kind: "completions",
      format: "xlsx",
      rows: 4,
      filters: { status: "short", q: "Cléo" },
      via: "web",
    });
    const entries = (await listAudit("regulator:coto")).filter((e) => e.action === "records_exported");
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actorId: ids.admin,
      detail: {
        regulator: "coto",
        cycleStart: "2026-04-01",
        cycleEnd: "2027-03-31",
        kind: "completions",
        format: "xlsx",
        rows: 4,
        status: "short",
        search: true,
        via: "web",
      },
    });
    expect(JSON.stringify(entries[0]!.detail)).not.toContain("Cléo");
  });
});
