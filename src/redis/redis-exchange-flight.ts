import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import type { ExchangeFlight } from "../auth/exchange-flight.js";
import { systemClock, type Clock } from "../clock.js";
import { luaScript } from "./lua-script.js";
import { askRedis, DOWN, type OutageNotice } from "./outage-notice.js";

export interface RedisExchangeFlightOptions {
  redis: Redis;
  keyPrefix?: string;
  notice: OutageNotice;
  /**
   * How long a process holds a key's lock while it exchanges. A holder that dies frees the
   * key after this; it should cover an exchange with its retries, or a slow holder's lock
   * lapses and a second process exchanges too (one more token, nothing worse).
   */
  lockTtlMs?: number;
  /** Longest a process waits for another's token before exchanging its own. */
  waitMs?: number;
  /** How often a waiting process looks for the token. */
  pollMs?: number;
  clock?: Clock;
  sleep?: (ms: number) => Promise<void>;
}

// Frees the lock only while it is still this process's: once it has lapsed and another
// process holds it, a late release here must not let a third one in beside it.
const DELETE_IF_OWNED = luaScript(`if redis.call("GET", KEYS[1]) == ARGV[1] then
  return redis.call("DEL", KEYS[1])
end
return 0`);

/**
 * One exchange per key across every process on one Redis: the first to miss takes a short
 * lock (`SET NX PX` with a value naming it) and exchanges; the others poll for its token,
 * until the lock is gone (the holder failed or died: one of them takes it) or `waitMs` has
 * passed (they exchange without it). Redis being unreachable never blocks an exchange: the
 * process exchanges for itself.
 */
export function createRedisExchangeFlight(options: RedisExchangeFlightOptions): ExchangeFlight {
  const { redis, notice } = options;
  const namespace = options.keyPrefix ?? "hookwright:token-lock:";
  const lockTtlMs = options.lockTtlMs ?? 10_000;
  const waitMs = options.waitMs ?? lockTtlMs;
  const pollMs = options.pollMs ?? 50;
  const clock = options.clock ?? systemClock;
  const sleep =
    options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  const ask = <T>(command: () => Promise<T>) => askRedis(redis, notice, command);

  return {
    async run(key, exchange, lookup) {
      // A hung Redis costs each command its timeout: once one failed, a miss (whose read just
      // failed too) goes straight to GitHub rather than wait out one more.
      if (notice.isDown()) return exchange();
      const lock = namespace + key;
      const giveUpAt = clock.now() + waitMs;
      for (;;) {
        const owner = randomUUID();
        const taken = await ask(() => redis.set(lock, owner, "PX", lockTtlMs, "NX"));
        if (taken === DOWN) return exchange();
        // A SET asked twice (see askRedis) may have taken the lock the first time: its value
        // then names this process.
        let mine = taken === "OK";
        while (!mine) {
          if (clock.now() >= giveUpAt) return exchange();
          await sleep(pollMs);
          // In this order: a holder stores its token before it frees the lock, so a lock seen
          // gone means the lookup after it finds the token if there is one.
          const holder = await ask(() => redis.get(lock));
          if (holder === owner) {
            mine = true;
            break;
          }
          const token = await lookup();
          if (token) return token;
          if (holder === DOWN) return exchange();
          if (holder === null) break;
        }
        if (!mine) continue;
        try {
          // The previous holder may have stored its token between our miss and our lock.
          return (await lookup()) ?? (await exchange());
        } finally {
          await ask(() => DELETE_IF_OWNED(redis, [lock], [owner]));
        }
      }
    },
  };
}
