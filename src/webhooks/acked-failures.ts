/**
 * Deliveries whose handlers failed after the delivery was answered 202. GitHub counts those as
 * delivered, so its log alone never shows them as failed; `redeliver` reads this too.
 */
export interface AckedFailures {
  add(id: string, atMs: number): Promise<void>;
  /** Delivery id → when its handlers failed, for failures at or after `sinceMs`. */
  since(sinceMs: number): Promise<Map<string, number>>;
}

/** In this process's memory: what `REDELIVER_INTERVAL` in the same server reads. */
export function createMemoryAckedFailures({ max = 10_000 } = {}): AckedFailures {
  const failures = new Map<string, number>();
  return {
    async add(id, atMs) {
      failures.delete(id);
      failures.set(id, atMs);
      // Oldest first in a Map: drop from the front past the bound.
      for (const oldest of failures.keys()) {
        if (failures.size <= max) break;
        failures.delete(oldest);
      }
    },
    async since(sinceMs) {
      return new Map([...failures].filter(([, atMs]) => atMs >= sinceMs));
    },
  };
}
