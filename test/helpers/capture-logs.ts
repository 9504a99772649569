import { Writable } from "node:stream";
import pino, { type Logger, type LoggerOptions } from "pino";

export interface CapturedLogs {
  logger: Logger;
  /** Each log line as pino wrote it, without the trailing newline. */
  lines(): string[];
  records(): Record<string, unknown>[];
  /** Every line joined with "\n": search it to prove a secret never reached the log. */
  text(): string;
}

/**
 * A pino logger at level "trace" that writes JSON lines to memory, synchronously, so a test can
 * read them right after the code under test returns.
 *
 * @example
 * const logs = captureLogs({ redact: ["token"] });
 * doWork({ logger: logs.logger });
 * expect(logs.text()).not.toContain(token);
 */
export function captureLogs(options: LoggerOptions = {}): CapturedLogs {
  const captured: string[] = [];
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: Buffer | string, _encoding, callback) {
      for (const line of chunk.toString().split("\n")) {
        if (line !== "") captured.push(line);
      }
      callback();
    },
  });
  const logger = pino({ level: "trace", ...options }, stream);
  return {
    logger,
    lines: () => [...captured],
    records: () => captured.map((line) => JSON.parse(line) as Record<string, unknown>),
    text: () => captured.join("\n"),
  };
}
