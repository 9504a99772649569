import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { createTokenCipher } from "../../../src/auth/token-cipher.js";
import type { InstallationToken } from "../../../src/auth/token-store.js";
import { generateStatelessToken, generateToken } from "../../../src/fake-github/tokens.js";
import { createRedisTokenStore } from "../../../src/redis/redis-token-store.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { testKeys } from "../../helpers/keys.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { until } from "../../helpers/wait.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

// Tokens are sealed at rest; every store of the app opens them with the same key.
const cipher = createTokenCipher(createPrivateKey(testKeys().privateKeyPem));

const FORMATS: [string, () => string][] = [
  ["classic", () => generateToken()],
  ["stateless", () => generateStatelessToken(17, Date.UTC(2030, 0, 1))],
];

function token(value: string): InstallationToken {
  return {
    token: value,
    expiresAt: "2030-01-01T00:00:00Z",
    installationId: 17,
    permissions: { issues: "write", metadata: "read" },
    repositorySelection: "selected",
    repositories: ["hello-world"],
  };
}

describeRedis("createRedisTokenStore with each token format", () => {
  const redisServer = useRedisServer();
  let counter = 0;

  it.each(FORMATS)("reads back a whole %s token, shared by another connection", async (_, mint) => {
    const keyPrefix = `test:formats:${++counter}:`;
    const logs = captureLogs();
    const [one, two] = await Promise.all([redisServer.connect(), redisServer.connect()]);
    const writer = createRedisTokenStore({ redis: one, keyPrefix, logger: logs.logger, cipher });
    const reader = createRedisTokenStore({ redis: two, keyPrefix, logger: logs.logger, cipher });
    const value = mint();
    await writer.set("k", token(value), 60_000);
    expect(await reader.get("k")).toEqual(token(value));
    await writer.delete("k");
    expect(await reader.get("k")).toBeUndefined();
    expect(logs.text()).not.toContain(value.slice(-24));
  });

  it.each(FORMATS)("warns without any of a %s token while Redis is down", async (_, mint) => {
    const logs = captureLogs();
    const redis = await redisServer.connect();
    const store = createRedisTokenStore({
      redis,
      keyPrefix: `test:down:${++counter}:`,
      logger: logs.logger,
      cipher,
    });
    const value = mint();
    await redisServer.server.stop();
    try {
      await store.set("k", token(value), 60_000);
      expect(await store.get("k")).toBeUndefined();
      expect(logs.records().filter((record) => record.level === 40).length).toBeGreaterThan(0);
      expect(logs.text()).not.toContain(value.slice(4, 40));
      expect(logs.text()).not.toContain(value.slice(-24));
    } finally {
      await redisServer.server.start();
    }
    // Back up, so the connection can QUIT cleanly when the suite ends.
    await until(5000, "reconnecting", () => redis.status === "ready");
  });
});
