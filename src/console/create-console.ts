import { randomUUID } from "node:crypto";
import express, { type RequestHandler, type Router } from "express";
import type { Logger } from "pino";
import { HookwrightError } from "../errors.js";
import type { SandboxChange } from "../sandbox/describe-changes.js";
import type { Setup } from "../setup/create-setup.js";
import { registerHandler, setupPageHandler } from "../setup/setup-routes.js";
import { createSignedDelivery } from "../fake-github/signed-delivery.js";
import type { WebhookReceiver } from "../webhooks/create-webhook-receiver.js";
import { requireConsoleToken } from "./console-auth.js";
import { requireOwnHost, requireOwnOrigin } from "./own-host.js";
import { serveConsolePage } from "./console-page.js";
import type { DeliveryLog } from "./delivery-log.js";
import { listSamples, readSample } from "./samples.js";
import { openStream } from "./stream.js";
import type { ScheduleStatus } from "../schedules/schedule-types.js";

export interface ConsoleOptions {
  log: DeliveryLog;
  /** The app's receiver: what the console sends goes through the same checks as GitHub's. */
  receiver: Pick<WebhookReceiver, "receive">;
  /** Signs the sample deliveries the console sends (the app's current webhook secret). */
  secret: string;
  /** CONSOLE_TOKEN; without it the console is open, which only the sandbox allows. */
  token: string | undefined;
  fixturesDir: string;
  logger: Logger;
  /** GitHub's web host: the registration form is posted there. */
  webUrl: string;
  sandbox?: { installationId: number; changesFor(deliveryId: string): SandboxChange[] };
  setup?: Setup;
  webhookProxyUrl?: string;
  /** PUBLIC_URL's origin: the one non-loopback host the console answers; https makes its cookie Secure. */
  publicUrl?: string;
  /** The plugins' `app.schedule`s, listed at `/console/api/schedules`. */
  schedules?: () => Promise<ScheduleStatus[]>;
}

export interface DeliveryConsole {
  router: Router;
  /** Ends the live streams, so a shutdown need not wait for them. */
  close(): void;
}

const EVENT_NAME = /^[a-z_]{1,64}$/;

// A cross-site form cannot send JSON without a CORS preflight, which this server never allows.
const jsonOnly: RequestHandler = (req, _res, next) => {
  if (req.is("application/json")) return next();
  next(new HookwrightError("UNSUPPORTED_MEDIA_TYPE", "console requests are application/json"));
};

const nosniff: RequestHandler = (_req, res, next) => {
  res.set("x-content-type-options", "nosniff");
  next();
};

function payloadText(payload: unknown): string {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload ?? null);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new HookwrightError("INVALID_REQUEST", "the payload is not valid JSON");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new HookwrightError("INVALID_REQUEST", "the payload must be a JSON object");
  }
  return text;
}

/**
 * The delivery console: the page at `/`, its API under `/console/api`, and `/setup` (where
 * GitHub returns after an app is registered). It shows deliveries, API calls and sandbox
 * changes, never a token, secret or key.
 */
export function createConsole(options: ConsoleOptions): DeliveryConsole {
  const router = express.Router();
  const auth = requireConsoleToken(options.token, options.publicUrl);
  const ownHost = requireOwnHost(options.publicUrl);
  const ownOrigin = requireOwnOrigin(options.publicUrl);
  const api = express.Router();
  const json = express.json({ limit: "26mb", strict: true });
  const streams = new Set<() => void>();

  api.get("/info", (_req, res) => {
    res.json({
      sandbox: options.sandbox !== undefined,
      registration: options.setup !== undefined,
      webhookProxyUrl: options.webhookProxyUrl ?? null,
    });
  });
  api.get("/deliveries", (_req, res) => {
    const changesFor = options.sandbox?.changesFor;
    const deliveries = options.log.list().map((entry) => ({
      ...entry,
      changes: changesFor && entry.outcome !== "duplicate" ? changesFor(entry.id) : [],
    }));
    res.set("cache-control", "no-store").json({ deliveries });
  });
  api.get("/schedules", async (_req, res) => {
    const iso = (ms: number | undefined) => (ms === undefined ? null : new Date(ms).toISOString());
    const schedules = ((await options.schedules?.()) ?? []).map((status) => ({
      id: status.id,
      per: status.per,
      lastRunAt: iso(status.lastRunAt),
      nextRunAt: iso(status.nextRunAt),
    }));
    res.set("cache-control", "no-store").json({ schedules });
  });
  api.get("/stream", (req, res) => {
    const end = openStream(req, res, options.log);
    streams.add(end);
    res.on("close", () => streams.delete(end));
  });
  api.get("/samples", (_req, res) => void res.json({ samples: listSamples(options.fixturesDir) }));
  api.get("/samples/:name", (req, res) => {
    const name = req.params.name;
    const payload = readSample(options.fixturesDir, name, options.sandbox?.installationId);
    res.json({ name, event: name.split(".")[0], payload });
  });
  api.post("/send", jsonOnly, json, async (req, res) => {
    const { event, payload } = (req.body ?? {}) as { event?: unknown; payload?: unknown };
    if (typeof event !== "string" || !EVENT_NAME.test(event)) {
      throw new HookwrightError("INVALID_REQUEST", "event must be an event name such as issues");
    }
    const signed = createSignedDelivery({
      secret: options.secret,
      event,
      rawBody: payloadText(payload),
    });
    const headers = { ...signed.headers, "user-agent": "Hookwright-Console" };
    const result = await options.receiver.receive(headers, signed.body);
    res.json({ id: signed.id, status: result.status, body: result.body });
  });
  api.post("/deliveries/:seq/replay", jsonOnly, async (req, res) => {
    const request = options.log.replayRequest(Number(req.params.seq));
    if (!request) throw new HookwrightError("NOT_FOUND", "no replayable delivery with that number");
    // A new id, or the receiver would answer "duplicate"; the signature covers only the body.
    const id = randomUUID();
    const result = await options.receiver.receive(
      { ...request.headers, "x-github-delivery": id },
      request.body,
    );
    res.json({ id, status: result.status, body: result.body });
  });
  if (options.setup) {
    api.post("/register", jsonOnly, json, registerHandler(options.setup, options.publicUrl));
  }

  // Each route checks its Host itself: a check on the router would also run for the plugins'
  // routes, which this router sits in front of.
  router.get("/", ownHost, auth, serveConsolePage(options.webUrl));
  router.use("/console/api", ownHost, nosniff, ownOrigin, auth, api);
  if (options.setup) {
    const setupOrigin = requireOwnOrigin(options.publicUrl, { everyMethod: true });
    router.get("/setup", ownHost, setupOrigin, setupPageHandler(options.setup, options.logger));
  }
  return {
    router,
    close() {
      for (const end of streams) end();
      streams.clear();
    },
  };
}
