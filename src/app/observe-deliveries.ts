import { AsyncLocalStorage } from "node:async_hooks";
import type { ReceiveResult, WebhookReceiver } from "../webhooks/create-webhook-receiver.js";
import type { Delivery, Headers } from "../webhooks/parse-delivery.js";
import type { App } from "./app.js";

/** One GitHub API call, as the delivery console lists it (never its headers or body). */
export interface ObservedCall {
  method: string;
  /** Path and query below the API URL, e.g. `/repos/octo/hello/issues/1/comments`. */
  path: string;
  /** 0 when no answer came (network failure). */
  status: number;
}

/**
 * Sees every delivery go through: what the receiver answered, which plugins ran, the API calls
 * made for it and how its handlers ended. The delivery console is one.
 */
export interface DeliveryObserver {
  /** A verified delivery is about to run its handlers. */
  started(delivery: Delivery): void;
  pluginRan(deliveryId: string, plugin: string): void;
  apiCall(deliveryId: string, call: ObservedCall): void;
  /** Its handlers finished; `error` is set when any failed. */
  finished(deliveryId: string, error?: unknown): void;
  /** The receiver answered a request, whether it ran, was refused or was a duplicate. */
  answered(request: { headers: Headers; body: Buffer }, result: ReceiveResult): void;
}

function headerOf(input: string | URL | Request, init: RequestInit | undefined, name: string) {
  const headers = init?.headers ?? (input instanceof Request ? input.headers : undefined);
  return new globalThis.Headers(headers).get(name) ?? undefined;
}

/**
 * A fetch that reports each call to the observer under the delivery that caused it: the
 * `x-github-delivery` header every client call carries, else the delivery whose handlers are
 * running (a token exchange carries no header).
 */
function observeFetch(
  base: typeof fetch,
  apiUrl: string,
  running: AsyncLocalStorage<string>,
  observer: DeliveryObserver,
): typeof fetch {
  const basePath = new URL(apiUrl).pathname.replace(/\/+$/, "");
  return async (input, init) => {
    const deliveryId = headerOf(input, init, "x-github-delivery") ?? running.getStore();
    const url = new URL(input instanceof Request ? input.url : input);
    const method = (
      init?.method ?? (input instanceof Request ? input.method : "GET")
    ).toUpperCase();
    const below = url.pathname.startsWith(`${basePath}/`)
      ? url.pathname.slice(basePath.length)
      : url.pathname;
    const report = (status: number) =>
      deliveryId && observer.apiCall(deliveryId, { method, path: `${below}${url.search}`, status });
    try {
      const response = await base(input, init);
      report(response.status);
      return response;
    } catch (error) {
      report(0);
      throw error;
    }
  };
}

/** The plugin's App, with each handler first telling the observer the plugin ran. */
function observePlugin(app: App, plugin: string, observer: DeliveryObserver): App {
  type Loose = (context: { id: string }) => unknown;
  const mark =
    (handler: Loose): Loose =>
    (context) => {
      observer.pluginRan(context.id, plugin);
      return handler(context);
    };
  return new Proxy(app, {
    get(target, property, receiver) {
      if (property === "on") {
        return (name: never, handler: Loose) => target.on(name, mark(handler) as never);
      }
      if (property === "onAny") return (handler: Loose) => target.onAny(mark(handler) as never);
      return Reflect.get(target, property, receiver) as unknown;
    },
  });
}

type Dispatch = (delivery: Delivery) => Promise<void>;

/** The pieces of createApp an observer watches, wrapped; unchanged when there is none. */
export interface Observation {
  fetch: typeof fetch | undefined;
  dispatch(dispatch: Dispatch): Dispatch;
  receiver(receiver: WebhookReceiver): WebhookReceiver;
  app(app: App, plugin: string): App;
}

export function observeDeliveries(
  observer: DeliveryObserver | undefined,
  apiUrl: string,
  baseFetch: typeof fetch | undefined,
): Observation {
  if (!observer) {
    return {
      fetch: baseFetch,
      dispatch: (dispatch) => dispatch,
      receiver: (receiver) => receiver,
      app: (app) => app,
    };
  }
  const running = new AsyncLocalStorage<string>();
  return {
    fetch: observeFetch(
      baseFetch ?? ((...args) => globalThis.fetch(...args)),
      apiUrl,
      running,
      observer,
    ),
    dispatch: (dispatch) => (delivery) => {
      observer.started(delivery);
      return running
        .run(delivery.id, () => dispatch(delivery))
        .then(
          () => observer.finished(delivery.id),
          (error: unknown) => {
            observer.finished(delivery.id, error);
            throw error;
          },
        );
    },
    receiver: (receiver) => ({
      ...receiver,
      async receive(headers, body) {
        const result = await receiver.receive(headers, body);
        observer.answered({ headers, body }, result);
        return result;
      },
    }),
    app: (app, plugin) => observePlugin(app, plugin, observer),
  };
}
