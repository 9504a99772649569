import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { createApp, type Hookwright } from "../../src/index.js";
import greeter from "../../plugins/greeter/index.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { createFakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";
import { createPrivateKey } from "node:crypto";

const SECRET = "integration-secret";
const APP_ID = 4242;

function setup() {
  const keys = testKeys();
  const github = createFakeGitHub({
    appId: APP_ID,
    publicKey: keys.publicKey,
    installations: [
      { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
    ],
  });
  const logs = captureLogs();
  const hookwright = createApp({
    credentials: {
      appId: String(APP_ID),
      privateKey: createPrivateKey(keys.privateKeyPem),
      webhookSecrets: [SECRET],
    },
    github: { apiUrl: "https://api.github.test" },
    dependencies: { fetch: github.fetch, logger: logs.logger, retryBaseMs: 1 },
  });
  return { github, logs, hookwright };
}

function pullRequestOpened() {
  return createSignedDelivery({
    secret: SECRET,
    event: "pull_request",
    rawBody: loadFixture("pull_request.opened.installation"),
  });
}

function send(hookwright: Hookwright, delivery: ReturnType<typeof pullRequestOpened>) {
  return request(hookwright.express)
    .post("/api/github/webhooks")
    .set(delivery.headers)
    .send(delivery.body.toString("utf8"));
}

describe("signed delivery → installation token → plugin comment", () => {
  let current: ReturnType<typeof setup> | undefined;
  afterEach(async () => {
    await current?.hookwright.close(100);
  });

  it("greets the author of a pull request with an installation token, once per delivery id", async () => {
    current = setup();
    const { github, hookwright, logs } = current;
    await hookwright.load(greeter, "greeter");
    const delivery = pullRequestOpened();
    const first = await send(hookwright, delivery);
    expect(first.status).toBe(200);
    expect(github.comments).toHaveLength(1);
    expect(github.comments[0]).toMatchObject({ repo: "Codertocat/Hello-World", installationId: 1 });
    const post = github.callsTo("POST", /\/comments$/)[0]!;
    expect(post.auth.kind).toBe("token");
    expect(post.headers["x-github-delivery"]).toBe(delivery.id);

    const again = await send(hookwright, delivery);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: "duplicate" });
    expect(github.comments).toHaveLength(1);
    const token = github.issuedTokens[0]!.token;
    expect(logs.text()).not.toContain(token);
    expect(logs.text()).not.toContain(SECRET);
  });

  it("counts the delivery and times its handlers at /metrics", async () => {
    current = setup();
    const { hookwright } = current;
    await hookwright.load(greeter, "greeter");
    await send(hookwright, pullRequestOpened());
    const { text } = await request(hookwright.express).get("/metrics");
    expect(text).toContain('hookwright_deliveries_total{event="pull_request",status="200"} 1');
    expect(text).toContain(
      'hookwright_handler_duration_seconds_count{event="pull_request",outcome="completed"} 1',
    );
  });
});
