import type { OctokitOptions } from "@octokit/core";
import type { OctokitResponse } from "@octokit/types";
import type { Logger } from "pino";
import type { RequestLimits } from "../request-limits.js";
import { Octokit } from "./octokit.js";
import { createRequestPolicy, type PolicyRequest, type Send } from "./request-policy.js";

export interface ClientBuilderOptions {
  apiUrl: string;
  logger: Logger;
  fetch?: typeof fetch;
  userAgent?: string;
  /** Multiplier (ms) for retry-after waits and 5xx backoff; tests pass 1. */
  retryBaseMs?: number;
  /** Longest rate-limit wait worth retrying after, in seconds. */
  maxRetryAfterS?: number;
  /** Each request's timeout and retry budget; DEFAULT_REQUEST_LIMITS where not given. */
  requestLimits?: Partial<RequestLimits>;
  /** The client class; `hookwright/probot` passes the app's `ProbotOctokit.plugin(...)` class. */
  Octokit?: new (options: OctokitOptions) => Octokit;
}

export interface BuildOptions {
  /** The request policy's queue key: the installation id, so installations never wait on each other. */
  id: string;
  authStrategy?: unknown;
  auth: unknown;
  deliveryId?: string;
  /** A logger, or a function making one: called only when the client logs. */
  log?: Logger | (() => Logger);
}

/** Builds the Octokit every client factory hands out: queued, retried, stamped. */
export function createClientBuilder(
  options: ClientBuilderOptions,
): (build: BuildOptions) => Octokit {
  const policy = createRequestPolicy({
    retryBaseMs: options.retryBaseMs ?? 1000,
    maxRetryAfterS: options.maxRetryAfterS ?? 60,
    limits: options.requestLimits,
  });

  return ({ id, authStrategy, auth, deliveryId, log: given }) => {
    let made: Logger | undefined;
    // The delivery's logger is a pino child; a client that never logs should not make it.
    const log = () => (made ??= typeof given === "function" ? given() : (given ?? options.logger));
    const Client = options.Octokit ?? Octokit;
    const octokit = new Client({
      baseUrl: options.apiUrl,
      userAgent: options.userAgent ?? "hookwright",
      ...(authStrategy ? { authStrategy } : {}),
      auth,
      request: options.fetch ? { fetch: options.fetch } : {},
      log: {
        debug: (message: string) => log().debug(message),
        info: (message: string) => log().info(message),
        warn: (message: string) => log().warn(message),
        error: (message: string) => log().error(message),
      },
    });
    // An app's own class (a test's stub with no hooks) is handed out as it is.
    if (typeof octokit.hook?.wrap !== "function") return octokit;
    const call = { key: id, deliveryId, log };
    octokit.hook.wrap("request", (request, requestOptions) =>
      policy(
        request as Send<OctokitResponse<unknown>>,
        requestOptions as unknown as PolicyRequest,
        call,
      ),
    );
    return octokit;
  };
}
