// Analytics aggregates against a real migrated SQLite file: a small hand-made group whose figures
// are worked out by hand, and 2,000 attempts inserted with SQL whose figures are counted here
// independently of the SQL the model runs (time on task with attempt.server's timeOnTaskSeconds).
import { randomUUID } from "node:crypto";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "~/engine/test-fixtures";
import { loadContent } from "~/utils/case-files.server";
import { getDb } from "~/utils/db.server";
import { ALL_REGULATORS } from "~/utils/roles";
import { sqliteDateText as sqlDate } from "~/utils/sqlite-write.server";
import { setupModelDb } from "../../tests/support/model-db";
import { catchUpAnalytics, readTally } from "./analytics-tally.server";
import {
  analyticsCsv,
  analyticsView,
  findVersionForAnalytics,
  listCohortOptions,
  listVersionsForAnalytics,
  parseAnalyticsFilter,
  versionAnalytics,
} from "./analytics.server";
import { timeOnTaskSeconds } from "./attempt.server";
import { publishContent } from "./content.server";

const database = setupModelDb();

const fixtures = path.resolve("tests/fixtures/valid");
let sqlite: Database.Database;
let versionId: number;
let caseId: number;

type Path = { q1: "decline" | "accept"; q2?: "explain" | "ignore" };
const POINTS = { decline: { "1.1": 2 }, accept: { "1.1": -2 }, explain: { "1.2": 1 }, ignore: {} } as const;

let userCounter = 0;
function insertUser(name = `Person ${++userCounter}`): string {
  const id = randomUUID();
  sqlite
    .prepare(
      `INSERT INTO "User" (id, email, name, registrationNumber, regulator, locale, createdAt, updatedAt) VALUES (?, ?, ?, ?, 'demo', 'en', ?, ?)`,
    )
    .run(id, `${id}@example.test`, name, `REG-${userCounter}`, sqlDate(new Date()), sqlDate(new Date()));
  return id;
}

/** A cohort whose members joined at `joinedAt` (long before the attempts, unless a test says). */
function insertCohort(name: string, members: string[], joinedAt = new Date("2000-01-01T00:00:00Z")): string {
  const id = randomUUID();
  const educator = insertUser("Educator");
  sqlite
    .prepare(`INSERT INTO "Cohort" (id, name, educatorId, inviteCode, createdAt) VALUES (?, ?, ?, ?, ?)`)
    .run(id, name, educator, randomUUID(), sqlDate(new Date()));
  for (const userId of members) {
    sqlite
      .prepare(`INSERT INTO "CohortMember" (cohortId, userId, addedAt) VALUES (?, ?, ?)`)
      .run(id, userId, sqlDate(joinedAt));
  }
  return id;
}

const attemptNumbers = new Map<string, number>();
/**
 * An attempt on mini-case with its steps, one every `stepSeconds` after the start. `q2` unset
 * leaves it in progress after q1.
 */
function insertAttempt(
  userId: string,
  startedAt: Date,
  p: Path,
  stepSeconds: number[] = [60, 60, 60, 60],
  reflection?: string,
) {
  const id = randomUUID();
  const number = (attemptNumbers.get(userId) ?? 0) + 1;
  attemptNumbers.set(userId, number);
  const nodes: Array<[string, string | null]> = [
    ["context", null],
    ["q1", p.q1],
  ];
  if (p.q2) nodes.push(["q2", p.q2]);
  if (p.q2 === "explain") nodes.push(["reflect", null]);
  const completed = p.q2 !== undefined;
  const total = (p.q1 === "decline" ? 2 : -2) + (p.q2 === "explain" ? 1 : 0);
  const score = Math.min(1, Math.max(0, total) / 3);
  const passed = p.q1 === "decline" && score >= 0.7;
  let time = startedAt.getTime();
  const times = nodes.map((_, i) => (time += Math.round((stepSeconds[i] ?? 60) * 1000)));
  sqlite
    .prepare(
      `INSERT INTO "Attempt" (id, userId, caseId, caseVersionId, number, currentNodeId, status, startedAt, completedAt, total, score, passed)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    )
    .run(
      id,
      userId,
      caseId,
      versionId,
      number,
      completed ? (p.q2 === "explain" ? "end-good" : "end-poor") : "q2",
      completed ? "completed" : "in_progress",
      sqlDate(startedAt),
      completed ? sqlDate(new Date(times.at(-1)!)) : null,
      completed ? total : null,
      completed ? score : null,
      completed ? (passed ? 1 : 0) : null,
    );
  const stepTimes = times.map((t) => new Date(t));
  nodes.forEach(([nodeId, choiceId], seq) => {
    sqlite
      .prepare(`INSERT INTO "AttemptStep" (attemptId, seq, nodeId, choiceId, createdAt) VALUES (?, ?, ?, ?, ?)`)
      .run(id, seq, nodeId, choiceId, sqlDate(new Date(times[seq]!)));
  });
  if (reflection && p.q2 === "explain") {
    sqlite
      .prepare(`INSERT INTO "Reflection" (attemptId, nodeId, text, createdAt) VALUES (?, 'reflect', ?, ?)`)
      .run(id, reflection, sqlDate(new Date()));
  }
  return { id, stepTimes };
}

function clearAttempts() {
  sqlite.exec(
    `DELETE FROM "Reflection"; DELETE FROM "AttemptStep"; DELETE FROM "Attempt"; DELETE FROM "CohortMember"; DELETE FROM "Cohort";`,
  );
  // The tally is derived from those rows (ADR 026): deleted behind the app's back, it goes with them.
  clearTally();
  attemptNumbers.clear();
}

/** Empties the analytics tally (the rows it was counted from stay). */
function clearTally() {
  sqlite.exec(
    ["Version", "Learner", "LearnerChoice", "Choice", "Node", "Path", "Duration"]
      .map((t) => `DELETE FROM "Analytics${t}";`)
      .join(" "),
  );
}

beforeAll(async () => {
  await publishContent(getDb(), loadContent([fixtures], { fallbackCatalogDir: path.join(fixtures, "standards") }));
  const version = await getDb().caseVersion.findFirstOrThrow({ include: { case: true } });
  versionId = version.id;
  caseId = version.caseId;
  sqlite = new Database(database.file);
});
afterAll(() => {
  sqlite?.close();
});

describe("parseAnalyticsFilter", () => {
  const cohorts = new Set(["c1"]);
  it("accepts an empty query (everyone, all time) and whole UTC days", () => {
    expect(parseAnalyticsFilter(new URLSearchParams(), cohorts)).toEqual({
      ok: true,
      filter: {},
      inputs: { from: "", to: "", cohort: "" },
    });
    const parsed = parseAnalyticsFilter(new URLSearchParams("from=2025-03-01&to=2025-03-31&cohort=c1"), cohorts);
    expect(parsed.ok && parsed.filter).toEqual({
      from: new Date("2025-03-01T00:00:00.000Z"),
      to: new Date("2025-03-31T23:59:59.999Z"),
      cohortId: "c1",
    });
  });
  it("refuses malformed, impossible or inverted dates and unknown cohorts", () => {
    for (const query of ["from=2025-13-01", "to=yesterday", "from=2025-02-30", "from=2025-03-02&to=2025-03-01"]) {
      expect(parseAnalyticsFilter(new URLSearchParams(query), cohorts)).toMatchObject({
        ok: false,
        error: "invalidDates",
      });
    }
    expect(parseAnalyticsFilter(new URLSearchParams("cohort=nope"), cohorts)).toMatchObject({
      ok: false,
      error: "unknownCohort",
    });
  });
});

// The arithmetic on a handful of learners, worked out by hand: with minLearners 1 nothing is withheld
// (the suppression of these same figures at the real threshold is tested below).
const RAW = { minLearners: 1 };

describe("versionAnalytics on a small group", () => {
  let cohortId: string;
  beforeAll(() => {
    clearAttempts();
    const [ana, ben, cleo, dev, eve] = ["Ana Secret", "Ben Secret", "Cleo Secret", "Dev Secret", "Eve Secret"].map(
      (n) => insertUser(n),
    );
    cohortId = insertCohort("Spring cohort", [ana!, ben!]);
    // March: Ana passes (4 steps of 60 s = 240 s), Ben takes the critical choice (600 s), Cleo stops
    // short of the pass mark (2 steps: 120 s), Dev is still on q2.
    insertAttempt(
      ana!,
      new Date("2025-03-01T10:00:00Z"),
      { q1: "decline", q2: "explain" },
      [60, 60, 60, 60],
      "Ana's private reflection 9x7q",
    );
    insertAttempt(ben!, new Date("2025-03-02T10:00:00Z"), { q1: "accept", q2: "explain" }, [150, 150, 150, 150]);
    insertAttempt(cleo!, new Date("2025-03-03T10:00:00Z"), { q1: "decline", q2: "ignore" }, [60, 60]);
    insertAttempt(dev!, new Date("2025-03-04T10:00:00Z"), { q1: "decline" });
    // June: Eve passes after a lunch break, which counts as 30 minutes (1800 + 3 * 60 = 1980 s).
    insertAttempt(eve!, new Date("2025-06-01T10:00:00Z"), { q1: "decline", q2: "explain" }, [60, 7200, 60, 60]);
    // Ben tries again in June and passes (4 * 30 s = 120 s).
    insertAttempt(ben!, new Date("2025-06-02T10:00:00Z"), { q1: "decline", q2: "explain" }, [30, 30, 30, 30]);
  });

  it("counts the funnel, the learners and the median time on task of completed attempts", async () => {
    const report = (await versionAnalytics(versionId, {}, RAW))!;
    expect(report.funnel).toEqual({
      suppressed: false,
      started: 6,
      completed: 5,
      passed: 3,
      learners: 5,
      meanScore: expect.closeTo((1 + 0 + 2 / 3 + 1 + 1) / 5, 10),
      // Completed: 240, 600, 120, 1980, 120 → median 240.
      medianSeconds: 240,
    });
  });

  it("counts every recorded choice per decision, and marks the expert's", async () => {
    const report = (await versionAnalytics(versionId, {}, RAW))!;
    expect(report.decisions.map((d) => [d.nodeId, d.responses])).toEqual([
      ["q1", 6],
      ["q2", 5],
    ]);
    expect(report.decisions[0]!.choices).toEqual([
      { choiceId: "decline", count: 5, share: 5 / 6, recommended: true, critical: false },
      { choiceId: "accept", count: 1, share: 1 / 6, recommended: false, critical: true },
    ]);
    expect(report.decisions[1]!.choices.map((c) => [c.choiceId, c.count, c.recommended])).toEqual([
      ["explain", 4, true],
      ["ignore", 1, false],
    ]);
  });

  it("averages each standard over completed attempts, scored by the engine, weakest first", async () => {
    const report = (await versionAnalytics(versionId, {}, RAW))!;
    expect(report.standards.scored).toBe(5);
    // 1.1: 2 - 2 + 2 + 2 + 2 = 6 → 1.2 of 2 (60%); 1.2: 1 + 1 + 0 + 1 + 1 = 4 → 0.8 of 1 (80%).
    expect(report.standards.standards).toEqual([
      { item: "mini-standards:1.1", mean: 1.2, best: 2, worst: -2, ratio: 0.6 },
      { item: "mini-standards:1.2", mean: 0.8, best: 1, worst: 0, ratio: 0.8 },
    ]);
    // Each learner once, by their first completed attempt: Ana (2, 1), Ben's first (−2, 1),
    // Cleo (2, 0), Eve (2, 1); Ben's passing replay does not count here.
    expect(report.firstAttempts.scored).toBe(4);
    expect(report.firstAttempts.standards).toEqual([
      { item: "mini-standards:1.1", mean: 1, best: 2, worst: -2, ratio: 0.5 },
      { item: "mini-standards:1.2", mean: 0.75, best: 1, worst: 0, ratio: 0.75 },
    ]);
  });

  it("filters by start date and by cohort", async () => {
    const march = (await versionAnalytics(
      versionId,
      { from: new Date("2025-03-01T00:00:00Z"), to: new Date("2025-03-31T23:59:59.999Z") },
      RAW,
    ))!;
    expect(march.funnel).toMatchObject({ started: 4, completed: 3, passed: 1, learners: 4, medianSeconds: 240 });
    const june = (await versionAnalytics(versionId, { from: new Date("2025-06-01T00:00:00Z") }, RAW))!;
    expect(june.funnel).toMatchObject({ started: 2, completed: 2, passed: 2 });
    expect(june.decisions[0]!.choices[0]).toMatchObject({ choiceId: "decline", count: 2, share: 1 });
    // "First" within the filter: in June, Ben's first completed attempt is his replay.
    expect(june.firstAttempts.scored).toBe(2);
    expect(june.firstAttempts.standards.find((s) => s.item === "mini-standards:1.1")!.mean).toBe(2);

    const cohort = (await versionAnalytics(versionId, { cohortId }, RAW))!;
    expect(cohort.funnel).toMatchObject({ started: 3, completed: 3, passed: 2, learners: 2 });
    expect(cohort.standards.standards.find((s) => s.item === "mini-standards:1.1")!.mean).toBeCloseTo(2 / 3);

    const both = (await versionAnalytics(versionId, { cohortId, to: new Date("2025-03-31T23:59:59.999Z") }, RAW))!;
    expect(both.funnel).toMatchObject({ started: 2, completed: 2, passed: 1, learners: 2 });

    // Joined in May: a cohort counts only what its members began after joining it (ADR 018), so
    // Ana's and Ben's March attempts are not the cohort's; Ben's June replay is.
    const [ana, ben] = sqlite
      .prepare(`SELECT id FROM "User" WHERE name IN ('Ana Secret', 'Ben Secret') ORDER BY name`)
      .pluck()
      .all() as string[];
    const may = insertCohort("May cohort", [ana!, ben!], new Date("2025-05-01T00:00:00Z"));
    const sinceJoining = (await versionAnalytics(versionId, { cohortId: may }, RAW))!;
    expect(sinceJoining.funnel).toMatchObject({ started: 1, completed: 1, passed: 1, learners: 1 });
    sqlite.prepare(`DELETE FROM "CohortMember" WHERE cohortId = ?`).run(may);
    sqlite.prepare(`DELETE FROM "Cohort" WHERE id = ?`).run(may);

    // Nobody is fewer than one learner too: "nobody" and "a few" must read the same, else a
    // one-member cohort's date filter would tell whether its member played in those days.
    const nobody = (await versionAnalytics(versionId, { from: new Date("2030-01-01T00:00:00Z") }, RAW))!;
    expect(nobody).toMatchObject({ suppressed: true, decisions: [], standards: { standards: [] } });
  });

  it("lists versions with their counts, and cohorts with their size", async () => {
    const versions = await listVersionsForAnalytics(ALL_REGULATORS);
    // Five learners: the version is listed with its attempts, but the completed and passed stages
    // are made of 1-4 learners each (one still playing, two failing, three passing): withheld.
    expect(versions).toEqual([
      expect.objectContaining({
        slug: "mini-case",
        version: 1,
        suppressed: false,
        learners: 5,
        started: 6,
        completed: "suppressed",
        passed: "suppressed",
        status: "published",
      }),
    ]);
    expect(await listCohortOptions(ALL_REGULATORS)).toEqual([{ id: cohortId, name: "Spring cohort", members: 2 }]);
    expect(await findVersionForAnalytics("mini-case", 1, ALL_REGULATORS)).toMatchObject({ id: versionId });
    expect(await findVersionForAnalytics("mini-case", 2, ALL_REGULATORS)).toBeNull();
    // Another regulator's staff see neither the version nor the cohorts (their educators are not theirs).
    const elsewhere = { all: false, regulators: new Set(["another-regulator"]) } as const;
    expect(await listVersionsForAnalytics(elsewhere)).toEqual([]);
    expect(await findVersionForAnalytics("mini-case", 1, elsewhere)).toBeNull();
    expect(await listCohortOptions(elsewhere)).toEqual([]);
    expect(await versionAnalytics(99_999)).toBeNull();
  });

  it("builds a localized view and a CSV of aggregates with no learner and no reflection in them", async () => {
    const report = (await versionAnalytics(versionId, {}, RAW))!;
    const version = (await findVersionForAnalytics("mini-case", 1, ALL_REGULATORS))!;
    const en = await analyticsView(report, version, "en");
    expect(en.standards.rows[0]).toMatchObject({
      code: "1.1",
      title: "Personal contact",
      meanText: "1.2",
      ratioText: "60%",
      firstMeanText: "1",
      firstRatioText: "50%",
    });
    expect(en.standards.learnersScored).toBe(4);
    expect(en.funnel.medianTime).toBe("4 minutes");
    const fr = await analyticsView(report, version, "fr");
    expect(fr.standards.rows[0]).toMatchObject({ title: "Contact personnel", meanText: "1,2" });
    expect(fr.funnel.medianTime).toMatch(/^4\sminutes$/u);
    expect(fr.decisions[0]!.choices[0]).toMatchObject({ label: "Refuser", expert: true, shareText: "83,3\u00a0%" });

    const csv = analyticsCsv(en, { from: "", to: "", cohort: "" }, null, "en");
    const lines = csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");
    expect(lines[0]).toBe("section,id,label,expert,critical,count,share,mean_earned,best,ratio");
    expect(lines).toContain("funnel,started,Started,,,6,1,,,");
    expect(lines).toContain("choice,q1/decline,What do you do? — Decline,true,false,5,0.8333333333333334,,,");
    expect(lines).toContain("standard,mini-standards:1.1,1.1 — Personal contact,,,5,,1.2,2,0.6");
    expect(lines).toContain("standard_first_attempt,mini-standards:1.1,1.1 — Personal contact,,,4,,1,2,0.5");
    const everything = JSON.stringify(en) + JSON.stringify(fr) + csv;
    expect(everything).not.toMatch(/Secret|private reflection|REG-|@example\.test/);
  });
});

describe("small-group suppression", () => {
  let solo: string;
  let soloCohort: string;
  let fiveCohort: string;
  beforeAll(() => {
    clearAttempts();
    // Five learners who all pass the expert's way, and Solo, who takes the critical choice.
    const five = [1, 2, 3, 4, 5].map((n) => insertUser(`Alike Secret ${n}`));
    for (const userId of five)
      insertAttempt(userId, new Date("2025-05-01T10:00:00Z"), { q1: "decline", q2: "explain" });
    solo = insertUser("Solo Secret");
    insertAttempt(solo, new Date("2025-05-02T10:00:00Z"), { q1: "accept", q2: "explain" }, undefined, "Solo's words");
    soloCohort = insertCohort("Solo cohort", [solo]);
    fiveCohort = insertCohort("Five cohort", five);
  });

  const version = () => findVersionForAnalytics("mini-case", 1, ALL_REGULATORS).then((v) => v!);
  const csvLines = (csv: string) =>
    csv
      .replace(/^\uFEFF/, "")
      .trimEnd()
      .split("\r\n");

  it("shows no figure at all for a one-member cohort, on the page or in the CSV", async () => {
    const report = (await versionAnalytics(versionId, { cohortId: soloCohort }))!;
    expect(report.suppressed).toBe(true);
    expect(report.funnel).toEqual({
      suppressed: true,
      learners: "suppressed",
      started: "suppressed",
      completed: "suppressed",
      passed: "suppressed",
      meanScore: "suppressed",
      medianSeconds: "suppressed",
    });
    expect(report.decisions).toEqual([]);
    expect(report.standards).toEqual({ scored: "suppressed", standards: [] });
    expect(report.firstAttempts).toEqual({ scored: "suppressed", standards: [] });

    for (const locale of ["en", "fr"] as const) {
      const view = await analyticsView(report, await version(), locale);
      expect(view.suppressed).toBe(true);
      const lines = csvLines(analyticsCsv(view, { from: "", to: "", cohort: soloCohort }, "Solo cohort", locale));
      expect(lines).toContain("filter,suppression,all figures (fewer than 5 learners),,,,,,,");
      expect(lines.filter((l) => /^(choice|standard)/.test(l))).toEqual([]);
      // Past the filter rows, no number at all: only the marker.
      const figures = lines.slice(1).filter((l) => !l.startsWith("filter,"));
      expect(figures.length).toBeGreaterThan(0);
      for (const line of figures) expect(line, line).not.toMatch(/,-?\d/);
      expect(lines).toContain(
        locale === "en"
          ? "funnel,started,Started,,,suppressed,suppressed,,,"
          : "funnel,started,Commencées,,,suppressed,suppressed,,,",
      );
      expect(JSON.stringify(view) + lines.join("\n")).not.toMatch(/Secret|Solo's words|REG-/);
    }
    // The same for a date range that only Solo's attempt falls in.
    const day = (await versionAnalytics(versionId, {
      from: new Date("2025-05-02T00:00:00Z"),
      to: new Date("2025-05-02T23:59:59.999Z"),
    }))!;
    expect(day.suppressed).toBe(true);
    expect(day.decisions).toEqual([]);
  });

  it("hides a choice of 1-4 learners even when the group's total is shown, with a second cell beside it", async () => {
    const report = (await versionAnalytics(versionId))!;
    expect(report.suppressed).toBe(false);
    // Six learners, all completed: started and completed are shown; Solo alone failed, so the
    // failed part is withheld and, with it, "passed" (else completed minus passed gives Solo back).
    expect(report.funnel).toMatchObject({ learners: 6, started: 6, completed: 6, passed: "suppressed" });
    const [q1, q2] = report.decisions;
    expect(q1!.responses).toBe(6);
    // Solo's "accept" (1 learner) is hidden, and so is "decline" (else 6 - 5 gives it back).
    expect(q1!.choices.map((c) => [c.choiceId, c.count, c.share])).toEqual([
      ["decline", "suppressed", "suppressed"],
      ["accept", "suppressed", "suppressed"],
    ]);
    expect(q2!.choices.map((c) => [c.choiceId, c.count])).toEqual([
      ["explain", 6],
      ["ignore", 0],
    ]);
    // 1.1 carries accept's -2: its mean over 6 attempts would give back how many accepted; so would
    // the mean score. 1.2 is earned by "explain" only, which everyone took.
    expect(report.funnel.meanScore).toBe("suppressed");
    expect(report.standards.standards).toEqual([
      { item: "mini-standards:1.1", best: 2, worst: -2, mean: "suppressed", ratio: "suppressed" },
      { item: "mini-standards:1.2", best: 1, worst: 0, mean: 1, ratio: 1 },
    ]);

    const view = await analyticsView(report, await version(), "en");
    expect(view.partlyHidden).toBe(true);
    expect(view.decisions[0]!.choices.map((c) => c.countText)).toEqual(["hidden", "hidden"]);
    expect(view.decisions[0]!.expertShareText).toBeNull();
    const fr = await analyticsView(report, await version(), "fr");
    expect(fr.decisions[0]!.choices.map((c) => c.shareText)).toEqual(["masqué", "masqué"]);
    const lines = csvLines(analyticsCsv(view, { from: "", to: "", cohort: "" }, null, "en"));
    expect(lines).toContain("filter,suppression,some figures (fewer than 5 learners),,,,,,,");
    expect(lines).toContain("choice,q1/accept,What do you do? — Accept,false,true,suppressed,suppressed,,,");
    expect(lines).toContain("choice,q1/decline,What do you do? — Decline,true,false,suppressed,suppressed,,,");
    expect(lines).toContain("funnel,passed,Passed,,,suppressed,suppressed,,,");
    expect(lines).toContain("standard,mini-standards:1.1,1.1 — Personal contact,,,6,,suppressed,2,suppressed");
  });

  it("shows every figure for five learners", async () => {
    const report = (await versionAnalytics(versionId, { cohortId: fiveCohort }))!;
    expect(report.suppressed).toBe(false);
    expect(report.funnel).toEqual({
      suppressed: false,
      learners: 5,
      started: 5,
      completed: 5,
      passed: 5,
      meanScore: 1,
      medianSeconds: 240,
    });
    expect(report.decisions[0]!.choices.map((c) => [c.choiceId, c.count, c.share])).toEqual([
      ["decline", 5, 1],
      ["accept", 0, 0],
    ]);
    expect(report.standards.scored).toBe(5);
    expect(report.firstAttempts.scored).toBe(5);
    expect(report.standards.standards.map((s) => s.mean)).toEqual([1, 2].map(() => expect.any(Number)));
    const view = await analyticsView(report, await version(), "en");
    expect(view.partlyHidden).toBe(false);
    const csv = analyticsCsv(view, { from: "", to: "", cohort: fiveCohort }, "Five cohort", "en");
    expect(csv).not.toContain("suppressed,");
    expect(csvLines(csv)).toContain("filter,suppression,none,,,,,,,");
    expect(csvLines(csv)).toContain("funnel,passed,Passed,,,5,1,,,");
  });
});

describe("versionAnalytics at scale", () => {
  it("aggregates 2,000 attempts inserted with SQL to the figures counted independently", async () => {
    clearAttempts();
    const random = prng(20261123);
    const users = Array.from({ length: 400 }, () => insertUser());
    const cohortMembers = users.filter((_, i) => i % 3 === 0);
    const cohortId = insertCohort("Big cohort", cohortMembers);
    const inCohort = new Set(cohortMembers);

    type Seeded = { userId: string; startedAt: Date; path: Path; seconds: number };
    const seeded: Seeded[] = [];
    const insertAll = sqlite.transaction(() => {
      for (let i = 0; i < 2000; i++) {
        const userId = users[i % users.length]!;
        const startedAt = new Date(Date.UTC(2025, 0, 1) + Math.floor(random() * 365) * 86_400_000 + 3_600_000);
        const q1 = random() < 0.7 ? "decline" : "accept";
        const r = random();
        const q2 = r < 0.1 ? undefined : r < 0.75 ? "explain" : "ignore";
        // Gaps to the millisecond, now and then a long pause (capped at 30 minutes).
        const gaps = [0, 1, 2, 3].map(() => (random() < 0.05 ? 3600 : 1 + random() * 300));
        const path: Path = q2 ? { q1, q2 } : { q1 };
        const { stepTimes } = insertAttempt(userId, startedAt, path, gaps);
        seeded.push({ userId, startedAt, path, seconds: timeOnTaskSeconds(startedAt, stepTimes) });
      }
    });
    insertAll();

    const expected = (keep: (s: Seeded) => boolean) => {
      const group = seeded.filter(keep);
      const completed = group.filter((s) => s.path.q2);
      const passed = completed.filter((s) => s.path.q1 === "decline" && s.path.q2 === "explain");
      const count = (node: "q1" | "q2", choice: string) => group.filter((s) => s.path[node] === choice).length;
      const sum = (item: "1.1" | "1.2") =>
        completed.reduce((total, s) => {
          const earned = (choice: keyof typeof POINTS) => (POINTS[choice] as Record<string, number>)[item] ?? 0;
          return total + earned(s.path.q1) + earned(s.path.q2!);
        }, 0);
      const times = completed.map((s) => s.seconds).sort((a, b) => a - b);
      const mid = times.length / 2;
      return {
        funnel: {
          started: group.length,
          completed: completed.length,
          passed: passed.length,
          learners: new Set(group.map((s) => s.userId)).size,
          medianSeconds: times.length % 2 ? times[Math.floor(mid)] : (times[mid - 1]! + times[mid]!) / 2,
        },
        q1: [count("q1", "decline"), count("q1", "accept")],
        q2: [count("q2", "explain"), count("q2", "ignore")],
        means: { "1.1": sum("1.1") / completed.length, "1.2": sum("1.2") / completed.length },
      };
    };

    const check = async (filter: Parameters<typeof versionAnalytics>[1], keep: (s: Seeded) => boolean) => {
      const want = expected(keep);
      const report = (await versionAnalytics(versionId, filter))!;
      expect(report.funnel).toMatchObject(want.funnel);
      expect(report.decisions[0]!.choices.map((c) => c.count)).toEqual(want.q1);
      expect(report.decisions[1]!.choices.map((c) => c.count)).toEqual(want.q2);
      expect(report.standards.scored).toBe(want.funnel.completed);
      const mean = (item: string) => report.standards.standards.find((s) => s.item === `mini-standards:${item}`)!.mean!;
      expect(mean("1.1")).toBeCloseTo(want.means["1.1"], 10);
      expect(mean("1.2")).toBeCloseTo(want.means["1.2"], 10);
      return report;
    };

    const all = await check({}, () => true);
    expect(all.funnel.started).toBe(2000);
    const from = new Date("2025-04-01T00:00:00Z");
    const to = new Date("2025-09-30T23:59:59.999Z");
    await check({ from, to }, (s) => s.startedAt >= from && s.startedAt <= to);
    await check({ cohortId }, (s) => inCohort.has(s.userId));
    await check({ cohortId, from }, (s) => inCohort.has(s.userId) && s.startedAt >= from);
  });

  it("counts choices first seen in progress and then in the completed attempt as counting everything at once does", async () => {
    clearAttempts();
    const users = Array.from({ length: 7 }, () => insertUser());
    // In progress after q1 (and one learner's earlier completed attempt, on the other choice).
    insertAttempt(users[0]!, new Date("2025-05-01T10:00:00Z"), { q1: "accept", q2: "ignore" });
    const open = users.map((u, i) => ({
      user: u,
      ...insertAttempt(u, new Date(Date.UTC(2025, 4, 2 + i, 10)), { q1: i % 3 === 0 ? "accept" : "decline" }),
    }));
    await catchUpAnalytics();
    const halfway = await readTally(versionId);
    expect(halfway.funnel?.completed).toBe(1);
    // Five of them finish: q2 (explain) and the reflection, then the attempt completes.
    for (const { id, stepTimes } of open.slice(0, 5)) {
      const at = (n: number) => sqlDate(new Date(stepTimes.at(-1)!.getTime() + n * 60_000));
      sqlite
        .prepare(
          `INSERT INTO "AttemptStep" (attemptId, seq, nodeId, choiceId, createdAt) VALUES (?, 2, 'q2', 'explain', ?)`,
        )
        .run(id, at(1));
      sqlite
        .prepare(
          `INSERT INTO "AttemptStep" (attemptId, seq, nodeId, choiceId, createdAt) VALUES (?, 3, 'reflect', NULL, ?)`,
        )
        .run(id, at(2));
      sqlite
        .prepare(
          `UPDATE "Attempt" SET status = 'completed', currentNodeId = 'end-good', completedAt = ?, total = 1, score = 0.3, passed = 0 WHERE id = ?`,
        )
        .run(at(2), id);
    }
    await catchUpAnalytics();
    const sorted = (t: Awaited<ReturnType<typeof readTally>>) => ({
      funnel: t.funnel,
      choices: [...t.choices].sort((a, b) => `${a.nodeId}:${a.choiceId}`.localeCompare(`${b.nodeId}:${b.choiceId}`)),
      nodes: [...t.nodes].sort((a, b) => a.nodeId.localeCompare(b.nodeId)),
      paths: [...t.paths].sort((a, b) => a.path.localeCompare(b.path)),
      durations: [...t.durations].sort((a, b) => a.seconds - b.seconds),
    });
    const learnerChoices = () =>
      sqlite
        .prepare(
          `SELECT userId, nodeId, choiceId, completed FROM "AnalyticsLearnerChoice" ORDER BY userId, nodeId, choiceId`,
        )
        .all();
    const counted = sorted(await readTally(versionId));
    const countedChoices = learnerChoices();
    // q1's "decline": 4 learners took it, 3 of them in an attempt they then completed.
    expect(counted.choices.find((c) => c.nodeId === "q1" && c.choiceId === "decline")).toMatchObject({
      taken: 4,
      learners: 4,
      completedLearners: 3,
    });

    // The same rows, counted again from nothing in one go.
    clearTally();
    sqlite.exec(`UPDATE "Attempt" SET analyticsCounted = 0; UPDATE "AttemptStep" SET counted = 0;`);
    await catchUpAnalytics();
    expect(sorted(await readTally(versionId))).toEqual(counted);
    expect(learnerChoices()).toEqual(countedChoices);
  });
});
