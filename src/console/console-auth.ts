import { createHash, timingSafeEqual } from "node:crypto";
import type { RequestHandler } from "express";
import { HookwrightError, toErrorBody, toHttpStatus } from "../errors.js";

export const CONSOLE_COOKIE = "hookwright_console";

function digest(text: string): Buffer {
  return createHash("sha256").update(text).digest();
}

function presented(header: string | undefined, cookies: string | undefined): string | undefined {
  const bearer = /^Bearer\s+(\S+)$/i.exec(header ?? "")?.[1];
  if (bearer) return bearer;
  for (const part of (cookies ?? "").split(";")) {
    const [name, ...rest] = part.trim().split("=");
    if (name !== CONSOLE_COOKIE) continue;
    try {
      return decodeURIComponent(rest.join("="));
    } catch {
      // A malformed %-escape is no token: the request is answered 401 like any other.
      return undefined;
    }
  }
  return undefined;
}

/**
 * Outside sandbox the console is a door into the app (it sends signed deliveries), so every
 * request must carry CONSOLE_TOKEN: as `Authorization: Bearer`, or as the cookie set when the
 * page is opened once with `/?token=…` (then redirected, so the token leaves the address bar).
 * Without a token configured the middleware lets everything through (sandbox). The cookie is
 * `Secure` when the page is served over HTTPS (directly, or PUBLIC_URL is https behind a proxy).
 */
export function requireConsoleToken(token: string | undefined, publicUrl?: string): RequestHandler {
  if (token === undefined) return (_req, _res, next) => next();
  const expected = digest(token);
  const matches = (candidate: string | undefined) =>
    candidate !== undefined && timingSafeEqual(digest(candidate), expected);
  return (req, res, next) => {
    const query = typeof req.query.token === "string" ? req.query.token : undefined;
    if (req.method === "GET" && req.path === "/" && matches(query)) {
      // Strict: the cookie never rides on a request another site starts.
      const secure = req.secure || publicUrl?.startsWith("https:") === true;
      res.cookie(CONSOLE_COOKIE, query, { httpOnly: true, sameSite: "strict", path: "/", secure });
      return void res.redirect(303, "/");
    }
    if (matches(presented(req.get("authorization"), req.get("cookie")))) return next();
    const error = new HookwrightError(
      "UNAUTHORIZED",
      "the console needs CONSOLE_TOKEN: open /?token=<CONSOLE_TOKEN> once, or send Authorization: Bearer",
    );
    res.status(toHttpStatus(error)).json(toErrorBody(error));
  };
}
