import { createPrivateKey } from "node:crypto";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import greeter from "../../plugins/greeter/index.js";
import { createApp, type Hookwright } from "../../src/app/create-app.js";
import { createConsole, type DeliveryConsole } from "../../src/console/create-console.js";
import { createDeliveryLog } from "../../src/console/delivery-log.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { createFakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";

const FIXTURES = fileURLToPath(new URL("../../fixtures/webhooks/", import.meta.url));
const SECRET = "production-webhook-secret";
const TOKEN = "console-token-for-tests-0001";

let consoles: DeliveryConsole[] = [];
let apps: Hookwright[] = [];
afterEach(async () => {
  for (const c of consoles) c.close();
  for (const app of apps) await app.close(100);
  consoles = [];
  apps = [];
});

/** A configured (non-sandbox) app, as `hookwright run` builds it: console only with a token. */
async function configured(token: string | undefined) {
  const keys = testKeys();
  const github = createFakeGitHub({
    appId: 42,
    publicKey: keys.publicKey,
    installations: [
      { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
    ],
  });
  const log = createDeliveryLog();
  const logs = captureLogs();
  const hookwright = createApp({
    credentials: {
      appId: "42",
      privateKey: createPrivateKey(keys.privateKeyPem),
      webhookSecrets: [SECRET],
    },
    github: { apiUrl: "https://api.github.test" },
    dependencies: { fetch: github.fetch, logger: logs.logger },
  });
  if (token) log.attach(hookwright.events);
  if (token) {
    const deliveryConsole = createConsole({
      log,
      receiver: hookwright.receiver,
      secret: SECRET,
      token,
      fixturesDir: FIXTURES,
      logger: logs.logger,
      webUrl: "https://github.com",
    });
    hookwright.getRouter("/").use(deliveryConsole.router);
    consoles.push(deliveryConsole);
  }
  await hookwright.load(greeter, "greeter");
  apps.push(hookwright);
  return { hookwright, github };
}

describe("delivery console outside sandbox", () => {
  it("does not exist without CONSOLE_TOKEN: / and the API are 404, webhooks still served", async () => {
    const { hookwright } = await configured(undefined);
    await request(hookwright.express).get("/").expect(404);
    await request(hookwright.express).get("/console/api/deliveries").expect(404);
    await request(hookwright.express).get("/setup?code=x&state=y").expect(404);
    const delivery = createSignedDelivery({
      secret: SECRET,
      event: "pull_request",
      rawBody: loadFixture("pull_request.opened.installation"),
    });
    await request(hookwright.express)
      .post("/api/github/webhooks")
      .set(delivery.headers)
      .send(delivery.body.toString("utf8"))
      .expect(200);
  });

  it("requires the token on the page and every API route", async () => {
    const { hookwright } = await configured(TOKEN);
    for (const path of [
      "/",
      "/console/api/info",
      "/console/api/deliveries",
      "/console/api/samples",
      "/console/api/stream",
    ]) {
      const response = await request(hookwright.express).get(path);
      expect([path, response.status]).toEqual([path, 401]);
    }
    const send = await request(hookwright.express)
      .post("/console/api/send")
      .send({ event: "ping", payload: "{}" });
    expect(send.status).toBe(401);
    const info = await request(hookwright.express)
      .get("/console/api/info")
      .set("authorization", `Bearer ${TOKEN}`)
      .expect(200);
    expect(info.body).toEqual({
      sandbox: false,
      registration: false,
      queue: false,
      webhookProxyUrl: null,
    });
    // No app registration outside the sandbox: it would overwrite the app's own .env.
    await request(hookwright.express).get("/setup?code=x&state=y").expect(404);
  });

  it("shows GitHub's deliveries to a token holder without secrets, tokens or the signature", async () => {
    const { hookwright, github } = await configured(TOKEN);
    const delivery = createSignedDelivery({
      secret: SECRET,
      event: "pull_request",
      rawBody: loadFixture("pull_request.opened.installation"),
    });
    await request(hookwright.express)
      .post("/api/github/webhooks")
      .set(delivery.headers)
      .send(delivery.body.toString("utf8"))
      .expect(200);
    const agent = request.agent(hookwright.express);
    await agent.get(`/?token=${TOKEN}`).expect(303);
    const page = await agent.get("/").expect(200);
    expect(page.text).toContain("Hookwright console");
    const list = await agent.get("/console/api/deliveries").expect(200);
    expect(list.body.deliveries[0]).toMatchObject({
      id: delivery.id,
      event: "pull_request.opened",
      plugins: ["greeter"],
      calls: expect.arrayContaining([expect.objectContaining({ method: "POST", status: 201 })]),
    });
    const text = JSON.stringify(list.body);
    const issued = github.issuedTokens.map((token) => token.token);
    expect(issued.length).toBeGreaterThan(0);
    for (const secret of [SECRET, TOKEN, delivery.headers["x-hub-signature-256"]!, ...issued]) {
      expect(text).not.toContain(secret);
    }
  });
});
