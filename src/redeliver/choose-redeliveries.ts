/** One attempt GitHub made to deliver an event to the app's webhook. */
export interface DeliveryAttempt {
  id: number;
  guid: string;
  deliveredAt: string;
  /** What the app's server answered; 0 when it did not answer. */
  statusCode: number;
  event: string;
  action: string | null;
}

export interface Redelivery {
  /** The attempt to redeliver: the latest failed one of its guid. */
  attempt: DeliveryAttempt;
  /** How many attempts of this guid failed so far. */
  failures: number;
}

export interface Choice {
  redeliver: Redelivery[];
  /** Guids that failed `maxFailures` times: left alone, so a handler that always fails does not loop. */
  gaveUp: Redelivery[];
}

const succeeded = (attempt: DeliveryAttempt) =>
  attempt.statusCode >= 200 && attempt.statusCode < 300;

/**
 * From GitHub's delivery log, the events worth redelivering: those whose latest failed attempt
 * has no success after it, one request per guid for its latest failed attempt. And, from
 * `ackedFailures` (delivery id → when its handlers failed after a 202, which GitHub logged as
 * a success), those with no attempt since that failure, by their latest attempt.
 */
export function chooseRedeliveries(
  attempts: DeliveryAttempt[],
  maxFailures: number,
  ackedFailures: ReadonlyMap<string, number> = new Map(),
): Choice {
  const byGuid = new Map<string, DeliveryAttempt[]>();
  for (const attempt of attempts) {
    const list = byGuid.get(attempt.guid) ?? [];
    list.push(attempt);
    byGuid.set(attempt.guid, list);
  }
  const choice: Choice = { redeliver: [], gaveUp: [] };
  for (const list of byGuid.values()) {
    const ordered = list.sort(
      (a, b) => Date.parse(a.deliveredAt) - Date.parse(b.deliveredAt) || a.id - b.id,
    );
    const latest = ordered.at(-1)!;
    const ackedFailureAt = ackedFailures.get(latest.guid);
    if (ackedFailureAt !== undefined && succeeded(latest)) {
      if (Date.parse(latest.deliveredAt) > ackedFailureAt) continue;
      // Each attempt was answered 202 and then failed: count them, so this cannot loop either.
      const entry = { attempt: latest, failures: ordered.length };
      (ordered.length >= maxFailures ? choice.gaveUp : choice.redeliver).push(entry);
      continue;
    }
    const failed = ordered.filter((attempt) => !succeeded(attempt));
    const lastFailure = failed.at(-1);
    if (lastFailure === undefined) continue;
    if (ordered.indexOf(lastFailure) < ordered.length - 1) continue;
    const entry = { attempt: lastFailure, failures: failed.length };
    (failed.length >= maxFailures ? choice.gaveUp : choice.redeliver).push(entry);
  }
  return choice;
}
