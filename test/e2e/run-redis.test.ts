import { afterAll, afterEach, beforeAll, describe, expect, it } from "@jest/globals";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { hasRedisServer, startRedisServer, type RedisServer } from "../helpers/redis-server.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";
import { APP_ID, appEnv, killChildren, runCli, startCli } from "./cli-helpers.js";

const SECRET = "e2e-redis-secret-5c1d";
const describeRedis = hasRedisServer ? describe : describe.skip;

describe("hookwright run with an unreachable REDIS_URL", () => {
  afterEach(() => killChildren());

  it("fails start with one line naming REDIS_URL, without its password", async () => {
    const { port } = await startRedisServer().then(async (server) => {
      await server.stop();
      return server;
    });
    const env = {
      ...appEnv("http://127.0.0.1:1"),
      WEBHOOK_SECRET: SECRET,
      PORT: "0",
      PLUGINS: "greeter",
      REDIS_URL: `redis://bot:hunter2@127.0.0.1:${port}/0`,
    };
    const result = await runCli(["run"], env);
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split("\n")).toEqual([
      expect.stringMatching(
        /^hookwright: REDIS_URL: cannot connect to redis:\/\/127\.0\.0\.1:\d+\/0 /,
      ),
    ]);
    expect(result.stdout + result.stderr).not.toContain("hunter2");
  });
});

describeRedis("two hookwright run processes on one REDIS_URL", () => {
  let redis: RedisServer;
  let github: FakeGitHub;
  beforeAll(async () => {
    redis = await startRedisServer();
    github = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKey,
      installations: [
        { id: 1, account: { login: "Codertocat" }, repositories: ["Codertocat/Hello-World"] },
      ],
    });
  });
  afterEach(() => killChildren());
  afterAll(async () => {
    await github.close();
    await redis.stop();
  });

  it("runs a redelivery once across processes, shares the token, and exits 0 on SIGTERM", async () => {
    const env = {
      ...appEnv(await github.listen()),
      WEBHOOK_SECRET: SECRET,
      PORT: "0",
      HOST: "127.0.0.1",
      PLUGINS: "greeter",
      REDIS_URL: redis.url,
      // Shared records with each process running its deliveries inline (no queue): GitHub gets
      // the handlers' own answer, and a redelivery to the other process is a duplicate.
      DELIVERY_QUEUE: "off",
    };
    const processes = [startCli(env), startCli(env)];
    const ports = await Promise.all(
      processes.map(async (cli) => (await cli.waitFor((line) => line.msg === "listening")).port),
    );
    const opened = () =>
      createSignedDelivery({
        secret: SECRET,
        event: "pull_request",
        rawBody: loadFixture("pull_request.opened.installation"),
      });
    const post = (port: unknown, delivery: ReturnType<typeof opened>) =>
      fetch(`http://127.0.0.1:${String(port)}/api/github/webhooks`, {
        method: "POST",
        headers: delivery.headers,
        body: delivery.body,
      });
    const delivery = opened();
    expect((await post(ports[0], delivery)).status).toBe(200);
    const redelivered = await post(ports[1], delivery);
    expect(redelivered.status).toBe(200);
    expect(await redelivered.json()).toEqual({ status: "duplicate" });
    expect(github.comments).toHaveLength(1);
    // A new delivery at the second process comments with the token the first one minted.
    expect((await post(ports[1], opened())).status).toBe(200);
    expect(github.comments).toHaveLength(2);
    expect(github.issuedTokens).toHaveLength(1);

    for (const cli of processes) cli.child.kill("SIGTERM");
    expect(await Promise.all(processes.map((cli) => cli.exited))).toEqual([0, 0]);
  });
});

describeRedis("two cold hookwright run processes on one REDIS_URL, 20 installations", () => {
  let redis: RedisServer;
  let github: FakeGitHub;
  const INSTALLATIONS = Array.from({ length: 20 }, (_, i) => i + 1);
  beforeAll(async () => {
    redis = await startRedisServer();
    github = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKey,
      installations: INSTALLATIONS.map((id) => ({
        id,
        account: { login: `owner${id}` },
        repositories: [`owner${id}/Hello-World`],
      })),
    });
  });
  afterEach(() => killChildren());
  afterAll(async () => {
    await github.close();
    await redis.stop();
  });

  it("exchanges one token per installation for 200 deliveries split between them", async () => {
    const env = {
      ...appEnv(await github.listen()),
      WEBHOOK_SECRET: SECRET,
      PORT: "0",
      HOST: "127.0.0.1",
      PLUGINS: "greeter",
      REDIS_URL: redis.url,
      // Inline, so each answer says the comment was made: the queue's case is queue-workers.
      DELIVERY_QUEUE: "off",
    };
    const processes = [startCli(env), startCli(env)];
    const ports = await Promise.all(
      processes.map(async (cli) => (await cli.waitFor((line) => line.msg === "listening")).port),
    );
    const fixture = JSON.parse(loadFixture("pull_request.opened.installation").toString("utf8"));
    const deliveryFor = (installationId: number) => {
      const payload = structuredClone(fixture);
      payload.installation.id = installationId;
      payload.repository.owner.login = `owner${installationId}`;
      payload.repository.full_name = `owner${installationId}/Hello-World`;
      return createSignedDelivery({
        secret: SECRET,
        event: "pull_request",
        rawBody: Buffer.from(JSON.stringify(payload)),
      });
    };
    const statuses = await Promise.all(
      Array.from({ length: 200 }, async (_, i) => {
        const delivery = deliveryFor(INSTALLATIONS[i % INSTALLATIONS.length]!);
        const response = await fetch(
          `http://127.0.0.1:${String(ports[i < 100 ? 0 : 1])}/api/github/webhooks`,
          { method: "POST", headers: delivery.headers, body: delivery.body },
        );
        return response.status;
      }),
    );
    expect(new Set(statuses)).toEqual(new Set([200]));
    expect(github.comments).toHaveLength(200);
    const exchanges = github.callsTo("POST", /^\/app\/installations\/\d+\/access_tokens$/);
    expect(exchanges.map((call) => call.path).sort()).toEqual(
      INSTALLATIONS.map((id) => `/app/installations/${id}/access_tokens`).sort(),
    );

    for (const cli of processes) cli.child.kill("SIGTERM");
    expect(await Promise.all(processes.map((cli) => cli.exited))).toEqual([0, 0]);
  });
});
