import { describe, expect, it } from "@jest/globals";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { LRUCache } from "lru-cache";
import { entryBound } from "../../src/lru-bound.js";

/** Live heap after a full collection, so only what is still referenced counts. */
function liveHeap(): number {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  return process.memoryUsage().heapUsed;
}

describe("entryBound", () => {
  it("keeps at most max entries, dropping the least recently used", () => {
    const cache = new LRUCache<string, number>(entryBound(3));
    for (const key of ["a", "b", "c"]) cache.set(key, 1);
    cache.get("a");
    cache.set("d", 1);
    expect([...cache.keys()].sort()).toEqual(["a", "c", "d"]);
    for (const key of ["e", "f", "g"]) cache.set(key, 1);
    expect(cache.size).toBe(3);
  });

  it("allocates nothing up front for its bound", () => {
    const before = liveHeap();
    // `{ max: 50_000 }` holds two 50 000-slot arrays per cache: 20 of them are about 16 MB.
    const caches = Array.from(
      { length: 20 },
      () => new LRUCache<string, number>(entryBound(50_000)),
    );
    const grown = liveHeap() - before;
    expect(caches).toHaveLength(20);
    expect(grown).toBeLessThan(2_000_000);
  });
});
