import { LRUCache } from "lru-cache";

/** What `begin` found: a new delivery to run, one already completed, or one running now. */
export type BeginResult = "started" | "completed" | "running";
export type Outcome = "completed" | "failed";

/**
 * Remembers deliveries by X-GitHub-Delivery so a redelivery of a completed one is not run
 * twice, while a failed or unfinished one is run again. In memory by default; a Redis
 * implementation lets every receiver share the record.
 */
export interface DeliveryRecords {
  begin(id: string): Promise<BeginResult>;
  finish(id: string, outcome: Outcome): Promise<void>;
}

export function createMemoryDeliveryRecords({ max = 50_000 } = {}): DeliveryRecords {
  const states = new LRUCache<string, "running" | Outcome>({ max });
  return {
    async begin(id) {
      const state = states.get(id);
      if (state === "completed" || state === "running") return state;
      states.set(id, "running");
      return "started";
    },
    async finish(id, outcome) {
      if (outcome === "completed") states.set(id, "completed");
      else states.delete(id);
    },
  };
}
