import Bottleneck from "bottleneck/light.js";
import type { Logger } from "pino";
import { HookwrightError } from "../errors.js";
import type { ClientFactory, ClientOptions } from "./create-client-factory.js";
import { Octokit } from "./octokit.js";

export interface TokenClientFactoryOptions {
  /** A token GitHub issued elsewhere: a workflow's GITHUB_TOKEN, or any installation or user token. */
  token: string;
  apiUrl: string;
  logger: Logger;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Multiplier (ms) for retry-after waits and 5xx backoff; tests pass 1. */
  retryBaseMs?: number;
}

// Routes GitHub answers only for the app's JWT. https://docs.github.com/en/rest/apps/apps
const APP_ONLY =
  /^\/(app(\/.*)?|marketplace_listing\/.*|orgs\/[^/]+\/installation|repos\/[^/]+\/[^/]+\/installation|users\/[^/]+\/installation)$/;

function credentialsRequired(what: string): HookwrightError {
  return new HookwrightError(
    "APP_CREDENTIALS_REQUIRED",
    `${what} needs the app's own credentials (APP_ID and PRIVATE_KEY); only GITHUB_TOKEN is set`,
  );
}

/**
 * Clients that all carry one fixed token: what `hookwright receive` uses inside a GitHub
 * Actions job, where the workflow's GITHUB_TOKEN is the only credential. There is no app JWT
 * in this mode, so app-only routes and narrowed tokens fail with APP_CREDENTIALS_REQUIRED;
 * `forApp` still gives a client (with the token), because the router asks for it whenever a
 * payload has no installation, which is every payload an Actions job receives.
 */
export function createTokenClientFactory(options: TokenClientFactoryOptions): ClientFactory {
  const basePath = new URL(options.apiUrl).pathname.replace(/\/$/, "");
  // The factory's own limiter groups, as the server's factory has: plugin-throttling's
  // defaults are module-wide and space every write a second apart.
  const groups = {
    global: new Bottleneck.Group({ id: "hookwright-token-global", maxConcurrent: 10 }),
    auth: new Bottleneck.Group({ id: "hookwright-token-auth", maxConcurrent: 1 }),
    write: new Bottleneck.Group({ id: "hookwright-token-write", maxConcurrent: 1 }),
    search: new Bottleneck.Group({
      id: "hookwright-token-search",
      maxConcurrent: 1,
      minTime: 2000,
    }),
    notifications: new Bottleneck.Group({ id: "hookwright-token-notifications", maxConcurrent: 1 }),
  };

  function build(clientOptions: ClientOptions): Octokit {
    const log = clientOptions.log ?? options.logger;
    const onLimit = (retryAfter: number, request: { method: string; url: string }) => {
      log.warn({ retryAfter, method: request.method, url: request.url }, "GitHub rate limit");
      return retryAfter <= 60;
    };
    const octokit = new Octokit({
      baseUrl: options.apiUrl,
      userAgent: options.userAgent ?? "hookwright",
      auth: options.token,
      request: options.fetch ? { fetch: options.fetch } : {},
      log: {
        debug: (message: string) => log.debug(message),
        info: (message: string) => log.info(message),
        warn: (message: string) => log.warn(message),
        error: (message: string) => log.error(message),
      },
      throttle: {
        id: "github-token",
        ...groups,
        retryAfterBaseValue: options.retryBaseMs ?? 1000,
        onRateLimit: onLimit,
        onSecondaryRateLimit: onLimit,
      },
      retry: { retryAfterBaseValue: options.retryBaseMs ?? 1000 },
    });
    octokit.hook.before("request", (request) => {
      const url = String(request.url);
      const path = /^https?:/.test(url) ? new URL(url).pathname.slice(basePath.length) : url;
      if (APP_ONLY.test(path.split("?")[0]!)) {
        throw credentialsRequired(`${request.method} ${path}`);
      }
    });
    const deliveryId = clientOptions.deliveryId;
    if (deliveryId) {
      octokit.hook.before("request", (request) => {
        request.headers["x-github-delivery"] = deliveryId;
      });
    }
    return octokit;
  }

  return {
    forInstallation(_installationId, clientOptions = {}) {
      const scope = clientOptions.scope;
      if (scope?.repositories?.length || scope?.repositoryIds?.length || scope?.permissions) {
        // Ignoring the narrowing would hand a handler more access than it asked for.
        throw credentialsRequired("a token narrowed to some repositories or permissions");
      }
      return build(clientOptions);
    },
    forApp: (clientOptions = {}) => build(clientOptions),
  };
}
