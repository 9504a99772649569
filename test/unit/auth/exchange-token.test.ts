import { createPrivateKey } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { createAppJwt } from "../../../src/auth/create-app-jwt.js";
import { exchangeToken, type ExchangeOptions } from "../../../src/auth/exchange-token.js";
import { createFakeGitHub, type FetchLike } from "../../helpers/fake-github/index.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { otherRsaKeyPem, testKeys } from "../../helpers/keys.js";
import { rejectionOf } from "../../helpers/rejection.js";
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from "../../../src/request-limits.js";

const API = "https://api.github.test";
const TOKENS_PATH = /^\/app\/installations\/\d+\/access_tokens$/;

interface SetupOptions {
  /** How far the app's clock is ahead of GitHub's (negative: behind). */
  appAheadMs?: number;
  privateKeyPem?: string;
  fetch?: (fake: FetchLike) => FetchLike;
  limits?: Partial<RequestLimits>;
}

function setup({ appAheadMs = 0, privateKeyPem, fetch, limits }: SetupOptions = {}) {
  const githubClock = createManualClock();
  const appClock = createManualClock(githubClock.now() + appAheadMs);
  const fake = createFakeGitHub({
    appId: 4242,
    publicKey: testKeys().publicKey,
    clock: githubClock,
    installations: [
      { id: 1, account: { login: "octo" }, repositories: ["octo/hello", "octo/world"] },
      { id: 2, account: { login: "paused" }, repositories: ["paused/x"], suspended: true },
    ],
  });
  const sleeps: number[] = [];
  const jwt = createAppJwt({
    appId: "4242",
    privateKey: createPrivateKey(privateKeyPem ?? testKeys().privateKeyPem),
    clock: appClock,
  });
  const options: ExchangeOptions = {
    apiUrl: API,
    fetch: fetch ? fetch(fake.fetch) : fake.fetch,
    jwt,
    userAgent: "hookwright-test",
    // Waits move the app's clock, so the budget sees them; attempts take real time only.
    sleep: async (ms) => {
      sleeps.push(ms);
      appClock.advance(ms);
    },
    now: () => appClock.now(),
    limits: { ...DEFAULT_REQUEST_LIMITS, ...limits },
  };
  const exchanges = () => fake.callsTo("POST", TOKENS_PATH);
  return { fake, jwt, options, sleeps, exchanges };
}

describe("exchangeToken", () => {
  it("posts with the app JWT and returns GitHub's token", async () => {
    const { fake, jwt, options, exchanges } = setup();
    const token = await exchangeToken(options, 1, undefined);
    expect(token).toEqual({
      token: fake.issuedTokens[0]!.token,
      expiresAt: "2026-01-01T01:00:00Z",
      installationId: 1,
      permissions: { issues: "write", pull_requests: "write", contents: "read", metadata: "read" },
      repositorySelection: "selected",
    });
    expect(token.token).toMatch(/^ghs_/);
    const [call] = exchanges();
    expect(call?.path).toBe("/app/installations/1/access_tokens");
    expect(call?.auth.kind).toBe("jwt");
    expect(call?.headers.authorization).toBe(`Bearer ${jwt.get()}`);
    expect(call?.body).toBeUndefined();
  });

  it("sends the scope as GitHub's request body and returns the narrowed token", async () => {
    const { fake, options, exchanges } = setup();
    const worldId = fake.repositoryId("octo/world");
    const scope = {
      repositories: ["hello"],
      repositoryIds: [worldId],
      permissions: { issues: "read" },
    };
    const token = await exchangeToken(options, 1, scope);
    expect(exchanges()[0]?.body).toEqual({
      repositories: ["hello"],
      repository_ids: [worldId],
      permissions: { issues: "read" },
    });
    expect(token).toMatchObject({
      permissions: { issues: "read" },
      repositorySelection: "selected",
      repositories: expect.arrayContaining(["hello", "world"]) as unknown,
    });
    expect(fake.issuedTokens[0]?.repositories).toEqual(["octo/hello", "octo/world"]);
  });

  it("sends no body for an empty scope", async () => {
    const { options, exchanges } = setup();
    await exchangeToken(options, 1, { repositories: [], permissions: {} });
    expect(exchanges()[0]?.body).toBeUndefined();
  });

  it("reports an unknown installation as INSTALLATION_NOT_FOUND", async () => {
    const { options } = setup();
    const error = await rejectionOf(exchangeToken(options, 99, undefined));
    expect(error.code).toBe("INSTALLATION_NOT_FOUND");
    expect(error.status).toBe(404);
  });

  it("reports a suspended installation as TOKEN_EXCHANGE_FAILED with GitHub's message", async () => {
    const { options, exchanges } = setup();
    const error = await rejectionOf(exchangeToken(options, 2, undefined));
    expect(error.code).toBe("TOKEN_EXCHANGE_FAILED");
    expect(error.status).toBe(403);
    expect(error.message).toContain("This installation has been suspended");
    expect(exchanges()).toHaveLength(1);
  });

  it("reports a scope beyond the installation as TOKEN_EXCHANGE_FAILED", async () => {
    const { options } = setup();
    const error = await rejectionOf(exchangeToken(options, 1, { permissions: { admin: "write" } }));
    expect(error.code).toBe("TOKEN_EXCHANGE_FAILED");
    expect(error.status).toBe(422);
  });

  it("retries 5xx answers with growing waits", async () => {
    const { fake, options, sleeps, exchanges } = setup();
    fake.failNext({ path: TOKENS_PATH }, { status: 502 }, 2);
    const token = await exchangeToken(options, 1, undefined);
    expect(token.token).toBe(fake.issuedTokens[0]?.token);
    expect(exchanges().map((call) => call.status)).toEqual([502, 502, 201]);
    expect(sleeps).toHaveLength(2);
    expect(sleeps[1]!).toBeGreaterThan(sleeps[0]!);
  });

  it("gives up with GITHUB_UNAVAILABLE when GitHub keeps failing", async () => {
    const { fake, options, exchanges } = setup();
    fake.failNext({ path: TOKENS_PATH }, { status: 503 }, 10);
    const error = await rejectionOf(exchangeToken(options, 1, undefined));
    expect(error.code).toBe("GITHUB_UNAVAILABLE");
    expect(exchanges()).toHaveLength(3);
  });

  it("gives up with GITHUB_UNAVAILABLE when GitHub cannot be reached", async () => {
    let attempts = 0;
    const { options } = setup({
      fetch: () => async () => {
        attempts++;
        throw new TypeError("fetch failed");
      },
    });
    const error = await rejectionOf(exchangeToken(options, 1, undefined));
    expect(error.code).toBe("GITHUB_UNAVAILABLE");
    expect(error.cause).toBeInstanceOf(TypeError);
    expect(attempts).toBe(3);
  });

  it.each([
    ["ahead of", 600_000],
    ["behind", -600_000],
  ])(
    "retries once with a re-dated JWT when the app's clock is 10 minutes %s GitHub's",
    async (_, appAheadMs) => {
      const { fake, options, sleeps, exchanges } = setup({ appAheadMs });
      const token = await exchangeToken(options, 1, undefined);
      expect(token.token).toBe(fake.issuedTokens[0]?.token);
      expect(exchanges().map((call) => call.status)).toEqual([401, 201]);
      expect(sleeps).toEqual([]);
    },
  );

  it("reports a JWT signed with the wrong key as APP_JWT_REJECTED, without the JWT or key", async () => {
    const wrongKey = otherRsaKeyPem();
    const { options, jwt, exchanges } = setup({ privateKeyPem: wrongKey });
    const error = await rejectionOf(exchangeToken(options, 1, undefined));
    expect(error.code).toBe("APP_JWT_REJECTED");
    expect(error.status).toBe(401);
    expect(exchanges()).toHaveLength(1);
    const shown = [error.message, JSON.stringify(error), inspect(error, { depth: 5 })].join("\n");
    expect(shown).not.toContain(jwt.get());
    expect(shown).not.toContain(jwt.get().split(".")[2]!);
    expect(shown).not.toContain("PRIVATE KEY");
    expect(shown).not.toContain(wrongKey.split("\n")[1]!);
  });

  it("retries a skewed rejection only once", async () => {
    const { options, exchanges } = setup({
      appAheadMs: 600_000,
      privateKeyPem: otherRsaKeyPem(),
    });
    const error = await rejectionOf(exchangeToken(options, 1, undefined));
    expect(error.code).toBe("APP_JWT_REJECTED");
    expect(exchanges()).toHaveLength(2);
  });
});

describe("exchangeToken: timeouts and the retry budget", () => {
  const quick = { timeoutMs: 200 };

  it("aborts a hung attempt after the timeout and uses the next answer", async () => {
    const { fake, options, exchanges } = setup({ limits: quick });
    fake.hangNext({ path: TOKENS_PATH });
    const started = performance.now();
    const token = await exchangeToken(options, 1, undefined);
    expect(performance.now() - started).toBeGreaterThanOrEqual(190);
    expect(token.token).toBe(fake.issuedTokens[0]?.token);
    expect(exchanges().map((call) => call.status)).toEqual([0, 201]);
  });

  it("fails with GITHUB_TIMEOUT once every attempt hung", async () => {
    const { fake, options, exchanges } = setup({ limits: quick });
    fake.hangNext({ path: TOKENS_PATH }, 10);
    const started = performance.now();
    const error = await rejectionOf(exchangeToken(options, 1, undefined), "GITHUB_TIMEOUT");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toBe(
      "GitHub did not answer the token exchange for installation 1 within 200 ms (3 attempts)",
    );
    expect(exchanges().map((call) => call.status)).toEqual([0, 0, 0]);
  });

  it("counts a body that trickles in against the timeout", async () => {
    const { fake, options, exchanges } = setup({ limits: quick });
    fake.trickleNext({ path: TOKENS_PATH }, { bytesPerChunk: 1, intervalMs: 50 }, 10);
    await rejectionOf(exchangeToken(options, 1, undefined), "GITHUB_TIMEOUT");
    expect(exchanges().map((call) => call.status)).toEqual([201, 201, 201]);
  });

  it("makes no retry whose wait would pass the budget", async () => {
    const { fake, options, sleeps, exchanges } = setup({ limits: { budgetMs: 1000 } });
    fake.failNext({ path: TOKENS_PATH }, { status: 503 }, 10);
    const error = await rejectionOf(exchangeToken(options, 1, undefined), "GITHUB_UNAVAILABLE");
    expect(error.message).toMatch(/2 tries/);
    // 400 ms, then 800 ms would end past the 1000 ms budget.
    expect(sleeps).toEqual([400]);
    expect(exchanges()).toHaveLength(2);
  });

  it("gives an attempt no more than what is left of the budget", async () => {
    const { fake, options, exchanges } = setup({ limits: { timeoutMs: 10_000, budgetMs: 300 } });
    fake.hangNext({ path: TOKENS_PATH }, 10);
    const started = performance.now();
    const error = await rejectionOf(exchangeToken(options, 1, undefined), "GITHUB_TIMEOUT");
    expect(performance.now() - started).toBeLessThan(2000);
    expect(error.message).toMatch(/within 300 ms$/);
    expect(exchanges()).toHaveLength(1);
  });

  it("settles in time even when the fetch ignores its abort signal", async () => {
    const { options } = setup({
      limits: quick,
      fetch: () => () => new Promise<Response>(() => {}),
    });
    await rejectionOf(exchangeToken(options, 1, undefined), "GITHUB_TIMEOUT");
  });
});
