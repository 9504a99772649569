import { createPrivateKey } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { createAppAuth, type AppAuthOptions } from "../../../src/auth/create-app-auth.js";
import type { ExchangeFlight } from "../../../src/auth/exchange-flight.js";
import { createMemoryTokenStore, type TokenStore } from "../../../src/auth/token-store.js";
import { createFakeGitHub, type TokenFormat } from "../../helpers/fake-github/index.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { testKeys } from "../../helpers/keys.js";
import { rejectionOf } from "../../helpers/rejection.js";

const API = "https://api.github.test";
const TOKENS_PATH = /^\/app\/installations\/\d+\/access_tokens$/;
const MINUTE = 60_000;

function setup(overrides: Partial<AppAuthOptions> = {}, tokenFormat?: TokenFormat) {
  const clock = createManualClock();
  const fake = createFakeGitHub({
    appId: 4242,
    publicKey: testKeys().publicKey,
    clock,
    ...(tokenFormat && { tokenFormat }),
    installations: [
      { id: 1, account: { login: "octo" }, repositories: ["octo/hello", "octo/world"] },
      { id: 2, account: { login: "other" }, repositories: ["other/repo"] },
      { id: 12, account: { login: "twelve" }, repositories: ["twelve/repo"] },
    ],
  });
  const options: AppAuthOptions = {
    appId: "4242",
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl: API,
    fetch: fake.fetch,
    clock,
    sleep: async () => {},
    ...overrides,
  };
  const auth = createAppAuth(options);
  const exchanges = (installationId?: number) =>
    fake
      .callsTo("POST", TOKENS_PATH)
      .filter(
        (call) =>
          installationId === undefined ||
          call.path === `/app/installations/${installationId}/access_tokens`,
      );
  return { clock, fake, auth, options, exchanges };
}

describe("createAppAuth", () => {
  it("serves a cached token without a second exchange", async () => {
    const { auth, exchanges } = setup();
    const first = await auth.installationToken(1);
    const second = await auth.installationToken(1);
    expect(second.token).toBe(first.token);
    expect(exchanges()).toHaveLength(1);
  });

  it("refreshes at expires_at minus the default 300 s margin, not before", async () => {
    const { clock, auth, exchanges } = setup();
    const first = await auth.installationToken(1);
    const refreshAt = Date.parse(first.expiresAt) - 300_000;
    clock.set(refreshAt - 1);
    expect((await auth.installationToken(1)).token).toBe(first.token);
    clock.set(refreshAt);
    const second = await auth.installationToken(1);
    expect(second.token).not.toBe(first.token);
    expect(exchanges()).toHaveLength(2);
  });

  it("honours a configured refresh margin", async () => {
    const { clock, auth, exchanges } = setup({ refreshMarginS: 1200 });
    const first = await auth.installationToken(1);
    clock.set(Date.parse(first.expiresAt) - 20 * MINUTE - 1);
    await auth.installationToken(1);
    expect(exchanges()).toHaveLength(1);
    clock.advance(1);
    await auth.installationToken(1);
    expect(exchanges()).toHaveLength(2);
  });

  it("judges expiry by GitHub's clock when ours is behind", async () => {
    const { clock, fake, options } = setup();
    const appClock = createManualClock(clock.now() - 10 * MINUTE);
    const auth = createAppAuth({ ...options, clock: appClock });
    const first = await auth.installationToken(1);
    const refreshAt = Date.parse(first.expiresAt) - 300_000;
    clock.set(refreshAt);
    appClock.set(refreshAt - 10 * MINUTE);
    expect((await auth.installationToken(1)).token).not.toBe(first.token);
    expect(fake.callsTo("POST", TOKENS_PATH).map((call) => call.status)).toEqual([401, 201, 201]);
  });

  it("shares one exchange between 100 concurrent callers", async () => {
    const { auth, exchanges } = setup();
    const tokens = await Promise.all(Array.from({ length: 100 }, () => auth.installationToken(1)));
    expect(exchanges()).toHaveLength(1);
    expect(new Set(tokens.map((token) => token.token)).size).toBe(1);
  });

  it("lets callers try again after a shared exchange failed", async () => {
    const { fake, auth, exchanges } = setup();
    fake.failNext({ path: TOKENS_PATH }, { status: 500 }, 3);
    const results = await Promise.allSettled([
      auth.installationToken(1),
      auth.installationToken(1),
    ]);
    expect(results.map((result) => result.status)).toEqual(["rejected", "rejected"]);
    expect(exchanges()).toHaveLength(3);
    await expect(auth.installationToken(1)).resolves.toMatchObject({ installationId: 1 });
  });

  it("fails every caller of a hung shared exchange in time, then starts a fresh one", async () => {
    const { fake, auth, exchanges } = setup({ requestLimits: { timeoutMs: 200 } });
    fake.hangNext({ path: TOKENS_PATH }, 3);
    const started = performance.now();
    const waiters = Array.from({ length: 10 }, () => auth.installationToken(1));
    const errors = await Promise.all(waiters.map((waiter) => rejectionOf(waiter)));
    // Three attempts of 200 ms, the retry waits skipped by the test's sleep.
    expect(performance.now() - started).toBeLessThan(2000);
    expect(errors.map((error) => error.code)).toEqual(Array(10).fill("GITHUB_TIMEOUT"));
    expect(exchanges().map((call) => call.status)).toEqual([0, 0, 0]);
    await expect(auth.installationToken(1)).resolves.toMatchObject({ installationId: 1 });
    expect(exchanges().map((call) => call.status)).toEqual([0, 0, 0, 201]);
  });

  it("keys the cache on scope and sends the scope to GitHub", async () => {
    const { fake, auth, exchanges } = setup();
    const worldId = fake.repositoryId("octo/world");
    const whole = await auth.installationToken(1);
    const narrow = await auth.installationToken(1, {
      repositories: ["world", "hello"],
      repositoryIds: [worldId],
      permissions: { metadata: "read", issues: "read" },
    });
    expect(narrow.token).not.toBe(whole.token);
    expect(narrow.repositorySelection).toBe("selected");
    expect(exchanges()[1]?.body).toEqual({
      repositories: ["world", "hello"],
      repository_ids: [worldId],
      permissions: { metadata: "read", issues: "read" },
    });
    // The same scope in another order is the same key.
    const again = await auth.installationToken(1, {
      repositories: ["hello", "world"],
      repositoryIds: [worldId],
      permissions: { issues: "read", metadata: "read" },
    });
    expect(again.token).toBe(narrow.token);
    const other = await auth.installationToken(1, { repositories: ["hello"] });
    expect(other.token).not.toBe(narrow.token);
    expect(exchanges()).toHaveLength(3);
  });

  it("does not share tokens between API URLs that share a store", async () => {
    const store = createMemoryTokenStore();
    const { fake, options, exchanges } = setup();
    const dotcom = createAppAuth({ ...options, store });
    const enterprise = createAppAuth({ ...options, store, apiUrl: "https://ghe.test/api/v3" });
    const a = await dotcom.installationToken(1);
    const b = await enterprise.installationToken(1);
    expect(b.token).not.toBe(a.token);
    expect(exchanges()).toHaveLength(2);
    expect((await dotcom.installationToken(1)).token).toBe(a.token);
    expect((await enterprise.installationToken(1)).token).toBe(b.token);
    expect(fake.issuedTokens).toHaveLength(2);
  });

  it("does not share tokens between apps that share a store", async () => {
    const store: TokenStore = createMemoryTokenStore();
    const { options } = setup();
    const seen: string[] = [];
    await createAppAuth({ ...options, store }).installationToken(1);
    const other = createAppAuth({
      ...options,
      appId: "9999",
      store,
      fetch: async (input, init) => {
        seen.push(String(input));
        return options.fetch!(input, init);
      },
    });
    await expect(other.installationToken(1)).rejects.toMatchObject({ code: "APP_JWT_REJECTED" });
    expect(seen).toHaveLength(1);
  });

  it("invalidate drops every scope of that installation and no other", async () => {
    const { auth, exchanges } = setup();
    const one = await auth.installationToken(1);
    const oneScoped = await auth.installationToken(1, { repositories: ["hello"] });
    const two = await auth.installationToken(2);
    const twelve = await auth.installationToken(12);
    await auth.invalidate(1);
    expect((await auth.installationToken(1)).token).not.toBe(one.token);
    expect((await auth.installationToken(1, { repositories: ["hello"] })).token).not.toBe(
      oneScoped.token,
    );
    expect((await auth.installationToken(2)).token).toBe(two.token);
    expect((await auth.installationToken(12)).token).toBe(twelve.token);
    expect(exchanges(1)).toHaveLength(4);
    expect(exchanges(2)).toHaveLength(1);
    expect(exchanges(12)).toHaveLength(1);
  });

  it("dropToken drops the cached token only when it is the one GitHub rejected", async () => {
    const { auth, exchanges } = setup();
    const first = await auth.installationToken(1);
    await auth.dropToken(1, undefined, "ghs_someOtherTokenThatIsNotCached");
    expect((await auth.installationToken(1)).token).toBe(first.token);
    await auth.dropToken(1, { repositories: ["hello"] }, first.token);
    expect((await auth.installationToken(1)).token).toBe(first.token);
    await auth.dropToken(1, undefined, first.token);
    expect((await auth.installationToken(1)).token).not.toBe(first.token);
    expect(exchanges()).toHaveLength(2);
  });

  it.each([0, -1, 1.5, Number.NaN])(
    "refuses installation id %p without asking GitHub",
    async (id) => {
      const { auth, fake } = setup();
      await expect(auth.installationToken(id)).rejects.toMatchObject({
        code: "INSTALLATION_NOT_FOUND",
      });
      expect(fake.calls).toHaveLength(0);
    },
  );

  it("reports an installation GitHub does not know as INSTALLATION_NOT_FOUND", async () => {
    const { auth } = setup();
    await rejectionOf(auth.installationToken(404), "INSTALLATION_NOT_FOUND");
  });

  it.each<TokenFormat>(["classic", "stateless"])(
    "keeps cached %s tokens out of errors",
    async (format) => {
      const { fake, auth } = setup({}, format);
      const cached = await auth.installationToken(1);
      expect(cached.token.length).toBe(format === "stateless" ? 524 : 40);
      await auth.invalidate(1);
      fake.failNext({ path: TOKENS_PATH }, { status: 403, body: { message: "Forbidden" } });
      const error = await rejectionOf(auth.installationToken(1), "TOKEN_EXCHANGE_FAILED");
      const shown = [String(error), JSON.stringify(error), inspect(error, { depth: 5 })].join("\n");
      expect(shown).not.toContain(cached.token);
      expect(shown).not.toContain(cached.token.slice(-24));
      expect(shown).not.toContain(auth.appJwt());
    },
  );

  it("hands out JWTs re-dated by observeServerDate", () => {
    const { clock, auth } = setup();
    const before = auth.appJwt();
    expect(auth.observeServerDate(new Date(clock.now() + 5 * MINUTE).toUTCString())).toBe(true);
    expect(auth.appJwt()).not.toBe(before);
  });

  it("runs a miss through the store's flight, and takes a token another process stored", async () => {
    const { options, exchanges } = setup();
    const inner = createMemoryTokenStore();
    const keys: string[] = [];
    const other = createAppAuth({ ...options, store: inner });
    // The flight of a store shared with a process that is exchanging for this key right now.
    const flight: ExchangeFlight = {
      async run(key, _exchange, lookup) {
        keys.push(key);
        await other.installationToken(1);
        return (await lookup())!;
      },
    };
    const auth = createAppAuth({ ...options, store: { ...inner, flight } });
    const tokens = await Promise.all([auth.installationToken(1), auth.installationToken(1)]);
    expect(keys).toEqual([`${API} 4242 1 *`]);
    expect(tokens[1]).toBe(tokens[0]);
    expect(exchanges()).toHaveLength(1);
  });

  it("has the flight's exchange store the token before it returns", async () => {
    const { options, exchanges } = setup();
    const store = createMemoryTokenStore();
    let storedBeforeReturn: unknown;
    const flight: ExchangeFlight = {
      async run(key, exchange, lookup) {
        expect(await lookup()).toBeUndefined();
        const token = await exchange();
        storedBeforeReturn = await lookup();
        return token;
      },
    };
    const auth = createAppAuth({ ...options, store: { ...store, flight } });
    const token = await auth.installationToken(2);
    expect(storedBeforeReturn).toEqual(token);
    expect(exchanges()).toHaveLength(1);
  });
});
