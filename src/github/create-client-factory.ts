import Bottleneck from "bottleneck/light.js";
import type { Logger } from "pino";
import type { AppAuth, TokenScope } from "../auth/create-app-auth.js";
import { createAppAuthStrategy, createInstallationAuthStrategy } from "./auth-strategies.js";
import { Octokit } from "./octokit.js";

export interface ClientOptions {
  /** Stamped on every request as `x-github-delivery`, so GitHub support can trace a call to its webhook. */
  deliveryId?: string;
  scope?: TokenScope;
  log?: Logger;
}

/** Builds Octokit clients wired to the auth module: one per installation, or as the app. */
export interface ClientFactory {
  forInstallation(installationId: number, options?: ClientOptions): Octokit;
  forApp(options?: ClientOptions): Octokit;
}

export interface ClientFactoryOptions {
  appAuth: AppAuth;
  logger: Logger;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Multiplier (ms) for retry-after waits and 5xx backoff; tests pass 1. */
  retryBaseMs?: number;
  /** Longest rate-limit wait worth retrying after, in seconds. */
  maxRetryAfterS?: number;
}

type LimitHandler = (
  retryAfter: number,
  options: { method: string; url: string },
  octokit: unknown,
  retryCount: number,
) => boolean;

/**
 * Rate limits are per installation on GitHub, so the throttle is too: the limiter groups
 * belong to this factory (not the module, as in plugin-throttling's default) and every
 * client is keyed by its installation id. Probot shares one write queue across all
 * installations, so one busy installation delays every other.
 */
function createLimiterGroups() {
  return {
    global: new Bottleneck.Group({ id: "hookwright-global", maxConcurrent: 10 }),
    auth: new Bottleneck.Group({ id: "hookwright-auth", maxConcurrent: 1 }),
    write: new Bottleneck.Group({ id: "hookwright-write", maxConcurrent: 1 }),
    search: new Bottleneck.Group({ id: "hookwright-search", maxConcurrent: 1, minTime: 2000 }),
    notifications: new Bottleneck.Group({ id: "hookwright-notifications", maxConcurrent: 1 }),
  };
}

export function createClientFactory(options: ClientFactoryOptions): ClientFactory {
  const groups = createLimiterGroups();
  // GitHub asks integrators to send writes one at a time per installation; secondary limits
  // answered with retry-after are honoured by the throttle rather than guessed at here.
  // plugin-throttling only passes an empty job through its write group (it spaces writes by
  // minTime, never holding a slot while one is in flight), so this queue holds the slot.
  // https://docs.github.com/en/rest/using-the-rest-api/best-practices-for-using-the-rest-api
  const writeQueues = new Bottleneck.Group({ id: "hookwright-write-queue", maxConcurrent: 1 });
  const retryBaseMs = options.retryBaseMs ?? 1000;
  const maxRetryAfterS = options.maxRetryAfterS ?? 60;

  function build(
    id: string,
    authStrategy: unknown,
    auth: unknown,
    clientOptions: ClientOptions,
  ): Octokit {
    const log = clientOptions.log ?? options.logger;
    const onLimit =
      (kind: string): LimitHandler =>
      (retryAfter, request, _octokit, retryCount) => {
        const retry = retryCount < 2 && retryAfter <= maxRetryAfterS;
        log.warn(
          { retryAfter, method: request.method, url: request.url, retry },
          `GitHub ${kind} rate limit`,
        );
        return retry;
      };
    const octokit = new Octokit({
      baseUrl: options.appAuth.apiUrl,
      userAgent: options.userAgent ?? "hookwright",
      authStrategy,
      auth,
      request: options.fetch ? { fetch: options.fetch } : {},
      log: {
        debug: (message: string) => log.debug(message),
        info: (message: string) => log.info(message),
        warn: (message: string) => log.warn(message),
        error: (message: string) => log.error(message),
      },
      throttle: {
        id,
        ...groups,
        retryAfterBaseValue: retryBaseMs,
        onRateLimit: onLimit("primary"),
        onSecondaryRateLimit: onLimit("secondary"),
      },
      retry: { retryAfterBaseValue: retryBaseMs },
    });
    octokit.hook.wrap("request", (request, requestOptions) =>
      requestOptions.method === "GET" || requestOptions.method === "HEAD"
        ? request(requestOptions)
        : writeQueues.key(id).schedule(async () => request(requestOptions)),
    );
    const deliveryId = clientOptions.deliveryId;
    if (deliveryId) {
      octokit.hook.before("request", (request) => {
        request.headers["x-github-delivery"] = deliveryId;
      });
    }
    return octokit;
  }

  return {
    forInstallation(installationId, clientOptions = {}) {
      const auth = { appAuth: options.appAuth, installationId, scope: clientOptions.scope };
      return build(String(installationId), createInstallationAuthStrategy, auth, clientOptions);
    },
    forApp(clientOptions = {}) {
      return build("app", createAppAuthStrategy, { appAuth: options.appAuth }, clientOptions);
    },
  };
}
