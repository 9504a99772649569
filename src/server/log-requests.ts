import type { RequestHandler } from "express";
import type { Logger } from "pino";

const QUIET = new Set(["/health", "/ping", "/ready", "/metrics"]);

/** One line per request once answered: method, path, status, time, and the delivery it carried. */
export function logRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const path = req.path;
      const status = res.statusCode;
      const level = QUIET.has(path)
        ? "debug"
        : status >= 500
          ? "error"
          : status >= 400
            ? "warn"
            : "info";
      // Production runs at warn or above: skip building a line nobody will write.
      if (!logger.isLevelEnabled(level)) return;
      const line = {
        method: req.method,
        path,
        status,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        delivery: res.locals.delivery as string | undefined,
        event: res.locals.event as string | undefined,
      };
      logger[level](line, "request");
    });
    next();
  };
}
