import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** A Lua script run by its SHA1: its text crosses the wire once per server, not per call. */
export type LuaScript = (
  redis: Redis,
  keys: readonly string[],
  args: readonly (string | number)[],
) => Promise<unknown>;

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith("NOSCRIPT");
}

/**
 * EVALSHA, falling back to EVAL (which also loads the script) when the server does not know
 * it yet: after a restart, a failover or SCRIPT FLUSH. One round trip on the warm path.
 */
export function luaScript(lua: string): LuaScript {
  const sha = createHash("sha1").update(lua).digest("hex");
  return async (redis, keys, args) => {
    try {
      return await redis.evalsha(sha, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
      return redis.eval(lua, keys.length, ...keys, ...args);
    }
  };
}
