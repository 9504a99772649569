import type { AsyncLocalStorage } from "node:async_hooks";
import type { DeliveryEvents } from "./delivery-events.js";

/** Bodies beyond this are cut: the console shows what a call carried, not a whole download. */
export const OBSERVED_BODY_CHARS = 4096;

const MAX_READ_BYTES = 256 * 1024;

/** `name` in lower case, as Octokit sends every header: read off its plain object directly. */
function headerOf(input: string | URL | Request, init: RequestInit | undefined, name: string) {
  const headers = init?.headers ?? (input instanceof Request ? input.headers : undefined);
  if (headers !== undefined && Object.getPrototypeOf(headers) === Object.prototype) {
    const value = (headers as Record<string, unknown>)[name];
    if (typeof value === "string") return value;
  }
  return new globalThis.Headers(headers).get(name) ?? undefined;
}

// What a URL parser leaves as it is in a path and query: no backslash, fragment, space, quote
// or non-ASCII character (which it would encode or rewrite), and no dot segment, `.` or `%2e`.
const PLAIN_TARGET = /^(?:\/[\w\-.~%!$&'()*+,;=:@]*)+(?:\?[\w\-.~%!$&()*+,;=:@/?]*)?$/;
const DOT_SEGMENT = /\/(?:\.|%2e){1,2}(?=[/?]|$)/i;

/**
 * The call's path below the API and its query. Octokit's URLs are the API's own root followed by
 * a plain path: cut off as a string, with no URL parsed per call (that showed in the profile).
 */
function targetOf(input: string | URL | Request, root: string, basePath: string) {
  const href = input instanceof Request ? input.url : String(input);
  if (href.startsWith(`${root}/`)) {
    const rest = href.slice(root.length);
    if (PLAIN_TARGET.test(rest) && !DOT_SEGMENT.test(rest)) {
      const query = rest.indexOf("?");
      if (query === -1) return { below: rest, search: "" };
      const search = rest.slice(query);
      return { below: rest.slice(0, query), search: search === "?" ? "" : search };
    }
  }
  const url = new URL(href);
  const below = url.pathname.startsWith(`${basePath}/`)
    ? url.pathname.slice(basePath.length)
    : url.pathname;
  return { below, search: url.search };
}

function remainingOf(response: Response): number | undefined {
  const header = response.headers.get("x-ratelimit-remaining");
  const remaining = header === null ? NaN : Number(header);
  return Number.isFinite(remaining) ? remaining : undefined;
}

function bounded(text: string): string {
  return text.length > OBSERVED_BODY_CHARS ? `${text.slice(0, OBSERVED_BODY_CHARS)}…` : text;
}

function requestBodyOf(init: RequestInit | undefined): string | undefined {
  const body = init?.body;
  return typeof body === "string" && body.length > 0 ? bounded(body) : undefined;
}

/** The answer's text, read from a copy so the caller's stream is untouched. */
async function responseBodyOf(response: Response): Promise<string | undefined> {
  const type = response.headers.get("content-type") ?? "";
  if (!/json|text/.test(type)) return undefined;
  // A large answer is not read twice to keep its first few kilobytes.
  if (Number(response.headers.get("content-length") ?? 0) > MAX_READ_BYTES) return undefined;
  try {
    const text = await response.clone().text();
    return text.length > 0 ? bounded(text) : undefined;
  } catch {
    // A body cut short is the caller's failure to see, not the observer's.
    return undefined;
  }
}

/**
 * A fetch that emits an `api-call` event for each call, under the delivery that caused it:
 * the `x-github-delivery` header every client call carries, else the delivery whose handlers
 * are running (a token exchange carries no header), else none (a call outside any delivery);
 * with the plugin whose handler made it, and its bodies only while a listener asked for them
 * (the console). Costs one check when nobody listens. `now` is a monotonic clock in ms.
 */
export function observeFetch(
  base: typeof fetch,
  apiUrl: string,
  current: AsyncLocalStorage<string>,
  events: DeliveryEvents,
  options: { now?: () => number; pluginScope?: AsyncLocalStorage<string> } = {},
): typeof fetch {
  const now = options.now ?? (() => performance.now());
  const api = new URL(apiUrl);
  const basePath = api.pathname.replace(/\/+$/, "");
  const root = `${api.origin}${basePath}`;
  return async (input, init) => {
    if (!events.wants("api-call")) return base(input, init);
    const id = headerOf(input, init, "x-github-delivery") ?? current.getStore();
    const { below, search } = targetOf(input, root, basePath);
    const method = (
      init?.method ?? (input instanceof Request ? input.method : "GET")
    ).toUpperCase();
    // The token exchange is the framework's, whichever handler needed it, and its answer is a
    // token: neither a plugin nor a body is kept for the app's own routes.
    const own = below.startsWith("/app/");
    const plugin = own ? undefined : options.pluginScope?.getStore();
    const bodies = !own && events.wantsBodies();
    const requestBody = bodies ? requestBodyOf(init) : undefined;
    const started = now();
    const report = (status: number, response?: Response, responseBody?: string) => {
      const remaining = response && remainingOf(response);
      const resource = response?.headers.get("x-ratelimit-resource") ?? undefined;
      events.emit({
        type: "api-call",
        ...(id !== undefined && { id }),
        call: {
          method,
          path: `${below}${search}`,
          status,
          seconds: (now() - started) / 1000,
          ...(remaining !== undefined && { rateLimitRemaining: remaining }),
          ...(remaining !== undefined && resource && { rateLimitResource: resource }),
          ...(plugin !== undefined && { plugin }),
          ...(requestBody !== undefined && { requestBody }),
          ...(responseBody !== undefined && { responseBody }),
        },
      });
    };
    let response: Response;
    try {
      response = await base(input, init);
    } catch (error) {
      report(0);
      throw error;
    }
    report(response.status, response, bodies ? await responseBodyOf(response) : undefined);
    return response;
  };
}
