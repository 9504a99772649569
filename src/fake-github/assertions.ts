import type { RecordedCall } from "./types.js";

/** `"POST /repos/{owner}/{repo}/issues/{issue_number}/labels"`, or with the values filled in. */
export type CallRoute = string;

/**
 * `expected` is contained in `actual`: objects by their listed keys (recursively), arrays
 * element by element with the same length, a RegExp tests a string, anything else is `Object.is`.
 */
export function matchesPartial(actual: unknown, expected: unknown): boolean {
  if (expected instanceof RegExp) return typeof actual === "string" && expected.test(actual);
  if (Array.isArray(expected)) {
    return (
      Array.isArray(actual) &&
      actual.length === expected.length &&
      expected.every((item, index) => matchesPartial(actual[index], item))
    );
  }
  if (typeof expected === "object" && expected !== null) {
    if (typeof actual !== "object" || actual === null) return false;
    const record = actual as Record<string, unknown>;
    return Object.entries(expected).every(([key, value]) => matchesPartial(record[key], value));
  }
  return Object.is(actual, expected);
}

function routePattern(route: CallRoute): { method: string; pattern: RegExp } {
  const [method = "", template = ""] = route.trim().split(/\s+/, 2);
  const source = template
    .split(/(\{[^}]+\})/)
    .map((part) => {
      // `{path}` (the contents API's) spans slashes; every other placeholder is one segment.
      if (part === "{path}") return ".+";
      if (/^\{[^}]+\}$/.test(part)) return "[^/]+";
      return part.replace(/[.*+?^$()|[\]\\]/g, "\\$&");
    })
    .join("");
  return { method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`, "i") };
}

function decodedPathname(call: RecordedCall): string {
  const pathname = call.path.split("?")[0] ?? call.path;
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}

/** The recorded calls to `route` (query ignored, path decoded) whose body contains `body`. */
export function findCalls(calls: RecordedCall[], route: CallRoute, body?: unknown): RecordedCall[] {
  const { method, pattern } = routePattern(route);
  return calls.filter(
    (call) =>
      call.method === method &&
      pattern.test(decodedPathname(call)) &&
      (body === undefined || matchesPartial(call.body, body)),
  );
}

function describeCalls(calls: RecordedCall[]): string {
  if (calls.length === 0) return "  (no calls were made)";
  return calls
    .map((call) => {
      const body = call.body === undefined ? "" : ` ${JSON.stringify(call.body)}`;
      return `  ${call.method} ${call.path} → ${call.status}${body}`;
    })
    .join("\n");
}

export function expectCall(calls: RecordedCall[], route: CallRoute, body?: unknown): RecordedCall {
  const [found] = findCalls(calls, route, body);
  if (found !== undefined) return found;
  const wanted = body === undefined ? route : `${route} with ${JSON.stringify(body, replacer)}`;
  throw new Error(`expected a call to ${wanted}; the calls made were:\n${describeCalls(calls)}`);
}

export function expectNoCall(calls: RecordedCall[], route: CallRoute, body?: unknown): void {
  const found = findCalls(calls, route, body);
  if (found.length === 0) return;
  throw new Error(`expected no call to ${route}; found:\n${describeCalls(found)}`);
}

/** Calls that change something on GitHub: not reads, and not the app's own token exchanges. */
export function writes(calls: RecordedCall[]): RecordedCall[] {
  return calls.filter(
    (call) =>
      call.method !== "GET" &&
      call.method !== "HEAD" &&
      !/^\/app\/installations\/\d+\/access_tokens$/.test(call.path),
  );
}

function replacer(_key: string, value: unknown): unknown {
  return value instanceof RegExp ? value.toString() : value;
}
