import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { createAppAuth } from "../../../src/auth/create-app-auth.js";
import { HookwrightError } from "../../../src/errors.js";
import { createTokenClientFactory } from "../../../src/github/create-token-client-factory.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { rejectionOf } from "../../helpers/rejection.js";

const API = "https://api.github.test";

async function setup() {
  const clock = createManualClock();
  const github = createFakeGitHub({
    appId: 5,
    publicKey: testKeys().publicKey,
    clock,
    installations: [{ id: 3, account: { login: "octo" }, repositories: ["octo/hello"] }],
  });
  const { token } = await createAppAuth({
    appId: "5",
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl: API,
    fetch: github.fetch,
    clock,
  }).installationToken(3);
  github.reset();
  const clients = createTokenClientFactory({
    token,
    apiUrl: API,
    logger: captureLogs().logger,
    fetch: github.fetch,
    retryBaseMs: 1,
  });
  return { github, token, clients };
}

const comment = { owner: "octo", repo: "hello", issue_number: 1, body: "hi" };

describe("createTokenClientFactory", () => {
  it("gives installation clients that send the fixed token and the delivery id", async () => {
    const { github, token, clients } = await setup();
    const octokit = clients.forInstallation(3, { deliveryId: "delivery-1" });
    await octokit.rest.issues.createComment(comment);
    const [call] = github.calls;
    expect(call?.auth).toEqual({ kind: "token", installationId: 3, token });
    expect(call?.headers["x-github-delivery"]).toBe("delivery-1");
    expect(github.comments).toHaveLength(1);
  });

  it("gives forApp a client with the same token, since events without an installation ask for it", async () => {
    const { github, token, clients } = await setup();
    await clients.forApp({ deliveryId: "delivery-2" }).rest.issues.createComment(comment);
    expect(github.calls[0]?.auth.token).toBe(token);
    expect(github.calls[0]?.headers["x-github-delivery"]).toBe("delivery-2");
  });

  it.each([
    ["GET /app", {}],
    ["GET /app/installations", {}],
    ["GET /repos/{owner}/{repo}/installation", { owner: "octo", repo: "hello" }],
    ["GET /orgs/{org}/installation", { org: "octo" }],
  ])(
    "refuses the app-only route %s with APP_CREDENTIALS_REQUIRED, sending nothing",
    async (route, params) => {
      const { github, clients } = await setup();
      const error = await rejectionOf(clients.forApp().request(route, params));
      expect(error).toMatchObject({ code: "APP_CREDENTIALS_REQUIRED" });
      expect(error.message).toMatch(/APP_ID and PRIVATE_KEY/);
      expect(github.calls).toHaveLength(0);
    },
  );

  it("refuses to narrow: a scoped client would otherwise get the whole token's access", async () => {
    const { clients } = await setup();
    expect(() => clients.forInstallation(3, { scope: { repositories: ["hello"] } })).toThrow(
      expect.objectContaining({ code: "APP_CREDENTIALS_REQUIRED" }),
    );
    expect(() =>
      clients.forInstallation(3, { scope: { permissions: { issues: "read" } } }),
    ).toThrow(HookwrightError);
    expect(() => clients.forInstallation(3, { scope: {} })).not.toThrow();
  });

  it("never puts the token in the error or the log when GitHub refuses it", async () => {
    const { github, token } = await setup();
    const logs = captureLogs();
    github.revoke(token);
    const clients = createTokenClientFactory({
      token,
      apiUrl: API,
      logger: logs.logger,
      fetch: github.fetch,
    });
    const error = await clients
      .forApp()
      .rest.issues.createComment(comment)
      .catch((caught: unknown) => caught as Error);
    expect(error).toMatchObject({ status: 401 });
    expect(String((error as Error).message)).not.toContain(token);
    expect(logs.text()).not.toContain(token);
  });
});
