import { createPrivateKey } from "node:crypto";
import { afterEach, describe, expect, it } from "@jest/globals";
import { createAppAuth } from "../../../src/auth/create-app-auth.js";
import { createClientFactory } from "../../../src/github/create-client-factory.js";
import type { RequestLimits } from "../../../src/request-limits.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createFakeGitHub, type FakeGitHub } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { rejectionOf } from "../../helpers/rejection.js";

const COMMENTS_PATH = /^\/repos\/octo\/hello\/issues\/1\/comments$/;
const helloComment = { owner: "octo", repo: "hello", issue_number: 1, body: "hi" };

let fake: FakeGitHub | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

interface Setup {
  limits: Partial<RequestLimits>;
  retryBaseMs?: number;
  /** Serve the fake on a loopback port and use Node's own fetch, sockets and all. */
  overHttp?: boolean;
}

async function setup({ limits, retryBaseMs = 1, overHttp = false }: Setup) {
  fake = createFakeGitHub({
    appId: 4242,
    publicKey: testKeys().publicKey,
    installations: [
      { id: 1, account: { login: "octo" }, repositories: ["octo/hello"] },
      { id: 2, account: { login: "other" }, repositories: ["other/repo"] },
    ],
  });
  const apiUrl = overHttp ? await fake.listen() : "https://api.github.test";
  const fetch = overHttp ? undefined : fake.fetch;
  const appAuth = createAppAuth({
    appId: "4242",
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl,
    fetch,
    sleep: async () => {},
    requestLimits: limits,
  });
  const clients = createClientFactory({
    appAuth,
    logger: captureLogs().logger,
    fetch,
    retryBaseMs,
    requestLimits: limits,
  });
  return { github: fake, clients };
}

/** Runs `work`, returning how long it took to settle (ms). */
async function timed(work: Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work.catch(() => {});
  return performance.now() - started;
}

describe("client timeouts", () => {
  it("aborts a hung REST call at the timeout, retries it like a 5xx, then GITHUB_TIMEOUT", async () => {
    const { github, clients } = await setup({ limits: { timeoutMs: 100 } });
    github.hangNext({ method: "POST", path: COMMENTS_PATH }, 10);
    const call = clients.forInstallation(1).rest.issues.createComment(helloComment);
    const error = await rejectionOf(call, "GITHUB_TIMEOUT");
    expect(error.message).toBe(
      "GitHub did not answer POST /repos/{owner}/{repo}/issues/{issue_number}/comments within 100 ms (4 attempts)",
    );
    expect(github.callsTo("POST", COMMENTS_PATH).map((c) => c.status)).toEqual([0, 0, 0, 0]);
    expect(github.comments).toHaveLength(0);
  });

  it("goes on once a hung attempt is retried and answered", async () => {
    const { github, clients } = await setup({ limits: { timeoutMs: 100 } });
    github.hangNext({ method: "POST", path: COMMENTS_PATH });
    await clients.forInstallation(1).rest.issues.createComment(helloComment);
    expect(github.callsTo("POST", COMMENTS_PATH).map((c) => c.status)).toEqual([0, 201]);
  });

  it("aborts a body that trickles in slower than the timeout, over a real socket", async () => {
    const { github, clients } = await setup({ limits: { timeoutMs: 150 }, overHttp: true });
    github.trickleNext({ path: "/repos/octo/hello" }, { bytesPerChunk: 1, intervalMs: 20 }, 10);
    const get = clients.forInstallation(1).rest.repos.get({ owner: "octo", repo: "hello" });
    const error = await rejectionOf(get, "GITHUB_TIMEOUT");
    expect(error.message).toMatch(/within 150 ms \(4 attempts\)$/);
    // Each attempt that reached the fake got its headers (200) before its body was cut; on a
    // busy machine the last one may be given up on before the fake reads it.
    const statuses = github.callsTo("GET", "/repos/octo/hello").map((c) => c.status);
    expect(statuses.length).toBeGreaterThanOrEqual(3);
    expect(new Set(statuses)).toEqual(new Set([200]));
  });

  it("reads a trickled body that arrives within the timeout", async () => {
    const { github, clients } = await setup({ limits: { timeoutMs: 2000 } });
    github.trickleNext({ path: "/repos/octo/hello" }, { bytesPerChunk: 200, intervalMs: 10 });
    const { data } = await clients
      .forInstallation(1)
      .rest.repos.get({ owner: "octo", repo: "hello" });
    expect(data.full_name).toBe("octo/hello");
  });

  it("times out each page of a paginate call", async () => {
    const { github, clients } = await setup({ limits: { timeoutMs: 100 } });
    github.hangNext({ path: /^\/app\/installations\?.*page=2/ }, 10);
    const pages = clients.forApp().paginate("GET /app/installations", { per_page: 1 });
    await rejectionOf(pages, "GITHUB_TIMEOUT");
    expect(github.callsTo("GET", "/app/installations").map((c) => c.status)).toEqual([
      200, 0, 0, 0, 0,
    ]);
  });

  it("times out a GraphQL query", async () => {
    const { github, clients } = await setup({ limits: { timeoutMs: 100 } });
    github.hangNext({ path: "/graphql" }, 10);
    await rejectionOf(clients.forInstallation(1).graphql("{ viewer { login } }"), "GITHUB_TIMEOUT");
    expect(github.callsTo("POST", "/graphql")).toHaveLength(4);
  });

  it("stops retrying inside the budget", async () => {
    // 100 ms attempt, 50 ms wait, 100 ms attempt: the next 200 ms wait would end past 300 ms.
    const { github, clients } = await setup({
      limits: { timeoutMs: 100, budgetMs: 300 },
      retryBaseMs: 50,
    });
    github.hangNext({ method: "POST", path: COMMENTS_PATH }, 10);
    const call = clients.forInstallation(1).rest.issues.createComment(helloComment);
    const took = await timed(rejectionOf(call, "GITHUB_TIMEOUT"));
    expect(github.callsTo("POST", COMMENTS_PATH)).toHaveLength(2);
    expect(took).toBeLessThan(1000);
  });

  it("fails a call waiting on a hung token exchange, and the next call mints a token", async () => {
    const { github, clients } = await setup({ limits: { timeoutMs: 100 } });
    github.hangNext({ method: "POST", path: /\/access_tokens$/ }, 3);
    const octokit = clients.forInstallation(1);
    await rejectionOf(octokit.rest.issues.createComment(helloComment), "GITHUB_TIMEOUT");
    expect(github.callsTo("POST", COMMENTS_PATH)).toHaveLength(0);
    await octokit.rest.issues.createComment(helloComment);
    expect(github.comments).toHaveLength(1);
  });

  it("leaves other installations' writes free while one installation's write hangs", async () => {
    const { github, clients } = await setup({ limits: { timeoutMs: 300 } });
    github.hangNext({ method: "POST", path: COMMENTS_PATH }, 10);
    const hung = clients.forInstallation(1).rest.issues.createComment(helloComment);
    const other = clients
      .forInstallation(2)
      .rest.issues.createComment({ owner: "other", repo: "repo", issue_number: 1, body: "x" });
    expect(await timed(other)).toBeLessThan(300);
    await rejectionOf(hung, "GITHUB_TIMEOUT");
  });
});
