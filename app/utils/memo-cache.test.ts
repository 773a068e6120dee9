import { describe, expect, it } from "vitest";
import { createMemoCache } from "./memo-cache";

describe("createMemoCache", () => {
  it("computes a key once, for calls in flight and after", async () => {
    const cache = createMemoCache<number>({ maxEntries: 4 });
    let computed = 0;
    const compute = async () => {
      computed++;
      await new Promise((r) => setTimeout(r, 10));
      return 42;
    };
    const together = await Promise.all([cache.get("hash-a", compute), cache.get("hash-a", compute)]);
    expect(together).toEqual([42, 42]);
    expect(await cache.get("hash-a", compute)).toBe(42);
    expect(computed).toBe(1);
    await cache.get("hash-b", compute);
    expect(computed).toBe(2);
  });

  it("keeps at most maxEntries, dropping the least recently used", async () => {
    const cache = createMemoCache<string>({ maxEntries: 2 });
    const value = (v: string) => async () => v;
    await cache.get("a", value("a"));
    await cache.get("b", value("b"));
    await cache.get("a", value("a")); // a is now the most recent
    await cache.get("c", value("c"));
    expect(cache.size).toBe(2);
    expect(cache.has("a")).toBe(true);
    expect(cache.has("b")).toBe(false);
    expect(cache.has("c")).toBe(true);
  });

  it("does not keep a failure: the next call computes again", async () => {
    const cache = createMemoCache<number>({ maxEntries: 2 });
    await expect(cache.get("k", async () => Promise.reject(new Error("busy")))).rejects.toThrow("busy");
    expect(cache.has("k")).toBe(false);
    expect(await cache.get("k", async () => 7)).toBe(7);
  });
});
