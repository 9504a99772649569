import type { RequestHandler, Response } from "express";
import type { Logger } from "pino";
import { systemClock, type Clock } from "../clock.js";
import { deliveryFields } from "../logging/log-deliveries.js";
import { describeDelivery } from "../webhooks/describe-delivery.js";
import type { Delivery } from "../webhooks/parse-delivery.js";

const QUIET = new Set(["/health", "/ping", "/ready", "/metrics"]);
const MAX_PATH = 200;
/** Refused requests (4xx, 503) logged per second; the rest are counted in one line after. */
export const REFUSED_LINES_PER_SECOND = 20;

export interface LogRequestsOptions {
  clock?: Clock;
}

/**
 * A stranger decides how many requests are refused and what they carry, so those lines are
 * rate-limited and hold only bounded fields: a path cut short, a delivery id only in GitHub's
 * form (the route sets `res.locals.deliveryId` after checking it).
 */
function refusalLimit(clock: Clock) {
  let windowStart = Number.NEGATIVE_INFINITY;
  let written = 0;
  let skipped = 0;
  return (): { allowed: boolean; skipped: number } => {
    const now = clock.now();
    if (now - windowStart >= 1000) {
      windowStart = now;
      written = 0;
      const report = skipped;
      skipped = 0;
      written += 1;
      return { allowed: true, skipped: report };
    }
    if (written < REFUSED_LINES_PER_SECOND) {
      written += 1;
      return { allowed: true, skipped: 0 };
    }
    skipped += 1;
    return { allowed: false, skipped: 0 };
  };
}

// Under a symbol of this module, not a name in `res.locals` that a plugin's own route may also
// set; the fields are read off the payload only for a line that is written.
const VERIFIED = Symbol("verified delivery");
type Noted = { [VERIFIED]?: Delivery };

/** The webhook route gives the request's line its verified delivery. */
export function noteVerifiedDelivery(res: Response, delivery: Delivery): void {
  (res.locals as Noted)[VERIFIED] = delivery;
}

/**
 * One line per request once answered: method, path, HTTP status (`statusCode`: `status` is a
 * delivery's outcome on delivery lines), `durationMs`, and the delivery it carried: its
 * `deliveryId` once in GitHub's form, and its event, action, installation and repository
 * once verified (the route hands it over with `noteVerifiedDelivery`).
 */
export function logRequests(logger: Logger, options: LogRequestsOptions = {}): RequestHandler {
  const limit = refusalLimit(options.clock ?? systemClock);
  return (req, res, next) => {
    const started = performance.now();
    res.once("finish", () => {
      const status = res.statusCode;
      // Production runs at warn: a 2xx/3xx line is decided on before the path is read.
      if (status < 400 && !logger.isLevelEnabled("info")) return;
      const path = req.path.length > MAX_PATH ? `${req.path.slice(0, MAX_PATH)}…` : req.path;
      // `quietLog`: a route's own traffic (the console's page and API) says so itself.
      const level =
        QUIET.has(path) || res.locals.quietLog === true
          ? "debug"
          : status >= 500
            ? "error"
            : status >= 400
              ? "warn"
              : "info";
      if (!logger.isLevelEnabled(level)) return;
      if ((status >= 400 && status < 500) || status === 503) {
        const { allowed, skipped } = limit();
        if (skipped > 0) logger.warn({ skipped }, "refused requests not logged (rate limit)");
        if (!allowed) return;
      }
      const verified = (res.locals as Noted)[VERIFIED];
      const line = {
        method: req.method,
        path,
        statusCode: status,
        durationMs: Math.round((performance.now() - started) * 1000) / 1000,
        ...(verified !== undefined && deliveryFields(describeDelivery(verified))),
        // The header's id, once checked: the one field known before the body is verified.
        deliveryId: res.locals.deliveryId as string | undefined,
      };
      logger[level](line, "request");
    });
    next();
  };
}
