import { createPrivateKey } from "node:crypto";
import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import greeter from "../../plugins/greeter/index.js";
import { createApp, type Hookwright } from "../../src/app/create-app.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";

const SECRET = "greeter-secret";
type Payload = { sender: { login: string; type: string }; installation?: { id: number } };

function fixture(name: string): Payload {
  const payload = JSON.parse(loadFixture(name).toString("utf8")) as Payload;
  payload.installation = { id: 1 };
  return payload;
}

describe("greeter", () => {
  let github: FakeGitHub;
  let hookwright: Hookwright | undefined;
  afterEach(async () => {
    await hookwright?.close(100);
  });

  async function deliver(event: string, payload: Payload) {
    github = createFakeGitHub({
      appId: 4242,
      publicKey: testKeys().publicKey,
      installations: [
        { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
      ],
    });
    hookwright = createApp({
      appId: "4242",
      privateKey: createPrivateKey(testKeys().privateKeyPem),
      webhookSecrets: [SECRET],
      fetch: github.fetch,
      logger: captureLogs().logger,
      retryBaseMs: 1,
    });
    await hookwright.load(greeter, "greeter");
    const delivery = createSignedDelivery({ secret: SECRET, event, payload });
    const response = await request(hookwright.express)
      .post("/api/github/webhooks")
      .set(delivery.headers)
      .send(delivery.body.toString("utf8"));
    expect(response.status).toBe(200);
    return delivery;
  }

  it("thanks the author of a new issue by login, as the installation", async () => {
    const payload = fixture("issues.opened");
    payload.sender.login = "octo-newcomer";
    const delivery = await deliver("issues", payload);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]).toMatchObject({
      repo: "Codertocat/Hello-World",
      issueNumber: 1,
      installationId: 1,
    });
    expect(github.comments[0]!.body).toMatch(/this issue, @octo-newcomer!/);
    const [call] = github.callsTo("POST", "/repos/Codertocat/Hello-World/issues/1/comments");
    expect(call?.auth).toMatchObject({ kind: "token", installationId: 1 });
    expect(call?.auth.token).toBe(github.issuedTokens[0]!.token);
    expect(call?.headers["x-github-delivery"]).toBe(delivery.id);
  });

  it("thanks the author of a new pull request on the pull request's conversation", async () => {
    await deliver("pull_request", fixture("pull_request.opened.installation"));
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]).toMatchObject({ issueNumber: 2, installationId: 1 });
    expect(github.comments[0]!.body).toMatch(/this pull request, @Codertocat!/);
    const [call] = github.callsTo("POST", /\/issues\/2\/comments$/);
    expect(call?.auth.kind).toBe("token");
  });

  it("stays silent when a bot opened the issue", async () => {
    const payload = fixture("issues.opened");
    payload.sender = { login: "dependabot[bot]", type: "Bot" };
    await deliver("issues", payload);
    expect(github.comments).toHaveLength(0);
    expect(github.calls).toHaveLength(0);
  });

  it("ignores other actions", async () => {
    await deliver("pull_request", fixture("pull_request.closed"));
    expect(github.calls).toHaveLength(0);
  });
});
