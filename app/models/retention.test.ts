// records:purge with regulators that keep records for different periods: each completion goes once
// its own regulator's `retentionYears` is behind it, in one run; a regulator without a profile keeps
// them RETENTION_YEARS.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { regulatorProfileSchema } from "~/engine";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { RETENTION_YEARS, retentionCutoff } from "~/utils/retention";
import { miniCaseOf } from "../../tests/support/mini-case";
import { setupModelDb } from "../../tests/support/model-db";
import { advanceAttempt, startAttempt } from "./attempt.server";
import { publishContent } from "./content.server";
import { planPurge, purgeExpiredRecords } from "./retention.server";
import { closeAccount, createUser } from "./user.server";

setupModelDb();
const fixtures = path.resolve("tests/fixtures/valid");
const DAY = 86_400_000;
const start = new Date();
const yearsAfter = (date: Date, years: number) => new Date(date.getTime() + years * 365.25 * DAY);

function profile(id: string, retentionYears: number) {
  const input = { format: 1, id, name: { en: `Regulator ${id}` }, timeZone: "America/Toronto", retentionYears };
  return { file: `regulators/${id}.json`, text: JSON.stringify(input), profile: regulatorProfileSchema.parse(input) };
}

/** A learner registered with `regulator` who passes its mini case at `start`, then closes the account. */
async function closedLearnerOf(regulator: string) {
  const user = await createUser({
    email: `${regulator}@example.test`,
    name: `Learner of ${regulator}`,
    password: "correct horse battery staple",
    registrationNumber: `R-${regulator}`,
    regulator,
    locale: "en",
  });
  const started = await startAttempt(user.id, `mini-${regulator}`);
  if (!started.ok) throw new Error("could not start");
  const id = started.value.attemptId;
  await advanceAttempt(id, user.id, { from: "context" }, start);
  await advanceAttempt(id, user.id, { from: "q1", choiceId: "decline" }, start);
  await advanceAttempt(id, user.id, { from: "q2", choiceId: "explain" }, start);
  await advanceAttempt(id, user.id, { from: "reflect", reflection: "Kept for the test" }, start);
  await closeAccount(user.id, start);
  return user;
}

const completionsOf = (userId: string) => getDb().completion.count({ where: { userId } });

let short: { id: string };
let long: { id: string };
let unprofiled: { id: string };

beforeAll(async () => {
  const content = loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") });
  const variants = ["short", "long", "nowhere"].map((id) => miniCaseOf(content, id));
  await publishContent(getDb(), {
    regulators: [...content.regulators, profile("short", 2), profile("long", 10)],
    catalogs: [...content.catalogs, ...variants.map((v) => v.catalog)],
    cases: [...content.cases, ...variants.map((v) => v.case)],
  });
  short = await closedLearnerOf("short");
  // A duplicate of the short regulator's certificate: it goes with it, counted on its own line.
  const certificate = await getDb().certificate.findFirstOrThrow({ where: { completion: { userId: short.id } } });
  await getDb().certificateReissue.create({
    data: {
      certificateId: certificate.id,
      number: 1,
      learnerName: "Learner of short",
      registrationNumber: "R-short",
      reason: "Lost",
      reissuedById: short.id,
    },
  });
  long = await closedLearnerOf("long");
  unprofiled = await closedLearnerOf("nowhere");
});

describe("records:purge, per regulator", () => {
  it("plans with each regulator's own period, the constant for one without a profile", async () => {
    const now = yearsAfter(start, 3);
    const plan = await planPurge(getDb(), now);
    expect(plan.periods).toEqual([
      { regulator: "long", retentionYears: 10, cutoff: retentionCutoff(now, 10) },
      { regulator: "nowhere", retentionYears: RETENTION_YEARS, cutoff: retentionCutoff(now, RETENTION_YEARS) },
      { regulator: "short", retentionYears: 2, cutoff: retentionCutoff(now, 2) },
    ]);
    // After three years only the two-year regulator's record is due.
    expect(plan.counts).toMatchObject({ Completion: 1, Certificate: 1, CertificateReissue: 1, User: 1 });
  });

  it("in one run deletes the records past their regulator's period and keeps the others", async () => {
    const plan = await purgeExpiredRecords(getDb(), yearsAfter(start, RETENTION_YEARS + 0.5));
    expect(plan.counts).toMatchObject({ Completion: 2, Certificate: 2, CertificateReissue: 1, Attempt: 2, User: 2 });
    expect(await getDb().certificateReissue.count()).toBe(0);
    expect(await completionsOf(short.id)).toBe(0);
    expect(await completionsOf(unprofiled.id)).toBe(0);
    // Ten years for this regulator: its record is kept, and so is its closed account.
    expect(await completionsOf(long.id)).toBe(1);
    expect(await getDb().user.findUnique({ where: { id: long.id } })).not.toBeNull();
    expect(await getDb().recordPurge.count()).toBe(0);
    const audit = await getDb().auditEntry.findFirstOrThrow({
      where: { subject: "records", action: "records_purged" },
    });
    expect(JSON.parse(audit.detail).periods).toEqual(
      plan.periods.map((p) => ({ ...p, cutoff: p.cutoff.toISOString() })),
    );
    // Once its own ten years are over, it goes too.
    const later = await purgeExpiredRecords(getDb(), yearsAfter(start, 10.5));
    expect(later.counts).toMatchObject({ Completion: 1, User: 1 });
    expect(await completionsOf(long.id)).toBe(0);
  });
});
