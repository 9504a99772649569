import { describe, expect, it } from "@jest/globals";
import type { InstallationToken } from "../../../src/auth/token-store.js";
import { createPrivateKey } from "node:crypto";
import { createTokenCipher } from "../../../src/auth/token-cipher.js";
import { createRedisTokenStore } from "../../../src/redis/redis-token-store.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { otherRsaKeyPem, testKeys } from "../../helpers/keys.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { sleep, until } from "../../helpers/wait.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

/** `promise`, or a rejection naming `what` once `ms` have passed. */
async function within<T>(ms: number, what: string, promise: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took over ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function token(value: string, installationId = 17): InstallationToken {
  return {
    token: value,
    expiresAt: "2030-01-01T00:00:00Z",
    installationId,
    permissions: { issues: "write", metadata: "read" },
    repositorySelection: "selected",
    repositories: ["hello-world"],
  };
}

const API = "https://api.github.com 4242";
const cipher = () => createTokenCipher(createPrivateKey(testKeys().privateKeyPem));

describeRedis("createRedisTokenStore", () => {
  const redisServer = useRedisServer();
  let counter = 0;

  /** A store on a new connection; `keyPrefix` defaults to one no other test uses. */
  async function open(keyPrefix = `test:token:${++counter}:`) {
    const logs = captureLogs();
    const redis = await redisServer.connect();
    const store = createRedisTokenStore({
      redis,
      keyPrefix,
      logger: logs.logger,
      cipher: cipher(),
    });
    return { store, redis, logs, keyPrefix };
  }

  it("reads back the token it was given", async () => {
    const { store } = await open();
    await store.set("k", token("ghs_one"), 60_000);
    expect(await store.get("k")).toEqual(token("ghs_one"));
    expect(await store.get("other")).toBeUndefined();
  });

  it("keeps each key under its keyPrefix, with the ttl it was given", async () => {
    const { store, redis, keyPrefix } = await open();
    await store.set("k", token("ghs_one"), 60_000);
    const pttl = await redis.pttl(`${keyPrefix}k`);
    expect(pttl).toBeGreaterThan(55_000);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it("stores nothing when the ttl is 0 or less", async () => {
    const { store, redis, keyPrefix, logs } = await open();
    await store.set("zero", token("ghs_zero"), 0);
    await store.set("negative", token("ghs_negative"), -5);
    expect(await store.get("zero")).toBeUndefined();
    expect(await store.get("negative")).toBeUndefined();
    expect(await redis.keys(`${keyPrefix}*`)).toEqual([]);
    // Redis would refuse PX 0 (and the store would warn): the store must not send it at all.
    expect(logs.records()).toEqual([]);
  });

  it("forgets a token once its ttl has passed", async () => {
    const { store } = await open();
    await store.set("short", token("ghs_short"), 50);
    expect(await store.get("short")).toEqual(token("ghs_short"));
    await sleep(150);
    expect(await store.get("short")).toBeUndefined();
  });

  it("deletes one key", async () => {
    const { store } = await open();
    await store.set("a", token("ghs_a"), 60_000);
    await store.set("b", token("ghs_b"), 60_000);
    await store.delete("a");
    expect(await store.get("a")).toBeUndefined();
    expect(await store.get("b")).toEqual(token("ghs_b"));
  });

  it("deletes every key under a prefix with glob characters, and nothing else", async () => {
    const { store, redis, keyPrefix } = await open();
    const doomed = [`${API} 1 *`, `${API} 1 contents:read`, `${API} 1 [repo]?`, `${API} 1 \\`];
    const kept = [`${API} 17 *`, `${API} 17 contents:read`, `${API} 10 *`, `${API} 2 *`, "1 *"];
    for (const key of [...doomed, ...kept]) await store.set(key, token(`ghs ${key}`), 60_000);
    await store.deletePrefix(`${API} 1 `);
    for (const key of doomed) expect([key, await store.get(key)]).toEqual([key, undefined]);
    for (const key of kept) expect([key, await store.get(key)]).toEqual([key, token(`ghs ${key}`)]);
    expect((await redis.keys(`${keyPrefix}*`)).length).toBe(kept.length);
  });

  it("treats *, ? and [ in the prefix as themselves", async () => {
    const { store } = await open("test:token:glob[*?]:");
    const keys = ["a*b 1", "a*b 2", "axb 1", "a?c 1", "abc 1", "[x] 1", "x 1", "a*bb 1"];
    for (const key of keys) await store.set(key, token(key), 60_000);
    await store.deletePrefix("a*b ");
    await store.deletePrefix("a?c");
    await store.deletePrefix("[x]");
    const left = [];
    for (const key of keys) if (await store.get(key)) left.push(key);
    expect(left).toEqual(["axb 1", "abc 1", "x 1", "a*bb 1"]);
  });

  it("leaves another keyPrefix's keys alone", async () => {
    const first = await open();
    const second = await open(`${first.keyPrefix}more:`);
    await first.store.set("k", token("ghs_first"), 60_000);
    await second.store.set("k", token("ghs_second"), 60_000);
    await second.store.deletePrefix("");
    expect(await first.store.get("k")).toEqual(token("ghs_first"));
    expect(await second.store.get("k")).toBeUndefined();
  });

  it("deletes a prefix holding more keys than one SCAN page", async () => {
    const { store, redis, keyPrefix } = await open();
    const pipeline = redis.pipeline();
    for (let i = 0; i < 1500; i += 1) pipeline.set(`${keyPrefix}p ${i}`, "{}", "PX", 60_000);
    pipeline.set(`${keyPrefix}q 1`, "{}", "PX", 60_000);
    await pipeline.exec();
    await store.deletePrefix("p ");
    expect(await redis.keys(`${keyPrefix}*`)).toEqual([`${keyPrefix}q 1`]);
  });

  it("shares tokens between two connections with the same keyPrefix", async () => {
    const one = await open();
    const two = await open(one.keyPrefix);
    await one.store.set("shared", token("ghs_shared"), 60_000);
    expect(await two.store.get("shared")).toEqual(token("ghs_shared"));
    await two.store.deletePrefix("sha");
    expect(await one.store.get("shared")).toBeUndefined();
  });

  it("keeps a sealed value: not the token, not containing it, different on every write", async () => {
    const { store, redis, keyPrefix } = await open();
    await store.set("k", token("ghs_plain_secret"), 60_000);
    const first = (await redis.get(`${keyPrefix}k`))!;
    await store.set("k", token("ghs_plain_secret"), 60_000);
    const second = (await redis.get(`${keyPrefix}k`))!;
    for (const stored of [first, second]) {
      expect(stored).not.toContain("ghs_plain_secret");
      expect(stored).not.toContain("hello-world");
    }
    // A random IV per write: equal tokens do not give equal values.
    expect(second).not.toBe(first);
  });

  it("misses, without a log line, on a value sealed by another key, tampered with, or not sealed", async () => {
    const { store, redis, keyPrefix, logs } = await open();
    const other = createRedisTokenStore({
      redis,
      keyPrefix,
      logger: logs.logger,
      cipher: createTokenCipher(createPrivateKey(otherRsaKeyPem())),
    });
    await other.set("rotated", token("ghs_under_old_key"), 60_000);
    expect(await store.get("rotated")).toBeUndefined();
    expect(await other.get("rotated")).toEqual(token("ghs_under_old_key"));

    await store.set("tampered", token("ghs_tampered"), 60_000);
    const sealed = (await redis.get(`${keyPrefix}tampered`))!;
    const flipped = sealed.slice(0, -2) + (sealed.endsWith("A") ? "B" : "A") + sealed.slice(-1);
    await redis.set(`${keyPrefix}tampered`, flipped);
    expect(await store.get("tampered")).toBeUndefined();

    // A value moved to another key does not open there: the key is authenticated with it.
    await store.set("narrow", token("ghs_narrow"), 60_000);
    await redis.set(`${keyPrefix}wide`, (await redis.get(`${keyPrefix}narrow`))!);
    expect(await store.get("wide")).toBeUndefined();

    await redis.set(`${keyPrefix}plain`, JSON.stringify(token("ghs_plain_json")));
    expect(await store.get("plain")).toBeUndefined();
    expect(logs.records()).toEqual([]);
  });

  it("misses on get, writes nothing and deletes nothing while Redis is down, warning once without the token", async () => {
    const { store, redis, logs } = await open();
    await store.set("k", token("ghs_secret_value"), 60_000);
    await redisServer.server.stop();
    try {
      expect(await within(2000, "get", store.get("k"))).toBeUndefined();
      await within(2000, "set", store.set("k2", token("ghs_other_secret"), 60_000));
      await within(2000, "delete", store.delete("k"));
      await within(2000, "deletePrefix", store.deletePrefix(""));
      const warnings = logs.records().filter((record) => record.level === 40);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.msg).toMatch(/REDIS_URL/);
      expect(logs.text()).not.toContain("ghs_secret_value");
      expect(logs.text()).not.toContain("ghs_other_secret");
    } finally {
      await redisServer.server.start();
    }
    // Back up (and empty): the same store works again, so the connection can QUIT cleanly.
    await until(5000, "reconnecting", () => redis.status === "ready");
    expect(await store.get("k")).toBeUndefined();
    await store.set("k", token("ghs_after"), 60_000);
    expect(await store.get("k")).toEqual(token("ghs_after"));
    expect(logs.records().filter((record) => record.level === 30)).toHaveLength(1);
  });
});
