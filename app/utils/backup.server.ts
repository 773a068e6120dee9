// Backups of the SQLite database: a consistent copy taken while the server runs (SQLite's online
// backup API, which copies a snapshot page by page without stopping writers for long), verified
// before it is called a backup, optionally gzip-compressed; and a restore into a stopped deployment
// that checks the file first and keeps the database it replaces.
import fs from "node:fs";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import zlib from "node:zlib";
import Database from "better-sqlite3";
import { defaultMigrationsDir, readMigrations } from "./migrate.server";

export class BackupError extends Error {
  override name = "BackupError";
}

export type BackupCheck = {
  /** Rows per table, tables in name order. */
  rows: Record<string, number>;
  /** Applied migrations the file records. */
  migrations: string[];
};

const GZIP_MAGIC = Buffer.from([0x1f, 0x8b]);
const SQLITE_MAGIC = Buffer.from("SQLite format 3\0", "latin1");

function readHead(file: string, bytes: number): Buffer {
  const fd = fs.openSync(file, "r");
  try {
    const head = Buffer.alloc(bytes);
    const read = fs.readSync(fd, head, 0, bytes, 0);
    return head.subarray(0, read);
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Checks that `file` is a whole, sound SQLite database of this application: integrity_check says
 * ok, it has Prisma's bookkeeping, and every migration it records is one this checkout knows.
 */
export function verifyDatabaseFile(file: string, migrationsDir: string = defaultMigrationsDir): BackupCheck {
  if (!readHead(file, SQLITE_MAGIC.length).equals(SQLITE_MAGIC)) {
    throw new BackupError(`${file} is not an SQLite database.`);
  }
  // Read-write, so that closing it checkpoints and removes the -wal and -shm files a WAL-mode
  // copy gets when opened: only ever called on a copy of our own.
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { fileMustExist: true });
    const integrity = db.prepare("PRAGMA integrity_check").pluck().all() as string[];
    if (integrity.length !== 1 || integrity[0] !== "ok") {
      throw new BackupError(`${file} fails SQLite's integrity check: ${integrity.slice(0, 5).join("; ")}`);
    }
    const tables = db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name`)
      .pluck()
      .all() as string[];
    if (!tables.includes("_prisma_migrations")) {
      throw new BackupError(`${file} is not a Vignette database: it has no migrations table.`);
    }
    const migrations = db
      .prepare(
        `SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY migration_name`,
      )
      .pluck()
      .all() as string[];
    const known = new Set(readMigrations(migrationsDir).map((m) => m.name));
    const unknown = migrations.filter((name) => !known.has(name));
    if (unknown.length > 0) {
      throw new BackupError(
        `${file} was made by a newer version of Vignette (migrations ${unknown.join(", ")}); update the code first.`,
      );
    }
    const rows: Record<string, number> = {};
    for (const table of tables) {
      rows[table] = db
        .prepare(`SELECT COUNT(*) FROM "${table.replace(/"/g, '""')}"`)
        .pluck()
        .get() as number;
    }
    return { rows, migrations };
  } catch (error) {
    if (error instanceof BackupError) throw error;
    // A file cut short or overwritten fails before integrity_check can even run.
    throw new BackupError(`${file} fails SQLite's integrity check: ${(error as Error).message}`);
  } finally {
    db?.close();
  }
}

/** A name beside `file` for work in progress, on the same disk so a rename is atomic. */
function partName(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.part`);
}

/**
 * Copies the live database at `source` to `target` (gzip-compressed when `target` ends in .gz),
 * verifies the copy and only then gives it its name. The source may be serving meanwhile.
 */
export async function backupDatabase(source: string, target: string): Promise<BackupCheck> {
  if (!fs.existsSync(source)) throw new BackupError(`No database at ${source}.`);
  if (fs.existsSync(target)) throw new BackupError(`${target} already exists; choose a new file name.`);
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const copy = partName(target);
  const db = new Database(source, { fileMustExist: true });
  try {
    db.pragma("busy_timeout = 5000");
    await db.backup(copy);
  } finally {
    db.close();
  }
  try {
    const check = verifyDatabaseFile(copy);
    if (target.endsWith(".gz")) {
      const packed = `${copy}.gz`;
      await pipeline(fs.createReadStream(copy), zlib.createGzip({ level: 6 }), fs.createWriteStream(packed));
      fs.rmSync(copy);
      fs.renameSync(packed, target);
    } else {
      fs.renameSync(copy, target);
    }
    return check;
  } catch (error) {
    fs.rmSync(copy, { force: true });
    fs.rmSync(`${copy}.gz`, { force: true });
    throw error;
  }
}

/**
 * The processes that have `file` (or its -wal/-shm) open, read from /proc on Linux; null where
 * that cannot be known, and then a leftover -shm file is taken as a sign that it is open.
 */
function processesUsing(file: string): number[] | null {
  if (!fs.existsSync("/proc/self/fd")) return null;
  const names = new Set([file, `${file}-wal`, `${file}-shm`].map((f) => path.resolve(f)));
  const pids: number[] = [];
  for (const entry of fs.readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let fds: string[];
    try {
      fds = fs.readdirSync(`/proc/${entry}/fd`);
    } catch {
      continue; // gone, or not ours to read
    }
    for (const fd of fds) {
      let target: string;
      try {
        target = fs.readlinkSync(`/proc/${entry}/fd/${fd}`);
      } catch {
        continue;
      }
      if (names.has(target)) {
        pids.push(Number(entry));
        break;
      }
    }
  }
  return pids;
}

/**
 * Replaces the database at `target` with the backup `file` (plain or gzip). Refuses while a
 * process has the target open (a server is running) unless `force`; checks the backup before
 * touching anything; keeps the replaced database beside it.
 * Returns the check of the restored file and where the previous database was kept, if any.
 */
export async function restoreDatabase(
  file: string,
  target: string,
  options: { force?: boolean; now?: Date } = {},
): Promise<BackupCheck & { previous: string | null }> {
  if (!fs.existsSync(file)) throw new BackupError(`No backup at ${file}.`);
  if (!options.force) {
    const users = processesUsing(target);
    if (users === null ? fs.existsSync(`${target}-shm`) : users.length > 0) {
      throw new BackupError(
        `${target} looks in use${users?.length ? ` (by process ${users.join(", ")})` : ""}: stop the server first. ` +
          `If it is surely stopped, run again with --force.`,
      );
    }
  }
  fs.mkdirSync(path.dirname(path.resolve(target)), { recursive: true });
  const incoming = partName(target);
  try {
    if (readHead(file, 2).equals(GZIP_MAGIC)) {
      await pipeline(fs.createReadStream(file), zlib.createGunzip(), fs.createWriteStream(incoming));
    } else {
      fs.copyFileSync(file, incoming);
    }
    const check = verifyDatabaseFile(incoming);
    let previous: string | null = null;
    if (fs.existsSync(target)) {
      const stamp = (options.now ?? new Date()).toISOString().replace(/[:.]/g, "-");
      previous = `${target}.before-restore-${stamp}`;
      fs.renameSync(target, previous);
      for (const suffix of ["-wal", "-shm"]) {
        if (fs.existsSync(target + suffix)) fs.renameSync(target + suffix, previous + suffix);
      }
    }
    fs.renameSync(incoming, target);
    return { ...check, previous };
  } catch (error) {
    fs.rmSync(incoming, { force: true });
    throw error;
  }
}
