import type { RequestHandler } from "express";
import type { Logger } from "pino";

const QUIET = new Set(["/health", "/ping", "/ready", "/metrics"]);

/** One line per request once answered: method, path, status, time, and the delivery it carried. */
export function logRequests(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      const path = req.path;
      const line = {
        method: req.method,
        path,
        status: res.statusCode,
        ms: Number((process.hrtime.bigint() - started) / 1000n) / 1000,
        delivery: res.locals.delivery as string | undefined,
        event: res.locals.event as string | undefined,
      };
      if (QUIET.has(path)) logger.debug(line, "request");
      else if (res.statusCode >= 500) logger.error(line, "request");
      else if (res.statusCode >= 400) logger.warn(line, "request");
      else logger.info(line, "request");
    });
    next();
  };
}
