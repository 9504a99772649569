import { REMEMBER_COMPLETED_MS, type DeliveryQueue } from "./delivery-queue.js";
import type { Redis } from "ioredis";
import { luaScript } from "../redis/lua-script.js";

/**
 * What the queue knows of a delivery: `new` (neither queued nor remembered), `queued`
 * (waiting, delayed or running), `failed` (its attempts ran out) or `completed`.
 */
export type DeliveryState = "new" | "queued" | "failed" | "completed";

// KEYS: the job, the failed set, the job's deduplication key (kept 7 days after it completed,
// deleted when it dies).
const STATE = luaScript(`if redis.call("EXISTS", KEYS[1]) == 1 then
  if redis.call("ZSCORE", KEYS[2], ARGV[1]) then return "failed" end
  return "queued"
end
if redis.call("EXISTS", KEYS[3]) == 1 then return "completed" end
return "new"`);

/**
 * One EVALSHA on `redis` (the queue's connection), sent before this returns: a command sent
 * after it on the same connection runs after it.
 */
export async function deliveryState(
  redis: Redis,
  queue: DeliveryQueue,
  id: string,
): Promise<DeliveryState> {
  const keys = [queue.toKey(id), queue.toKey("failed"), dedupKey(queue, id)];
  return (await STATE(redis, keys, [id])) as DeliveryState;
}

/** The queue's connection: the ioredis client it was opened with (BullMQ types it narrower). */
export const redisOf = async (queue: DeliveryQueue) => (await queue.client) as unknown as Redis;

/** BullMQ's deduplication key of the delivery: while it exists, adding the delivery is a no-op. */
export const dedupKey = (queue: DeliveryQueue, id: string) => queue.toKey(`de:${id}`);

/**
 * How BullMQ's `job.retry` refuses a job no longer in the failed set: another state, or no job
 * at all (sent back, then completed and removed, between the check and the retry).
 */
const notFailed = (error: unknown) =>
  error instanceof Error && /is not in the failed state|^Missing key for job/.test(error.message);

// KEYS: the job, its deduplication key. Remembered only while the job is still there: a failed
// job pruned meanwhile is not made to look completed.
const REMEMBER_IF_HELD = luaScript(`if redis.call("EXISTS", KEYS[1]) == 0 then return 0 end
redis.call("SET", KEYS[2], ARGV[1], "PX", ARGV[2])
return 1`);

/**
 * Sends a dead delivery back to waiting. Its deduplication key was deleted when it died (so
 * GitHub's redelivery could queue it anew once the job is gone); set again first, it makes the
 * delivery remembered once it completes. A job no longer failed was sent back meanwhile by
 * someone else (another receiver given the same redelivery, `jobs retry`), and may even have
 * completed and been removed: it is queued or done, and that is what was asked. Either way it
 * gets all its attempts again. False when the job was already gone (pruned): nothing was done.
 */
export async function requeueFailed(
  queue: DeliveryQueue,
  job: NonNullable<Awaited<ReturnType<DeliveryQueue["getJob"]>>>,
): Promise<boolean> {
  const id = String(job.id);
  const keys = [queue.toKey(id), dedupKey(queue, id)];
  if ((await REMEMBER_IF_HELD(await redisOf(queue), keys, [id, REMEMBER_COMPLETED_MS])) === 0) {
    return false;
  }
  try {
    await job.retry("failed", { resetAttemptsMade: true });
  } catch (error) {
    if (!notFailed(error)) throw error;
  }
  return true;
}
