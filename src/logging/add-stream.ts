import { pino, type Logger } from "pino";

/** Probot 9's (bunyan's) `addStream` options: where lines go, from which level. */
export interface AddedStream {
  stream: { write(chunk: unknown): unknown };
  /** The lowest level written (bunyan's names and numbers are pino's). */
  level?: string | number;
  /** `"raw"`: the stream gets each record as an object, not a JSON line. */
  type?: string;
}

type WithStream = Record<symbol, { write(line: string): unknown } | undefined>;

/**
 * Probot 9's `log.addStream(...)`: every line the logger (and its children, which share its
 * destination) writes also goes to `stream`, already scrubbed of credentials.
 * @example
 * app.log.addStream({ level: "error", stream: { write: (line) => errors.push(line) } });
 */
export function addStream(logger: Logger, added: AddedStream): void {
  const target = logger as unknown as WithStream;
  const original = target[pino.symbols.streamSym];
  const minimum =
    typeof added.level === "number"
      ? added.level
      : (pino.levels.values[added.level ?? "trace"] ?? 10);
  target[pino.symbols.streamSym] = {
    write(line: string) {
      original?.write(line);
      const record = JSON.parse(line) as { level?: number };
      if ((record.level ?? 0) < minimum) return;
      added.stream.write(added.type === "raw" ? record : line);
    },
  };
}
