import { createPrivateKey } from "node:crypto";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import { createApp, type CreateAppOptions, type Hookwright } from "../../src/index.js";
import greeter from "../../plugins/greeter/index.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { createFakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";

const SECRET = "integration-secret";
const APP_ID = 4242;
const METRICS_TOKEN = "metrics-token-0123456789";
const PATH = "/api/github/webhooks";

function setup(metrics?: CreateAppOptions["metrics"]) {
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
    metrics,
    dependencies: { fetch: github.fetch, logger: logs.logger, retryBaseMs: 1 },
  });
  return { github, logs, hookwright };
}

const pullRequestOpened = () =>
  createSignedDelivery({
    secret: SECRET,
    event: "pull_request",
    rawBody: loadFixture("pull_request.opened.installation"),
  });

function send(target: Hookwright["express"] | string, delivery = pullRequestOpened()) {
  return request(target).post(PATH).set(delivery.headers).send(delivery.body.toString("utf8"));
}

const sample = (text: string, line: string) =>
  Number(
    text
      .split("\n")
      .find((each) => each.startsWith(`${line} `))
      ?.slice(line.length + 1) ?? NaN,
  );

describe("/metrics after real deliveries", () => {
  let hookwright: Hookwright | undefined;
  afterEach(async () => {
    await hookwright?.close(100);
    hookwright = undefined;
  });

  it("counts the token exchange, the cache, the GitHub calls, the rate limit and refusals", async () => {
    const app = setup();
    hookwright = app.hookwright;
    await hookwright.load(greeter, "greeter");
    expect((await send(hookwright.express)).status).toBe(200);
    expect((await send(hookwright.express)).status).toBe(200);
    const unsigned = pullRequestOpened();
    await request(hookwright.express)
      .post(PATH)
      .set({ ...unsigned.headers, "x-hub-signature-256": `sha256=${"0".repeat(64)}` })
      .send(unsigned.body.toString("utf8"));
    await request(hookwright.express).get(PATH);
    const { text } = await request(hookwright.express).get("/metrics").expect(200);
    expect(sample(text, 'hookwright_token_exchanges_total{outcome="success"}')).toBe(1);
    expect(sample(text, "hookwright_token_cache_misses_total")).toBe(1);
    expect(sample(text, "hookwright_token_cache_hits_total")).toBe(1);
    // Two comments (one per delivery) and the token exchange.
    expect(sample(text, 'hookwright_github_requests_total{method="POST",status_class="2xx"}')).toBe(
      3,
    );
    expect(
      sample(
        text,
        'hookwright_github_request_duration_seconds_count{method="POST",status_class="2xx"}',
      ),
    ).toBe(3);
    // The fake counts down from 5000 per installation token, as GitHub does.
    expect(sample(text, 'hookwright_github_rate_limit_remaining{installation="1"}')).toBe(4998);
    expect(sample(text, 'hookwright_requests_refused_total{reason="SIGNATURE_MISMATCH"}')).toBe(1);
    expect(sample(text, 'hookwright_requests_refused_total{reason="METHOD_NOT_ALLOWED"}')).toBe(1);
    expect(sample(text, "hookwright_request_body_bytes_in_flight")).toBe(0);
    expect(text).not.toContain(app.github.issuedTokens[0]!.token);
  });

  it("counts a body over GitHub's cap, refused before it reaches the receiver", async () => {
    hookwright = setup().hookwright;
    await request(hookwright.express)
      .post(PATH)
      .set("content-type", "application/json")
      .set("content-length", String(26 * 1024 * 1024))
      .send("{}")
      .catch(() => undefined);
    const { text } = await request(hookwright.express).get("/metrics");
    expect(sample(text, 'hookwright_requests_refused_total{reason="PAYLOAD_TOO_LARGE"}')).toBe(1);
  });

  it("needs METRICS_TOKEN as a bearer token when one is set", async () => {
    hookwright = setup({ token: METRICS_TOKEN }).hookwright;
    const none = await request(hookwright.express).get("/metrics");
    expect(none.status).toBe(401);
    expect(none.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    expect(none.body.error.code).toBe("UNAUTHORIZED");
    expect(none.text).not.toContain("hookwright_");
    const wrong = await request(hookwright.express)
      .get("/metrics")
      .set("authorization", "Bearer not-the-metrics-token");
    expect(wrong.status).toBe(401);
    const right = await request(hookwright.express)
      .get("/metrics")
      .set("authorization", `Bearer ${METRICS_TOKEN}`);
    expect(right.status).toBe(200);
    expect(right.text).toContain("hookwright_deliveries_in_flight 0");
    // The webhook path is untouched by the token.
    expect((await send(hookwright.express)).status).toBe(200);
  });

  it("serves /metrics on METRICS_PORT only, with the token, and 404 on the webhook port", async () => {
    hookwright = setup({ port: 0, token: METRICS_TOKEN }).hookwright;
    await hookwright.load(greeter, "greeter");
    const server = await hookwright.listen(0, "127.0.0.1");
    const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const address = hookwright.metricsAddress();
    expect(address).toBeDefined();
    expect(address!.address).toBe("127.0.0.1");
    expect(address!.port).not.toBe((server.address() as AddressInfo).port);
    const metricsUrl = `http://127.0.0.1:${address!.port}`;
    expect((await send(webhookUrl)).status).toBe(200);
    const onWebhookPort = await request(webhookUrl)
      .get("/metrics")
      .set("authorization", `Bearer ${METRICS_TOKEN}`);
    expect(onWebhookPort.status).toBe(404);
    expect((await request(metricsUrl).get("/metrics")).status).toBe(401);
    const scraped = await request(metricsUrl)
      .get("/metrics")
      .set("authorization", `Bearer ${METRICS_TOKEN}`);
    expect(scraped.status).toBe(200);
    expect(scraped.text).toContain(
      'hookwright_deliveries_total{event="pull_request",status="200"} 1',
    );
    expect((await request(metricsUrl).post(PATH).send("{}")).status).toBe(404);
    await hookwright.close(100);
    hookwright = undefined;
    expect(
      await request(metricsUrl)
        .get("/metrics")
        .then(
          () => "answered",
          () => "closed",
        ),
    ).toBe("closed");
  });
});

describe("delivery log lines", () => {
  let hookwright: Hookwright | undefined;
  afterEach(async () => {
    await hookwright?.close(100);
  });

  it("carry the same fields on every line of a delivery, and one line when it finishes", async () => {
    const app = setup();
    hookwright = app.hookwright;
    await hookwright.load((bot) => {
      bot.on("pull_request.opened", async (context) => {
        context.log.info("looking");
      });
    }, "looker");
    await hookwright.load(greeter, "greeter");
    const delivery = pullRequestOpened();
    expect((await send(hookwright.express, delivery)).status).toBe(200);
    const fields = {
      deliveryId: delivery.id,
      event: "pull_request.opened",
      action: "opened",
      installationId: 1,
      repo: expect.stringMatching(/^[^/]+\/[^/]+$/),
    };
    const lines = app.logs.records().filter((line) => line.deliveryId === delivery.id);
    expect(lines.map((line) => line.msg).sort()).toEqual([
      "delivery finished",
      "greeted",
      "looking",
      "request",
    ]);
    for (const line of lines) expect(line).toMatchObject(fields);
    expect(lines.find((line) => line.msg === "looking")).toMatchObject({ plugin: "looker" });
    expect(lines.find((line) => line.msg === "delivery finished")).toMatchObject({
      level: 30,
      plugins: ["looker", "greeter"],
      status: "completed",
      durationMs: expect.any(Number),
    });
    expect(lines.find((line) => line.msg === "request")).toMatchObject({
      statusCode: 200,
      durationMs: expect.any(Number),
    });
    // The old names are gone.
    for (const line of lines) {
      expect(line).not.toHaveProperty("delivery");
      expect(line).not.toHaveProperty("installation");
    }
  });

  it("says a failed delivery failed, naming its plugins", async () => {
    const app = setup();
    hookwright = app.hookwright;
    await hookwright.load((bot) => {
      bot.on("pull_request", async () => {
        throw new Error("broken plugin");
      });
    }, "broken");
    const delivery = pullRequestOpened();
    expect((await send(hookwright.express, delivery)).status).toBe(500);
    const finished = app.logs.records().find((line) => line.msg === "delivery finished");
    expect(finished).toMatchObject({
      deliveryId: delivery.id,
      plugins: ["broken"],
      status: "failed",
    });
  });
});
