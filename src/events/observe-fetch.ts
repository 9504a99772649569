import type { AsyncLocalStorage } from "node:async_hooks";
import type { DeliveryEvents } from "./delivery-events.js";

function headerOf(input: string | URL | Request, init: RequestInit | undefined, name: string) {
  const headers = init?.headers ?? (input instanceof Request ? input.headers : undefined);
  return new globalThis.Headers(headers).get(name) ?? undefined;
}

function remainingOf(response: Response): number | undefined {
  const header = response.headers.get("x-ratelimit-remaining");
  const remaining = header === null ? NaN : Number(header);
  return Number.isFinite(remaining) ? remaining : undefined;
}

/**
 * A fetch that emits an `api-call` event for each call, under the delivery that caused it:
 * the `x-github-delivery` header every client call carries, else the delivery whose handlers
 * are running (a token exchange carries no header), else none (a call outside any delivery).
 * Costs one check when nobody listens. `now` is a monotonic clock in milliseconds.
 */
export function observeFetch(
  base: typeof fetch,
  apiUrl: string,
  current: AsyncLocalStorage<string>,
  events: DeliveryEvents,
  now: () => number = () => performance.now(),
): typeof fetch {
  const basePath = new URL(apiUrl).pathname.replace(/\/+$/, "");
  return async (input, init) => {
    if (!events.wants("api-call")) return base(input, init);
    const id = headerOf(input, init, "x-github-delivery") ?? current.getStore();
    const url = new URL(input instanceof Request ? input.url : input);
    const method = (
      init?.method ?? (input instanceof Request ? input.method : "GET")
    ).toUpperCase();
    const below = url.pathname.startsWith(`${basePath}/`)
      ? url.pathname.slice(basePath.length)
      : url.pathname;
    const started = now();
    const report = (status: number, response?: Response) => {
      const remaining = response && remainingOf(response);
      const resource = response?.headers.get("x-ratelimit-resource") ?? undefined;
      events.emit({
        type: "api-call",
        ...(id !== undefined && { id }),
        call: {
          method,
          path: `${below}${url.search}`,
          status,
          seconds: (now() - started) / 1000,
          ...(remaining !== undefined && { rateLimitRemaining: remaining }),
          ...(remaining !== undefined && resource && { rateLimitResource: resource }),
        },
      });
    };
    try {
      const response = await base(input, init);
      report(response.status, response);
      return response;
    } catch (error) {
      report(0);
      throw error;
    }
  };
}
