import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { insertUser, miniAndDemoCaseIds, setupModelDb } from "../../tests/support/model-db";
import { publish, publishMiniCaseVersion } from "../../tests/support/server";
import { createAssignment } from "./assignment.server";
import { createCohort, joinCohortByInvite, leaveCohort, type Actor } from "./cohort.server";
import { createModule } from "./module.server";
import {
  assignmentProgress,
  caseProgress,
  cohortProgress,
  learnerAssignments,
  progressCsvRows,
  type AttemptFact,
} from "./progress.server";

const database = setupModelDb();

const day = (iso: string) => new Date(`${iso}T12:00:00Z`);
const fact = (overrides: Partial<AttemptFact>): AttemptFact => ({
  userId: "u",
  caseId: 1,
  caseVersionId: 10,
  status: "completed",
  passed: false,
  score: 0.5,
  completedAt: day("2026-01-10"),
  ...overrides,
});

describe("progress rules (pure)", () => {
  it("a case is not started, in progress, failed or passed; pinned counts only its version", () => {
    const latest = { caseId: 1, caseVersionId: null };
    expect(caseProgress([], latest).status).toBe("not_started");
    expect(
      caseProgress([fact({ status: "in_progress", passed: null, score: null, completedAt: null })], latest).status,
    ).toBe("in_progress");
    expect(caseProgress([fact({})], latest)).toMatchObject({ status: "failed", bestScore: 0.5, passedAt: null });
    const passedV2 = fact({ caseVersionId: 11, passed: true, score: 0.9, completedAt: day("2026-01-12") });
    expect(caseProgress([fact({}), passedV2], latest)).toMatchObject({
      status: "passed",
      bestScore: 0.9,
      passedAt: day("2026-01-12"),
    });
    expect(caseProgress([fact({}), passedV2], { caseId: 1, caseVersionId: 10 })).toMatchObject({
      status: "failed",
      bestScore: 0.5,
    });
    expect(caseProgress([passedV2], { caseId: 2, caseVersionId: null }).status).toBe("not_started");
    // The first pass dates the completion, even if a later one scored higher.
    const early = fact({ passed: true, score: 0.8, completedAt: day("2026-01-05") });
    expect(caseProgress([passedV2, early], latest).passedAt).toEqual(day("2026-01-05"));
  });

  it("flags overdue work (not passed after the due date) and late passes", () => {
    const items = [{ caseId: 1, caseVersionId: null }];
    const due = day("2026-01-08");
    expect(assignmentProgress(items, [], due, day("2026-01-07")).overdue).toBe(false);
    expect(assignmentProgress(items, [], due, day("2026-01-09")).overdue).toBe(true);
    expect(assignmentProgress(items, [], null, day("2030-01-01")).overdue).toBe(false);
    const late = assignmentProgress(items, [fact({ passed: true, score: 1 })], due, day("2026-02-01"));
    expect(late).toMatchObject({
      status: "passed",
      overdue: false,
      late: true,
      score: 1,
      completedAt: day("2026-01-10"),
    });
    const onTime = assignmentProgress(
      items,
      [fact({ passed: true, completedAt: day("2026-01-02") })],
      due,
      day("2026-02-01"),
    );
    expect(onTime.late).toBe(false);
  });

  it("a module is passed when every case is; its completion is the last case's pass", () => {
    const items = [
      { caseId: 1, caseVersionId: null },
      { caseId: 2, caseVersionId: null },
    ];
    const now = day("2026-03-01");
    expect(assignmentProgress(items, [], null, now)).toMatchObject({
      status: "not_started",
      casesPassed: 0,
      casesTotal: 2,
      score: null,
    });
    const one = [fact({ passed: true, score: 0.8 })];
    expect(assignmentProgress(items, one, null, now)).toMatchObject({
      status: "in_progress",
      casesPassed: 1,
      score: null,
    });
    const failedOther = [...one, fact({ caseId: 2, score: 0.4 })];
    expect(assignmentProgress(items, failedOther, null, now).status).toBe("failed");
    const retrying = [
      ...failedOther,
      fact({ caseId: 2, status: "in_progress", passed: null, score: null, completedAt: null }),
    ];
    expect(assignmentProgress(items, retrying, null, now).status).toBe("in_progress");
    const both = [...failedOther, fact({ caseId: 2, passed: true, score: 0.9, completedAt: day("2026-02-01") })];
    const done = assignmentProgress(items, both, null, now);
    expect(done).toMatchObject({ status: "passed", casesPassed: 2, completedAt: day("2026-02-01") });
    expect(done.score).toBeCloseTo(0.85);
    expect(assignmentProgress([], [], null, now).status).toBe("not_started");
  });
});

const user = (email: string, roles?: string[]) => insertUser(email, roles);

async function attempt(
  userId: string,
  caseVersionId: number,
  outcome: "passed" | "failed" | "in_progress",
  completedAt = new Date(),
  startedAt = completedAt,
) {
  const version = await getDb().caseVersion.findUniqueOrThrow({ where: { id: caseVersionId } });
  const number = (await getDb().attempt.count({ where: { userId, caseId: version.caseId } })) + 1;
  await getDb().attempt.create({
    data: {
      userId,
      caseId: version.caseId,
      caseVersionId,
      number,
      currentNodeId: "x",
      startedAt,
      status: outcome === "in_progress" ? "in_progress" : "completed",
      passed: outcome === "in_progress" ? null : outcome === "passed",
      score: outcome === "in_progress" ? null : outcome === "passed" ? 0.9 : 0.4,
      completedAt: outcome === "in_progress" ? null : completedAt,
    },
  });
}

describe("cohort progress (database)", () => {
  let educator: Actor;
  let other: Actor;
  let lea: Actor;
  let sam: Actor;
  let mini: { caseId: number; v1: number; v2: number };
  let smb: number;

  beforeAll(async () => {
    await publish(database.file, [path.resolve("tests/fixtures/valid"), path.resolve("cases")]);
    // Version 2 of mini-case.
    await publishMiniCaseVersion(database.file, "Version two?");
    ({ mini, smb } = await miniAndDemoCaseIds());
    educator = await user("edu@example.test", ["educator"]);
    other = await user("other@example.test", ["educator"]);
    lea = await user("lea@example.test");
    sam = await user("sam@example.test");
  });

  it("reports each learner's status; pinned assignments count only their version", async () => {
    const cohort = await createCohort(educator, "Progress");
    // Both accepted the cohort's link an hour ago.
    const joined = new Date(Date.now() - 3_600_000);
    for (const learner of [lea, sam]) await joinCohortByInvite(learner.id, cohort.inviteCode, joined);
    const past = new Date(Date.now() - 86_400_000);
    await createAssignment(educator, cohort.id, { kind: "case", caseId: mini.caseId, caseVersionId: null }, past);
    await createAssignment(educator, cohort.id, { kind: "case", caseId: mini.caseId, caseVersionId: mini.v1 }, null);
    await createAssignment(educator, cohort.id, { kind: "case", caseId: mini.caseId, caseVersionId: mini.v2 }, null);
    const module = (await createModule(educator, {
      titleEn: "Pair",
      titleFr: "Paire",
      descriptionEn: "",
      descriptionFr: "",
      caseIds: [mini.caseId, smb],
    })) as { value: { id: string } };
    await createAssignment(educator, cohort.id, { kind: "module", moduleId: module.value.id }, null);

    await attempt(lea.id, mini.v1, "failed");
    await attempt(lea.id, mini.v2, "passed");
    await attempt(sam.id, mini.v1, "in_progress");

    expect(await cohortProgress(other, cohort.id)).toBeNull();
    const { reports } = (await cohortProgress(educator, cohort.id))!;
    const statuses = reports.map((r) =>
      Object.fromEntries(r.rows.map((row) => [row.member.name, row.progress.status])),
    );
    expect(statuses).toEqual([
      { lea: "passed", sam: "in_progress" }, // latest: any version
      { lea: "failed", sam: "in_progress" }, // pinned to v1
      { lea: "passed", sam: "not_started" }, // pinned to v2
      { lea: "in_progress", sam: "in_progress" }, // module: mini passed, smb not started
    ]);
    // Due yesterday: sam is overdue; lea passed just now, after the due date (late).
    expect(reports[0]!.rows.find((r) => r.member.name === "sam")!.progress.overdue).toBe(true);
    expect(reports[0]!.rows.find((r) => r.member.name === "lea")!.progress).toMatchObject({
      overdue: false,
      late: true,
      score: 0.9,
    });
    expect(reports[0]!.counts).toEqual({ not_started: 0, in_progress: 1, passed: 1, failed: 0, overdue: 1, total: 2 });
    expect(reports[3]!.rows[0]!.progress).toMatchObject({ casesPassed: 1, casesTotal: 2 });

    const csv = progressCsvRows("Progress", reports);
    expect(csv).toHaveLength(8);
    expect(csv[0]).toEqual(
      expect.arrayContaining(["Progress", "case", "mini-case", "lea", "lea@example.test", "passed", false, true, 0.9]),
    );

    const home = await learnerAssignments(sam.id);
    expect(
      home.map((a) => [a.assignment.kind, a.assignment.pinnedVersion, a.progress.status, a.progress.overdue]),
    ).toEqual([
      ["case", null, "in_progress", true], // due first
      ["case", 1, "in_progress", false],
      ["case", 2, "not_started", false],
      ["module", null, "in_progress", false],
    ]);
    expect(home[0]!.cohortName).toBe("Progress");
    expect(await learnerAssignments((await user("loner@example.test")).id)).toEqual([]);
  });

  it("shows a cohort only attempts at its assignments' cases started since the learner joined", async () => {
    const cohort = await createCohort(educator, "Boundary");
    await createAssignment(educator, cohort.id, { kind: "case", caseId: mini.caseId, caseVersionId: null }, null);
    const kim = await user("kim@example.test");
    const t0 = new Date(Date.now() - 10 * 86_400_000);
    // Before joining: a pass of the assigned case, which the cohort must never see.
    await attempt(kim.id, mini.v1, "passed", new Date(t0.getTime() - 86_400_000));
    // Started before joining, finished after: still from before.
    await attempt(kim.id, mini.v1, "passed", new Date(t0.getTime() + 3_600_000), new Date(t0.getTime() - 60_000));
    await joinCohortByInvite(kim.id, cohort.inviteCode, t0);
    const smbVersion = (await getDb().caseVersion.findFirstOrThrow({ where: { caseId: smb } })).id;
    // After joining, a case the cohort was not assigned: not theirs to see either.
    await attempt(kim.id, smbVersion, "passed", new Date(t0.getTime() + 86_400_000));

    const row = () =>
      cohortProgress(educator, cohort.id).then((p) => p!.reports[0]!.rows.find((r) => r.member.id === kim.id));
    expect((await row())!.progress).toMatchObject({ status: "not_started", score: null, completedAt: null });
    expect((await row())!.progress.cases[0]!.attempts).toBe(0);
    expect(progressCsvRows("Boundary", (await cohortProgress(educator, cohort.id))!.reports)[0]).toEqual(
      expect.arrayContaining(["kim@example.test", "not_started", null]),
    );
    // The learner's home shows the same as the educator sees.
    const home = (await learnerAssignments(kim.id)).find((a) => a.cohortName === "Boundary")!;
    expect(home.progress.status).toBe("not_started");

    // Now an attempt for the cohort: seen, and only it.
    await attempt(kim.id, mini.v2, "in_progress", new Date(t0.getTime() + 2 * 86_400_000));
    expect((await row())!.progress).toMatchObject({ status: "in_progress" });
    expect((await row())!.progress.cases[0]!.attempts).toBe(1);

    // Leaving: the educator sees nothing more of them. Joining again starts afresh.
    expect(await leaveCohort(kim.id, cohort.id)).toBe(true);
    expect(await row()).toBeUndefined();
    expect((await learnerAssignments(kim.id)).some((a) => a.cohortName === "Boundary")).toBe(false);
    await joinCohortByInvite(kim.id, cohort.inviteCode);
    expect((await row())!.progress.status).toBe("not_started");
  });
});
