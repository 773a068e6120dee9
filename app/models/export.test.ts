// The learner's own export says of each certificate what the verification page says: valid,
// reissued (with its duplicates) or revoked, by the one rule of utils/certificate-status.ts.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { exportFiles } from "~/utils/export-archive.server";
import { setupModelDb } from "../../tests/support/model-db";
import { advanceAttempt, startAttempt } from "./attempt.server";
import { publishContent } from "./content.server";
import { collectUserExport, EXPORT_FORMAT } from "./export.server";
import { createUser } from "./user.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");

let userId: string;
let certificateId: string;
beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  const user = await createUser({
    email: "export@example.test",
    name: "Élise Export",
    password: "correct horse battery staple",
    registrationNumber: "R-1",
    regulator: "demo",
    locale: "en",
  });
  userId = user.id;
  const started = await startAttempt(userId, "mini-case");
  if (!started.ok) throw new Error("could not start");
  const id = started.value.attemptId;
  await advanceAttempt(id, userId, { from: "context" });
  await advanceAttempt(id, userId, { from: "q1", choiceId: "decline" });
  await advanceAttempt(id, userId, { from: "q2", choiceId: "explain" });
  await advanceAttempt(id, userId, { from: "reflect", reflection: "Kept" });
  certificateId = (await getDb().certificate.findFirstOrThrow({ where: { completion: { userId } } })).id;
});

const certificates = async () => (await collectUserExport(userId)).certificates;

describe("a learner's export of their certificates", () => {
  it("says valid, then reissued with each duplicate, then revoked", async () => {
    expect(EXPORT_FORMAT).toBe(2);
    // The profile says whether the address is verified, what change waits for its link (never the
    // token), and the reminder preference.
    await getDb().emailChange.create({
      data: {
        userId,
        email: "elise.new@example.test",
        purpose: "change",
        tokenHash: "f".repeat(64),
        expiresAt: new Date(Date.now() + 86_400_000),
      },
    });
    const { profile } = await collectUserExport(userId);
    expect(profile).toMatchObject({
      emailVerifiedAt: null,
      dueDateReminders: true,
      pendingEmailChanges: [{ email: "elise.new@example.test", expiresAt: expect.any(String) }],
    });
    expect(JSON.stringify(profile)).not.toContain("f".repeat(64));
    expect(await certificates()).toEqual([expect.objectContaining({ status: "valid", duplicates: [] })]);

    const reissued = new Date("2026-11-20T15:00:00Z");
    for (const number of [1, 2]) {
      await getDb().certificateReissue.create({
        data: {
          certificateId,
          number,
          learnerName: number === 1 ? "Élise Export" : "Élise Export-Martin",
          registrationNumber: "R-1",
          reason: number === 1 ? "Lost" : "Name corrected",
          reissuedById: userId,
          reissuedAt: new Date(reissued.getTime() + number * 86_400_000),
        },
      });
    }
    const [withDuplicates] = await certificates();
    expect(withDuplicates).toMatchObject({
      status: "reissued",
      duplicates: [
        { number: 1, reason: "Lost", learnerName: "Élise Export", reissuedAt: "2026-11-21T15:00:00.000Z" },
        { number: 2, reason: "Name corrected", learnerName: "Élise Export-Martin" },
      ],
    });
    const csv = exportFiles(await collectUserExport(userId))["certificates.csv"]!.split("\r\n");
    expect(csv[0]).toContain(",duplicates,last_duplicate_at");
    expect(csv[1]).toMatch(/,reissued,.*,2,2026-11-22T15:00:00\.000Z$/);

    await getDb().certificate.update({
      where: { id: certificateId },
      data: { revokedAt: new Date(), revokedReason: "Issued in error" },
    });
    expect(await certificates()).toEqual([
      expect.objectContaining({ status: "revoked", revokedReason: "Issued in error", duplicates: expect.any(Array) }),
    ]);
  });
});
