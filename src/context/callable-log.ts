import type { LogFn, Logger } from "pino";
import { addStream, type AddedStream } from "../logging/add-stream.js";

/** A pino logger that can also be called, as `app.log("…")` and `context.log("…")` could up to Probot 12. */
export type CallableLogger = Logger & LogFn & { addStream(stream: AddedStream): void };

/**
 * `logger`, callable: a call logs at info, as Probot ≤ 12's logger did; every property is
 * the logger's own (`.info`, `.child`, `.level`, `.bindings()`), and Probot 9's `.addStream()`.
 *
 * @example
 * app.log("loaded"); // the same as app.log.info("loaded")
 */
export function callableLog(logger: Logger): CallableLogger {
  const call = (...args: Parameters<LogFn>) => logger.info(...args);
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(call, {
    get(_target, property) {
      if (property === "addStream" && !("addStream" in logger)) {
        return (stream: AddedStream) => addStream(logger, stream);
      }
      const value = Reflect.get(logger, property, logger) as unknown;
      if (typeof value !== "function") return value;
      // Bound once per property: pino's methods read their state through `this`.
      let method = bound.get(property);
      if (method === undefined || (method as { original?: unknown }).original !== value) {
        method = Object.assign((value as (...a: unknown[]) => unknown).bind(logger), {
          original: value,
        });
        bound.set(property, method);
      }
      return method;
    },
    set: (_target, property, value) => Reflect.set(logger, property, value, logger),
    has: (_target, property) => Reflect.has(logger, property),
  }) as unknown as CallableLogger;
}
