import type { Octokit } from "../github/octokit.js";
import type { AckedFailures } from "../webhooks/acked-failures.js";
import { chooseRedeliveries, type Choice, type DeliveryAttempt } from "./choose-redeliveries.js";

export interface RedeliverOptions {
  /** A client authenticated as the app (the delivery log takes the app's JWT). */
  octokit: Octokit;
  /** Attempts delivered before this (epoch ms) are not looked at. */
  sinceMs: number;
  dryRun?: boolean;
  /** A guid that failed this many times is left alone. */
  maxFailures?: number;
  /** Deliveries whose handlers failed after a 202 (GitHub logs those as delivered). */
  ackedFailures?: AckedFailures;
  /**
   * How many times this caller already asked for a guid. A repeating caller passes it so the
   * cap holds after the first failures have left its look-back window.
   */
  alreadyAsked?: (guid: string) => number;
}

interface HookDeliveryItem {
  id: number;
  guid: string;
  delivered_at: string;
  status_code: number;
  event: string;
  action: string | null;
}

/** GitHub lists newest first: stop reading at the first attempt older than `sinceMs`. */
async function readAttempts(octokit: Octokit, sinceMs: number): Promise<DeliveryAttempt[]> {
  const attempts: DeliveryAttempt[] = [];
  const pages = octokit.paginate.iterator("GET /app/hook/deliveries", { per_page: 100 });
  for await (const page of pages) {
    for (const item of page.data as HookDeliveryItem[]) {
      if (Date.parse(item.delivered_at) < sinceMs) return attempts;
      attempts.push({
        id: item.id,
        guid: item.guid,
        deliveredAt: item.delivered_at,
        statusCode: item.status_code,
        event: item.event,
        action: item.action,
      });
    }
  }
  return attempts;
}

/**
 * Asks GitHub to redeliver the app's failed deliveries since `sinceMs`: GitHub never retries
 * a failed delivery by itself, so a 5xx or a 503 during an outage stays failed until someone
 * asks. https://docs.github.com/en/webhooks/using-webhooks/handling-failed-webhook-deliveries
 */
export async function redeliverFailed(options: RedeliverOptions): Promise<Choice> {
  const attempts = await readAttempts(options.octokit, options.sinceMs);
  const acked = (await options.ackedFailures?.since(options.sinceMs)) ?? new Map<string, number>();
  const maxFailures = options.maxFailures ?? 5;
  const chosen = chooseRedeliveries(attempts, maxFailures, acked);
  const choice: Choice = { redeliver: [], gaveUp: chosen.gaveUp };
  for (const entry of chosen.redeliver) {
    // Each earlier request made one more attempt, and it failed too.
    const failures = Math.max(
      entry.failures,
      (options.alreadyAsked?.(entry.attempt.guid) ?? 0) + 1,
    );
    (failures >= maxFailures ? choice.gaveUp : choice.redeliver).push({ ...entry, failures });
  }
  if (options.dryRun) return choice;
  for (const { attempt } of choice.redeliver) {
    await options.octokit.request("POST /app/hook/deliveries/{delivery_id}/attempts", {
      delivery_id: attempt.id,
    });
  }
  return choice;
}
