import { createHash, timingSafeEqual } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import express, { type Express, type RequestHandler } from "express";
import type { Logger } from "pino";
import { HookwrightError, toErrorBody, toHttpStatus } from "../errors.js";
import type { Metrics } from "./create-metrics.js";

/** Where `/metrics` is served and who may read it (METRICS_PORT, METRICS_TOKEN). */
export interface MetricsAccess {
  /** Its own port: then the webhook port answers `/metrics` with 404. */
  port?: number;
  /** Every scrape must carry `Authorization: Bearer <token>`. */
  token?: string;
}

const digest = (text: string) => createHash("sha256").update(text).digest();

/** GET /metrics: Prometheus's text, behind the bearer token when one is configured. */
export function metricsRoute(metrics: Metrics, token: string | undefined): RequestHandler {
  const expected = token === undefined ? undefined : digest(token);
  return async (req, res) => {
    if (expected) {
      const given = /^Bearer\s+(\S+)$/i.exec(req.get("authorization") ?? "")?.[1];
      // Digests have one length, so the compare takes the same time whatever was sent.
      if (given === undefined || !timingSafeEqual(digest(given), expected)) {
        const error = new HookwrightError(
          "UNAUTHORIZED",
          "/metrics needs METRICS_TOKEN as a bearer token",
        );
        res.set("www-authenticate", 'Bearer realm="metrics"');
        return void res.status(toHttpStatus(error)).json(toErrorBody(error));
      }
    }
    const { contentType, text } = await metrics.render();
    res.type(contentType).send(text);
  };
}

/** An app serving only `/metrics`, for METRICS_PORT. */
export function metricsApp(metrics: Metrics, token: string | undefined): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("etag", false);
  app.get("/metrics", metricsRoute(metrics, token));
  app.use((_req, res) => {
    const error = new HookwrightError("NOT_FOUND", "not found");
    res.status(toHttpStatus(error)).json(toErrorBody(error));
  });
  return app;
}

/** The metrics port, listening. */
export interface MetricsListening {
  address: AddressInfo;
  /** Ends every connection at once: a scrape is short and can be retried. */
  close(): Promise<void>;
}

/**
 * With `access.port`, serves `/metrics` there on `host`, else does nothing. A failure to
 * listen carries `metricsPort`, so the CLI names METRICS_PORT rather than PORT.
 */
export function listenMetrics(
  metrics: Metrics,
  access: MetricsAccess | undefined,
  host: string | undefined,
  logger: Logger,
): Promise<MetricsListening | undefined> {
  const port = access?.port;
  if (port === undefined) return Promise.resolve(undefined);
  return new Promise((resolve, reject) => {
    const server = createServer(metricsApp(metrics, access?.token));
    server.once("error", (error) => reject(Object.assign(error, { metricsPort: port })));
    server.listen(port, host, () => {
      const address = server.address() as AddressInfo;
      logger.info({ port: address.port, host: address.address }, "metrics listening");
      resolve({
        address,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
