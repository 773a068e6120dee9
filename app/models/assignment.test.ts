import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { insertUser, miniAndDemoCaseIds, setupModelDb } from "../../tests/support/model-db";
import { publish, publishMiniCaseVersion } from "../../tests/support/server";
import {
  createAssignment,
  dateInputFromDueAt,
  deleteAssignment,
  dueAtFromDateInput,
  getAssignment,
  listAssignments,
  setDueDate,
} from "./assignment.server";
import { createCohort, type Actor } from "./cohort.server";
import { createModule } from "./module.server";

const database = setupModelDb();

describe("due dates", () => {
  const toronto = "America/Toronto";
  const vancouver = "America/Vancouver";

  it("a date means the end of that day on the cohort's clock: Eastern (EST and EDT)", () => {
    expect(dueAtFromDateInput("2026-01-15", toronto)!.toISOString()).toBe("2026-01-16T04:59:59.999Z");
    expect(dueAtFromDateInput("2026-07-15", toronto)!.toISOString()).toBe("2026-07-16T03:59:59.999Z");
    // The day clocks change (2026-03-08 in Toronto).
    expect(dueAtFromDateInput("2026-03-08", toronto)!.toISOString()).toBe("2026-03-09T03:59:59.999Z");
    expect(dateInputFromDueAt(dueAtFromDateInput("2026-03-08", toronto)!, toronto)).toBe("2026-03-08");
    expect(dueAtFromDateInput("2026-02-30", toronto)).toBeNull();
    expect(dueAtFromDateInput("tomorrow", toronto)).toBeNull();
  });

  it("a Vancouver regulator's cohort: the end of the day in Pacific time, shown back as the same day", () => {
    const due = dueAtFromDateInput("2026-01-15", vancouver)!;
    expect(due.toISOString()).toBe("2026-01-16T07:59:59.999Z");
    expect(dateInputFromDueAt(due, vancouver)).toBe("2026-01-15");
    // On Toronto's clock that instant is already the next day: the zone matters.
    expect(dateInputFromDueAt(due, toronto)).toBe("2026-01-16");
  });
});

const user = (email: string, roles: string[]) => insertUser(email, roles, email);

describe("assignments (database)", () => {
  let educator: Actor;
  let other: Actor;
  let mini: { caseId: number; v1: number; v2: number };
  let smb: number;

  beforeAll(async () => {
    await publish(database.file, [path.resolve("tests/fixtures/valid"), path.resolve("cases")]);
    await publishMiniCaseVersion(database.file, "Version two?");
    ({ mini, smb } = await miniAndDemoCaseIds());
    educator = await user("edu@example.test", ["educator"]);
    other = await user("other@example.test", ["educator"]);
  });

  it("validates targets and scopes assignments to the cohort's educator", async () => {
    const cohort = await createCohort(educator, "Scoped");
    expect(
      await createAssignment(other, cohort.id, { kind: "case", caseId: mini.caseId, caseVersionId: null }, null),
    ).toEqual({
      ok: false,
      code: "not-found",
    });
    expect(
      await createAssignment(educator, cohort.id, { kind: "case", caseId: 9999, caseVersionId: null }, null),
    ).toEqual({
      ok: false,
      code: "unknown-case",
    });
    expect(
      await createAssignment(educator, cohort.id, { kind: "case", caseId: smb, caseVersionId: mini.v1 }, null),
    ).toEqual({
      ok: false,
      code: "unknown-version",
    });
    expect(await createAssignment(educator, cohort.id, { kind: "module", moduleId: "nope" }, null)).toEqual({
      ok: false,
      code: "unknown-module",
    });
    const created = await createAssignment(
      educator,
      cohort.id,
      { kind: "case", caseId: mini.caseId, caseVersionId: mini.v1 },
      null,
    );
    const id = (created as { value: { id: string } }).value.id;
    const view = await getAssignment(educator, cohort.id, id);
    expect(view).toMatchObject({ kind: "case", pinnedVersion: 1, caseVersionId: mini.v1 });
    expect(await getAssignment(other, cohort.id, id)).toBeNull();
    expect(await listAssignments(other, cohort.id)).toBeNull();
    expect(await setDueDate(other, cohort.id, id, new Date())).toBe(false);
    expect(await deleteAssignment(other, cohort.id, id)).toBe(false);
    const due = dueAtFromDateInput("2030-05-01", "America/Toronto")!;
    expect(await setDueDate(educator, cohort.id, id, due)).toBe(true);
    expect((await getAssignment(educator, cohort.id, id))!.dueAt).toEqual(due);
    expect(await deleteAssignment(educator, cohort.id, id)).toBe(true);
    expect(await listAssignments(educator, cohort.id)).toEqual([]);
  });

  it("describes a module assignment with its cases in the module's order, and a latest one with the current title", async () => {
    const cohort = await createCohort(educator, "Described");
    const module = (await createModule(educator, {
      titleEn: "Pair",
      titleFr: "Paire",
      descriptionEn: "",
      descriptionFr: "",
      caseIds: [smb, mini.caseId],
    })) as { value: { id: string } };
    await createAssignment(educator, cohort.id, { kind: "module", moduleId: module.value.id }, null);
    await createAssignment(educator, cohort.id, { kind: "case", caseId: mini.caseId, caseVersionId: null }, null);
    const [m, latest] = (await listAssignments(educator, cohort.id))!;
    expect(m).toMatchObject({ kind: "module", title: { en: "Pair", fr: "Paire" } });
    expect(m!.items.map((i) => [i.slug, i.caseVersionId])).toEqual([
      ["social-media-boundaries", null],
      ["mini-case", null],
    ]);
    expect(latest).toMatchObject({ kind: "case", pinnedVersion: null, title: { en: "A follow request" } });
  });
});
