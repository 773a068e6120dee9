// Duplicate certificates against a real migrated SQLite file: a reissue keeps the code and its
// validity, carries the name as issued or as corrected, is audited with who and why, counts its
// hours, shows as "reissued" in the QA report; a revoked certificate is never reissued (the model
// says so, and the database refuses it too).
import path from "node:path";
import Database from "better-sqlite3";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { cycleContaining, DEFAULT_CE } from "~/utils/ce-cycle";
import { certificateState } from "~/utils/certificate-status";
import { getDb } from "~/utils/db.server";
import { ALL_REGULATORS } from "~/utils/roles";
import { setupModelDb } from "../../tests/support/model-db";
import { advanceAttempt, startAttempt } from "./attempt.server";
import { listAudit } from "./audit.server";
import {
  creditedHours,
  findCertificate,
  findCertificateForAdmin,
  listCompletions,
  reissueCertificate,
  revokeCertificate,
} from "./completion.server";
import { publishContent } from "./content.server";
import { qaReport } from "./qa-report.server";
import { saveRegistration } from "./registration.server";
import { getRegulator } from "./regulator.server";
import { createUser } from "./user.server";

const database = setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");
let admin: { id: string };

async function passedCertificate(email: string, name: string, registrationNumber: string) {
  const user = await createUser({
    email,
    name,
    password: "correct horse battery staple",
    registrationNumber,
    regulator: "demo",
    locale: "en",
  });
  const started = await startAttempt(user.id, "mini-case");
  if (!started.ok) throw new Error("could not start");
  const id = started.value.attemptId;
  await advanceAttempt(id, user.id, { from: "context" });
  await advanceAttempt(id, user.id, { from: "q1", choiceId: "decline" });
  await advanceAttempt(id, user.id, { from: "q2", choiceId: "explain" });
  await advanceAttempt(id, user.id, { from: "reflect", reflection: "I would decline." });
  const certificate = await getDb().certificate.findFirstOrThrow({ where: { completion: { userId: user.id } } });
  return { user, code: certificate.code, certificateId: certificate.id };
}

beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  admin = await createUser({
    email: "admin@example.test",
    name: "Ada Admin",
    password: "correct horse battery staple",
    registrationNumber: "AD-1",
    regulator: "demo",
    locale: "en",
    roles: ["admin"],
  });
});

describe("reissueCertificate", () => {
  it("issues a duplicate with the same code, still valid, as issued; audited with who and why", async () => {
    const { user, code, certificateId } = await passedCertificate("lost@example.test", "Léa Lost", "D-100");
    const when = new Date("2026-12-01T15:00:00Z");
    const result = await reissueCertificate(
      code,
      admin.id,
      ALL_REGULATORS,
      { reason: "Lost the printed copy", correct: false },
      when,
    );
    expect(result).toEqual({ ok: true, value: { number: 1, learnerName: "Léa Lost", registrationNumber: "D-100" } });

    const certificate = (await findCertificate(code))!;
    expect(certificate.code).toBe(code);
    expect(certificateState(certificate)).toEqual({ status: "reissued", reissuedAt: when, number: 1 });
    expect(certificate.printed).toEqual({ learnerName: "Léa Lost", registrationNumber: "D-100" });
    // A duplicate is still the same credit: its hours count.
    const [completion] = await listCompletions(user.id, new Date(0), new Date("2100-01-01"));
    expect(creditedHours(completion!)).toBe(completion!.creditHours);
    expect(completion!.creditHours).toBeGreaterThan(0);

    const audit = await listAudit(`certificate:${certificateId}`);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      action: "certificate_reissued",
      actorId: admin.id,
      actorName: "Ada Admin",
      detail: { number: 1, reason: "Lost the printed copy", corrected: false },
      createdAt: when,
    });
  });

  it("prints the corrected name and number when asked; the record keeps what was first issued", async () => {
    const { user, code } = await passedCertificate("renamed@example.test", "Rémi Before", "D-200");
    await getDb().user.update({ where: { id: user.id }, data: { name: "Rémi After" } });
    expect(await saveRegistration(user.id, "demo", "D-201", user.id)).toMatchObject({ ok: true });
    expect((await findCertificateForAdmin(code, ALL_REGULATORS))!.current).toEqual({
      learnerName: "Rémi After",
      registrationNumber: "D-201",
    });
    // Without the correction, a duplicate says what the certificate said.
    await reissueCertificate(code, admin.id, ALL_REGULATORS, { reason: "Lost it", correct: false });
    expect((await findCertificate(code))!.printed.learnerName).toBe("Rémi Before");
    const corrected = await reissueCertificate(code, admin.id, ALL_REGULATORS, {
      reason: "Name corrected",
      correct: true,
    });
    expect(corrected).toMatchObject({
      ok: true,
      value: { number: 2, learnerName: "Rémi After", registrationNumber: "D-201" },
    });
    const certificate = (await findCertificate(code))!;
    expect(certificate.printed).toEqual({ learnerName: "Rémi After", registrationNumber: "D-201" });
    expect(certificate.completion.learnerName).toBe("Rémi Before");
    expect(certificate.reissues.map((r) => r.number)).toEqual([2, 1]);
    const audit = await listAudit(`certificate:${certificate.id}`);
    expect(audit.map((e) => (e.detail as { corrected: boolean }).corrected)).toEqual([false, true]);
  });

  it("is for admins of the certificate's regulator only: to another regulator's it does not exist", async () => {
    const { code, certificateId } = await passedCertificate("scoped@example.test", "Sam Scoped", "D-400");
    const elsewhere = { all: false, regulators: new Set(["elsewhere"]) } as const;
    expect(await findCertificateForAdmin(code, elsewhere)).toBeNull();
    expect(await reissueCertificate(code, admin.id, elsewhere, { reason: "Lost it", correct: false })).toEqual({
      ok: false,
      code: "not-found",
    });
    expect(await revokeCertificate(code, admin.id, elsewhere, "Not theirs to revoke")).toEqual({
      ok: false,
      code: "not-found",
    });
    expect(certificateState((await findCertificate(code))!).status).toBe("valid");
    expect(await listAudit(`certificate:${certificateId}`)).toEqual([]);
    const demo = { all: false, regulators: new Set(["demo"]) } as const;
    expect(await findCertificateForAdmin(code, demo)).not.toBeNull();
  });

  it("refuses a revoked certificate and an unknown code, writing nothing", async () => {
    const { code, certificateId } = await passedCertificate("revoked@example.test", "Rita Revoked", "D-300");
    expect(await revokeCertificate(code, admin.id, ALL_REGULATORS, "Completed on a shared account")).toEqual({
      ok: true,
      value: null,
    });
    expect(await reissueCertificate(code, admin.id, ALL_REGULATORS, { reason: "Please", correct: false })).toEqual({
      ok: false,
      code: "revoked",
    });
    expect(await reissueCertificate("nope", admin.id, ALL_REGULATORS, { reason: "Please", correct: false })).toEqual({
      ok: false,
      code: "not-found",
    });
    expect(await getDb().certificateReissue.count({ where: { certificateId } })).toBe(0);
    expect(await listAudit(`certificate:${certificateId}`)).toEqual([]);
    expect(certificateState((await findCertificate(code))!).status).toBe("revoked");

    // The database itself refuses a duplicate of a revoked certificate, and any change to one.
    const db = new Database(database.file);
    try {
      const insert = db.prepare(
        `INSERT INTO "CertificateReissue" ("id", "certificateId", "number", "learnerName", "registrationNumber", "reason", "reissuedById")
         VALUES (?, ?, 1, 'x', 'y', 'z', ?)`,
      );
      expect(() => insert.run("r1", certificateId, admin.id)).toThrow(/a revoked certificate cannot be reissued/);
      expect(() => db.prepare(`UPDATE "CertificateReissue" SET "learnerName" = 'Forged'`).run()).toThrow(
        /certificate reissues are immutable/,
      );
    } finally {
      db.close();
    }
  });

  it("shows valid, reissued and revoked in the QA report's CE records", async () => {
    const profile = (await getRegulator("demo"))!;
    const cycle = cycleContaining(new Date(), DEFAULT_CE, profile.timeZone);
    const report = await qaReport(profile, cycle, { status: "all", q: "" }, "en");
    const byNumber = Object.fromEntries(report.records.map((r) => [r.registrationNumber, r.certificateStatus]));
    expect(byNumber).toMatchObject({ "D-100": "reissued", "D-200": "reissued", "D-300": "revoked" });
    const hours = Object.fromEntries(report.records.map((r) => [r.registrationNumber, r.creditHours]));
    expect(hours["D-100"]).toBeGreaterThan(0);
    expect(hours["D-300"]).toBe(0);
  });
});
