import type { Headers } from "../webhooks/parse-delivery.js";

/** One GitHub API call, as the delivery console lists it (never its headers). */
export interface ObservedCall {
  method: string;
  /** Path and query below the API URL, e.g. `/repos/octo/hello/issues/1/comments`. */
  path: string;
  /** 0 when no answer came (network failure, timeout). */
  status: number;
  /** The plugin whose handler made the call; absent for the framework's own (token exchange). */
  plugin?: string;
  /** The bodies sent and answered, cut to a bound; observers scrub them before showing them. */
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
 * finished; `dead` when a queued delivery's attempts ran out. Metrics and the console
 * subscribe; nothing in the pipeline depends on who listens.
 */
export type DeliveryEvent =
  | { type: "received"; delivery: DeliverySummary }
  | { type: "answered"; request: AnsweredRequest }
  | { type: "started"; delivery: DeliverySummary; attempt: number }
  | {
      type: "plugin";
      id: string;
      plugin: string;
      outcome: "started" | "completed" | "failed";
      /** The handler's failure as a one-line message, when it failed. */
      error?: string;
    }
  | { type: "api-call"; id: string; call: ObservedCall }
  | {
      type: "finished";
      delivery: DeliverySummary;
      outcome: "completed" | "failed" | "handed-back";
      seconds: number;
      /** The handlers' failure, scrubbed to a message (it may cross processes). */
      error?: string;
    }
  | { type: "dead"; delivery: DeliverySummary; attempts: number; error?: string };

export type DeliveryEventType = DeliveryEvent["type"];
export type Listener = (event: DeliveryEvent) => void;

/** The one stream of delivery events a process has. */
export interface DeliveryEvents {
  emit(event: DeliveryEvent): void;
  /** Returns the unsubscribe. A listener that throws is dropped from that emit, never the pipeline. */
  subscribe(listener: Listener, types?: readonly DeliveryEventType[]): () => void;
  /** True when someone listens to `type`: emitters skip building events nobody reads. */
  wants(type: DeliveryEventType): boolean;
}

export function createDeliveryEvents(): DeliveryEvents {
  const byType = new Map<DeliveryEventType, Listener[]>();
  return {
    emit(event) {
      const listeners = byType.get(event.type);
      if (listeners === undefined) return;
      for (const listener of listeners) {
        try {
          listener(event);
        } catch {
          // An observer's bug must not fail the delivery it watches.
        }
      }
    },
    subscribe(listener, types) {
      const chosen: readonly DeliveryEventType[] = types ?? [
        "received",
        "answered",
        "started",
        "plugin",
        "api-call",
        "finished",
        "dead",
      ];
      for (const type of chosen) byType.set(type, [...(byType.get(type) ?? []), listener]);
      return () => {
        for (const type of chosen) {
          const left = (byType.get(type) ?? []).filter((each) => each !== listener);
          if (left.length > 0) byType.set(type, left);
          else byType.delete(type);
        }
      };
    },
    wants: (type) => byType.has(type),
  };
}
