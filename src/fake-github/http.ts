export const DOCUMENTATION_URL = "https://docs.github.com/rest";

/** What a route handler answers; `handle` adds the Date and content-type headers. */
export interface RouteResult {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** Thrown by route handlers and checks; becomes GitHub's `{ message, documentation_url }`. */
export class GitHubError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = "GitHubError";
    this.status = status;
  }
}

export function errorResult(status: number, message: string): RouteResult {
  return { status, body: { message, documentation_url: DOCUMENTATION_URL } };
}

const STATUS_MESSAGES: Record<number, string> = {
  400: "Bad Request",
  401: "Bad credentials",
  403: "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
  404: "Not Found",
  422: "Validation Failed",
  429: "API rate limit exceeded",
  500: "Server Error",
  502: "Server Error",
  503: "Service Unavailable",
};

export function defaultMessage(status: number): string {
  return STATUS_MESSAGES[status] ?? "Error";
}

/** GitHub's `expires_at` form: ISO 8601 in UTC without milliseconds. */
export function isoSeconds(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

export function toResponse(result: RouteResult, nowMs: number): Response {
  const headers = new Headers(result.headers);
  headers.set("date", new Date(nowMs).toUTCString());
  if (!headers.has("content-type")) headers.set("content-type", "application/json; charset=utf-8");
  const empty = result.status === 204 || result.status === 304 || result.body === undefined;
  return new Response(empty ? null : JSON.stringify(result.body), {
    status: result.status,
    headers,
  });
}

export interface Page<T> {
  items: T[];
  headers: Record<string, string>;
}

/**
 * `per_page` (default 30, max 100) and `page`, with a Link header built on the URL the client
 * used, so Octokit's paginate follows it whatever the base URL.
 * https://docs.github.com/en/rest/using-the-rest-api/using-pagination-in-the-rest-api
 */
export function paginate<T>(all: T[], requestUrl: URL): Page<T> {
  const perPage = Math.min(100, positiveInt(requestUrl.searchParams.get("per_page"), 30));
  const page = positiveInt(requestUrl.searchParams.get("page"), 1);
  const last = Math.max(1, Math.ceil(all.length / perPage));
  const items = all.slice((page - 1) * perPage, page * perPage);
  const link = (n: number, rel: string): string => {
    const url = new URL(requestUrl);
    url.searchParams.set("per_page", String(perPage));
    url.searchParams.set("page", String(n));
    return `<${url.href}>; rel="${rel}"`;
  };
  const links: string[] = [];
  if (page > 1) links.push(link(page - 1, "prev"));
  if (page < last) links.push(link(page + 1, "next"), link(last, "last"));
  if (page > 1) links.push(link(1, "first"));
  return { items, headers: links.length > 0 ? { link: links.join(", ") } : {} };
}

function positiveInt(value: string | null, fallback: number): number {
  const parsed = Number(value);
  return value !== null && Number.isInteger(parsed) && parsed > 0 ? parsed : fallback;
}
