import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { createAppAuth } from "../../../src/auth/create-app-auth.js";
import { createClientFactory } from "../../../src/github/create-client-factory.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createFakeGitHub, type FetchLike } from "../../helpers/fake-github/index.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { testKeys } from "../../helpers/keys.js";
import { rejectionOf } from "../../helpers/rejection.js";

const API = "https://api.github.test";
const TOKENS_PATH = /^\/app\/installations\/\d+\/access_tokens$/;
const COMMENTS_PATH = /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/;

/** Counts comment POSTs in flight, to see which ones the throttle lets overlap. */
function commentsInFlight() {
  let current = 0;
  const counter = {
    max: 0,
    wrap:
      (inner: FetchLike): FetchLike =>
      async (input, init) => {
        const counted = COMMENTS_PATH.test(new URL(String(input)).pathname);
        if (counted) counter.max = Math.max(counter.max, ++current);
        try {
          return await inner(input, init);
        } finally {
          if (counted) current--;
        }
      },
  };
  return counter;
}

function setup({ wrapFetch }: { wrapFetch?: (fetch: FetchLike) => FetchLike } = {}) {
  const clock = createManualClock();
  const fake = createFakeGitHub({
    appId: 4242,
    publicKey: testKeys().publicKey,
    clock,
    installations: [
      { id: 1, account: { login: "octo" }, repositories: ["octo/hello"] },
      { id: 2, account: { login: "other" }, repositories: ["other/repo"] },
    ],
  });
  const fetch = wrapFetch ? wrapFetch(fake.fetch) : fake.fetch;
  const appAuth = createAppAuth({
    appId: "4242",
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl: API,
    fetch,
    clock,
    sleep: async () => {},
  });
  const logs = captureLogs();
  const clients = createClientFactory({ appAuth, logger: logs.logger, fetch, retryBaseMs: 1 });
  return { fake, logs, clients };
}

const helloComment = (body: string) => ({ owner: "octo", repo: "hello", issue_number: 1, body });
const otherComment = (body: string) => ({ owner: "other", repo: "repo", issue_number: 1, body });

describe("createClientFactory", () => {
  it("stamps installation calls with the token and the delivery id", async () => {
    const { fake, clients } = setup();
    const octokit = clients.forInstallation(1, { deliveryId: "delivery-1" });
    await octokit.rest.issues.createComment(helloComment("rest"));
    await octokit.issues.createComment(helloComment("legacy"));
    expect(fake.comments.map((comment) => comment.body)).toEqual(["rest", "legacy"]);
    const posts = fake.callsTo("POST", COMMENTS_PATH);
    expect(posts).toHaveLength(2);
    for (const post of posts) {
      expect(post.headers.authorization).toMatch(/^token ghs_/);
      expect(post.headers["x-github-delivery"]).toBe("delivery-1");
    }
    expect(fake.callsTo("POST", TOKENS_PATH)).toHaveLength(1);
  });

  it("sends no delivery id when none was given", async () => {
    const { fake, clients } = setup();
    await clients.forInstallation(1).rest.issues.createComment(helloComment("x"));
    expect(fake.callsTo("POST", COMMENTS_PATH)[0]?.headers).not.toHaveProperty("x-github-delivery");
  });

  it("paginates the app's installations with the JWT", async () => {
    const { fake, clients } = setup();
    for (let id = 3; id <= 35; id++) {
      fake.addInstallation({ id, account: { login: `org${id}` }, repositories: [] });
    }
    const installations = await clients
      .forApp({ deliveryId: "delivery-2" })
      .paginate("GET /app/installations", { per_page: 10 });
    expect(installations.map((installation) => installation.id)).toEqual(
      Array.from({ length: 35 }, (_, index) => index + 1),
    );
    const pages = fake.callsTo("GET", "/app/installations");
    expect(pages).toHaveLength(4);
    expect(pages.every((page) => page.auth.kind === "jwt")).toBe(true);
    expect(pages.every((page) => page.headers["x-github-delivery"] === "delivery-2")).toBe(true);
  });

  it("replaces a revoked token once, with one new exchange", async () => {
    const { fake, clients } = setup();
    const octokit = clients.forInstallation(1);
    await octokit.rest.issues.createComment(helloComment("first"));
    fake.revoke(fake.issuedTokens[0]!.token);
    await octokit.rest.issues.createComment(helloComment("second"));
    expect(fake.callsTo("POST", COMMENTS_PATH).map((call) => call.status)).toEqual([201, 401, 201]);
    expect(fake.callsTo("POST", TOKENS_PATH)).toHaveLength(2);
  });

  it("throws a second 401 instead of looping", async () => {
    const { fake, clients } = setup();
    fake.failNext({ path: COMMENTS_PATH }, { status: 401 }, 10);
    await expect(
      clients.forInstallation(1).rest.issues.createComment(helloComment("x")),
    ).rejects.toMatchObject({ status: 401 });
    expect(fake.callsTo("POST", COMMENTS_PATH)).toHaveLength(2);
  });

  it("sends app-only routes from an installation client with the JWT", async () => {
    const { fake, clients } = setup();
    const { data } = await clients
      .forInstallation(1)
      .rest.apps.getRepoInstallation({ owner: "octo", repo: "hello" });
    expect(data.id).toBe(1);
    expect(fake.calls.map((call) => call.auth.kind)).toEqual(["jwt"]);
  });

  it("refuses a repository route as the app without sending it", async () => {
    const { fake, clients } = setup();
    const repo = clients.forApp().rest.repos.get({ owner: "octo", repo: "hello" });
    await rejectionOf(repo, "NO_INSTALLATION");
    expect(fake.calls).toHaveLength(0);
  });

  it("retries a 5xx", async () => {
    const { fake, clients } = setup();
    fake.failNext({ path: COMMENTS_PATH }, { status: 502 });
    await clients.forInstallation(1).rest.issues.createComment(helloComment("x"));
    expect(fake.callsTo("POST", COMMENTS_PATH).map((call) => call.status)).toEqual([502, 201]);
    expect(fake.comments).toHaveLength(1);
  });

  it("waits out a secondary rate limit's retry-after, then retries", async () => {
    const { fake, clients, logs } = setup();
    fake.failNext({ path: COMMENTS_PATH }, { status: 403, headers: { "retry-after": "1" } });
    await clients.forInstallation(1).rest.issues.createComment(helloComment("x"));
    expect(fake.callsTo("POST", COMMENTS_PATH).map((call) => call.status)).toEqual([403, 201]);
    expect(logs.records()).toContainEqual(
      expect.objectContaining({ msg: "GitHub secondary rate limit", retryAfter: 1, retry: true }),
    );
  });

  it("retries after a primary rate limit resets", async () => {
    const { fake, clients } = setup();
    const reset = String(Math.floor(Date.now() / 1000) + 1);
    fake.failNext(
      { path: "/repos/octo/hello" },
      {
        status: 403,
        body: { message: "API rate limit exceeded for installation ID 1." },
        headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": reset },
      },
    );
    await clients.forInstallation(1).rest.repos.get({ owner: "octo", repo: "hello" });
    expect(fake.callsTo("GET", "/repos/octo/hello").map((call) => call.status)).toEqual([403, 200]);
  });

  it("makes a logger handed as a function only when a rate limit is logged", async () => {
    const { fake, clients, logs } = setup();
    let made = 0;
    const log = () => (made++, logs.logger.child({ delivery: "d-7" }));
    const octokit = clients.forInstallation(1, { log });
    await octokit.rest.issues.createComment(helloComment("quiet"));
    expect(made).toBe(0);
    fake.failNext({ path: COMMENTS_PATH }, { status: 403, headers: { "retry-after": "1" } });
    await octokit.rest.issues.createComment(helloComment("limited"));
    expect(made).toBe(1);
    expect(logs.records()).toContainEqual(
      expect.objectContaining({ msg: "GitHub secondary rate limit", delivery: "d-7" }),
    );
  });

  it("gives up on a rate limit longer than it is worth waiting for", async () => {
    const { fake, clients } = setup();
    fake.failNext({ path: COMMENTS_PATH }, { status: 403, headers: { "retry-after": "3600" } });
    await expect(
      clients.forInstallation(1).rest.issues.createComment(helloComment("x")),
    ).rejects.toMatchObject({ status: 403 });
    expect(fake.callsTo("POST", COMMENTS_PATH)).toHaveLength(1);
  });

  it("sends one installation's writes one at a time", async () => {
    const inFlight = commentsInFlight();
    const { fake, clients } = setup({ wrapFetch: inFlight.wrap });
    fake.setLatency(20);
    const octokit = clients.forInstallation(1);
    await octokit.rest.issues.createComment(helloComment("warm the token"));
    await Promise.all(
      [1, 2, 3].map((n) => octokit.rest.issues.createComment(helloComment(`${n}`))),
    );
    expect(fake.comments).toHaveLength(4);
    expect(inFlight.max).toBe(1);
  });

  it("queues one installation's writes across clients, a retried write holding its turn", async () => {
    const inFlight = commentsInFlight();
    const { fake, clients } = setup({ wrapFetch: inFlight.wrap });
    fake.setLatency(20);
    await clients.forInstallation(1).rest.issues.createComment(helloComment("warm the token"));
    fake.failNext({ path: COMMENTS_PATH }, { status: 502 });
    await Promise.all(
      ["a", "b", "c"].map((body, n) =>
        clients
          .forInstallation(1, { deliveryId: `d-${n}` })
          .rest.issues.createComment(helloComment(body)),
      ),
    );
    expect(inFlight.max).toBe(1);
    expect(fake.callsTo("POST", COMMENTS_PATH).map((call) => call.status)).toEqual([
      201, 502, 201, 201, 201,
    ]);
    expect(fake.comments.map((comment) => comment.body)).toEqual(["warm the token", "a", "b", "c"]);
  });

  it("lets the next write go when one fails", async () => {
    const { fake, clients } = setup();
    const octokit = clients.forInstallation(1);
    fake.failNext({ path: COMMENTS_PATH }, { status: 422 });
    const [first, second] = await Promise.allSettled([
      octokit.rest.issues.createComment(helloComment("refused")),
      octokit.rest.issues.createComment(helloComment("sent")),
    ]);
    expect(first).toMatchObject({ status: "rejected", reason: { status: 422 } });
    expect(second).toMatchObject({ status: "fulfilled" });
    expect(fake.comments.map((comment) => comment.body)).toEqual(["sent"]);
  });

  it("throttles each installation on its own", async () => {
    const inFlight = commentsInFlight();
    const { fake, clients } = setup({ wrapFetch: inFlight.wrap });
    fake.setLatency(20);
    const one = clients.forInstallation(1);
    const two = clients.forInstallation(2);
    await Promise.all([
      one.rest.issues.createComment(helloComment("warm")),
      two.rest.issues.createComment(otherComment("warm")),
    ]);
    await Promise.all([
      one.rest.issues.createComment(helloComment("one")),
      two.rest.issues.createComment(otherComment("two")),
    ]);
    expect(fake.comments).toHaveLength(4);
    expect(inFlight.max).toBe(2);
  });
});
