import { createServer, type Server } from "node:http";

const MIB = 1024 * 1024;

/** What strangers may hold of one process: body bytes, time and connections (README, Configuration). */
export interface HttpLimits {
  /** Bytes of request bodies being read or checked at once, across every request. */
  bodyBudgetBytes: number;
  /** Time from a connection's first byte to the end of the request's headers. */
  headersTimeoutMs: number;
  /** Time from a request's first byte to the end of its body. */
  requestTimeoutMs: number;
  /** How long an idle keep-alive connection stays open. */
  keepAliveTimeoutMs: number;
  /** Open connections; new ones beyond it are closed at once. */
  maxConnections: number;
}

export const DEFAULT_HTTP_LIMITS: HttpLimits = {
  bodyBudgetBytes: 100 * MIB,
  headersTimeoutMs: 20_000,
  requestTimeoutMs: 60_000,
  keepAliveTimeoutMs: 5_000,
  maxConnections: 1000,
};

/**
 * An `http.Server` with the limits applied. Node checks the header and request timeouts only
 * every `connectionsCheckingInterval` (30 s by default), which would let a slow body outlive
 * its timeout by that much; here the check runs at a quarter of the shorter timeout, at most
 * every second. https://nodejs.org/api/http.html#httpcreateserveroptions-requestlistener
 */
export function createLimitedServer(limits: Partial<HttpLimits> = {}): Server {
  const { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs, maxConnections } = {
    ...DEFAULT_HTTP_LIMITS,
    ...limits,
  };
  const shorter = Math.min(headersTimeoutMs, requestTimeoutMs);
  const server = createServer({
    headersTimeout: headersTimeoutMs,
    requestTimeout: requestTimeoutMs,
    connectionsCheckingInterval: Math.max(25, Math.min(1000, Math.floor(shorter / 4))),
  });
  server.keepAliveTimeout = keepAliveTimeoutMs;
  server.maxConnections = maxConnections;
  return server;
}
