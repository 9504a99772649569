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
 * A timer for one attempt: its signal aborts with `onTimeout()`'s error after `ms`. Given to
 * fetch, it cuts the answer and the reading of its body alike (undici and the fake tie the
 * body to the request's signal). `clear` it once the attempt is over.
 */
export interface AttemptTimeout {
  signal: AbortSignal;
  clear(): void;
}

export function startTimeout(ms: number, onTimeout: () => Error): AttemptTimeout {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(onTimeout()), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * Runs one attempt that must settle within `ms`: besides aborting its signal, the attempt
 * rejects at that moment by itself, so a fetch that ignores signals cannot outlast it. Only
 * for work that can be abandoned safely (the token exchange: at worst a token is minted
 * unused); an API call could still be sent after being given up on.
 */
export async function withTimeout<T>(
  ms: number,
  run: (signal: AbortSignal) => Promise<T>,
  onTimeout: () => Error,
): Promise<T> {
  const timeout = startTimeout(ms, onTimeout);
  const expired = new Promise<never>((_, reject) => {
    timeout.signal.addEventListener("abort", () => reject(timeout.signal.reason as Error), {
      once: true,
    });
  });
  try {
    return await Promise.race([run(timeout.signal), expired]);
  } finally {
    timeout.clear();
  }
}
