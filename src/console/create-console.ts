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
import { serveConsolePage, serveConsoleScript } from "./console-page.js";
import { REPLAY_HEADER, type DeliveryLog } from "./delivery-log.js";
import { renderDeliveryTest } from "./copy-as-test.js";
import { parseConsoleEvent, withAction } from "./event-names.js";
import { jsonErrorPosition } from "./json-position.js";
import { listSamples, readSample } from "./samples.js";
import { openStream } from "./stream.js";
import type { ScheduleStatus } from "../schedules/schedule-types.js";
import type { FailedJobs } from "../scheduler/failed-jobs.js";

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
  /** With the queue: its failed set, listed at `/console/api/jobs/failed` and retried there. */
  failedJobs?: FailedJobs;
  /** Masks credentials in what the console shows of errors (the logger's scrubber). */
  scrub?: (text: string) => string;
}

export interface DeliveryConsole {
  router: Router;
  /** Ends the live streams, so a shutdown need not wait for them. */
  close(): void;
}

// A cross-site form cannot send JSON without a CORS preflight, which this server never allows.
const jsonOnly: RequestHandler = (req, _res, next) => {
  if (req.is("application/json")) return next();
  next(new HookwrightError("UNSUPPORTED_MEDIA_TYPE", "console requests are application/json"));
};

/** The console lists this many of the newest failed jobs; `hookwright jobs failed` lists all. */
const FAILED_SHOWN = 100;

const nosniff: RequestHandler = (_req, res, next) => {
  res.set("x-content-type-options", "nosniff");
  next();
};

// The console's own page and calls are logged at debug: opening it once wrote ~30 lines.
const quiet: RequestHandler = (_req, res, next) => {
  res.locals.quietLog = true;
  next();
};

function payloadText(payload: unknown): string {
  const text = typeof payload === "string" ? payload : JSON.stringify(payload ?? null);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    const at = jsonErrorPosition(text);
    throw new HookwrightError(
      "INVALID_REQUEST",
      `the payload is not valid JSON${at === undefined ? "" : ` (${at})`}`,
    );
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
      queue: options.failedJobs !== undefined,
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
  api.get("/jobs/failed", async (_req, res) => {
    const scrub = options.scrub ?? ((text: string) => text);
    const jobs = (await options.failedJobs?.list(FAILED_SHOWN)) ?? [];
    res
      .set("cache-control", "no-store")
      .json({ jobs: jobs.map((job) => ({ ...job, reason: scrub(job.reason) })) });
  });
  api.post("/jobs/failed/:id/retry", jsonOnly, async (req, res) => {
    const id = String(req.params.id);
    if (!(await options.failedJobs?.retry(id))) {
      throw new HookwrightError("NOT_FOUND", "no delivery with that id is in the failed set");
    }
    res.json({ id, status: "queued" });
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
  // The editor asks as the user types: where the payload stops being JSON, if it does.
  api.post("/check-json", jsonOnly, json, (req, res) => {
    const payload = (req.body as { payload?: unknown } | undefined)?.payload;
    res.json({ error: typeof payload === "string" ? (jsonErrorPosition(payload) ?? null) : null });
  });
  api.post("/send", jsonOnly, json, async (req, res) => {
    const body = (req.body ?? {}) as { event?: unknown; payload?: unknown };
    const event = parseConsoleEvent(body.event);
    const signed = createSignedDelivery({
      secret: options.secret,
      event: event.name,
      rawBody: withAction(payloadText(body.payload), event),
    });
    const headers = { ...signed.headers, "user-agent": "Hookwright-Console" };
    const result = await options.receiver.receive(headers, signed.body);
    res.json({ id: signed.id, status: result.status, body: result.body });
  });
  // Redeliver sends the same id, as GitHub's redelivery does (a completed one is answered as a
  // duplicate); Run as new takes a fresh id so the handlers run again. The signature covers
  // only the body, so both stay verified.
  const resend = (kind: "redelivery" | "new"): RequestHandler =>
    async function resendHandler(req, res) {
      const seq = Number(req.params.seq);
      const request = options.log.replayRequest(seq);
      if (!request) {
        throw new HookwrightError("NOT_FOUND", "no replayable delivery with that number");
      }
      const id = kind === "new" ? randomUUID() : request.headers["x-github-delivery"];
      if (id === undefined) throw new HookwrightError("NOT_FOUND", "that delivery has no id");
      const headers = {
        ...request.headers,
        "x-github-delivery": id,
        [REPLAY_HEADER]: `${kind}:${seq}`,
      };
      const result = await options.receiver.receive(headers, request.body);
      res.json({ id, status: result.status, body: result.body });
    };
  api.get("/deliveries/:seq/test", (req, res) => {
    const seq = Number(req.params.seq);
    const entry = options.log.list().find((each) => each.seq === seq);
    const request = options.log.replayRequest(seq);
    if (!entry || !request)
      throw new HookwrightError("NOT_FOUND", "no delivery kept with that number");
    const name = `${entry.event.replaceAll(/[^a-z_.]/g, "")}-${seq}.test.ts`;
    res
      .set("content-disposition", `attachment; filename="${name}"`)
      .type("text/plain")
      .send(renderDeliveryTest(entry, request.body.toString("utf8")));
  });
  api.post("/deliveries/:seq/redeliver", jsonOnly, resend("redelivery"));
  api.post("/deliveries/:seq/run-as-new", jsonOnly, resend("new"));
  // The old name, kept for scripts written against it: it always was "run as new".
  api.post("/deliveries/:seq/replay", jsonOnly, resend("new"));
  if (options.setup) {
    api.post("/register", jsonOnly, json, registerHandler(options.setup, options.publicUrl));
  }

  // Each route checks its Host itself: a check on the router would also run for the plugins'
  // routes, which this router sits in front of.
  router.get("/", ownHost, quiet, auth, serveConsolePage(options.webUrl));
  router.get("/console/console.js", ownHost, quiet, auth, serveConsoleScript());
  router.get("/favicon.ico", ownHost, quiet, (_req, res) => void res.status(204).end());
  router.use("/console/api", ownHost, quiet, nosniff, ownOrigin, auth, api);
  if (options.setup) {
    const setupOrigin = requireOwnOrigin(options.publicUrl, { everyMethod: true });
    router.get(
      "/setup",
      ownHost,
      quiet,
      setupOrigin,
      setupPageHandler(options.setup, options.logger),
    );
  }
  return {
    router,
    close() {
      for (const end of streams) end();
      streams.clear();
    },
  };
}
