import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
  type Router,
} from "express";
import type { Logger } from "pino";
import type { Clock } from "../clock.js";
import type { DeliveryEvents } from "../events/delivery-events.js";
import { HookwrightError, isHookwrightError, toErrorBody, toHttpStatus } from "../errors.js";
import type { WebhookReceiver } from "../webhooks/create-webhook-receiver.js";
import { isDeliveryId } from "../webhooks/parse-delivery.js";
import { createBodyBudget, type BodyBudget } from "./body-budget.js";
import type { Metrics } from "./create-metrics.js";
import { logRequests, noteVerifiedDelivery } from "./log-requests.js";
import { metricsRoute, type MetricsAccess } from "./metrics-route.js";
import { readRawBody } from "./read-raw-body.js";
import { DEFAULT_HTTP_LIMITS } from "./server-limits.js";

/** "unavailable": listening, but a store deliveries need (REDIS_URL) cannot be reached. */
export type Readiness = "starting" | "ready" | "draining" | "unavailable";

export interface ServerOptions {
  receiver: WebhookReceiver;
  webhookPath: string;
  logger: Logger;
  readiness: () => Readiness;
  metrics: Metrics;
  /** With a port, `/metrics` is not served here (404); with a token, it needs it. */
  metricsAccess?: MetricsAccess;
  /** Told of every webhook request refused before the receiver saw it (`refused`). */
  events?: DeliveryEvents;
  /** Request body bytes held at once across all requests; over it, 503 (SERVER_BUSY). */
  bodyBudgetBytes?: number;
  /** The budget itself, when the caller reports it too (metrics); else one of bodyBudgetBytes. */
  bodyBudget?: BodyBudget;
  clock?: Clock;
}

/** GitHub caps a webhook payload at 25 MB; a longer body is refused while it is being read. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;
/** Seconds a client refused for the body budget is asked to wait. */
export const BUSY_RETRY_AFTER_S = 5;

function sendError(res: express.Response, error: unknown): void {
  if (isHookwrightError(error) && error.code === "SERVER_BUSY") {
    res.set("retry-after", String(BUSY_RETRY_AFTER_S));
  }
  res.status(toHttpStatus(error)).json(toErrorBody(error));
}

/**
 * Express and body-parser mark what they refuse with a 4xx `status` (a malformed `%`-escape in
 * a path, JSON that does not parse, a body over a parser's limit): those stay 4xx, with a
 * code of ours, instead of becoming a 500.
 */
function asClientError(error: unknown): unknown {
  const status = (error as { status?: unknown } | null)?.status;
  if (isHookwrightError(error) || typeof status !== "number" || status < 400 || status >= 500) {
    return error;
  }
  if (status === 404) return new HookwrightError("NOT_FOUND", "not found");
  if (status === 413) {
    return new HookwrightError("PAYLOAD_TOO_LARGE", "the request body is too large");
  }
  if (status === 415) return new HookwrightError("UNSUPPORTED_MEDIA_TYPE", "unsupported body");
  return new HookwrightError("INVALID_REQUEST", "the request is malformed", { cause: error });
}

/** The receiver reports its own refusals; these are the ones made before it reads a byte. */
function refusedHere(events: DeliveryEvents | undefined, error: unknown): void {
  if (!isHookwrightError(error) || !events?.wants("refused")) return;
  events.emit({ type: "refused", code: error.code, status: toHttpStatus(error) });
}

// No JSON parser in front of the webhook: the signature covers the raw bytes.
function webhookRoute(
  receiver: WebhookReceiver,
  budget: BodyBudget,
  events: DeliveryEvents | undefined,
): RequestHandler {
  return async (req, res) => {
    // Logged with the request even when the delivery is refused before it is parsed, but only
    // in GitHub's form: a stranger's 16 KB header is not written to the log.
    const id = req.get("x-github-delivery");
    res.locals.deliveryId = id !== undefined && isDeliveryId(id) ? id : undefined;
    const claim = budget.claim();
    try {
      const body = await readRawBody(req, MAX_BODY_BYTES, claim).catch((error: unknown) => {
        refusedHere(events, error);
        throw error;
      });
      const result = await receiver.receive(req.headers, body);
      if (result.delivery) noteVerifiedDelivery(res, result.delivery);
      // Written directly: res.json's content-type lookup and freshness checks showed in the
      // profile, and this answer never has an ETag or a range.
      const text = JSON.stringify(result.body);
      res.writeHead(result.status, {
        "content-type": "application/json; charset=utf-8",
        "content-length": Buffer.byteLength(text),
      });
      res.end(text);
    } finally {
      claim.release();
    }
  };
}

const handleErrors =
  (logger: Logger): ErrorRequestHandler =>
  (thrown, req, res, _next) => {
    // The client went away, or an answer was already started: nothing more can be said.
    if (req.socket.destroyed || res.headersSent) return void res.destroy();
    const error = asClientError(thrown);
    if (toHttpStatus(error) >= 500) logger.error({ err: error }, "request failed");
    sendError(res, error);
  };

/** The HTTP face: the webhook route, health and readiness, and routers plugins ask for. */
export function createServer(options: ServerOptions): {
  app: Express;
  getRouter(path?: string): Router;
} {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.use(logRequests(options.logger, { clock: options.clock }));
  const budget =
    options.bodyBudget ??
    createBodyBudget(options.bodyBudgetBytes ?? DEFAULT_HTTP_LIMITS.bodyBudgetBytes);
  app.post(options.webhookPath, webhookRoute(options.receiver, budget, options.events));
  app.all(options.webhookPath, (_req, res) => {
    res.set("allow", "POST");
    const error = new HookwrightError("METHOD_NOT_ALLOWED", "use POST for webhook deliveries");
    refusedHere(options.events, error);
    sendError(res, error);
  });
  app.get("/health", (_req, res) => void res.json({ status: "ok" }));
  app.get("/ping", (_req, res) => void res.type("text/plain").send("PONG"));
  if (options.metricsAccess?.port === undefined) {
    app.get("/metrics", metricsRoute(options.metrics, options.metricsAccess?.token));
  }
  app.get("/ready", (_req, res) => {
    const state = options.readiness();
    res.status(state === "ready" ? 200 : 503).json({ status: state });
  });
  const plugins = express.Router();
  app.use(plugins);
  // Registered after the plugins' routers, which are mounted on `plugins` as they ask.
  app.use((_req, res) => sendError(res, new HookwrightError("NOT_FOUND", "not found")));
  app.use(handleErrors(options.logger));
  return {
    app,
    getRouter(path = "/") {
      const router = express.Router();
      plugins.use(path, router);
      return router;
    },
  };
}
