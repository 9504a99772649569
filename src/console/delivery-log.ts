import { systemClock, type Clock } from "../clock.js";
import type {
  AnsweredRequest,
  DeliveryEvent,
  DeliveryEvents,
  DeliverySummary,
} from "../events/delivery-events.js";
import type { Headers } from "../webhooks/parse-delivery.js";
import {
  logCall,
  recordRun,
  replayMarkOf,
  REPLAY_HEADER,
  type LoggedCall,
  type PluginRun,
  type ReplayMark,
} from "./delivery-entry.js";

export { REPLAY_HEADER, type LoggedCall, type PluginRun, type ReplayMark };

export type Outcome = "queued" | "running" | "completed" | "failed" | "duplicate" | "refused";

/** One request to the webhook path, as the console shows it. */
export interface DeliveryEntry {
  /** Position in the log; a redelivery of one id gets a row of its own. */
  seq: number;
  id: string;
  receivedAt: string;
  /** `issues.opened`, or the bare event name when there is no action. */
  event: string;
  installation: number | null;
  repository: string | null;
  /** The HTTP status answered; null until answered. */
  status: number | null;
  outcome: Outcome;
  durationMs: number | null;
  plugins: string[];
  pluginRuns: PluginRun[];
  error: string | null;
  calls: LoggedCall[];
  replay: ReplayMark | null;
  /** Which run of the delivery this row shows (a queued one is retried); null until it starts. */
  attempt: number | null;
  /** True when a worker in another process ran it (its events came back over Redis). */
  worker: boolean;
  /** True when the request's bytes are kept, so it can be sent again. */
  replayable: boolean;
}

/** The bytes and headers needed to send a delivery again; its signature still covers them. */
export interface ReplayRequest {
  headers: Record<string, string>;
  body: Buffer;
}

export interface DeliveryLog {
  /** Takes one delivery event into the log. */
  handle(event: DeliveryEvent): void;
  /** Subscribes `handle` to the events; returns the unsubscribe. */
  attach(events: DeliveryEvents): () => void;
  /** Newest first. */
  list(): DeliveryEntry[];
  replayRequest(seq: number): ReplayRequest | undefined;
  /** Called with the entry's seq whenever an entry changes; returns the unsubscribe. */
  subscribe(listener: (seq: number) => void): () => void;
}

export interface DeliveryLogOptions {
  clock?: Clock;
  /** Entries kept; older ones are dropped. */
  max?: number;
  /** Bodies above this are not kept, so their delivery cannot be replayed. */
  maxReplayBytes?: number;
  /** Masks credentials in error messages (the logger's scrubber). */
  scrub?: (text: string) => string;
}

interface Stored {
  entry: DeliveryEntry;
  startedAt: number;
  request?: ReplayRequest;
}

const REPLAY_HEADERS = [
  "content-type",
  "x-github-event",
  "x-github-delivery",
  "x-hub-signature-256",
  "user-agent",
];
const MAX_CALLS = 200;

function describe(delivery: DeliverySummary) {
  return {
    event: delivery.event,
    installation: delivery.installation ?? null,
    repository: delivery.repo ?? null,
  };
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The console's memory: the last `max` requests to the webhook path, each with the plugins
 * that ran, the API calls they made and how they ended. It subscribes to the delivery events.
 */
export function createDeliveryLog(options: DeliveryLogOptions = {}): DeliveryLog {
  const clock = options.clock ?? systemClock;
  const max = options.max ?? 100;
  const maxReplayBytes = options.maxReplayBytes ?? 1024 * 1024;
  const scrub = options.scrub ?? ((text: string) => text);
  const stored: Stored[] = [];
  const listeners = new Set<(seq: number) => void>();
  let seq = 0;

  const changed = (entry: DeliveryEntry) => {
    for (const listener of listeners) listener(entry.seq);
  };
  // The newest row for this id: calls and the end of a run belong to the latest attempt.
  const latest = (id: string, where: (item: Stored) => boolean = () => true) =>
    stored.findLast((item) => item.entry.id === id && where(item));

  function add(id: string, fields: Partial<DeliveryEntry>): Stored {
    const item: Stored = {
      startedAt: clock.now(),
      entry: {
        seq: ++seq,
        id,
        receivedAt: new Date(clock.now()).toISOString(),
        event: "",
        installation: null,
        repository: null,
        status: null,
        outcome: "running",
        durationMs: null,
        plugins: [],
        pluginRuns: [],
        error: null,
        calls: [],
        replay: null,
        attempt: null,
        worker: false,
        replayable: false,
        ...fields,
      },
    };
    stored.push(item);
    if (stored.length > max) stored.shift();
    return item;
  }

  function answered(request: AnsweredRequest) {
    const delivery = request.delivery;
    const id = delivery?.id ?? header(request.headers, "x-github-delivery") ?? "";
    let item = delivery && latest(id, (candidate) => candidate.entry.status === null);
    if (!item) {
      // Not verified, or verified and still refused (503: store down, lease held, draining).
      const refused = !delivery || request.status >= 400;
      const body = request.answer as {
        status?: string;
        error?: { code?: string; message?: string };
      };
      item = add(id, {
        ...(delivery
          ? describe(delivery)
          : { event: header(request.headers, "x-github-event") ?? "(no event)" }),
        // Queued: a worker, here or in another process, runs it later (its `started` follows).
        outcome: refused ? "refused" : body.status === "queued" ? "queued" : "duplicate",
        error: refused && body.error ? `${body.error.code}: ${body.error.message}` : null,
      });
    }
    item.entry.status = request.status;
    item.entry.replay ??= replayMarkOf(header(request.headers, REPLAY_HEADER));
    if (delivery && request.body.length <= maxReplayBytes) {
      const headers: Record<string, string> = {};
      for (const name of REPLAY_HEADERS) {
        const value = header(request.headers, name);
        if (value !== undefined) headers[name] = value;
      }
      item.request = { headers, body: Buffer.from(request.body) };
      item.entry.replayable = true;
    }
    changed(item.entry);
  }

  function handle(event: DeliveryEvent): void {
    if (event.type === "answered") return answered(event.request);
    if (event.type === "started") {
      // The first run of a queued delivery fills its row; a retry gets a row of its own.
      const queued = latest(event.delivery.id, (item) => item.entry.outcome === "queued");
      const item = queued ?? add(event.delivery.id, describe(event.delivery));
      if (queued) queued.entry.outcome = "running";
      item.entry.attempt = event.attempt;
      item.entry.worker = event.relayed === true;
      return changed(item.entry);
    }
    if (event.type === "plugin") {
      const item = latest(event.id);
      if (!item) return;
      if (!item.entry.plugins.includes(event.plugin)) item.entry.plugins.push(event.plugin);
      recordRun(item.entry.pluginRuns, event.plugin, event.outcome, event.error, scrub);
      return changed(item.entry);
    }
    if (event.type === "api-call") {
      const item = event.id === undefined ? undefined : latest(event.id);
      if (!item || item.entry.calls.length >= MAX_CALLS) return;
      item.entry.calls.push(logCall(event.call, scrub));
      return changed(item.entry);
    }
    if (event.type === "finished") {
      const id = event.delivery.id;
      const item = latest(id, (candidate) => candidate.entry.outcome === "running");
      if (!item) return;
      item.entry.outcome = event.outcome === "completed" ? "completed" : "failed";
      item.entry.durationMs = Math.round(event.seconds * 1000);
      if (event.error !== undefined) item.entry.error = scrub(event.error);
      else if (event.outcome === "handed-back") item.entry.error = "handed back at shutdown";
      changed(item.entry);
    }
    if (event.type === "dead") {
      const item = latest(event.delivery.id);
      if (!item) return;
      item.entry.outcome = "failed";
      const why = event.error === undefined ? "" : `: ${scrub(event.error)}`;
      item.entry.error = `failed on all ${event.attempts} attempts, now in the failed set${why}`;
      changed(item.entry);
    }
  }

  return {
    handle,
    attach: (events) =>
      events.subscribe(handle, ["answered", "started", "plugin", "api-call", "finished", "dead"], {
        // The console shows each call's bodies; only it pays for reading them.
        bodies: true,
      }),
    list: () => stored.map((item) => structuredClone(item.entry)).reverse(),
    replayRequest(wanted) {
      const request = stored.find((item) => item.entry.seq === wanted)?.request;
      return request && { headers: { ...request.headers }, body: Buffer.from(request.body) };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
