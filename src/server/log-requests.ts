import type { RequestHandler } from "express";
import type { Logger } from "pino";

const QUIET = new Set(["/health", "/ping", "/ready", "/metrics"]);

/** One line per request once answered: method, path, status, time, and the delivery it carried. */
export function logRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once("finish", () => {
      const status = res.statusCode;
      // Production runs at warn: a 2xx/3xx line is decided on before the path is read.
      if (status < 400 && !logger.isLevelEnabled("info")) return;
      const path = req.path;
      const level = QUIET.has(path)
        ? "debug"
        : status >= 500
          ? "error"
          : status >= 400
            ? "warn"
            : "info";
      if (!logger.isLevelEnabled(level)) return;
      const line = {
        method: req.method,
        path,
        status,
        ms: Math.round((performance.now() - started) * 1000) / 1000,
        delivery: res.locals.delivery as string | undefined,
        event: res.locals.event as string | undefined,
      };
      logger[level](line, "request");
    });
    next();
  };
}
