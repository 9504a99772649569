/**
 * lru-cache options that bound a cache to `max` entries without allocating for them up front.
 * Given `max`, lru-cache fills arrays of that length in its constructor: 6 ms and 0.8 MB for
 * the 50 000 completed deliveries kept by default, paid at every start before listening.
 * Counting each entry as size 1 under `maxSize` gives the same bound and the same
 * least-recently-used eviction, on arrays that grow as entries arrive.
 */
export function entryBound(max: number): { maxSize: number; sizeCalculation: () => number } {
  return { maxSize: max, sizeCalculation: () => 1 };
}
