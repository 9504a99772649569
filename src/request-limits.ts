import { HookwrightError } from "./errors.js";

/** How long one call to GitHub may take, and all its attempts together. */
export interface RequestLimits {
  /** One attempt, from sending the request to the last byte of the answer. */
  timeoutMs: number;
  /** Every attempt and every wait between them: a retry that would end past it is not made. */
  budgetMs: number;
}

/**
 * GitHub ends any REST request that takes it over 10 s, so an answer slower than that is a
 * hung connection, not a slow success. The budget holds the policy's longest rate-limit wait
 * (60 s) with an attempt on each side of it, and the 1 + 4 + 9 s of 5xx backoff with four.
 * https://docs.github.com/en/rest/using-the-rest-api/troubleshooting-the-rest-api#timeouts
 */
export const DEFAULT_REQUEST_LIMITS: RequestLimits = { timeoutMs: 10_000, budgetMs: 90_000 };

export function requestLimits(given: Partial<RequestLimits> | undefined): RequestLimits {
  return {
    timeoutMs: given?.timeoutMs ?? DEFAULT_REQUEST_LIMITS.timeoutMs,
    budgetMs: given?.budgetMs ?? DEFAULT_REQUEST_LIMITS.budgetMs,
  };
}

export function timeoutError(what: string, ms: number, attempts: number): HookwrightError {
  const tries = attempts === 1 ? "" : ` (${attempts} attempts)`;
  return new HookwrightError(
    "GITHUB_TIMEOUT",
    `GitHub did not answer ${what} within ${ms} ms${tries}`,
  );
}

/**
 * Runs one attempt that must settle within `ms`. Its signal aborts the fetch (and the reading
 * of the body, which undici and the fake tie to the same signal); the attempt also rejects at
 * that moment by itself, so a fetch that ignores signals, or a reader that swallows the abort
 * (@octokit/request turns a JSON body cut short into `""`), cannot outlast it.
 * `onTimeout` makes the error it rejects with.
 */
export async function withTimeout<T>(
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => Error,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = onTimeout();
      // Rejected before aborting, so the race settles with the timeout, not the abort it causes.
      reject(error);
      controller.abort(error);
    }, ms);
  });
  try {
    return await Promise.race([run(controller.signal), expired]);
  } finally {
    clearTimeout(timer);
  }
}
