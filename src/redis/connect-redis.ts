import type { Redis } from "ioredis";
import type { Logger } from "pino";
import { HookwrightError } from "../errors.js";

/** The URL without its user and password, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname === "/" ? "" : parsed.pathname}`;
  } catch {
    return "the configured URL";
  }
}

export interface ConnectRedisOptions {
  url: string;
  logger: Logger;
  connectTimeoutMs?: number;
}

/**
 * Connects to REDIS_URL before the server listens, or fails start with one line. Once up,
 * a command sent while the connection is down fails at once instead of queueing (so a
 * delivery is answered 503 and GitHub keeps it), and the client reconnects by itself.
 * ioredis is imported here, so a server without REDIS_URL never loads it.
 */
export async function connectRedis(options: ConnectRedisOptions): Promise<Redis> {
  const { Redis } = await import("ioredis");
  const where = describeRedisUrl(options.url);
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: options.connectTimeoutMs ?? 5000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  // Said once per outage, not once per reconnection attempt.
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    options.logger.warn({ redis: where, reason: error.message }, "Redis cannot be reached");
  });
  redis.on("ready", () => {
    if (down) options.logger.info({ redis: where }, "Redis reachable again");
    down = false;
  });
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new HookwrightError(
      "CONFIG_INVALID",
      `REDIS_URL: cannot connect to ${where} (${reason})`,
      {
        variable: "REDIS_URL",
        cause,
      },
    );
  }
  return redis;
}
