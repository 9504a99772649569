import type { Logger } from "pino";

/** Says once that a Redis-backed part is working without Redis, and once that it is back. */
export interface OutageNotice {
  failed(error: unknown): void;
  ok(): void;
  /** True from a failure until the next success. */
  isDown(): boolean;
}

export function createOutageNotice(logger: Logger, failing: string, back: string): OutageNotice {
  let down = false;
  return {
    failed(error) {
      if (down) return;
      down = true;
      // The message only: an ioredis error can carry the command and its arguments.
      logger.warn({ err: { message: (error as Error)?.message } }, failing);
    },
    ok() {
      if (!down) return;
      down = false;
      logger.info(back);
    },
    isDown: () => down,
  };
}

/** What `askRedis` answers when the command failed. */
export const DOWN = Symbol("redis down");

/**
 * Runs a command, told to `notice`. A command that fails on a connection that is up is asked
 * once more (unless Redis is already known down): a process whose event loop was held past the
 * command timeout (a starved CPU) sees an answered command time out, and the second ask is
 * answered at once; taken for an outage, it would make this process exchange a token another
 * process is exchanging.
 */
export async function askRedis<T>(
  redis: { status: string },
  notice: OutageNotice,
  command: () => Promise<T>,
): Promise<T | typeof DOWN> {
  for (let tries = 1; ; tries += 1) {
    try {
      const answer = await command();
      notice.ok();
      return answer;
    } catch (error) {
      if (tries < 2 && !notice.isDown() && redis.status === "ready") continue;
      notice.failed(error);
      return DOWN;
    }
  }
}
