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
  /** How long the first connection (TCP and Redis's first answer) may take. */
  connectTimeoutMs?: number;
  /** How long one command may wait for its answer: a Redis that hangs must not hang deliveries. */
  commandTimeoutMs?: number;
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
  const connectTimeoutMs = options.connectTimeoutMs ?? 5000;
  const redis = new Redis(options.url, {
    lazyConnect: true,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs ?? 2000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
  });
  let down = false;
  let lastError: Error | undefined;
  // Said once per outage, not once per reconnection attempt.
  redis.on("error", (error: Error) => {
    lastError = error;
    if (down) return;
    down = true;
    options.logger.warn({ redis: where, reason: error.message }, "Redis cannot be reached");
  });
  redis.on("ready", () => {
    if (down) options.logger.info({ redis: where }, "Redis reachable again");
    down = false;
  });
  let timer: NodeJS.Timeout | undefined;
  // connectTimeout covers only the TCP handshake: a server that accepts and never answers
  // (a stopped Redis, another service on the port) would keep start waiting forever.
  const silent = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`no answer within ${connectTimeoutMs} ms`)),
      connectTimeoutMs,
    );
  });
  try {
    await Promise.race([redis.connect(), silent]);
  } catch (cause) {
    redis.disconnect();
    // "Connection is closed." hides the reason (WRONGPASS, NOAUTH) the error event carried.
    const generic = cause instanceof Error && /Connection is closed/.test(cause.message);
    const reason = generic && lastError ? lastError.message : (cause as Error).message;
    throw new HookwrightError(
      "CONFIG_INVALID",
      `REDIS_URL: cannot connect to ${where} (${reason})`,
      {
        variable: "REDIS_URL",
        cause,
      },
    );
  } finally {
    clearTimeout(timer);
  }
  return redis;
}
