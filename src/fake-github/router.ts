import type { RouteResult } from "./http.js";
import type { FakeState } from "./state.js";
import type { IssuedToken, TokenFormat } from "./types.js";

/** The credentials a route takes: an app JWT, an installation token, or none. */
export type Need = "jwt" | "token" | "none";

export interface RouteContext {
  state: FakeState;
  params: Record<string, string>;
  /** The URL as the client sent it (with any `/api/v3` prefix). */
  url: URL;
  /** Origin plus any `/api/v3` prefix: where the client thinks the API lives. */
  apiBase: string;
  body: unknown;
  /** Set on "token" routes. */
  token: IssuedToken | undefined;
  /** The installation token format this request gets (its header, else the fake's default). */
  tokenFormat: TokenFormat;
}

export interface Route {
  method: string;
  need: Need;
  pattern: RegExp;
  names: string[];
  handle(context: RouteContext): RouteResult;
}

/** `:name` matches one segment (`:number` digits only), a trailing `*name` the rest of the path (possibly empty). */
export function route(
  method: string,
  path: string,
  need: Need,
  handle: (context: RouteContext) => RouteResult,
): Route {
  const names: string[] = [];
  const source = path
    .split("/")
    .map((segment) => {
      if (segment.startsWith(":")) {
        names.push(segment.slice(1));
        // Only digits, so `/issues/events` or `/pulls/comments` fall through to their own routes.
        return segment === ":number" ? "(\\d+)" : "([^/]+)";
      }
      if (segment.startsWith("*")) {
        names.push(segment.slice(1));
        return "*";
      }
      return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
    })
    .join("/")
    .replace(/\/\*$/, "(?:/(.*))?");
  return { method, need, pattern: new RegExp(`^${source}/?$`), names, handle };
}

export function matchRoute(
  routes: Route[],
  method: string,
  pathname: string,
): { route: Route; params: Record<string, string> } | undefined {
  for (const candidate of routes) {
    if (candidate.method !== method) continue;
    const match = candidate.pattern.exec(pathname);
    if (match === null) continue;
    const params: Record<string, string> = {};
    candidate.names.forEach((name, index) => {
      params[name] = decodeURIComponent(match[index + 1] ?? "");
    });
    return { route: candidate, params };
  }
  return undefined;
}
