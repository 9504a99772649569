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
