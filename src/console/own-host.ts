import type { RequestHandler } from "express";
import { HookwrightError } from "../errors.js";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** The hostname of a `Host` header value (`name`, `name:port`, `[v6]:port`), lowercased; undefined if malformed. */
function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  try {
    const url = new URL(`http://${host}`);
    // Anything more than a host and port (a path, user info) is not a Host header.
    if (url.host !== host.toLowerCase().replace(/:80$/, "")) return undefined;
    return url.hostname.replace(/\.$/, "");
  } catch {
    return undefined;
  }
}

/** Names a page from another site can never get a browser to resolve to itself. */
export function isLoopbackName(hostname: string): boolean {
  return (
    hostname === "localhost" ||
    hostname.endsWith(".localhost") ||
    hostname === "[::1]" ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
  );
}

/**
 * DNS rebinding: a page on the attacker's domain, re-pointed at 127.0.0.1, is same-origin with
 * the console as far as the browser knows, and the console (open in the sandbox) would send
 * deliveries and register apps for it. The `Host` it sends still names the attacker's domain,
 * so the console and /setup answer only loopback names and PUBLIC_URL's host.
 * https://en.wikipedia.org/wiki/DNS_rebinding
 */
export function requireOwnHost(publicUrl: string | undefined): RequestHandler {
  const publicHost = publicUrl === undefined ? undefined : new URL(publicUrl).hostname;
  return (req, _res, next) => {
    const hostname = hostnameOf(req.headers.host);
    if (hostname !== undefined && (isLoopbackName(hostname) || hostname === publicHost)) {
      return next();
    }
    next(
      new HookwrightError(
        "HOST_NOT_ALLOWED",
        "this page answers only on localhost or PUBLIC_URL's host; open it under one of those",
      ),
    );
  };
}

/**
 * A request that changes something (sends a delivery, registers an app) must come from the
 * console's own page: a browser names the page's origin in `Origin`, which must be this host
 * (or PUBLIC_URL). Without `Origin` the client is not a browser (curl with the bearer token).
 * `everyMethod` checks a GET too: `/setup` writes `.env`, and GitHub's redirect to it, a GET
 * navigation, carries no `Origin`, so only another page's script would send one.
 * https://developer.mozilla.org/en-US/docs/Web/Security/Attacks/CSRF
 */
export function requireOwnOrigin(
  publicUrl: string | undefined,
  options: { everyMethod?: boolean } = {},
): RequestHandler {
  return (req, _res, next) => {
    const origin = req.headers.origin;
    const safe = !options.everyMethod && SAFE_METHODS.has(req.method);
    if (safe || origin === undefined) return next();
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    const own = host !== undefined && host === req.headers.host?.toLowerCase();
    if (own || (publicUrl !== undefined && origin === publicUrl)) return next();
    next(
      new HookwrightError("ORIGIN_NOT_ALLOWED", "this request must come from the console's page"),
    );
  };
}
