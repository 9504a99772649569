import Bottleneck from "bottleneck/light.js";
import type { Logger } from "pino";
import { Octokit } from "./octokit.js";

export interface ClientBuilderOptions {
  apiUrl: string;
  logger: Logger;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Multiplier (ms) for retry-after waits and 5xx backoff; tests pass 1. */
  retryBaseMs?: number;
  /** Longest rate-limit wait worth retrying after, in seconds. */
  maxRetryAfterS?: number;
}

export interface BuildOptions {
  /** The throttle key: the installation id, so each installation has its own queues. */
  id: string;
  authStrategy?: unknown;
  auth: unknown;
  deliveryId?: string;
  /** A logger, or a function making one: called only when the client logs. */
  log?: Logger | (() => Logger);
}

type LimitHandler = (
  retryAfter: number,
  options: { method: string; url: string },
  octokit: unknown,
  retryCount: number,
) => boolean;

/**
 * Rate limits are per installation on GitHub, so the throttle is too: the limiter groups
 * belong to this builder (not the module, as in plugin-throttling's default) and every
 * client is keyed by its installation id. Probot shares one write queue across all
 * installations, so one busy installation delays every other.
 */
function createLimiterGroups() {
  return {
    global: new Bottleneck.Group({ id: "hookwright-global", maxConcurrent: 10 }),
    auth: new Bottleneck.Group({ id: "hookwright-auth", maxConcurrent: 1 }),
    write: new Bottleneck.Group({ id: "hookwright-write", maxConcurrent: 1 }),
    search: new Bottleneck.Group({ id: "hookwright-search", maxConcurrent: 1, minTime: 2000 }),
    notifications: new Bottleneck.Group({ id: "hookwright-notifications", maxConcurrent: 1 }),
  };
}

/**
 * Runs one job at a time per key, jobs of different keys concurrently. A key's entry lives
 * only while it has work, so installations seen once leave nothing behind.
 */
function createSerialQueues() {
  const tails = new Map<string, Promise<void>>();
  const settle = () => undefined;
  return <T>(key: string, job: () => Promise<T>): Promise<T> => {
    const previous = tails.get(key);
    const result = previous ? previous.then(job) : job();
    const tail = result.then(settle, settle);
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return result;
  };
}

/** Builds the Octokit every client factory hands out: throttled, retried, stamped. */
export function createClientBuilder(
  options: ClientBuilderOptions,
): (build: BuildOptions) => Octokit {
  const groups = createLimiterGroups();
  // GitHub asks integrators to send writes one at a time per installation; secondary limits
  // answered with retry-after are honoured by the throttle rather than guessed at here.
  // plugin-throttling only passes an empty job through its write group (it spaces writes by
  // minTime, never holding a slot while one is in flight), so this queue holds the slot; it
  // wraps the retry and throttle hooks, so a write's retries stay inside its turn.
  // https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
  const writeQueue = createSerialQueues();
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const maxRetryAfterS = options.maxRetryAfterS ?? 60;

  return ({ id, authStrategy, auth, deliveryId, log: given }) => {
    let made: Logger | undefined;
    // The delivery's logger is a pino child; a client that never logs should not make it.
    const log = () => (made ??= typeof given === "function" ? given() : (given ?? options.logger));
    const onLimit =
      (kind: string): LimitHandler =>
      (retryAfter, request, _octokit, retryCount) => {
        const retry = retryCount < 2 && retryAfter <= maxRetryAfterS;
        log().warn(
          { retryAfter, method: request.method, url: request.url, retry },
          `GitHub ${kind} rate limit`,
        );
        return retry;
      };
    const octokit = new Octokit({
      baseUrl: options.apiUrl,
      userAgent: options.userAgent ?? "hookwright",
      ...(authStrategy ? { authStrategy } : {}),
      auth,
      request: options.fetch ? { fetch: options.fetch } : {},
      log: {
        debug: (message: string) => log().debug(message),
        info: (message: string) => log().info(message),
        warn: (message: string) => log().warn(message),
        error: (message: string) => log().error(message),
      },
      throttle: {
        id,
        ...groups,
        retryAfterBaseValue: retryBaseMs,
        onRateLimit: onLimit("primary"),
        onSecondaryRateLimit: onLimit("secondary"),
      },
      retry: { retryAfterBaseValue: retryBaseMs },
    });
    octokit.hook.wrap("request", (request, requestOptions) =>
      requestOptions.method === "GET" || requestOptions.method === "HEAD"
        ? request(requestOptions)
        : writeQueue(id, async () => request(requestOptions)),
    );
    if (deliveryId) {
      octokit.hook.before("request", (request) => {
        request.headers["x-github-delivery"] = deliveryId;
      });
    }
    return octokit;
  };
}
