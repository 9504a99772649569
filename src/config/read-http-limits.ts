import { DEFAULT_HTTP_LIMITS, type HttpLimits } from "../server/server-limits.js";
import { bad, readInteger, type Env } from "./env-values.js";

const MIB = 1024 * 1024;
const HOUR_MS = 3_600_000;

/**
 * The limits on what strangers may hold of the server. The body budget is at least GitHub's
 * 25 MiB cap, or a delivery GitHub is allowed to send could never be accepted.
 */
export function readHttpLimits(env: Env): HttpLimits {
  const defaults = DEFAULT_HTTP_LIMITS;
  const requestTimeoutMs = readInteger(
    env,
    "HTTP_REQUEST_TIMEOUT_MS",
    defaults.requestTimeoutMs,
    100,
    HOUR_MS,
  );
  // Unset, the headers timeout follows a request timeout set below its default.
  const headersTimeoutMs = readInteger(
    env,
    "HTTP_HEADERS_TIMEOUT_MS",
    Math.min(defaults.headersTimeoutMs, requestTimeoutMs),
    100,
    HOUR_MS,
  );
  // Node refuses to start a server whose headers may take longer than the whole request.
  if (headersTimeoutMs > requestTimeoutMs) {
    throw bad("HTTP_HEADERS_TIMEOUT_MS", "must not be longer than HTTP_REQUEST_TIMEOUT_MS");
  }
  return {
    bodyBudgetBytes:
      readInteger(env, "REQUEST_BODY_BUDGET_MIB", defaults.bodyBudgetBytes / MIB, 25, 1024 * 1024) *
      MIB,
    headersTimeoutMs,
    requestTimeoutMs,
    keepAliveTimeoutMs: readInteger(
      env,
      "HTTP_KEEP_ALIVE_TIMEOUT_MS",
      defaults.keepAliveTimeoutMs,
      0,
      HOUR_MS,
    ),
    maxConnections: readInteger(env, "HTTP_MAX_CONNECTIONS", defaults.maxConnections, 1, 1_000_000),
  };
}
