import type { Logger } from "pino";
import { systemClock } from "../clock.js";
import { HookwrightError, isHookwrightError } from "../errors.js";
import {
  requestLimits,
  startTimeout,
  timeoutError,
  type RequestLimits,
} from "../request-limits.js";

/** The part of @octokit/request's options the policy reads or stamps. */
export interface PolicyRequest {
  method: string;
  url: string;
  headers: Record<string, string | number | undefined>;
  request?: { retries?: number; signal?: AbortSignal };
}

export type Send<T> = (options: PolicyRequest) => Promise<T>;

export interface RequestPolicyOptions {
  /** Multiplier (ms) for retry-after waits and 5xx backoff; tests pass 1. */
  retryBaseMs: number;
  /** Longest rate-limit wait worth retrying after, in seconds. */
  maxRetryAfterS: number;
  /** Epoch ms, compared with `x-ratelimit-reset` and the budget. */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  /** Each attempt's timeout and the budget of all attempts and waits (DEFAULT_REQUEST_LIMITS). */
  limits?: Partial<RequestLimits>;
}

export interface PolicyCall {
  /** The queue key: the installation id, so installations never wait on each other. */
  key: string;
  deliveryId?: string;
  log: () => Logger;
}

/** Rate-limited attempts retried before giving up, as plugin-throttling's handlers did. */
const RATE_LIMIT_RETRIES = 2;
/** 5xx and network failures retried, unless the call sets `request.retries`. */
const SERVER_RETRIES = 3;
/** GitHub: with neither header, "wait for at least one minute before retrying". */
const SECONDARY_DEFAULT_WAIT_S = 60;

interface FailedRequest {
  status?: unknown;
  message?: unknown;
  response?: { headers?: Record<string, string | undefined> };
}

/**
 * Which rate limit an error is, and how long GitHub asks us to wait, or undefined.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#exceeding-the-rate-limit
 */
export function rateLimitOf(
  error: unknown,
  nowMs: number,
): { kind: "primary" | "secondary"; waitS: number } | undefined {
  const { status, message, response } = (error ?? {}) as FailedRequest;
  if (status !== 403 && status !== 429) return undefined;
  const headers = response?.headers ?? {};
  const retryAfter = Number(headers["retry-after"]);
  if (headers["retry-after"] !== undefined && Number.isFinite(retryAfter)) {
    return { kind: "secondary", waitS: Math.max(0, Math.ceil(retryAfter)) };
  }
  if (headers["x-ratelimit-remaining"] === "0") {
    const reset = Number(headers["x-ratelimit-reset"]);
    const waitS = Number.isFinite(reset) ? Math.max(0, Math.ceil(reset - nowMs / 1000)) : 60;
    return { kind: "primary", waitS };
  }
  if (status === 429 || /secondary rate limit/i.test(String(message ?? ""))) {
    return { kind: "secondary", waitS: SECONDARY_DEFAULT_WAIT_S };
  }
  return undefined;
}

/** @octokit/request reports a network failure as status 500, so it is retried too. */
function isServerError(error: unknown): boolean {
  const status = (error as FailedRequest | null)?.status;
  return typeof status === "number" && status >= 500;
}

interface GraphqlAnswer {
  data?: { errors?: { type?: unknown; message?: unknown }[] };
  headers?: Record<string, string | undefined>;
}

const GRAPHQL_PATH = /\/graphql$/;
// GitHub's answer to a query that timed out inside GitHub: a 200 whose error says to retry.
const GRAPHQL_TRANSIENT = /Something went wrong while executing your query/;

/**
 * A GraphQL answer is a 200 even when GitHub refused the query: a rate limit
 * (`type: RATE_LIMITED`) or a transient failure is reported in `errors`. Either is turned
 * into the failure a REST call would have thrown, so the same waits apply.
 * https://docs.github.com/en/graphql/overview/rate-limits-and-query-limits-for-the-graphql-api
 */
export function graphqlFailureOf(request: PolicyRequest, answer: unknown): unknown {
  if (!GRAPHQL_PATH.test(request.url)) return undefined;
  const { data, headers = {} } = (answer ?? {}) as GraphqlAnswer;
  const errors = Array.isArray(data?.errors) ? data.errors : [];
  if (errors.some((error) => error.type === "RATE_LIMITED")) {
    return { status: 403, response: { headers: { ...headers, "x-ratelimit-remaining": "0" } } };
  }
  if (GRAPHQL_TRANSIENT.test(String(errors[0]?.message ?? ""))) return { status: 502 };
  return undefined;
}

/** The route without its query, for errors: a query may carry what a log should not. */
function describeRequest(request: PolicyRequest): string {
  return `${request.method} ${request.url.split("?")[0]}`;
}

/**
 * Every hook of the request sees the one options object (before-after-hook binds it), so
 * this attempt's signal is set on it, replacing the last attempt's.
 */
function setSignal(request: PolicyRequest, signal: AbortSignal, given: AbortSignal | undefined) {
  const combined = given ? AbortSignal.any([given, signal]) : signal;
  request.request = { ...request.request, signal: combined };
}

function rateLimited(
  limit: { kind: string; waitS: number },
  what: string,
  leftMs: number,
  budgetMs: number,
  failure: unknown,
): HookwrightError {
  const status = (failure as FailedRequest | null)?.status;
  return new HookwrightError(
    "GITHUB_RATE_LIMITED",
    `GitHub's ${limit.kind} rate limit asks to wait ${limit.waitS} s before retrying ${what}, ` +
      `longer than the ${Math.max(0, Math.floor(leftMs / 1000))} s left of its ${budgetMs / 1000} s retry budget`,
    { cause: failure, ...(typeof status === "number" && { status }) },
  );
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

/**
 * How every client request goes out: stamped with its delivery, writes one at a time per
 * installation (GitHub asks integrators to serialise them), rate-limit answers waited out as
 * GitHub says, and 5xx answers retried with backoff, a write's retries inside its turn.
 * This replaces @octokit/plugin-throttling and @octokit/plugin-retry: between them they ran
 * five or six Bottleneck jobs per request (10 % of the CPU in `npm run bench`), and the
 * throttle's write queue held no slot while a write was in flight. Here a request that
 * succeeds costs one function call, one timer and, for a write, one promise in the queue.
 * https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
 */
/** An Octokit response whose body was read: a `data` other than the `""` of a body cut short. */
function isWholeAnswer(answer: unknown): boolean {
  if (typeof answer !== "object" || answer === null || !("data" in answer)) return false;
  const { data } = answer as { data: unknown };
  return data !== "" && data !== undefined;
}

export function createRequestPolicy(options: RequestPolicyOptions) {
  const now = options.now ?? systemClock.now;
  const { timeoutMs, budgetMs } = requestLimits(options.limits);
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const writeQueue = createSerialQueues();

  // Every attempt is cut at the timeout, and no wait is begun that would end past the budget:
  // a GitHub that hangs or trickles holds a request (and a write's queue) for a bounded time.
  async function withRetries<T>(send: Send<T>, request: PolicyRequest, call: PolicyCall) {
    const started = now();
    const left = () => budgetMs - (now() - started);
    const given = request.request?.signal;
    const what = describeRequest(request);
    let limited = 0;
    let failed = 0;
    let attempts = 0;
    for (;;) {
      const attemptMs = Math.max(1, Math.min(timeoutMs, left()));
      attempts += 1;
      let answer: T | undefined;
      let failure: unknown;
      let thrown = false;
      // Not raced: an attempt waiting for its installation token must not be abandoned to
      // send its request later, beside the retry. Its own signal ends it instead.
      const timeout = startTimeout(attemptMs, () => timeoutError(what, attemptMs, attempts));
      setSignal(request, timeout.signal, given);
      try {
        answer = await send(request);
        failure = graphqlFailureOf(request, answer);
      } catch (error) {
        failure = error;
        thrown = true;
      } finally {
        timeout.clear();
      }
      // A coded failure from below (the token exchange gave up after its own retries) stands:
      // retrying it would start another exchange and spend the budget twice over.
      const fromBelow = isHookwrightError(failure) && failure !== timeout.signal.reason;
      // @octokit/request reads a JSON body cut short by the abort as `""` and resolves; an answer
      // with its whole body, whose timer merely fired before this line ran (a busy event loop),
      // reached GitHub and is kept: sending a write again would make it twice.
      const expired = timeout.signal.aborted && !fromBelow && (thrown || !isWholeAnswer(answer));
      if (expired && !given?.aborted) {
        failure = timeout.signal.reason;
        thrown = true;
      }
      if (failure === undefined) return answer as T;
      // The caller aborted it: not GitHub's failure, and not to be sent again.
      if (given?.aborted) throw failure;
      // Given up: a REST failure is thrown; a GraphQL answer is handed back for
      // @octokit/graphql to report its errors as it always does.
      const giveUp = (): T => {
        if (thrown) throw failure;
        return answer as T;
      };
      const limit = rateLimitOf(failure, now());
      if (limit) {
        const waitMs = limit.waitS * options.retryBaseMs;
        const allowed = limited < RATE_LIMIT_RETRIES && limit.waitS <= options.maxRetryAfterS;
        const fits = waitMs < left();
        call.log().warn(
          {
            retryAfter: limit.waitS,
            method: request.method,
            url: request.url,
            retry: allowed && fits,
          },
          `GitHub ${limit.kind} rate limit`,
        );
        if (!allowed) return giveUp();
        if (!fits) throw rateLimited(limit, what, left(), budgetMs, failure);
        limited += 1;
        await sleep(waitMs);
        continue;
      }
      const retryable = expired || isServerError(failure);
      if (!retryable || failed >= (request.request?.retries ?? SERVER_RETRIES)) return giveUp();
      failed += 1;
      const waitMs = failed * failed * options.retryBaseMs;
      if (waitMs >= left()) return giveUp();
      // Said when it happens: a GitHub that fails for a while is not a silent wait. Octokit
      // reports a request that got no answer (DNS, refused, reset) as a 500 without a response.
      const { status, response } = failure as FailedRequest & { response?: unknown };
      const why = expired
        ? "GitHub did not answer in time"
        : response === undefined
          ? "GitHub could not be reached"
          : `GitHub answered ${String(status)}`;
      call.log().warn(
        {
          status: response === undefined ? 0 : status,
          method: request.method,
          url: request.url,
          attempt: failed + 1,
          retryInMs: waitMs,
        },
        `${why}: retrying ${request.method} ${request.url} in ${waitMs} ms`,
      );
      await sleep(waitMs);
    }
  }

  return <T>(send: Send<T>, request: PolicyRequest, call: PolicyCall): Promise<T> => {
    if (call.deliveryId) request.headers["x-github-delivery"] = call.deliveryId;
    if (request.method === "GET" || request.method === "HEAD") {
      return withRetries(send, request, call);
    }
    return writeQueue(call.key, () => withRetries(send, request, call));
  };
}
