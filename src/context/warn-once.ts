import type { Logger } from "pino";

// Once per process, as Node warns about a deprecated API: a plugin that uses an old name on
// every delivery would otherwise fill the log with the same line.
const warned = new Set<string>();

/** Logs `message` at warn the first time `key` is seen in this process. */
export function warnOnce(log: () => Logger, key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  log().warn({ deprecated: key }, message);
}
