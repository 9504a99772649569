import type { Headers } from "../webhooks/parse-delivery.js";

/** One GitHub API call, as the delivery console lists it (never its headers or body). */
export interface ObservedCall {
  method: string;
  /** Path and query below the API URL, e.g. `/repos/octo/hello/issues/1/comments`. */
  path: string;
  /** 0 when no answer came (network failure, timeout). */
  status: number;
  /** From sending the call to its answer's headers (its body is read after). */
  seconds: number;
  /** GitHub's `x-ratelimit-remaining` on the answer, when it sent one. */
  rateLimitRemaining?: number;
  /** Which limit that is (`x-ratelimit-resource`): `core`, `graphql`, `search`… */
  rateLimitResource?: string;
  /** The plugin whose handler made the call; absent for the framework's own (token exchange). */
  plugin?: string;
  /** The bodies sent and answered, cut to a bound, only while a listener asked for bodies. */
  requestBody?: string;
  responseBody?: string;
}

/** What a delivery is about, enough to show and count it without its payload. */
export interface DeliverySummary {
  id: string;
  /** The event name without the action, e.g. `issues`. */
  name: string;
  /** `issues.opened`, or the bare name when the payload has no action. */
  event: string;
  /** The payload's `action`, when it has one. */
  action?: string;
  installation?: number;
  repo?: string;
}

/** What the webhook route answered; `delivery` is set once the request was verified. */
export interface AnsweredRequest {
  headers: Headers;
  body: Buffer;
  status: number;
  answer: unknown;
  delivery?: DeliverySummary;
}

/**
 * Everything that happens to a delivery, in order: received (verified), answered, started
 * (handlers about to run, possibly in a worker), each plugin's start and end, its API calls,
 * finished; `dead` when a queued delivery's attempts ran out. Besides: `refused` for every
 * webhook request turned away (its error code), `token` for each installation token asked
 * of the cache, `token-exchange` for each exchange with GitHub. Metrics, the console and the
 * delivery log subscribe; nothing in the pipeline depends on who listens.
 */
export type DeliveryEvent = (
  | { type: "received"; delivery: DeliverySummary }
  | { type: "answered"; request: AnsweredRequest }
  | { type: "refused"; code: string; status: number }
  | { type: "started"; delivery: DeliverySummary; attempt: number }
  | {
      type: "plugin";
      id: string;
      plugin: string;
      outcome: "started" | "completed" | "failed";
      /** The handler's failure as a one-line message, when it failed. */
      error?: string;
    }
  /** `id` is absent for a call made outside any delivery (a plugin's `app.auth()` at load). */
  | { type: "api-call"; id?: string; call: ObservedCall }
  | { type: "token"; installation: number; cache: "hit" | "miss" }
  /** `outcome`: "success", or the error code the exchange failed with. */
  | { type: "token-exchange"; installation: number; outcome: string }
  | {
      type: "finished";
      delivery: DeliverySummary;
      outcome: "completed" | "failed" | "handed-back";
      seconds: number;
      /** The handlers' failure, scrubbed to a message (it may cross processes). */
      error?: string;
    }
  | { type: "dead"; delivery: DeliverySummary; attempts: number; error?: string }
) & {
  /** Set on an event a worker in another process sent back (see relay-events.ts). */
  relayed?: true;
};

export type DeliveryEventType = DeliveryEvent["type"];
export type Listener = (event: DeliveryEvent) => void;

export const EVENT_TYPES: readonly DeliveryEventType[] = [
  "received",
  "answered",
  "refused",
  "started",
  "plugin",
  "api-call",
  "token",
  "token-exchange",
  "finished",
  "dead",
];

export interface SubscribeOptions {
  /**
   * False: only events of this process, never those relayed from workers elsewhere (what
   * was counted or logged there already). Such a listener never asks workers to relay.
   */
  relayed?: boolean;
  /** True: `api-call` events carry the calls' (bounded) request and response bodies. */
  bodies?: boolean;
  /**
   * False: this `api-call` listener does without the plugin that made a call and without the
   * delivery of a call that carries no `x-github-delivery` header (a token exchange). Those
   * are found through AsyncLocalStorage, whose promise hook, once entered, every promise in
   * the process pays for (Node 20); a listener that needs neither spares the hot path it.
   */
  attribution?: boolean;
}

/** The one stream of delivery events a process has. */
export interface DeliveryEvents {
  emit(event: DeliveryEvent): void;
  /** Returns the unsubscribe. A listener that throws is dropped from that emit, never the pipeline. */
  subscribe(
    listener: Listener,
    types?: readonly DeliveryEventType[],
    options?: SubscribeOptions,
  ): () => void;
  /** True when someone listens to `type`: emitters skip building events nobody reads. */
  wants(type: DeliveryEventType): boolean;
  /** True when someone listens to `type` relayed from other processes. */
  wantsRelayed(type: DeliveryEventType): boolean;
  /** True when an `api-call` listener asked for the calls' bodies (reading them costs a copy). */
  wantsBodies(): boolean;
  /** True when an `api-call` listener needs each call's plugin and delivery (`attribution`). */
  wantsAttribution(): boolean;
}

interface Subscription {
  listener: Listener;
  relayed: boolean;
  bodies: boolean;
  attribution: boolean;
}

export function createDeliveryEvents(): DeliveryEvents {
  const byType = new Map<DeliveryEventType, Subscription[]>();
  return {
    emit(event) {
      const subscriptions = byType.get(event.type);
      if (subscriptions === undefined) return;
      for (const { listener, relayed } of subscriptions) {
        if (event.relayed && !relayed) continue;
        try {
          listener(event);
        } catch {
          // An observer's bug must not fail the delivery it watches.
        }
      }
    },
    subscribe(listener, types = EVENT_TYPES, options = {}) {
      const subscription = {
        listener,
        relayed: options.relayed ?? true,
        bodies: options.bodies ?? false,
        attribution: options.attribution ?? true,
      };
      for (const type of types) byType.set(type, [...(byType.get(type) ?? []), subscription]);
      return () => {
        for (const type of types) {
          const left = (byType.get(type) ?? []).filter((each) => each !== subscription);
          if (left.length > 0) byType.set(type, left);
          else byType.delete(type);
        }
      };
    },
    wants: (type) => byType.has(type),
    wantsRelayed: (type) => byType.get(type)?.some((each) => each.relayed) ?? false,
    wantsBodies: () => byType.get("api-call")?.some((each) => each.bodies) ?? false,
    wantsAttribution: () => byType.get("api-call")?.some((each) => each.attribution) ?? false,
  };
}
