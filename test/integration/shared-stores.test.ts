import { createPrivateKey } from "node:crypto";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { Redis } from "ioredis";
import request from "supertest";
import greeter from "../../plugins/greeter/index.js";
import { createRedisDeliveryRecords } from "../../src/redis/redis-delivery-records.js";
import { createRedisTokenCache, type RedisTokenCache } from "../../src/redis/redis-token-cache.js";
import { createApp, type Hookwright } from "../../src/index.js";
import { captureLogs } from "../helpers/capture-logs.js";
import { createFakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { hasRedisServer, useRedisServer } from "../helpers/redis-server.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";
import { gate, until } from "../helpers/wait.js";

const SECRET = "shared-stores-secret";
const APP_ID = 4242;
const describeRedis = hasRedisServer ? describe : describe.skip;

const apps: Hookwright[] = [];
const caches: RedisTokenCache[] = [];
let namespace = 0;

/** Two receivers, as two processes would be: each its own Redis connection, one fake GitHub. */
async function setup(connect: () => Promise<Redis>) {
  namespace += 1;
  const github = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    installations: [
      { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
    ],
  });
  const logs = captureLogs();
  const receiver = async () => {
    const redis = await connect();
    const tokens = createRedisTokenCache({
      redis,
      privateKey: createPrivateKey(testKeys().privateKeyPem),
      logger: logs.logger,
      keyPrefix: `t${namespace}:`,
    });
    await tokens.start();
    caches.push(tokens);
    const app = createApp({
      credentials: {
        appId: String(APP_ID),
        privateKey: createPrivateKey(testKeys().privateKeyPem),
        webhookSecrets: [SECRET],
      },
      github: { apiUrl: "https://api.github.test" },
      stores: {
        tokens: tokens.store,
        deliveries: createRedisDeliveryRecords({ redis, keyPrefix: `d${namespace}:` }),
        ready: () => redis.status === "ready",
      },
      dependencies: { fetch: github.fetch, logger: logs.logger, retryBaseMs: 1 },
    });
    await app.load(greeter, "greeter");
    apps.push(app);
    return app;
  };
  return { github, logs, a: await receiver(), b: await receiver() };
}

function pullRequestOpened(id?: string) {
  return createSignedDelivery({
    secret: SECRET,
    event: "pull_request",
    rawBody: loadFixture("pull_request.opened.installation"),
    ...(id ? { id } : {}),
  });
}

function send(app: Hookwright, delivery: ReturnType<typeof pullRequestOpened>) {
  return request(app.express)
    .post("/api/github/webhooks")
    .set(delivery.headers)
    .send(delivery.body.toString("utf8"));
}

describeRedis("two receivers sharing REDIS_URL", () => {
  const redisServer = useRedisServer();
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close(100)));
    await Promise.all(caches.splice(0).map((cache) => cache.stop()));
  });

  it("runs a delivery once and exchanges one token for both", async () => {
    const { github, a, b } = await setup(() => redisServer.connect());
    const first = pullRequestOpened();
    expect((await send(a, first)).status).toBe(200);
    const again = await send(b, first);
    expect(again.status).toBe(200);
    expect(again.body).toEqual({ status: "duplicate" });
    expect(github.comments).toHaveLength(1);
    // A new delivery at the other receiver uses the token the first one minted.
    expect((await send(b, pullRequestOpened())).status).toBe(200);
    expect(github.comments).toHaveLength(2);
    expect(github.issuedTokens).toHaveLength(1);
  });

  it("answers 503 DELIVERY_IN_PROGRESS at one receiver while the other runs the delivery", async () => {
    const { github, a, b } = await setup(() => redisServer.connect());
    const handler = gate();
    await a.load((app) => app.on("pull_request.opened", () => handler.opened), "slow");
    const delivery = pullRequestOpened();
    const answering = send(a, delivery).then((res) => res);
    await until(5000, "the delivery starting at a", () => a.runner.running().length === 1);
    const refused = await send(b, delivery);
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("DELIVERY_IN_PROGRESS");
    handler.open();
    expect((await answering).status).toBe(200);
    const again = await send(b, delivery);
    expect(again.body).toEqual({ status: "duplicate" });
    expect(github.comments).toHaveLength(1);
  });

  it("answers 503 and reports unready while Redis is down, then recovers", async () => {
    const { github, a } = await setup(() => redisServer.connect());
    const listening = await a.listen(0, "127.0.0.1");
    const ready = `http://127.0.0.1:${(listening.address() as { port: number }).port}/ready`;
    expect((await fetch(ready)).status).toBe(200);
    await redisServer.server.stop();
    const refused = await send(a, pullRequestOpened());
    expect(refused.status).toBe(503);
    expect(refused.body.error.code).toBe("SERVICE_UNAVAILABLE");
    const unready = await fetch(ready);
    expect(unready.status).toBe(503);
    expect(await unready.json()).toEqual({ status: "unavailable" });
    expect(github.comments).toHaveLength(0);

    await redisServer.server.start();
    const giveUpAt = Date.now() + 10_000;
    while ((await fetch(ready)).status !== 200) {
      if (Date.now() > giveUpAt) throw new Error("never ready again after Redis came back");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    expect((await send(a, pullRequestOpened())).status).toBe(200);
    expect(github.comments).toHaveLength(1);
  });
});
