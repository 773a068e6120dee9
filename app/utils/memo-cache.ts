// A small LRU of computed values, bounded by entries, that computes each key once: callers asking
// for a key whose value is being computed share that computation. A failed computation is not
// kept, so the next call tries again. For values that never change for their key (the layout of a
// published version, keyed by its content hash), so nothing here expires by time.

export type MemoCache<V> = {
  /** The value for `key`, from the cache, from a computation already under way, or from `compute()`. */
  get(key: string, compute: () => Promise<V>): Promise<V>;
  has(key: string): boolean;
  readonly size: number;
  clear(): void;
};

export function createMemoCache<V>({ maxEntries }: { maxEntries: number }): MemoCache<V> {
  if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new Error("maxEntries must be a whole number >= 1");
  // A Map keeps insertion order: re-inserting on a hit makes the first key the least recently used.
  const values = new Map<string, V>();
  const pending = new Map<string, Promise<V>>();
  return {
    get(key, compute) {
      if (values.has(key)) {
        const value = values.get(key)!;
        values.delete(key);
        values.set(key, value);
        return Promise.resolve(value);
      }
      const running = pending.get(key);
      if (running) return running;
      const promise = (async () => compute())().then(
        (value) => {
          pending.delete(key);
          values.set(key, value);
          while (values.size > maxEntries) values.delete(values.keys().next().value!);
          return value;
        },
        (error: unknown) => {
          pending.delete(key);
          throw error;
        },
      );
      pending.set(key, promise);
      return promise;
    },
    has: (key) => values.has(key),
    get size() {
      return values.size;
    },
    clear() {
      values.clear();
      pending.clear();
    },
  };
}
