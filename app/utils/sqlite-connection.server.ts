// The app's own better-sqlite3 connections beside Prisma's (ADR 007, ADR 009): one per database
// file and purpose, kept for the process (and across dev rebuilds), each statement prepared once.
import Database from "better-sqlite3";
import { databaseFilePath, getEnv } from "./env.server";

export type Purpose = "read" | "write";

export type Connection = { db: Database.Database; prepared: (sql: string) => Database.Statement };

declare global {
  var __vignetteConnections: Map<string, Connection> | undefined;
}

function open(file: string, purpose: Purpose): Database.Database {
  if (purpose === "read") return new Database(file, { readonly: true, fileMustExist: true });
  // Same busy timeout as Prisma's connection, for writers in other processes (the importer).
  const db = new Database(file, { fileMustExist: true, timeout: 5000 });
  db.pragma("foreign_keys = ON");
  return db;
}

/** The connection for `purpose` on the current DATABASE_URL. */
export function sqliteConnection(purpose: Purpose): Connection {
  const file = databaseFilePath(getEnv().DATABASE_URL);
  const key = `${purpose}:${file}`;
  globalThis.__vignetteConnections ??= new Map();
  let connection = globalThis.__vignetteConnections.get(key);
  if (!connection) {
    const db = open(file, purpose);
    const statements = new Map<string, Database.Statement>();
    connection = {
      db,
      prepared: (sql) => {
        let statement = statements.get(sql);
        if (!statement) {
          statement = db.prepare(sql);
          statements.set(sql, statement);
        }
        return statement;
      },
    };
    globalThis.__vignetteConnections.set(key, connection);
  }
  return connection;
}
