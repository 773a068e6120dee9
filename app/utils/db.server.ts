import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { databaseFilePath, getEnv } from "./env.server";
import { serializedAdapterFactory } from "./serialized-adapter.server";

export type Db = PrismaClient;

/** A client on the given SQLite file. WAL is set by the migration runner and persists in the file. */
export function createDb(filePath: string): Db {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  // timeout: wait for a concurrent writer instead of failing with SQLITE_BUSY.
  const adapter = serializedAdapterFactory(new PrismaBetterSqlite3({ url: filePath, timeout: 5000 }));
  return new PrismaClient({ adapter });
}

declare global {
  // eslint-disable-next-line no-var
  var __vignetteDb: Db | undefined;
}

/** The process-wide client, created once so dev rebuilds do not open new connections. */
export function getDb(): Db {
  globalThis.__vignetteDb ??= createDb(databaseFilePath(getEnv().DATABASE_URL));
  return globalThis.__vignetteDb;
}
