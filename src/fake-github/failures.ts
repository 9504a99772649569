import { defaultMessage, DOCUMENTATION_URL, type RouteResult } from "./http.js";
import type { FailureMatch, InjectedResponse, TrickleOptions } from "./types.js";

/** Whether a request (or recorded call) fits a method/path filter. */
export function matchesCall(match: FailureMatch, method: string, path: string): boolean {
  if (match.method !== undefined && match.method.toUpperCase() !== method.toUpperCase()) {
    return false;
  }
  if (match.path === undefined) return true;
  const pathname = path.split("?")[0] ?? path;
  if (typeof match.path === "string") return match.path === pathname || match.path === path;
  return match.path.test(path) || match.path.test(pathname);
}

/** What an injection does to the request it takes: answer for the route, or stall. */
export type Injection =
  | { kind: "respond"; response: InjectedResponse }
  | { kind: "hang" }
  | { kind: "trickle"; trickle: TrickleOptions };

export type TakenInjection =
  | { kind: "respond"; result: RouteResult }
  | { kind: "hang" }
  | { kind: "trickle"; trickle: TrickleOptions };

export interface FailureQueue {
  add(match: FailureMatch, injection: Injection, times: number): void;
  /** The injection for this request, used up once, or undefined. */
  take(method: string, path: string): TakenInjection | undefined;
}

/** Injected failures and stalls, taken in the order they were added. */
export function createFailureQueue(): FailureQueue {
  const pending: { match: FailureMatch; injection: Injection; remaining: number }[] = [];
  return {
    add(match, injection, times) {
      pending.push({ match, injection, remaining: times });
    },
    take(method, path) {
      const index = pending.findIndex((failure) => matchesCall(failure.match, method, path));
      const failure = pending[index];
      if (failure === undefined) return undefined;
      failure.remaining -= 1;
      if (failure.remaining <= 0) pending.splice(index, 1);
      const { injection } = failure;
      if (injection.kind !== "respond") return injection;
      const { status, headers } = injection.response;
      const body = injection.response.body ?? {
        message: defaultMessage(status),
        documentation_url: DOCUMENTATION_URL,
      };
      return { kind: "respond", result: { status, body, ...(headers && { headers }) } };
    },
  };
}
