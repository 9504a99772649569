import { afterEach, describe, expect, it } from "@jest/globals";
import { createPrivateKey } from "node:crypto";
import { fileURLToPath } from "node:url";
import request from "supertest";
import { createApp, type Hookwright } from "../../src/index.js";
import { importPlugin } from "../../src/plugin-loader/import-plugin.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { createFakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";

const SECRET = "probot-secret";
const PLUGIN = fileURLToPath(new URL("../fixtures/probot-hello.cjs", import.meta.url));

let hookwright: Hookwright | undefined;
afterEach(async () => {
  await hookwright?.close(100);
});

describe("a Probot plugin", () => {
  it("runs unchanged: the template's hello-world comments on a new issue", async () => {
    const keys = testKeys();
    const github = createFakeGitHub({
      appId: 5,
      publicKey: keys.publicKey,
      installations: [
        { id: 3, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
      ],
    });
    hookwright = createApp({
      credentials: {
        appId: "5",
        privateKey: createPrivateKey(keys.privateKeyPem),
        webhookSecrets: [SECRET],
      },
      github: { apiUrl: "https://api.github.test" },
      dependencies: { fetch: github.fetch, logger: captureLogs().logger, retryBaseMs: 1 },
    });
    const plugin = await importPlugin({ name: "probot-hello", path: PLUGIN }, (s) => import(s));
    await hookwright.load(plugin, "probot-hello");

    const payload = JSON.parse(loadFixture("issues.opened").toString("utf8"));
    payload.installation = { id: 3 };
    const delivery = createSignedDelivery({ secret: SECRET, event: "issues", payload });
    const res = await request(hookwright.express)
      .post("/api/github/webhooks")
      .set(delivery.headers)
      .send(delivery.body.toString("utf8"));

    expect(res.status).toBe(200);
    expect(github.comments).toEqual([
      expect.objectContaining({
        repo: "Codertocat/Hello-World",
        issueNumber: 1,
        body: "Thanks for opening this issue!",
        installationId: 3,
      }),
    ]);
  });
});
