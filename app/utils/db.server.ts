import fs from "node:fs";
import path from "node:path";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../generated/prisma/client";
import { databaseFilePath, getEnv } from "./env.server";
import { Lock, serializedAdapterFactory } from "./serialized-adapter.server";

export type Db = PrismaClient;

/** A client on the given SQLite file. WAL is set by the migration runner and persists in the file. */
export function createDb(filePath: string): Db {
  fs.mkdirSync(path.dirname(filePath), { recursive: true });
  const lock = new Lock();
  // timeout: wait for a concurrent writer instead of failing with SQLITE_BUSY.
  const adapter = serializedAdapterFactory(new PrismaBetterSqlite3({ url: filePath, timeout: 5000 }), lock);
  const client = new PrismaClient({ adapter });
  // On the client itself (a global symbol), so the process-wide client keeps it across dev rebuilds.
  Object.defineProperty(client, LOCK, { value: lock });
  return client;
}

const LOCK = Symbol.for("vignette.db.lock");

/** The lock every query of this client holds (serialized-adapter.server.ts): while you hold it, Prisma has nothing open. */
export function lockOf(db: Db): Lock {
  const lock = (db as unknown as Record<symbol, Lock | undefined>)[LOCK];
  if (!lock) throw new Error("not a client made by createDb");
  return lock;
}

declare global {
  var __vignetteDb: Db | undefined;
}

/** The process-wide client, created once so dev rebuilds do not open new connections. */
export function getDb(): Db {
  globalThis.__vignetteDb ??= createDb(databaseFilePath(getEnv().DATABASE_URL));
  return globalThis.__vignetteDb;
}
