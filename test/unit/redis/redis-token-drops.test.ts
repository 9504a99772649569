import { describe, expect, it } from "@jest/globals";
import type { TokenDrop } from "../../../src/auth/token-drops.js";
import { createOutageNotice } from "../../../src/redis/outage-notice.js";
import {
  createRedisTokenDrops,
  type RedisTokenDrops,
} from "../../../src/redis/redis-token-drops.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { hasRedisServer, useRedisServer } from "../../helpers/redis-server.js";
import { sleep, until } from "../../helpers/wait.js";

const describeRedis = hasRedisServer ? describe : describe.skip;

describeRedis("createRedisTokenDrops", () => {
  const redisServer = useRedisServer();
  let counter = 0;

  async function pair() {
    const channel = `drops${++counter}`;
    const logs = captureLogs();
    const notice = createOutageNotice(logs.logger, "down", "back");
    const open = async () => {
      const drops = createRedisTokenDrops({ redis: await redisServer.connect(), channel, notice });
      const heard: (TokenDrop | "missed")[] = [];
      drops.subscribe({ drop: (drop) => heard.push(drop), missed: () => heard.push("missed") });
      await drops.start();
      return { drops, heard };
    };
    return { one: await open(), two: await open(), channel };
  }

  async function stopAll(...all: RedisTokenDrops[]) {
    await Promise.all(all.map((drops) => drops.stop()));
  }

  it("tells every process, the sender too, what was dropped", async () => {
    const { one, two } = await pair();
    try {
      await one.drops.publish({ prefix: "api 1 " });
      await one.drops.publish({ key: "api 2 *" });
      const expected = [{ prefix: "api 1 " }, { key: "api 2 *" }];
      await until(
        2000,
        "both hearing the drops",
        () => two.heard.length === 2 && one.heard.length === 2,
      );
      expect(two.heard).toEqual(expected);
      expect(one.heard).toEqual(expected);
    } finally {
      await stopAll(one.drops, two.drops);
    }
  });

  it("ignores messages that are not drops", async () => {
    const { one, two, channel } = await pair();
    const redis = await redisServer.connect();
    try {
      await redis.publish(channel, "not json");
      await redis.publish(channel, JSON.stringify({ other: 1 }));
      await one.drops.publish({ key: "k" });
      await until(2000, "hearing the drop", () => two.heard.length === 1);
      expect(two.heard).toEqual([{ key: "k" }]);
    } finally {
      await stopAll(one.drops, two.drops);
    }
  });

  it("says drops may have been missed when its connection comes back, and hears them again", async () => {
    const { one, two } = await pair();
    try {
      await redisServer.server.stop();
      await redisServer.server.start();
      await until(5000, "both resubscribed", () =>
        [one, two].every(({ heard }) => heard.includes("missed")),
      );
      // A publish can race the resubscription by a moment: publish until heard.
      const giveUpAt = Date.now() + 5000;
      while (!two.heard.some((heard) => heard !== "missed") && Date.now() < giveUpAt) {
        await one.drops.publish({ key: "after" });
        await sleep(20);
      }
      expect(two.heard).toContainEqual({ key: "after" });
    } finally {
      await stopAll(one.drops, two.drops);
    }
  });
});
