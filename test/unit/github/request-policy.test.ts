import { describe, expect, it } from "@jest/globals";
import {
  createRequestPolicy,
  graphqlFailureOf,
  rateLimitOf,
  type PolicyRequest,
} from "../../../src/github/request-policy.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { rejectionOf } from "../../helpers/rejection.js";

const NOW_MS = 1_700_000_000_000;

/** An error shaped as @octokit/request throws it. */
function failure(status: number, headers: Record<string, string> = {}, message = "") {
  return Object.assign(new Error(message), { status, response: { headers } });
}

function setup() {
  const slept: number[] = [];
  const logs = captureLogs();
  const policy = createRequestPolicy({
    retryBaseMs: 1000,
    maxRetryAfterS: 60,
    now: () => NOW_MS,
    sleep: async (ms) => void slept.push(ms),
  });
  const call = { key: "1", log: () => logs.logger };
  return { policy, slept, logs, call };
}

/** A send that fails with the given errors in turn, then answers "ok". */
function scripted(...errors: Error[]) {
  const sent: PolicyRequest[] = [];
  const send = async (request: PolicyRequest) => {
    sent.push(request);
    const error = errors.shift();
    if (error) throw error;
    return "ok";
  };
  return { send, sent };
}

const get = (): PolicyRequest => ({ method: "GET", url: "/repos/o/r", headers: {} });
const post = (): PolicyRequest => ({ method: "POST", url: "/repos/o/r/issues", headers: {} });

describe("rateLimitOf", () => {
  it("reads a secondary limit's retry-after", () => {
    expect(rateLimitOf(failure(403, { "retry-after": "7" }), NOW_MS)).toEqual({
      kind: "secondary",
      waitS: 7,
    });
  });

  it("waits for a primary limit's reset, counted from now", () => {
    const reset = String(NOW_MS / 1000 + 42);
    const error = failure(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset });
    expect(rateLimitOf(error, NOW_MS)).toEqual({ kind: "primary", waitS: 42 });
  });

  it("waits a minute on a 429, or a 403 naming the secondary limit, without headers", () => {
    expect(rateLimitOf(failure(429), NOW_MS)).toEqual({ kind: "secondary", waitS: 60 });
    const named = failure(403, {}, "You have exceeded a secondary rate limit.");
    expect(rateLimitOf(named, NOW_MS)).toEqual({ kind: "secondary", waitS: 60 });
  });

  it("is not a rate limit: a plain 403, a 5xx, or something that is not a request error", () => {
    expect(rateLimitOf(failure(403, {}, "Resource not accessible by integration"), NOW_MS)).toBe(
      undefined,
    );
    expect(rateLimitOf(failure(502, { "retry-after": "1" }), NOW_MS)).toBe(undefined);
    expect(rateLimitOf(new Error("boom"), NOW_MS)).toBe(undefined);
    expect(rateLimitOf(undefined, NOW_MS)).toBe(undefined);
  });
});

describe("createRequestPolicy", () => {
  it("stamps the delivery id on the request it sends", async () => {
    const { policy, call } = setup();
    const { send, sent } = scripted();
    await policy(send, get(), { ...call, deliveryId: "d-1" });
    expect(sent[0]?.headers["x-github-delivery"]).toBe("d-1");
  });

  it("retries a 5xx three times with growing waits, then throws", async () => {
    const { policy, slept, call } = setup();
    const { send, sent } = scripted(failure(502), failure(502), failure(503), failure(500));
    await expect(policy(send, get(), call)).rejects.toMatchObject({ status: 500 });
    expect(sent).toHaveLength(4);
    expect(slept).toEqual([1000, 4000, 9000]);
  });

  it("logs each 5xx or network retry as it happens, with the wait", async () => {
    const { policy, logs, call } = setup();
    // How @octokit/request reports a request that got no answer: a 500 with no response.
    const unreachable = Object.assign(new Error("getaddrinfo ENOTFOUND api.github.com"), {
      status: 500,
    });
    const { send } = scripted(failure(502), unreachable);
    await expect(policy(send, get(), call)).resolves.toBe("ok");
    expect(logs.records().map((record) => [record.level, record.msg, record.attempt])).toEqual([
      [40, "GitHub answered 502: retrying GET /repos/o/r in 1000 ms", 2],
      [40, "GitHub could not be reached: retrying GET /repos/o/r in 4000 ms", 3],
    ]);
  });

  it("honours a call's own request.retries", async () => {
    const { policy, call } = setup();
    const { send, sent } = scripted(failure(502), failure(502));
    const request = { ...get(), request: { retries: 0 } };
    await expect(policy(send, request, call)).rejects.toMatchObject({ status: 502 });
    expect(sent).toHaveLength(1);
  });

  it("never retries a 4xx that is not a rate limit", async () => {
    const { policy, call } = setup();
    const { send, sent } = scripted(failure(422), failure(422));
    await expect(policy(send, post(), call)).rejects.toMatchObject({ status: 422 });
    expect(sent).toHaveLength(1);
  });

  it("waits out rate limits twice, logging each, and gives up on the third", async () => {
    const { policy, slept, logs, call } = setup();
    const limited = () => failure(429, { "retry-after": "3" });
    const { send, sent } = scripted(limited(), limited(), limited());
    await expect(policy(send, post(), call)).rejects.toMatchObject({ status: 429 });
    expect(sent).toHaveLength(3);
    expect(slept).toEqual([3000, 3000]);
    const retries = logs.records().map((record) => record.retry);
    expect(retries).toEqual([true, true, false]);
  });

  it("does not wait past maxRetryAfterS", async () => {
    const { policy, slept, call } = setup();
    const { send } = scripted(failure(403, { "retry-after": "61" }));
    await expect(policy(send, get(), call)).rejects.toMatchObject({ status: 403 });
    expect(slept).toEqual([]);
  });

  it("keeps reads concurrent and a key's writes in order, one at a time", async () => {
    const { policy, call } = setup();
    let inFlight = 0;
    const seen: number[] = [];
    const order: string[] = [];
    const slow = async (request: PolicyRequest) => {
      seen.push(++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      order.push(request.url);
      return request.url;
    };
    const write = (url: string) => ({ ...post(), url });
    await Promise.all([1, 2, 3].map((n) => policy(slow, write(`/w${n}`), call)));
    expect(Math.max(...seen)).toBe(1);
    expect(order).toEqual(["/w1", "/w2", "/w3"]);
    seen.length = 0;
    await Promise.all([1, 2, 3].map(() => policy(slow, get(), call)));
    expect(Math.max(...seen)).toBe(3);
  });

  it("lets another key's write pass a key that is waiting out a limit", async () => {
    const slept: Array<() => void> = [];
    const policy = createRequestPolicy({
      retryBaseMs: 1,
      maxRetryAfterS: 60,
      sleep: () => new Promise<void>((resolve) => slept.push(resolve)),
    });
    const logs = captureLogs();
    const first = scripted(failure(403, { "retry-after": "5" }));
    const waiting = policy(first.send, post(), { key: "1", log: () => logs.logger });
    const second = scripted();
    await expect(policy(second.send, post(), { key: "2", log: () => logs.logger })).resolves.toBe(
      "ok",
    );
    const queuedBehind = scripted();
    const behind = policy(queuedBehind.send, post(), { key: "1", log: () => logs.logger });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(queuedBehind.sent).toHaveLength(0);
    slept.forEach((resolve) => resolve());
    await expect(waiting).resolves.toBe("ok");
    await expect(behind).resolves.toBe("ok");
  });

  it("retries a GraphQL answer that reports a rate limit, then hands back the answer", async () => {
    const { policy, slept, call } = setup();
    const reset = String(NOW_MS / 1000 + 5);
    const limited = {
      status: 200,
      headers: { "x-ratelimit-reset": reset },
      data: { errors: [{ type: "RATE_LIMITED", message: "API rate limit exceeded" }] },
    };
    let sent = 0;
    const send = async () => (sent++, limited);
    const query = { method: "POST", url: "/graphql", headers: {} };
    await expect(policy(send, query, call)).resolves.toBe(limited);
    expect(sent).toBe(3);
    expect(slept).toEqual([5000, 5000]);
  });

  it("retries GitHub's transient GraphQL failure like a 5xx", async () => {
    const { policy, slept, call } = setup();
    const answers = [
      { data: { errors: [{ message: "Something went wrong while executing your query." }] } },
      { data: { viewer: { login: "octo" } } },
    ];
    const send = async () => answers.shift();
    const query = { method: "POST", url: "/graphql", headers: {} };
    await expect(policy(send, query, call)).resolves.toEqual({
      data: { viewer: { login: "octo" } },
    });
    expect(slept).toEqual([1000]);
  });
});

describe("graphqlFailureOf", () => {
  const query = { method: "POST", url: "/graphql", headers: {} };

  it("leaves REST answers and GraphQL answers without those errors alone", () => {
    const limited = { data: { errors: [{ type: "RATE_LIMITED" }] } };
    expect(graphqlFailureOf(post(), limited)).toBe(undefined);
    expect(graphqlFailureOf(query, { data: { errors: [{ type: "NOT_FOUND" }] } })).toBe(undefined);
    expect(graphqlFailureOf(query, { data: { viewer: {} } })).toBe(undefined);
  });
});

describe("createRequestPolicy: timeouts and the retry budget", () => {
  /** A policy on a hand-moved clock: only its waits advance it. */
  function budgeted(limits: { timeoutMs?: number; budgetMs?: number }) {
    let nowMs = NOW_MS;
    const slept: number[] = [];
    const logs = captureLogs();
    const policy = createRequestPolicy({
      retryBaseMs: 1000,
      maxRetryAfterS: 60,
      now: () => nowMs,
      sleep: async (ms) => {
        slept.push(ms);
        nowMs += ms;
      },
      limits,
    });
    return { policy, slept, call: { key: "1", log: () => logs.logger } };
  }

  /** A send that never answers, as a hung GitHub; it ends only when its signal aborts. */
  function hanging() {
    const signals: AbortSignal[] = [];
    const send = (request: PolicyRequest) =>
      new Promise<never>((_, reject) => {
        const signal = request.request!.signal!;
        signals.push(signal);
        signal.addEventListener("abort", () => reject(signal.reason as Error));
      });
    return { send, signals };
  }

  it("cuts a hung attempt at the timeout and retries it like a 5xx, then GITHUB_TIMEOUT", async () => {
    const { policy, slept, call } = budgeted({ timeoutMs: 50 });
    const { send, signals } = hanging();
    const error = await rejectionOf(policy(send, get(), call), "GITHUB_TIMEOUT");
    expect(error.message).toBe("GitHub did not answer GET /repos/o/r within 50 ms (4 attempts)");
    expect(signals).toHaveLength(4);
    expect(signals.every((signal) => signal.aborted)).toBe(true);
    expect(slept).toEqual([1000, 4000, 9000]);
  });

  it('fails an answer that ends after the timeout, as octokit\'s body cut short to ""', async () => {
    const { policy, call } = budgeted({ timeoutMs: 50 });
    const late = () => new Promise<string>((resolve) => setTimeout(() => resolve("late"), 300));
    const request = { ...get(), request: { retries: 0 } };
    await rejectionOf(policy(late, request, call), "GITHUB_TIMEOUT");
  });

  it("keeps a whole answer that arrives as the timeout fires: a write that reached GitHub is not sent again", async () => {
    const { policy, call } = budgeted({ timeoutMs: 50 });
    let sent = 0;
    const late = (request: PolicyRequest) =>
      new Promise<{ status: number; data: unknown }>((resolve) => {
        sent += 1;
        // Answered whole, but only once the attempt's timer has fired (a busy event loop).
        request.request!.signal!.addEventListener("abort", () =>
          resolve({ status: 201, data: { id: 1 } }),
        );
      });
    await expect(policy(late, post(), call)).resolves.toEqual({ status: 201, data: { id: 1 } });
    expect(sent).toBe(1);
  });

  it("makes no 5xx retry whose wait would pass the budget", async () => {
    const { policy, slept, call } = budgeted({ budgetMs: 6000 });
    const { send, sent } = scripted(failure(502), failure(502), failure(502), failure(502));
    await expect(policy(send, get(), call)).rejects.toMatchObject({ status: 502 });
    // 1 s, then 4 s; the 9 s wait would end past 6 s.
    expect(slept).toEqual([1000, 4000]);
    expect(sent).toHaveLength(3);
  });

  it("gives the last attempt only what is left of the budget", async () => {
    const { policy, call } = budgeted({ timeoutMs: 10_000, budgetMs: 300 });
    const { send, signals } = hanging();
    const started = performance.now();
    // Cut at 300 ms by the budget, not at 10 s; the 1 s retry wait does not fit after it.
    const error = await rejectionOf(policy(send, get(), call), "GITHUB_TIMEOUT");
    expect(error.message).toMatch(/within 300 ms$/);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(signals).toHaveLength(1);
  });

  it("fails at once with GITHUB_RATE_LIMITED when a rate-limit wait is longer than the budget left", async () => {
    const { policy, slept, call } = budgeted({ budgetMs: 30_000 });
    const { send, sent } = scripted(failure(403, { "retry-after": "45" }));
    const error = await rejectionOf(policy(send, post(), call), "GITHUB_RATE_LIMITED");
    expect(error.status).toBe(403);
    expect(error.message).toBe(
      "GitHub's secondary rate limit asks to wait 45 s before retrying POST /repos/o/r/issues, longer than the 30 s left of its 30 s retry budget",
    );
    expect(slept).toEqual([]);
    expect(sent).toHaveLength(1);
  });

  it("waits out a rate limit that fits, and fails the one that no longer does", async () => {
    const { policy, slept, call } = budgeted({ budgetMs: 50_000 });
    const limited = () => failure(429, { "retry-after": "30" });
    const { send, sent } = scripted(limited(), limited());
    await rejectionOf(policy(send, get(), call), "GITHUB_RATE_LIMITED");
    expect(slept).toEqual([30_000]);
    expect(sent).toHaveLength(2);
  });

  it("passes the caller's own signal on, and sends nothing more once the caller aborted", async () => {
    const { policy, call } = budgeted({ timeoutMs: 5000 });
    const caller = new AbortController();
    const { send, signals } = hanging();
    const request = { ...get(), request: { signal: caller.signal } };
    const pending = policy(send, request, call);
    await new Promise((resolve) => setTimeout(resolve, 10));
    caller.abort(new Error("the plugin gave up"));
    await expect(pending).rejects.toThrow("the plugin gave up");
    expect(signals).toHaveLength(1);
  });
});
