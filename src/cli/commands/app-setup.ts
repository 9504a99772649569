import { join } from "node:path";
import type { Logger } from "pino";
import { createAppAuth, type AppAuth } from "../../auth/create-app-auth.js";
import type { TokenStore } from "../../auth/token-store.js";
import { systemClock, type Clock } from "../../clock.js";
import type { AppCredentials, Config } from "../../config/config.js";
import { withDotenv } from "../../config/load-dotenv.js";
import { readConfig } from "../../config/read-config.js";
import { HookwrightError, isHookwrightError } from "../../errors.js";
import { createClientFactory, type ClientFactory } from "../../github/create-client-factory.js";
import { createLogger } from "../../logging/create-logger.js";
import { DEFAULT_REQUEST_LIMITS, type RequestLimits } from "../../request-limits.js";
import type { CliIo } from "../io.js";

/** What tests replace: the network and the clock. Commands run with neither given. */
export interface CommandDeps {
  fetch?: typeof fetch;
  clock?: Clock;
  /** Multiplier (ms) for the clients' retry backoff; tests pass 1. */
  retryBaseMs?: number;
}

/** The app's credentials wired to the same auth module and clients the server uses. */
export interface AppSetup {
  config: Config;
  app: AppCredentials;
  appAuth: AppAuth;
  clients: ClientFactory;
  logger: Logger;
  /**
   * GitHub refusing the app's JWT, or not knowing the installation a command was asked
   * about, is the caller's setup to fix (exit 2), not a failure while running: this turns
   * those errors into one-line configuration or usage errors, and leaves the rest alone.
   */
  explain(error: unknown): unknown;
}

// Below a minute the JWT's backdated `iat` absorbs the difference; above it, say so.
const SKEW_WORTH_NAMING_S = 60;

/** The configuration as `run` reads it (environment over `.env`), minus the webhook secret. */
export function readCommandConfig(io: CliIo): Config {
  const env = withDotenv(io.env, join(io.cwd, ".env"));
  return readConfig(env, { isTty: io.isTty, webhookSecretOptional: true });
}

/** The configured webhook secrets, for the log scrubber. */
export function webhookSecretsOf(config: Config): string[] {
  return config.app?.webhookSecrets ?? [];
}

/** Log lines go to stderr: stdout carries the command's answer (JSON, or git's protocol). */
export function createStderrLogger(config: Config, io: CliIo): Logger {
  return createLogger({
    level: config.logLevel,
    format: "json",
    secrets: webhookSecretsOf(config),
    destination: { write: (line: string) => io.stderr(line) },
  });
}

/** The timeout from GITHUB_REQUEST_TIMEOUT_MS, the budget at its documented default. */
export function requestLimitsOf(config: Config): RequestLimits {
  return { ...DEFAULT_REQUEST_LIMITS, timeoutMs: config.githubRequestTimeoutMs };
}

export function requireApp(config: Config): AppCredentials {
  if (config.app) return config.app;
  throw new HookwrightError(
    "CONFIG_INVALID",
    "APP_ID is not set: set APP_ID and PRIVATE_KEY (or PRIVATE_KEY_PATH) from your GitHub App's settings page, in the environment or .env",
    { variable: "APP_ID" },
  );
}

/** Remembers how far GitHub's `Date` is from our clock, to explain a rejected JWT. */
function watchServerDate(fetchImpl: typeof fetch, clock: Clock) {
  let skewMs: number | undefined;
  const watched: typeof fetch = async (input, init) => {
    const response = await fetchImpl(input, init);
    const serverMs = Date.parse(response.headers.get("date") ?? "");
    if (!Number.isNaN(serverMs)) skewMs = serverMs - clock.now();
    return response;
  };
  return { fetch: watched, skewS: () => (skewMs === undefined ? 0 : Math.round(skewMs / 1000)) };
}

function describeRejection(appId: string, fingerprint: string, skewS: number): string {
  if (Math.abs(skewS) >= SKEW_WORTH_NAMING_S) {
    const direction = skewS > 0 ? "behind" : "ahead of";
    return `GitHub rejected the app's JWT: this machine's clock is off by ${Math.abs(skewS)} seconds (${direction} GitHub's); correct it (e.g. enable NTP), then check APP_ID and the private key if it persists`;
  }
  return `GitHub rejected the app's JWT: check that APP_ID (${appId}) and the private key (${fingerprint}) belong to the same GitHub App`;
}

export function createAppSetup(
  config: Config,
  logger: Logger,
  deps: CommandDeps,
  store?: TokenStore,
): AppSetup {
  const app = requireApp(config);
  const clock = deps.clock ?? systemClock;
  const dates = watchServerDate(deps.fetch ?? globalThis.fetch, clock);
  const appAuth = createAppAuth({
    appId: app.appId,
    privateKey: app.privateKey.key,
    apiUrl: config.apiUrl,
    fetch: dates.fetch,
    clock,
    store,
    refreshMarginS: config.tokenRefreshMarginS,
    requestLimits: requestLimitsOf(config),
  });
  const clients = createClientFactory({
    appAuth,
    logger,
    fetch: dates.fetch,
    retryBaseMs: deps.retryBaseMs,
    requestLimits: requestLimitsOf(config),
  });
  return {
    config,
    app,
    appAuth,
    clients,
    logger,
    explain(failure) {
      // These commands call GitHub as the app: a 401 there is the app's JWT being refused.
      const error =
        (failure as { status?: unknown } | null)?.status === 401 && !isHookwrightError(failure)
          ? new HookwrightError("APP_JWT_REJECTED", "GitHub rejected the app JWT", {
              cause: failure,
            })
          : failure;
      if (!isHookwrightError(error)) return error;
      if (error.code === "INSTALLATION_NOT_FOUND") {
        return new HookwrightError("USAGE", error.message, { cause: error, status: error.status });
      }
      if (error.code === "APP_JWT_REJECTED") {
        const message = describeRejection(app.appId, app.privateKey.fingerprint, dates.skewS());
        return new HookwrightError("CONFIG_INVALID", message, { cause: error, variable: "APP_ID" });
      }
      return error;
    },
  };
}
