import type { AsyncLocalStorage } from "node:async_hooks";
import type { DeliveryEvents } from "./delivery-events.js";

function headerOf(input: string | URL | Request, init: RequestInit | undefined, name: string) {
  const headers = init?.headers ?? (input instanceof Request ? input.headers : undefined);
  return new globalThis.Headers(headers).get(name) ?? undefined;
}

/**
 * A fetch that emits an `api-call` event for each call, under the delivery that caused it:
 * the `x-github-delivery` header every client call carries, else the delivery whose handlers
 * are running (a token exchange carries no header). Costs one check when nobody listens.
 */
export function observeFetch(
  base: typeof fetch,
  apiUrl: string,
  current: AsyncLocalStorage<string>,
  events: DeliveryEvents,
): typeof fetch {
  const basePath = new URL(apiUrl).pathname.replace(/\/+$/, "");
  return async (input, init) => {
    if (!events.wants("api-call")) return base(input, init);
    const id = headerOf(input, init, "x-github-delivery") ?? current.getStore();
    if (id === undefined) return base(input, init);
    const url = new URL(input instanceof Request ? input.url : input);
    const method = (
      init?.method ?? (input instanceof Request ? input.method : "GET")
    ).toUpperCase();
    const below = url.pathname.startsWith(`${basePath}/`)
      ? url.pathname.slice(basePath.length)
      : url.pathname;
    const report = (status: number) =>
      events.emit({
        type: "api-call",
        id,
        call: { method, path: `${below}${url.search}`, status },
      });
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
