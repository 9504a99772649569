import type { DeliveryObserver, ObservedCall } from "../app/observe-deliveries.js";
import { systemClock, type Clock } from "../clock.js";
import type { ReceiveResult } from "../webhooks/create-webhook-receiver.js";
import type { Delivery, Headers } from "../webhooks/parse-delivery.js";

export type Outcome = "running" | "completed" | "failed" | "duplicate" | "refused";

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
  error: string | null;
  calls: ObservedCall[];
  /** True when the request's bytes are kept, so it can be sent again. */
  replayable: boolean;
}

/** The bytes and headers needed to send a delivery again; its signature still covers them. */
export interface ReplayRequest {
  headers: Record<string, string>;
  body: Buffer;
}

export interface DeliveryLog extends DeliveryObserver {
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

const REPLAY_HEADERS = ["content-type", "x-github-event", "x-hub-signature-256", "user-agent"];
const MAX_CALLS = 200;

function describe(name: string, payload: Record<string, unknown>) {
  const { action, installation, repository } = payload as {
    action?: unknown;
    installation?: { id?: unknown };
    repository?: { full_name?: unknown };
  };
  return {
    event: typeof action === "string" ? `${name}.${action}` : name,
    installation: typeof installation?.id === "number" ? installation.id : null,
    repository: typeof repository?.full_name === "string" ? repository.full_name : null,
  };
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function errorText(error: unknown): string {
  const failures = error instanceof AggregateError ? error.errors : [error];
  return failures
    .map((failure) => (failure instanceof Error ? failure.message : String(failure)))
    .join("; ")
    .slice(0, 1000);
}

/**
 * The console's memory: the last `max` requests to the webhook path, each with the plugins
 * that ran, the API calls they made and how they ended. It is the app's DeliveryObserver.
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
        error: null,
        calls: [],
        replayable: false,
        ...fields,
      },
    };
    stored.push(item);
    if (stored.length > max) stored.shift();
    return item;
  }

  function answered(request: { headers: Headers; body: Buffer }, result: ReceiveResult) {
    const delivery = result.delivery;
    const id = delivery?.id ?? header(request.headers, "x-github-delivery") ?? "";
    let item = delivery && latest(id, (candidate) => candidate.entry.status === null);
    if (!item) {
      const refused = !delivery;
      const body = result.body as { error?: { code?: string; message?: string } };
      item = add(id, {
        ...(delivery
          ? describe(delivery.name, delivery.payload)
          : { event: header(request.headers, "x-github-event") ?? "(no event)" }),
        outcome: refused ? "refused" : "duplicate",
        error: refused && body.error ? `${body.error.code}: ${body.error.message}` : null,
      });
    }
    item.entry.status = result.status;
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

  return {
    started(delivery: Delivery) {
      changed(add(delivery.id, describe(delivery.name, delivery.payload)).entry);
    },
    pluginRan(id, plugin) {
      const item = latest(id);
      if (!item || item.entry.plugins.includes(plugin)) return;
      item.entry.plugins.push(plugin);
      changed(item.entry);
    },
    apiCall(id, call) {
      const item = latest(id);
      if (!item || item.entry.calls.length >= MAX_CALLS) return;
      item.entry.calls.push({ ...call });
      changed(item.entry);
    },
    finished(id, error) {
      const item = latest(id, (candidate) => candidate.entry.outcome === "running");
      if (!item) return;
      item.entry.outcome = error === undefined ? "completed" : "failed";
      item.entry.durationMs = clock.now() - item.startedAt;
      if (error !== undefined) item.entry.error = scrub(errorText(error));
      changed(item.entry);
    },
    answered,
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
