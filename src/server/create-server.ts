import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
  type Router,
} from "express";
import type { Logger } from "pino";
import { HookwrightError, toErrorBody, toHttpStatus } from "../errors.js";
import type { WebhookReceiver } from "../webhooks/create-webhook-receiver.js";
import type { Metrics } from "./create-metrics.js";
import { logRequests } from "./log-requests.js";
import { readRawBody } from "./read-raw-body.js";

/** "unavailable": listening, but a store deliveries need (REDIS_URL) cannot be reached. */
export type Readiness = "starting" | "ready" | "draining" | "unavailable";

export interface ServerOptions {
  receiver: WebhookReceiver;
  webhookPath: string;
  logger: Logger;
  readiness: () => Readiness;
  metrics: Metrics;
}

/** GitHub caps a webhook payload at 25 MB; a longer body is refused while it is being read. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

function sendError(res: express.Response, error: unknown): void {
  res.status(toHttpStatus(error)).json(toErrorBody(error));
}

// No JSON parser in front of the webhook: the signature covers the raw bytes.
function webhookRoute(receiver: WebhookReceiver): RequestHandler {
  return async (req, res) => {
    // Logged with the request even when the delivery is refused before it is parsed.
    res.locals.delivery = req.get("x-github-delivery");
    const body = await readRawBody(req, MAX_BODY_BYTES);
    const result = await receiver.receive(req.headers, body);
    if (result.delivery) res.locals.event = result.delivery.name;
    // Written directly: res.json's content-type lookup and freshness checks showed in the
    // profile, and this answer never has an ETag or a range.
    const text = JSON.stringify(result.body);
    res.writeHead(result.status, {
      "content-type": "application/json; charset=utf-8",
      "content-length": Buffer.byteLength(text),
    });
    res.end(text);
  };
}

const handleErrors =
  (logger: Logger): ErrorRequestHandler =>
  (error, req, res, _next) => {
    // The client went away, or an answer was already started: nothing more can be said.
    if (req.socket.destroyed || res.headersSent) return void res.destroy();
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
  app.use(logRequests(options.logger));
  app.post(options.webhookPath, webhookRoute(options.receiver));
  app.all(options.webhookPath, (_req, res) => {
    res.set("allow", "POST");
    sendError(res, new HookwrightError("METHOD_NOT_ALLOWED", "use POST for webhook deliveries"));
  });
  app.get("/health", (_req, res) => void res.json({ status: "ok" }));
  app.get("/ping", (_req, res) => void res.type("text/plain").send("PONG"));
  app.get("/metrics", async (_req, res) => {
    const { contentType, text } = await options.metrics.render();
    res.type(contentType).send(text);
  });
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
