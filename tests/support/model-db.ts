// For model tests that go through getDb(): a fresh migrated SQLite file (or, with
// TEST_DATABASE_ENGINE=postgresql, a PostgreSQL database) becomes the process's database for the
// test file, and is closed and removed after it.
import { afterAll, beforeAll } from "vitest";
import { listPublishedCaseChoices } from "~/models/module.server";
import { getDb } from "~/utils/db.server";
import { migratePostgresql } from "~/utils/migrate.server";
import { createDatabase, dropDatabase, newDatabaseName, onPostgresql } from "./postgres";
import { makeMigratedDb } from "./temp-db";

/** Call at the top of the test file, before any hook that uses the database. */
export function setupModelDb(): { file: string; url: string } {
  globalThis.__vignetteDb = undefined;
  if (onPostgresql) {
    // The client is made on first use, so a database created in this (first) beforeAll is in time.
    const name = newDatabaseName();
    const url = new URL(process.env.TEST_POSTGRES_URL ?? "postgresql://invalid");
    url.pathname = `/${name}`;
    process.env.DATABASE_URL = url.toString();
    beforeAll(async () => {
      await migratePostgresql(await createDatabase(name));
    });
    afterAll(async () => {
      await getDb().$disconnect();
      globalThis.__vignetteDb = undefined;
      await dropDatabase(name);
    });
    return { file: url.toString(), url: url.toString() };
  }
  const database = makeMigratedDb();
  process.env.DATABASE_URL = database.url;
  afterAll(async () => {
    await getDb().$disconnect();
    globalThis.__vignetteDb = undefined;
    await database.cleanup();
  });
  return database;
}

/**
 * A user with the given roles, inserted directly (no password): the actor shape models take. They
 * are registered with "demo" (the fixtures' regulator: mini-case earns them credit) and "coto"
 * (cases/), their home regulator.
 */
export async function insertUser(email: string, roles: string[] = ["learner"], name = email.split("@")[0]!) {
  const row = await getDb().user.create({
    data: {
      email,
      name,
      registrationNumber: "R-1",
      regulator: "coto",
      roles: { create: roles.map((roleId) => ({ roleId })) },
      registrations: {
        create: [
          { regulatorId: "coto", number: "R-1" },
          { regulatorId: "demo", number: "R-1" },
        ],
      },
    },
  });
  return { id: row.id, email, roles };
}

/**
 * After the fixtures (with a second mini-case version) and cases/ are published: mini-case's id
 * and its two versions, and the demo social-media case's id.
 */
export async function miniAndDemoCaseIds(): Promise<{ mini: { caseId: number; v1: number; v2: number }; smb: number }> {
  const choices = await listPublishedCaseChoices();
  const m = choices.find((c) => c.slug === "mini-case")!;
  return {
    mini: { caseId: m.caseId, v2: m.versions[0]!.id, v1: m.versions[1]!.id },
    smb: choices.find((c) => c.slug === "social-media-boundaries")!.caseId,
  };
}
