import type { Redis } from "ioredis";
import type { TokenDrop, TokenDropChannel, TokenDropListener } from "../auth/token-drops.js";
import type { OutageNotice } from "./outage-notice.js";

export interface RedisTokenDrops extends TokenDropChannel {
  /** Opens the subscribing connection (a subscribed connection can send nothing else). */
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface RedisTokenDropsOptions {
  redis: Redis;
  channel?: string;
  notice: OutageNotice;
}

function parse(message: string): TokenDrop | undefined {
  try {
    const drop = JSON.parse(message) as Partial<{ key: unknown; prefix: unknown }>;
    if (typeof drop.key === "string") return { key: drop.key };
    if (typeof drop.prefix === "string") return { prefix: drop.prefix };
  } catch {
    // Not ours: ignored.
  }
  return undefined;
}

/**
 * Drops told to every process through Redis pub/sub. Pub/sub keeps nothing: a process whose
 * connection was down misses what was said meanwhile, so it forgets all it holds in memory
 * when the connection is back, and memory entries are short-lived anyway.
 */
export function createRedisTokenDrops(options: RedisTokenDropsOptions): RedisTokenDrops {
  const { redis, notice } = options;
  const channel = options.channel ?? "hookwright:token-drops";
  const listeners: TokenDropListener[] = [];
  let subscriber: Redis | undefined;
  return {
    subscribe(listener) {
      listeners.push(listener);
    },
    async publish(drop) {
      try {
        await redis.publish(channel, JSON.stringify(drop));
        notice.ok();
      } catch (error) {
        notice.failed(error);
      }
    },
    async start() {
      const connection = redis.duplicate();
      subscriber = connection;
      let lost = false;
      // The main connection already says when Redis is unreachable.
      connection.on("error", () => undefined);
      connection.on("close", () => {
        lost = true;
      });
      connection.on("ready", () => {
        if (!lost) return;
        lost = false;
        for (const listener of listeners) listener.missed();
      });
      connection.on("message", (from: string, message: string) => {
        const drop = from === channel ? parse(message) : undefined;
        if (drop) for (const listener of listeners) listener.drop(drop);
      });
      if (connection.status === "wait") await connection.connect();
      await connection.subscribe(channel);
    },
    async stop() {
      const connection = subscriber;
      subscriber = undefined;
      await connection?.quit().catch(() => connection.disconnect());
    },
  };
}
