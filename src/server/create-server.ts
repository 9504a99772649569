import express, {
  type ErrorRequestHandler,
  type Express,
  type RequestHandler,
  type Router,
} from "express";
import type { Logger } from "pino";
import { HookwrightError, toErrorBody, toHttpStatus } from "../errors.js";
import type { WebhookReceiver } from "../webhooks/create-webhook-receiver.js";
import { logRequests } from "./log-requests.js";

export type Readiness = "starting" | "ready" | "draining";

export interface ServerOptions {
  receiver: WebhookReceiver;
  webhookPath: string;
  logger: Logger;
  readiness: () => Readiness;
}

/** GitHub caps a webhook payload at 25 MB; a longer body is refused while it is being read. */
export const MAX_BODY_BYTES = 25 * 1024 * 1024;

// body-parser reports its failures with a `type`; these are the client's fault.
const BODY_ERRORS: Record<string, HookwrightError> = {
  "entity.too.large": new HookwrightError("PAYLOAD_TOO_LARGE", "the body is over the 25 MiB cap"),
  "encoding.unsupported": new HookwrightError(
    "UNSUPPORTED_MEDIA_TYPE",
    "unsupported content encoding",
  ),
  "charset.unsupported": new HookwrightError("UNSUPPORTED_MEDIA_TYPE", "unsupported charset"),
};

function sendError(res: express.Response, error: unknown): void {
  res.status(toHttpStatus(error)).json(toErrorBody(error));
}

function webhookRoute(receiver: WebhookReceiver): RequestHandler {
  return async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const result = await receiver.receive(req.headers, body);
    if (result.delivery) {
      res.locals.delivery = result.delivery.id;
      res.locals.event = result.delivery.name;
    }
    res.status(result.status).json(result.body);
  };
}

const handleErrors =
  (logger: Logger): ErrorRequestHandler =>
  (error, _req, res, _next) => {
    const known = BODY_ERRORS[(error as { type?: string }).type ?? ""];
    if (known) return sendError(res, known);
    if ((error as { type?: string }).type === "request.aborted") return void res.end();
    logger.error({ err: error }, "request failed");
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
  // No JSON parser in front of the webhook: the signature covers the raw bytes.
  app.post(
    options.webhookPath,
    express.raw({ type: () => true, limit: MAX_BODY_BYTES }),
    webhookRoute(options.receiver),
  );
  app.all(options.webhookPath, (_req, res) => {
    res.set("allow", "POST");
    sendError(res, new HookwrightError("METHOD_NOT_ALLOWED", "use POST for webhook deliveries"));
  });
  app.get("/health", (_req, res) => void res.json({ status: "ok" }));
  app.get("/ping", (_req, res) => void res.type("text/plain").send("PONG"));
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
