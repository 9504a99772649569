import { DOCUMENTATION_URL, type RouteResult } from "./http.js";
import type { DocumentedMatch, RestTable } from "./rest-table.js";

export interface DocumentedCall {
  method: string;
  pathname: string;
  body: unknown;
  /** Origin plus any `/api/v3` prefix: the examples' `https://api.github.com` becomes this. */
  apiBase: string;
}

/** GitHub's answer to a request that lacks something the description requires. */
export function invalidRequest(match: DocumentedMatch, missing: string): RouteResult {
  return {
    status: 422,
    body: {
      message: `Invalid request.\n\n"${missing}" wasn't supplied.`,
      documentation_url: match.route.documentationUrl ?? DOCUMENTATION_URL,
      status: "422",
    },
  };
}

/** The first required path placeholder or body field the request lacks. */
export function missingParameter(match: DocumentedMatch, body: unknown): string | undefined {
  const emptyParam = Object.entries(match.params).find(([, value]) => value === "");
  if (emptyParam !== undefined) return emptyParam[0];
  const fields = typeof body === "object" && body !== null ? (body as Record<string, unknown>) : {};
  return match.route.requiredBody.find((name) => fields[name] === undefined);
}

function rebase(example: unknown, apiBase: string): unknown {
  if (example === null || example === undefined) return undefined;
  const text = JSON.stringify(example).replaceAll("https://api.github.com", apiBase);
  return JSON.parse(text) as unknown;
}

/**
 * A documented route the fake keeps no state for: GitHub's documented status and example
 * body, or GitHub's 422 when a required parameter is missing. Undefined for an undocumented
 * route.
 */
export function answerDocumented(table: RestTable, call: DocumentedCall): RouteResult | undefined {
  const match = table.match(call.method, call.pathname);
  if (match === undefined) return undefined;
  const missing = missingParameter(match, call.body);
  if (missing !== undefined) return invalidRequest(match, missing);
  const { status, example } = match.route;
  const body = status === 204 ? undefined : rebase(example, call.apiBase);
  return { status, ...(body !== undefined && { body }) };
}
