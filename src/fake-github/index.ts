import { createPublicKey, type KeyObject } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { systemClock } from "../clock.js";
import { expectCall, expectNoCall, findCalls, writes } from "./assertions.js";
import { readCredentials, toCallAuth } from "./auth.js";
import { dispatch } from "./dispatch.js";
import { createCustomRoutes } from "./custom-routes.js";
import { createFailureQueue, matchesCall } from "./failures.js";
import { answerGraphql, isGraphqlCall } from "./graphql.js";
import { toResponse } from "./http.js";
import { serveOnLoopback, type LoopbackServer } from "./node-server.js";
import { shippedRestTable } from "./rest-table.js";
import { seedRepository } from "./seed.js";
import { abortReason, createStalls } from "./stalls.js";
import { createFakeState } from "./state.js";
import { requestedTokenFormat } from "./tokens.js";
import { fakeTokenFormat } from "../config/fake-token-format.js";
import type { FakeGitHub, FakeGitHubOptions, GraphqlHandler, RecordedCall } from "./types.js";
import { createRateLimits } from "./rate-limits.js";

export type * from "./types.js";

function parseBody(text: string): { body: unknown; bodyIsJson: boolean } {
  if (text === "") return { body: undefined, bodyIsJson: true };
  try {
    return { body: JSON.parse(text) as unknown, bodyIsJson: true };
  } catch {
    return { body: text, bodyIsJson: false };
  }
}

function toPublicKey(key: KeyObject | string): KeyObject {
  if (typeof key === "string") return createPublicKey(key);
  return key.type === "public" ? key : createPublicKey(key);
}

/**
 * A simulated GitHub REST API that checks app JWTs and installation tokens for real, records
 * every call and fails on demand; use it as an injected `fetch` or on a loopback port.
 *
 * @example
 * const fake = createFakeGitHub({
 *   appId: 1, publicKey: testKeys().publicKey, clock,
 *   installations: [{ id: 7, account: { login: "octo" }, repositories: ["octo/hello"] }],
 * });
 * const octokit = new Octokit({ request: { fetch: fake.fetch } });
 */
export function createFakeGitHub(options: FakeGitHubOptions): FakeGitHub {
  const clock = options.clock ?? systemClock;
  const publicKey = toPublicKey(options.publicKey);
  const state = createFakeState(options.appId, clock, options.tokenLifetimeS ?? 3600);
  const tokenFormat = options.tokenFormat ?? fakeTokenFormat();
  for (const installation of options.installations ?? []) state.addInstallation(installation);
  for (const [repo, seed] of Object.entries(options.repositories ?? {})) {
    seedRepository(state, repo, seed);
  }
  const calls: RecordedCall[] = [];
  const failures = createFailureQueue();
  const custom = createCustomRoutes();
  const stalls = createStalls();
  let graphqlHandler: GraphqlHandler | undefined;
  let latencyMs = 0;
  const rateLimits = createRateLimits();
  let server: LoopbackServer | undefined;

  async function handle(request: Request, signal = request.signal): Promise<Response> {
    const url = new URL(request.url);
    // GitHub Enterprise Server serves the same API under /api/v3.
    const prefix = /^\/api\/v3(?=\/|$)/.test(url.pathname) ? "/api/v3" : "";
    const pathname = url.pathname.slice(prefix.length) || "/";
    const path = `${pathname}${url.search}`;
    const { body, bodyIsJson } = parseBody(await request.text());
    const credentials = readCredentials(request.headers.get("authorization"), state, publicKey);
    const method = request.method.toUpperCase();
    const { headers } = request;
    const injected = failures.take(request.method, path);
    const record = (status: number) =>
      calls.push({
        method: request.method,
        path,
        headers: Object.fromEntries(request.headers.entries()),
        body,
        status,
        auth: toCallAuth(credentials),
      });
    if (injected?.kind === "hang") {
      record(0);
      return stalls.hang(signal);
    }
    const result =
      (injected?.kind === "respond" ? injected.result : undefined) ??
      (await custom.answer({ method, pathname, url, body, headers, records: state.records })) ??
      (isGraphqlCall(method, pathname)
        ? await answerGraphql(graphqlHandler, body, credentials)
        : dispatch(
            state,
            {
              method,
              url,
              apiBase: `${url.origin}${prefix}`,
              pathname,
              body,
              bodyIsJson,
              credentials,
              tokenFormat: requestedTokenFormat(request.headers) ?? tokenFormat,
            },
            shippedRestTable,
          ));
    record(result.status);
    if (latencyMs > 0) await delay(latencyMs);
    const response = toResponse(rateLimits(credentials, pathname, result), clock.now());
    if (injected?.kind === "trickle") {
      return stalls.trickle(response, injected.trickle, signal);
    }
    return response;
  }

  return {
    handle: (request) => handle(request),
    async fetch(input, init) {
      const request = new Request(input, init);
      // As fetch does: a request whose signal has already aborted is never sent.
      if (request.signal.aborted) throw abortReason(request.signal);
      const response = await handle(request, init?.signal ?? request.signal);
      // A real fetch answer carries the URL it came from; Octokit's paginate reads it for
      // lists GitHub wraps (`total_count` + items), and an empty one throws "Invalid URL".
      Object.defineProperty(response, "url", { value: request.url });
      return response;
    },
    async listen() {
      server ??= await serveOnLoopback(handle);
      return server.url;
    },
    async close() {
      stalls.closeAll();
      const running = server;
      server = undefined;
      await running?.close();
    },
    calls,
    callsTo: (method, path) =>
      calls.filter((call) => matchesCall({ method, path }, call.method, call.path)),
    reset() {
      calls.length = 0;
    },
    addInstallation: (input) => state.addInstallation(input),
    removeInstallation(id) {
      state.installations.delete(id);
      for (const token of state.tokens) {
        if (token.installationId === id) state.revoked.add(token.token);
      }
    },
    addTeamMember(org, teamSlug, login, role = "member") {
      const key = `${org}/${teamSlug}`.toLowerCase();
      const members = state.teams.get(key) ?? new Map<string, string>();
      members.set(login.toLowerCase(), role);
      state.teams.set(key, members);
    },
    setFile: (repo, path, content, ref) => state.setFile(repo, path, content, ref),
    setDefaultBranch: (repo, branch) => state.setDefaultBranch(repo, branch),
    setPullRequestFiles(repo, pullNumber, paths) {
      state.pullFiles.set(`${repo.toLowerCase()}#${pullNumber}`, [...paths]);
    },
    issueLabels: (repo, issueNumber) => [
      ...(state.issueLabels.get(`${repo.toLowerCase()}#${issueNumber}`) ?? []),
    ],
    findCalls: (route, body) => findCalls(calls, route, body),
    expectCall: (route, body) => expectCall(calls, route, body),
    expectNoCall: (route, body) => expectNoCall(calls, route, body),
    writes: () => writes(calls),
    repositoryId: (fullName) => state.repo(fullName).id,
    issuedTokens: state.tokens,
    revoke(token) {
      state.revoked.add(token);
    },
    expireAll() {
      for (const token of state.tokens) token.expiresAt = Math.min(token.expiresAt, clock.now());
    },
    comments: state.comments,
    labels: state.labels,
    hookDeliveries: state.hookDeliveries,
    redeliveryRequests: state.redeliveryRequests,
    failNext(match, response, times = 1) {
      failures.add(match, { kind: "respond", response }, times);
    },
    hangNext(match, times = 1) {
      failures.add(match, { kind: "hang" }, times);
    },
    trickleNext(match, trickle = {}, times = 1) {
      failures.add(match, { kind: "trickle", trickle }, times);
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    route(spec, handler) {
      custom.add(spec, handler);
    },
    graphql(handler) {
      graphqlHandler = handler;
    },
    seed: (repo, seed) => seedRepository(state, repo, seed),
    records: state.records,
  };
}
