import { createPrivateKey } from "node:crypto";
import { inspect } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { createAppAuth } from "../../../src/auth/create-app-auth.js";
import {
  createAppAuthStrategy,
  createInstallationAuthStrategy,
} from "../../../src/github/auth-strategies.js";
import { Octokit } from "../../../src/github/octokit.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { testKeys } from "../../helpers/keys.js";
import { rejectionOf } from "../../helpers/rejection.js";

const API = "https://api.github.test";
const TOKENS_PATH = /^\/app\/installations\/\d+\/access_tokens$/;
const COMMENTS_PATH = "/repos/octo/hello/issues/1/comments";

/** The app's clock may run ahead of GitHub's, to provoke a JWT rejected for skew. */
function setup({ appAheadMs = 0, apiUrl = API } = {}) {
  const githubClock = createManualClock();
  const fake = createFakeGitHub({
    appId: 4242,
    publicKey: testKeys().publicKey,
    clock: githubClock,
    installations: [{ id: 1, account: { login: "octo" }, repositories: ["octo/hello"] }],
  });
  const appAuth = createAppAuth({
    appId: "4242",
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl,
    fetch: fake.fetch,
    clock: createManualClock(githubClock.now() + appAheadMs),
    sleep: async () => {},
  });
  // Only the strategies: no request policy (queue, retries) between them and the fake.
  const common = { baseUrl: apiUrl, request: { fetch: fake.fetch } };
  const installation = new Octokit({
    ...common,
    authStrategy: createInstallationAuthStrategy,
    auth: { appAuth, installationId: 1 },
  });
  const app = new Octokit({ ...common, authStrategy: createAppAuthStrategy, auth: { appAuth } });
  const comment = () =>
    installation.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "octo",
      repo: "hello",
      issue_number: 1,
      body: "hi",
    });
  return { fake, appAuth, installation, app, comment };
}

describe("createInstallationAuthStrategy", () => {
  it("sends the installation token", async () => {
    const { fake, comment, installation } = setup();
    await comment();
    const [call] = fake.callsTo("POST", COMMENTS_PATH);
    expect(call?.headers.authorization).toBe(`token ${fake.issuedTokens[0]?.token}`);
    expect(call?.auth).toMatchObject({ kind: "token", installationId: 1 });
    await expect(installation.auth()).resolves.toEqual({
      type: "token",
      token: fake.issuedTokens[0]?.token,
    });
  });

  it("replaces a revoked token: one 401, one new exchange, then success", async () => {
    const { fake, comment } = setup();
    await comment();
    fake.revoke(fake.issuedTokens[0]!.token);
    fake.reset();
    await expect(comment()).resolves.toMatchObject({ status: 201 });
    expect(fake.callsTo("POST", COMMENTS_PATH).map((call) => call.status)).toEqual([401, 201]);
    expect(fake.callsTo("POST", TOKENS_PATH)).toHaveLength(1);
    expect(fake.comments).toHaveLength(2);
  });

  it("throws a 401 on the retry instead of looping, without the token", async () => {
    const { fake, comment } = setup();
    await comment();
    fake.reset();
    fake.failNext({ path: COMMENTS_PATH }, { status: 401 }, 5);
    const error: unknown = await comment().catch((caught: unknown) => caught);
    expect((error as { status?: number }).status).toBe(401);
    expect(fake.callsTo("POST", COMMENTS_PATH)).toHaveLength(2);
    const shown = [String(error), JSON.stringify(error), inspect(error, { depth: 8 })].join("\n");
    for (const issued of fake.issuedTokens) expect(shown).not.toContain(issued.token);
  });

  it("merges a call's options no more often under another request hook (the policy's)", async () => {
    const merges = async (wrap: boolean) => {
      const { installation, comment, fake } = setup();
      await comment(); // the token, exchanged before counting
      if (wrap) installation.hook.wrap("request", (send, options) => send(options));
      const { endpoint } = installation.request;
      const merge = endpoint.merge;
      let count = 0;
      endpoint.merge = ((...args: Parameters<typeof merge>) => {
        count += 1;
        return merge(...args);
      }) as typeof merge;
      await comment();
      expect(fake.comments.at(-1)).toMatchObject({ body: "hi" });
      return count;
    };
    const bare = await merges(false);
    expect(bare).toBeGreaterThan(0);
    await expect(merges(true)).resolves.toBe(bare);
  });

  it.each([API, "https://ghe.test/api/v3"])(
    "sends app-only routes on %s with the app JWT",
    async (apiUrl) => {
      const { fake, installation } = setup({ apiUrl });
      const { data } = await installation.request("GET /repos/{owner}/{repo}/installation", {
        owner: "octo",
        repo: "hello",
      });
      expect(data.id).toBe(1);
      const [call] = fake.callsTo("GET", "/repos/octo/hello/installation");
      expect(call?.auth.kind).toBe("jwt");
      expect(fake.callsTo("POST", TOKENS_PATH)).toHaveLength(0);
    },
  );
});

describe("createAppAuthStrategy", () => {
  it("sends the app JWT", async () => {
    const { fake, app, appAuth } = setup();
    await app.request("GET /app");
    expect(fake.calls[0]?.headers.authorization).toBe(`bearer ${appAuth.appJwt()}`);
    expect(fake.calls[0]?.auth.kind).toBe("jwt");
  });

  it("refuses a route that needs an installation before any request", async () => {
    const { fake, app } = setup();
    const repo = app.request("GET /repos/{owner}/{repo}", { owner: "octo", repo: "hello" });
    const error = await rejectionOf(repo, "NO_INSTALLATION");
    expect(error.message).toContain("/repos/octo/hello");
    expect(fake.calls).toHaveLength(0);
  });

  it("judges the route by its expanded URL, not its template", async () => {
    const { fake, app, installation } = setup();
    await expect(app.request("GET /{+path}", { path: "app" })).resolves.toMatchObject({
      status: 200,
    });
    await expect(
      installation.request("GET /repos/{+fullName}/installation", { fullName: "octo/hello" }),
    ).resolves.toMatchObject({ status: 200 });
    expect(fake.calls.map((call) => call.auth.kind)).toEqual(["jwt", "jwt"]);
  });

  it("fills in simple expressions as the request does: encoded, and dot segments resolved", async () => {
    const { fake, app } = setup();
    await expect(app.request("GET /{first}", { first: "app" })).resolves.toMatchObject({
      status: 200,
    });
    const refused = (route: string, values: Record<string, string>) =>
      app.request(route, values).catch((caught: unknown) => (caught as Error).message);
    await expect(
      refused("GET /repos/{owner}/{repo}", { owner: "o o", repo: "r(1)/x" }),
    ).resolves.toContain("GET /repos/o%20o/r%281%29%2Fx needs an installation token");
    // "/app/.." is "/" once parsed: not an app route.
    await expect(
      refused("GET /{first}/{second}", { first: "app", second: ".." }),
    ).resolves.toContain("GET / needs an installation token");
    expect(fake.calls).toHaveLength(1);
  });

  it("retries once with a re-dated JWT when GitHub's clock disagrees", async () => {
    const { fake, app } = setup({ appAheadMs: 10 * 60_000 });
    await expect(app.request("GET /app")).resolves.toMatchObject({ status: 200 });
    expect(fake.calls.map((call) => call.status)).toEqual([401, 200]);
  });

  it("does not retry a JWT rejected for another reason", async () => {
    const { fake, app } = setup();
    fake.failNext({ path: "/app" }, { status: 401 }, 5);
    await expect(app.request("GET /app")).rejects.toMatchObject({ status: 401 });
    expect(fake.calls).toHaveLength(1);
  });
});
