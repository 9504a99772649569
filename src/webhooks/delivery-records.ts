import { LRUCache } from "lru-cache";
import { systemClock, type Clock } from "../clock.js";
import { entryBound } from "../lru-bound.js";

/** What `begin` found: taken for this run, already completed, or held by a live run's lease. */
export type BeginResult = "started" | "completed" | "running";
/** How a run ended: completed, failed, or handed back unfinished (drain, a lost lease). */
export type Outcome = "completed" | "failed" | "released";

/**
 * Remembers deliveries by X-GitHub-Delivery so a redelivery of a completed one is not run
 * twice, while a failed or unfinished one is run again. A run holds its record under a short
 * lease that it renews while its handlers run: when the process dies the lease lapses, and
 * the next redelivery (or the queue's retry) runs it. The owner value is stored with the
 * record, so whichever process holds it (a worker, not the receiver) finishes it.
 */
export interface DeliveryRecords {
  /** How long a lease holds without renewal; README states it as the bound after a crash. */
  readonly leaseMs: number;
  begin(id: string, owner: string): Promise<BeginResult>;
  /** Extends the lease while `owner` still holds it; false when it was lost. */
  renew(id: string, owner: string): Promise<boolean>;
  /** "completed" is kept for days; "failed" and "released" free the record if `owner` holds it. */
  finish(id: string, owner: string, outcome: Outcome): Promise<void>;
  /** True when the delivery completed already (the queue's receiver checks before enqueueing). */
  isCompleted(id: string): Promise<boolean>;
}

export interface MemoryDeliveryRecordsOptions {
  max?: number;
  leaseMs?: number;
  clock?: Clock;
}

export const DEFAULT_LEASE_MS = 15_000;

type State = { completed: true } | { completed: false; owner: string; until: number };

export function createMemoryDeliveryRecords(
  options: MemoryDeliveryRecordsOptions = {},
): DeliveryRecords {
  const clock = options.clock ?? systemClock;
  const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  const states = new LRUCache<string, State>(entryBound(options.max ?? 50_000));
  const held = (state: State | undefined, owner?: string) =>
    state !== undefined &&
    !state.completed &&
    state.until > clock.now() &&
    (owner === undefined || state.owner === owner);
  return {
    leaseMs,
    async begin(id, owner) {
      const state = states.get(id);
      if (state?.completed) return "completed";
      if (held(state)) return "running";
      states.set(id, { completed: false, owner, until: clock.now() + leaseMs });
      return "started";
    },
    async renew(id, owner) {
      if (!held(states.get(id), owner)) return false;
      states.set(id, { completed: false, owner, until: clock.now() + leaseMs });
      return true;
    },
    async finish(id, owner, outcome) {
      if (outcome === "completed") states.set(id, { completed: true });
      else if (held(states.get(id), owner)) states.delete(id);
    },
    async isCompleted(id) {
      return states.get(id)?.completed === true;
    },
  };
}
