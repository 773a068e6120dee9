import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { insertUser, setupModelDb } from "../../tests/support/model-db";
import { publish } from "../../tests/support/server";
import { createAssignment } from "./assignment.server";
import { createCohort, type Actor } from "./cohort.server";
import {
  addCaseToModule,
  canEditModule,
  createModule,
  deleteModule,
  getModule,
  listModules,
  listPublishedCaseChoices,
  moveCaseInModule,
  removeCaseFromModule,
  updateModuleText,
} from "./module.server";

const database = setupModelDb();

const user = (email: string, roles: string[]) => insertUser(email, roles, email);

let educator: Actor;
let author: Actor;
let admin: Actor;
let ids: Record<string, number>;
beforeAll(async () => {
  await publish(database.file, [path.resolve("tests/fixtures/valid"), path.resolve("cases")]);
  educator = await user("edu@example.test", ["educator"]);
  author = await user("author@example.test", ["author"]);
  admin = await user("admin@example.test", ["operator"]);
  ids = Object.fromEntries((await listPublishedCaseChoices()).map((c) => [c.slug, c.caseId]));
});

const texts = {
  titleEn: "Boundaries",
  titleFr: "Limites",
  descriptionEn: "Online boundaries.",
  descriptionFr: "Limites en ligne.",
};

describe("modules", () => {
  it("lists published cases with their versions", async () => {
    const cases = await listPublishedCaseChoices();
    expect(cases.map((c) => c.slug)).toEqual([
      "mini-case",
      "online-therapeutic-relationship",
      "social-media-boundaries",
    ]);
    expect(cases[0]!.versions).toHaveLength(1);
    expect(cases[0]!.title.en).toBe("A follow request");
  });

  it("creates a module with ordered cases and total credit hours", async () => {
    const created = await createModule(author, {
      ...texts,
      caseIds: [ids["social-media-boundaries"]!, ids["mini-case"]!, ids["social-media-boundaries"]!],
    });
    expect(created.ok).toBe(true);
    const module = await getModule((created as { value: { id: string } }).value.id);
    expect(module!.title).toEqual({ en: "Boundaries", fr: "Limites" });
    expect(module!.description.fr).toBe("Limites en ligne.");
    expect(module!.cases.map((c) => c.slug)).toEqual(["social-media-boundaries", "mini-case"]);
    expect(module!.totalHours).toBeCloseTo(0.75);
    expect((await listModules()).map((m) => m.id)).toContain(module!.id);
  });

  it("refuses unknown cases", async () => {
    expect(await createModule(author, { ...texts, caseIds: [999] })).toEqual({
      ok: false,
      code: "unpublished-cases",
      caseIds: [999],
    });
  });

  it("adds, moves and removes cases; only the creator or an admin may change a module", async () => {
    const {
      value: { id },
    } = (await createModule(educator, { ...texts, caseIds: [ids["mini-case"]!] })) as { value: { id: string } };
    expect(await addCaseToModule(educator, id, ids["online-therapeutic-relationship"]!)).toEqual({
      ok: true,
      value: { id },
    });
    expect(await addCaseToModule(educator, id, ids["social-media-boundaries"]!)).toEqual({ ok: true, value: { id } });
    const order = async () => (await getModule(id))!.cases.map((c) => c.slug);
    expect(await order()).toEqual(["mini-case", "online-therapeutic-relationship", "social-media-boundaries"]);
    expect((await getModule(id))!.totalHours).toBeCloseTo(1.5);

    await moveCaseInModule(educator, id, ids["social-media-boundaries"]!, -1);
    expect(await order()).toEqual(["mini-case", "social-media-boundaries", "online-therapeutic-relationship"]);
    await moveCaseInModule(educator, id, ids["mini-case"]!, -1); // already first: no change
    await moveCaseInModule(educator, id, ids["mini-case"]!, 1);
    expect(await order()).toEqual(["social-media-boundaries", "mini-case", "online-therapeutic-relationship"]);
    expect((await getModule(id))!.cases.map((c) => c.position)).toEqual([0, 1, 2]);

    expect(await removeCaseFromModule(author, id, ids["mini-case"]!)).toEqual({ ok: false, code: "forbidden" });
    expect(await updateModuleText(author, id, { ...texts, titleEn: "Mine now" })).toEqual({
      ok: false,
      code: "forbidden",
    });
    expect(await removeCaseFromModule(admin, id, ids["mini-case"]!)).toEqual({ ok: true, value: { id } });
    expect(await order()).toEqual(["social-media-boundaries", "online-therapeutic-relationship"]);
    expect(await updateModuleText(educator, id, { ...texts, titleFr: "Nouveau titre" })).toEqual({
      ok: true,
      value: { id },
    });
    expect((await getModule(id))!.title.fr).toBe("Nouveau titre");
    expect(canEditModule(author, (await getModule(id))!)).toBe(false);
    expect(canEditModule(admin, (await getModule(id))!)).toBe(true);
  });

  it("keeps an assigned module; deletes it once unassigned", async () => {
    const {
      value: { id },
    } = (await createModule(educator, { ...texts, caseIds: [ids["mini-case"]!] })) as { value: { id: string } };
    const cohort = await createCohort(educator, "C");
    const assignment = await createAssignment(educator, cohort.id, { kind: "module", moduleId: id }, null);
    expect(assignment.ok).toBe(true);
    expect(await deleteModule(educator, id)).toEqual({ ok: false, code: "assigned" });
    await getDb().assignment.deleteMany({ where: { moduleId: id } });
    expect(await deleteModule(author, id)).toEqual({ ok: false, code: "forbidden" });
    expect(await deleteModule(educator, id)).toEqual({ ok: true, value: null });
    expect(await getModule(id)).toBeNull();
    expect(await deleteModule(educator, id)).toEqual({ ok: false, code: "not-found" });
  });
});
