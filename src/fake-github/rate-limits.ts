import type { Credentials } from "./auth.js";
import type { RouteResult } from "./http.js";

/** GitHub's primary limit for an installation token on github.com, per hour. */
const INSTALLATION_LIMIT = 5000;

/**
 * The `x-ratelimit-*` headers GitHub puts on every answer to an installation token: each
 * installation's remaining count goes down by one per call (the fake never resets it). An
 * answer that already names its limit (an injected rate-limit failure) is left as it is.
 * https://docs.github.com/en/rest/using-the-rest-api/rate-limits-for-the-rest-api#checking-the-status-of-your-rate-limit
 */
export function createRateLimits() {
  // Each installation has one count per limit: REST's `core` and GraphQL's are separate.
  const used = new Map<string, number>();
  return (credentials: Credentials, pathname: string, result: RouteResult): RouteResult => {
    if (credentials.kind !== "token" || result.headers?.["x-ratelimit-remaining"] !== undefined) {
      return result;
    }
    const resource = pathname === "/graphql" ? "graphql" : "core";
    const key = `${credentials.record.installationId} ${resource}`;
    const count = (used.get(key) ?? 0) + 1;
    used.set(key, count);
    const headers = {
      "x-ratelimit-limit": String(INSTALLATION_LIMIT),
      "x-ratelimit-remaining": String(Math.max(0, INSTALLATION_LIMIT - count)),
      "x-ratelimit-used": String(count),
      "x-ratelimit-resource": resource,
    };
    return { ...result, headers: { ...headers, ...result.headers } };
  };
}
