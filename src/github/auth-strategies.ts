import type {
  EndpointDefaults,
  EndpointOptions,
  RequestInterface,
  RequestParameters,
  Route,
} from "@octokit/types";
import type { AppAuth, TokenScope } from "../auth/create-app-auth.js";
import { HookwrightError } from "../errors.js";

type Hook = (
  request: RequestInterface,
  route: Route | EndpointOptions,
  parameters?: RequestParameters,
) => Promise<unknown>;

/** The auth strategy shape @octokit/core expects: callable, with a request hook. */
export interface AuthStrategy {
  (): Promise<{ type: string; token: string }>;
  hook: Hook;
}

// Routes GitHub answers only for the app's JWT (the app's own resources and the
// "find the installation for X" lookups). https://docs.github.com/en/rest/apps/apps
export const APP_ROUTE =
  /^\/(app(\/.*)?|marketplace_listing\/.*|orgs\/[^/]+\/installation|repos\/[^/]+\/[^/]+\/installation|users\/[^/]+\/installation)$/;
const NO_AUTH_ROUTE = /^\/(app-manifests\/[^/]+\/conversions|meta|zen|octocat|rate_limit)$/;

// A relative route of literal segments and simple `{name}` expressions, as every generated
// REST method has. A simple expression percent-encodes `/`, so it cannot change the segments.
const PLAIN_TEMPLATE = /^(?:\/(?:[\w-]|\{\w+\})+)+$/;
// Options @octokit/endpoint never expands into the URL.
const NOT_URL_VARIABLES = new Set(["method", "baseUrl", "url", "headers", "request", "mediaType"]);

/** What @octokit/endpoint makes of a simple expression (RFC 6570 level 1), or undefined. */
function expandSimple(value: unknown): string | undefined {
  if (typeof value !== "string" && typeof value !== "number") return undefined;
  const text = String(value);
  // Empty values and dot segments change the path's shape once a URL parser reads it.
  if (text === "" || text === "." || text === "..") return undefined;
  return encodeURIComponent(text).replace(
    /[!'()*]/g,
    (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
  );
}

/** The path of a plain template filled in without building a URL, or undefined. */
function plainPathOf(endpoint: EndpointDefaults): string | undefined {
  const template = endpoint.url;
  if (template === undefined || !PLAIN_TEMPLATE.test(template)) return undefined;
  let plain = true;
  const values = endpoint as unknown as Record<string, unknown>;
  const path = template.replace(/\{(\w+)\}/g, (_, name: string) => {
    const expanded = NOT_URL_VARIABLES.has(name) ? undefined : expandSimple(values[name]);
    if (expanded === undefined) plain = false;
    return expanded ?? "";
  });
  return plain ? path : undefined;
}

/**
 * The request's path below the API base, with its parameters filled in: a template such as
 * `/{+path}` can stand for any route. GHES and proxies serve the API under a base path.
 */
function pathOf(request: RequestInterface, endpoint: EndpointDefaults): string {
  // Parsing and two URLs per request showed in the profile; most routes need neither.
  const plain = plainPathOf(endpoint);
  if (plain !== undefined) return plain;
  const { pathname } = new URL(request.endpoint.parse(endpoint).url);
  const base = new URL(endpoint.baseUrl).pathname.replace(/\/$/, "");
  return pathname.startsWith(`${base}/`) ? pathname.slice(base.length) : pathname;
}

function statusOf(error: unknown): number | undefined {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : undefined;
}

function dateOf(error: unknown): string | undefined {
  const headers = (error as { response?: { headers?: Record<string, string> } } | null)?.response
    ?.headers;
  return headers?.date;
}

type Endpoint = EndpointDefaults & EndpointOptions;

/** The request's options merged with the client's defaults. */
function mergedOf(
  request: RequestInterface,
  route: Route | EndpointOptions,
  parameters?: RequestParameters,
): Endpoint {
  // @octokit/request hands hooks options it has already merged; merging again only copies them.
  // @octokit/endpoint reads no parameters beside an options object, so whatever comes third
  // (before-after-hook passes the same options again under another hook, the policy's) is moot.
  const given = route as Partial<Endpoint>;
  if (typeof route === "object" && typeof given.baseUrl === "string") {
    if (given.headers && given.mediaType) return route as Endpoint;
  }
  return request.endpoint.merge(route as string, parameters) as Endpoint;
}

async function sendWithJwt(appAuth: AppAuth, request: RequestInterface, endpoint: EndpointOptions) {
  const send = () =>
    request({
      ...endpoint,
      headers: { ...endpoint.headers, authorization: `bearer ${appAuth.appJwt()}` },
    });
  try {
    return await send();
  } catch (error) {
    // A JWT refused because our clock is off is sent once more, dated by GitHub's clock.
    if (statusOf(error) === 401 && appAuth.observeServerDate(dateOf(error))) return send();
    throw error;
  }
}

/** Authenticates as the app: every request carries the app JWT. */
export function createAppAuthStrategy({ appAuth }: { appAuth: AppAuth }): AuthStrategy {
  const auth = async () => ({ type: "app", token: appAuth.appJwt() });
  auth.hook = async (
    request: RequestInterface,
    route: Route | EndpointOptions,
    parameters?: RequestParameters,
  ) => {
    const endpoint = mergedOf(request, route, parameters);
    const path = pathOf(request, endpoint);
    if (!APP_ROUTE.test(path) && !NO_AUTH_ROUTE.test(path)) {
      throw new HookwrightError(
        "NO_INSTALLATION",
        `${endpoint.method} ${path} needs an installation token, but this client is authenticated as the app ` +
          "(the event has no installation); use app.auth(installationId) for a client scoped to an installation",
      );
    }
    return sendWithJwt(appAuth, request, endpoint);
  };
  return auth;
}

export interface InstallationAuthOptions {
  appAuth: AppAuth;
  installationId: number;
  scope?: TokenScope;
}

/**
 * Authenticates as one installation. App-only routes go out with the JWT; everything else
 * with the cached installation token. A 401 means GitHub no longer accepts that token
 * (revoked, or the installation's access changed): drop it, mint one more, retry once.
 */
export function createInstallationAuthStrategy({
  appAuth,
  installationId,
  scope,
}: InstallationAuthOptions): AuthStrategy {
  const auth = async () => ({
    type: "token",
    token: (await appAuth.installationToken(installationId, scope)).token,
  });
  auth.hook = async (
    request: RequestInterface,
    route: Route | EndpointOptions,
    parameters?: RequestParameters,
  ) => {
    const endpoint = mergedOf(request, route, parameters);
    const path = pathOf(request, endpoint);
    if (APP_ROUTE.test(path)) return sendWithJwt(appAuth, request, endpoint);
    const withToken = (token: string) =>
      request({ ...endpoint, headers: { ...endpoint.headers, authorization: `token ${token}` } });
    const first = await appAuth.installationToken(installationId, scope);
    try {
      return await withToken(first.token);
    } catch (error) {
      if (statusOf(error) !== 401) throw error;
      await appAuth.dropToken(installationId, scope, first.token);
      const fresh = await appAuth.installationToken(installationId, scope);
      return withToken(fresh.token);
    }
  };
  return auth;
}
