import type { Logger } from "pino";
import { createLogger } from "../logging/create-logger.js";

export interface MemoryLogger {
  logger: Logger;
  /** Every line logged so far, parsed. */
  records(): Record<string, unknown>[];
}

/** Hookwright's own logger (redaction and scrubbing included), writing JSON lines to memory. */
export function createMemoryLogger(secrets: readonly string[] = []): MemoryLogger {
  const lines: string[] = [];
  const logger = createLogger({
    level: "trace",
    format: "json",
    secrets,
    destination: { write: (line: string) => void lines.push(line) },
  });
  return {
    logger,
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}
