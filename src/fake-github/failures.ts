import { defaultMessage, DOCUMENTATION_URL, type RouteResult } from "./http.js";
import type { FailureMatch, InjectedResponse } from "./types.js";

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

export interface FailureQueue {
  add(match: FailureMatch, response: InjectedResponse, times: number): void;
  /** The injected answer for this request, used up once, or undefined. */
  take(method: string, path: string): RouteResult | undefined;
}

/** Injected failures, answered in the order they were added. */
export function createFailureQueue(): FailureQueue {
  const pending: { match: FailureMatch; response: InjectedResponse; remaining: number }[] = [];
  return {
    add(match, response, times) {
      pending.push({ match, response, remaining: times });
    },
    take(method, path) {
      const index = pending.findIndex((failure) => matchesCall(failure.match, method, path));
      const failure = pending[index];
      if (failure === undefined) return undefined;
      failure.remaining -= 1;
      if (failure.remaining <= 0) pending.splice(index, 1);
      const { status, headers } = failure.response;
      const body = failure.response.body ?? {
        message: defaultMessage(status),
        documentation_url: DOCUMENTATION_URL,
      };
      return { status, body, ...(headers && { headers }) };
    },
  };
}
