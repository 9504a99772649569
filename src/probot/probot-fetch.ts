import { systemClock, type Clock } from "../clock.js";
import { nodeHttpFetch } from "./node-http-fetch.js";

const ACCESS_TOKENS = /\/app\/installations\/\d+\/access_tokens$/;
// GitHub's installation tokens live an hour.
// https://docs.github.com/en/apps/creating-github-apps/authenticating-with-a-github-app/generating-an-installation-access-token-for-a-github-app
const TOKEN_LIFETIME_MS = 3_600_000;

// Node's own fetch, as it was when this module loaded: a different global fetch at call time
// was put there by a test (nock 14, msw, a stub) and is the one to use.
const nodeFetch = globalThis.fetch;

export interface ProbotFetchOptions {
  /** Probot's `request.fetch` option; without it, see {@link createProbotFetch}. */
  fetch?: typeof fetch;
  clock?: Clock;
}

/**
 * The fetch every request of a `Probot` goes through: `request.fetch` when given; else the
 * global fetch if something replaced it (nock 14 does); else {@link nodeHttpFetch}, so that
 * nock 12 and 13, which patch only `node:http`/`node:https`, intercept the call too. Both are
 * looked up at each call, not once, so a nock activated after the `Probot` was made applies.
 * Tests written for Probot answer the token exchange with `200 { token }`: Probot's auth
 * takes any 2xx and any expiry; Hookwright's wants GitHub's `201` with `expires_at`, so
 * such an answer is completed (an hour from now) before the auth module reads it.
 */
export function createProbotFetch(options: ProbotFetchOptions = {}): typeof fetch {
  const clock = options.clock ?? systemClock;
  const send: typeof fetch = (input, init) => {
    const global = globalThis.fetch === nodeFetch ? nodeHttpFetch : globalThis.fetch;
    return (options.fetch ?? global)(input, init);
  };
  return async (input, init) => {
    const response = await send(input, init);
    const url = typeof input === "string" ? input : input instanceof URL ? input.href : input.url;
    const method = (
      init?.method ?? (input instanceof Request ? input.method : "GET")
    ).toUpperCase();
    if (method !== "POST" || !ACCESS_TOKENS.test(new URL(url).pathname) || !response.ok) {
      return response;
    }
    if (response.status === 201) {
      const body = (await response.clone().json()) as { expires_at?: unknown };
      if (typeof body.expires_at === "string") return response;
    }
    const body = (await response.json()) as Record<string, unknown>;
    body.expires_at ??= new Date(clock.now() + TOKEN_LIFETIME_MS).toISOString();
    // GitHub's Date is kept: the auth module corrects its clock from it.
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    headers.set("content-type", "application/json; charset=utf-8");
    return new Response(JSON.stringify(body), { status: 201, headers });
  };
}
