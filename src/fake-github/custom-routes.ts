import { errorResult, type RouteResult } from "./http.js";
import type { FakeRecords, FakeRouteHandler } from "./types-records.js";

interface CustomRoute {
  method: string;
  pattern: RegExp;
  names: string[];
  handler: FakeRouteHandler;
}

export interface CustomCall {
  method: string;
  /** Without any `/api/v3` prefix. */
  pathname: string;
  url: URL;
  body: unknown;
  headers: Headers;
  records: FakeRecords;
}

export interface CustomRoutes {
  /** Adds a route; a later one for the same method and path replaces the earlier. */
  add(spec: string, handler: FakeRouteHandler): void;
  /** The answer of the route the call matches, or undefined when none does. */
  answer(call: CustomCall): Promise<RouteResult> | undefined;
}

/** `"GET /repos/{owner}/{repo}/things/{id}"`: `{name}` is one segment, `{path}` at the end the rest. */
export function parseRouteSpec(spec: string): Omit<CustomRoute, "handler"> & { template: string } {
  const match = /^\s*([A-Za-z]+)\s+(\/\S*)\s*$/.exec(spec);
  if (match === null) {
    throw new Error(`fake GitHub: route "${spec}" is not "METHOD /path/{param}"`);
  }
  const [, method = "", template = ""] = match;
  const names: string[] = [];
  const segments = template.split("/");
  const source = segments
    .map((segment, index) => {
      const name = /^\{([^}]+)\}$/.exec(segment)?.[1];
      if (name === undefined) return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      names.push(name);
      return name === "path" && index === segments.length - 1 ? "(.+)" : "([^/]+)";
    })
    .join("/");
  return { method: method.toUpperCase(), template, pattern: new RegExp(`^${source}/?$`), names };
}

/** Routes a test (or a sandbox user) adds to the fake with `github.route()`; they win over the built-in ones. */
export function createCustomRoutes(): CustomRoutes {
  const routes: (CustomRoute & { template: string })[] = [];
  return {
    add(spec, handler) {
      const parsed = parseRouteSpec(spec);
      const index = routes.findIndex(
        (route) => route.method === parsed.method && route.template === parsed.template,
      );
      if (index >= 0) routes.splice(index, 1);
      routes.unshift({ ...parsed, handler });
    },
    answer(call) {
      for (const route of routes) {
        if (route.method !== call.method.toUpperCase()) continue;
        const found = route.pattern.exec(call.pathname);
        if (found === null) continue;
        const params: Record<string, string> = {};
        route.names.forEach((name, index) => {
          params[name] = decodeURIComponent(found[index + 1] ?? "");
        });
        const request = {
          method: call.method.toUpperCase(),
          params,
          query: Object.fromEntries(call.url.searchParams),
          body: call.body,
          headers: Object.fromEntries(call.headers.entries()),
          state: call.records,
        };
        return (async () => route.handler(request))().then(
          ({ status, body, headers }) => ({ status, body, ...(headers && { headers }) }),
          // A failing handler is a bug in the test: answer 500 so the plugin's error names it.
          (error: unknown) =>
            errorResult(
              500,
              `fake GitHub: the handler of ${route.method} ${route.template} failed: ${String(error)}`,
            ),
        );
      }
      return undefined;
    },
  };
}
