// For model tests that go through getDb(): a fresh migrated SQLite file becomes the process's
// database for the test file, and is closed and removed after it.
import { afterAll } from "vitest";
import { getDb } from "~/utils/db.server";
import { makeMigratedDb } from "./temp-db";

export function useModelDb(): { file: string; url: string } {
  const database = makeMigratedDb();
  process.env.DATABASE_URL = database.url;
  globalThis.__vignetteDb = undefined;
  afterAll(async () => {
    await getDb().$disconnect();
    globalThis.__vignetteDb = undefined;
    database.cleanup();
  });
  return database;
}

/** A user with the given roles, inserted directly (no password): the actor shape models take. */
export async function insertUser(email: string, roles: string[] = ["learner"], name = email.split("@")[0]!) {
  const row = await getDb().user.create({
    data: { email, name, registrationNumber: "R-1", regulator: "coto", roles: { create: roles.map((roleId) => ({ roleId })) } },
  });
  return { id: row.id, email, roles };
}
