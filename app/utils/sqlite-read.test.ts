import { describe, expect, it } from "vitest";
import { sqliteDate } from "./sqlite-read.server";

describe("sqliteDate", () => {
  it("reads Prisma's ISO text, SQLite's CURRENT_TIMESTAMP text (UTC) and epoch milliseconds alike", () => {
    const instant = Date.UTC(2026, 10, 23, 5, 30, 0);
    expect(sqliteDate("2026-11-23T05:30:00.000+00:00").getTime()).toBe(instant);
    expect(sqliteDate("2026-11-23 05:30:00").getTime()).toBe(instant);
    expect(sqliteDate(instant).getTime()).toBe(instant);
  });
});
