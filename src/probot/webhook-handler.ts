import type { IncomingMessage, ServerResponse } from "node:http";
import type { Express } from "express";
import type { Logger } from "pino";
import { toErrorBody, toHttpStatus } from "../errors.js";
import { readRawBody } from "../server/read-raw-body.js";
import { createDeliveryRunner } from "../app/run-delivery.js";
import { createDeliveryEvents } from "../events/delivery-events.js";
import { createInlineScheduler } from "../scheduler/inline-scheduler.js";
import { createWebhookReceiver } from "../webhooks/create-webhook-receiver.js";
import { createMemoryDeliveryRecords } from "../webhooks/delivery-records.js";
import type { Delivery } from "../webhooks/parse-delivery.js";

/** Probot's Node middleware: true when it answered, else `next()` is called (when given). */
export type NodeMiddleware = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => Promise<boolean>;

export interface WebhookHandlerOptions {
  path: string;
  secret: string;
  logger: Logger;
  /** The apps' own routes (`getRouter`, `addHandler`), asked first. */
  routes: Express;
  dispatch(delivery: Delivery): Promise<void>;
}

// GitHub caps a delivery at 25 MiB.
// https://docs.github.com/en/webhooks/webhook-events-and-payloads#payload-cap
const MAX_BODY_BYTES = 25 * 1024 * 1024;
// GitHub waits 10 s for an answer; a delivery still running then is answered 202.
const DEADLINE_MS = 9000;

function send(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": Buffer.byteLength(text),
  });
  res.end(text);
}

/**
 * Serves the apps' routes and the webhook path with Hookwright's receiver: the body read
 * up to GitHub's cap, the signature checked on the raw bytes, repeated delivery ids skipped.
 */
export function createWebhookHandler(options: WebhookHandlerOptions): NodeMiddleware {
  const { logger } = options;
  const records = createMemoryDeliveryRecords();
  const events = createDeliveryEvents();
  const runner = createDeliveryRunner({ dispatch: options.dispatch, records, events, logger });
  const scheduler = createInlineScheduler({ runner, records, logger, deadlineMs: DEADLINE_MS });
  const receiver = createWebhookReceiver({ secrets: [options.secret], scheduler, events });
  const viaRoutes = (req: IncomingMessage, res: ServerResponse) =>
    new Promise<boolean>((resolve, reject) => {
      // Express calls `next` only when no route answered; an answer ends with "finish".
      const answered = () => resolve(true);
      res.once("finish", answered);
      options.routes(req as never, res as never, (error?: unknown) => {
        res.off("finish", answered);
        if (error) reject(error);
        else resolve(false);
      });
    });

  return async (req, res, next) => {
    const pathname = new URL(req.url ?? "/", "http://localhost").pathname;
    if (pathname === options.path && req.method === "POST") {
      try {
        const body = await readRawBody(req, MAX_BODY_BYTES);
        const result = await receiver.receive(req.headers, body);
        send(res, result.status, result.body);
      } catch (error) {
        options.logger.error({ err: error }, "webhook request failed");
        send(res, toHttpStatus(error), toErrorBody(error));
      }
      return true;
    }
    if (await viaRoutes(req, res)) return true;
    next?.();
    return false;
  };
}
