import { readFileSync } from "node:fs";
import { DEFAULT_REQUEST_LIMITS } from "../request-limits.js";
import type { AppCredentials, Config, LogFormat } from "./config.js";
import { bad, readInteger, value, type Env } from "./env-values.js";
import { readDeliveryConfig } from "./read-delivery-config.js";
import { parseDuration } from "./parse-duration.js";
import { readHttpLimits } from "./read-http-limits.js";
import { readMetricsConfig } from "./read-metrics-config.js";
import { readPrivateKey } from "./read-private-key.js";

export type { Env } from "./env-values.js";

export interface ReadConfigOptions {
  readFile?: (path: string) => string;
  isTty?: boolean;
  /** Commands that never receive a webhook (token, installations, …) need no secret. */
  webhookSecretOptional?: boolean;
  /** `run`: in production it needs an app, since the sandbox never serves there. */
  serving?: boolean;
}

const MIN_CONSOLE_TOKEN = 16;
const MIN_PRODUCTION_SECRET = 16;
const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"];

function readUrl(env: Env, name: string, fallback: string): string {
  const raw = value(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw bad(name, `must be an http(s) URL (got "${raw}")`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw bad(name, `must be an http(s) URL (got "${raw}")`);
  }
  return raw.replace(/\/+$/, "");
}

/** GITHUB_API_URL wins; else GHE_HOST (+ GHE_PROTOCOL) means GitHub Enterprise Server's /api/v3. */
function readApiUrl(env: Env): string {
  const gheHost = value(env, "GHE_HOST");
  if (value(env, "GITHUB_API_URL") === undefined && gheHost !== undefined) {
    const protocol = value(env, "GHE_PROTOCOL") ?? "https";
    return readUrl({ GHE_HOST: `${protocol}://${gheHost}/api/v3` }, "GHE_HOST", "");
  }
  return readUrl(env, "GITHUB_API_URL", "https://api.github.com");
}

function readWebUrl(env: Env): string {
  const gheHost = value(env, "GHE_HOST");
  const fallback = gheHost
    ? `${value(env, "GHE_PROTOCOL") ?? "https"}://${gheHost}`
    : "https://github.com";
  return readUrl(env, "GITHUB_URL", fallback);
}

/** In production a short secret is refused: it is all that stands between a stranger and the handlers. */
function checkProductionSecrets(env: Env): void {
  for (const name of ["WEBHOOK_SECRET", "WEBHOOK_SECRET_PREVIOUS"]) {
    const secret = value(env, name);
    if (secret !== undefined && secret.length < MIN_PRODUCTION_SECRET) {
      throw bad(
        name,
        `must be at least ${MIN_PRODUCTION_SECRET} characters when NODE_ENV=production`,
      );
    }
  }
}

function readApp(
  env: Env,
  readFile: (path: string) => string,
  secretOptional: boolean,
): AppCredentials | undefined {
  const appId = value(env, "APP_ID");
  if (appId === undefined) return undefined;
  if (!/^\d+$/.test(appId) && !/^Iv[0-9a-z.]+$/i.test(appId)) {
    throw bad("APP_ID", `must be the app's numeric id or client id (got "${appId}")`);
  }
  const keyPath = value(env, "PRIVATE_KEY_PATH");
  const keyText = value(env, "PRIVATE_KEY");
  let privateKey;
  if (keyText !== undefined) {
    privateKey = readPrivateKey(keyText, "PRIVATE_KEY");
  } else if (keyPath !== undefined) {
    let text: string;
    try {
      text = readFile(keyPath);
    } catch (cause) {
      throw bad("PRIVATE_KEY_PATH", `cannot be read (${keyPath})`, cause);
    }
    privateKey = readPrivateKey(text, "PRIVATE_KEY_PATH");
  } else {
    throw bad("PRIVATE_KEY", "is required with APP_ID (or set PRIVATE_KEY_PATH)");
  }
  const secret = value(env, "WEBHOOK_SECRET");
  if (secret === undefined && !secretOptional) {
    throw bad("WEBHOOK_SECRET", "is required with APP_ID");
  }
  const secrets = [secret, value(env, "WEBHOOK_SECRET_PREVIOUS")].filter(
    (candidate): candidate is string => candidate !== undefined,
  );
  return { appId, privateKey, webhookSecrets: secrets };
}

/** Reads and checks the whole configuration; the first bad variable throws CONFIG_INVALID naming it. */
export function readConfig(env: Env, options: ReadConfigOptions = {}): Config {
  const readFile = options.readFile ?? ((path: string) => readFileSync(path, "utf8"));
  const production = value(env, "NODE_ENV") === "production";
  if (production && options.serving && value(env, "APP_ID") === undefined) {
    throw bad("APP_ID", "is required when NODE_ENV=production (the sandbox never runs there)");
  }
  if (production) checkProductionSecrets(env);
  const webhookPath = value(env, "WEBHOOK_PATH") ?? "/api/github/webhooks";
  if (!webhookPath.startsWith("/"))
    throw bad("WEBHOOK_PATH", `must start with "/" (got "${webhookPath}")`);
  const logLevel = value(env, "LOG_LEVEL") ?? "info";
  if (!LOG_LEVELS.includes(logLevel))
    throw bad("LOG_LEVEL", `must be one of ${LOG_LEVELS.join(", ")}`);
  const logFormat = (value(env, "LOG_FORMAT") ?? (options.isTty ? "pretty" : "json")) as LogFormat;
  if (logFormat !== "json" && logFormat !== "pretty")
    throw bad("LOG_FORMAT", 'must be "json" or "pretty"');
  const plugins = value(env, "PLUGINS")
    ?.split(",")
    .map((name) => name.trim())
    .filter(Boolean);
  const redisUrl = value(env, "REDIS_URL");
  if (redisUrl !== undefined && !/^rediss?:\/\//.test(redisUrl)) {
    throw bad("REDIS_URL", "must start with redis:// or rediss://");
  }
  const webhookProxyUrl = value(env, "WEBHOOK_PROXY_URL");
  if (webhookProxyUrl !== undefined) readUrl(env, "WEBHOOK_PROXY_URL", "");
  const redeliverInterval = value(env, "REDELIVER_INTERVAL");
  const redeliverIntervalMs =
    redeliverInterval === undefined ? undefined : parseDuration(redeliverInterval);
  // GitHub's delivery log is read page by page each time: more often than a minute is waste.
  if (redeliverInterval !== undefined && (redeliverIntervalMs ?? 0) < 60_000) {
    throw bad("REDELIVER_INTERVAL", "must be a duration of at least a minute, such as 15m or 1h");
  }
  const consoleToken = value(env, "CONSOLE_TOKEN");
  // The console can send signed deliveries and register apps: a guessable token is no lock.
  if (consoleToken !== undefined && consoleToken.length < MIN_CONSOLE_TOKEN) {
    throw bad("CONSOLE_TOKEN", `must be at least ${MIN_CONSOLE_TOKEN} characters`);
  }
  // Read in the order they are listed, so the first bad variable is the one named.
  const app = readApp(env, readFile, options.webhookSecretOptional === true);
  const port = readInteger(env, "PORT", 3000, 0, 65535);
  return {
    app,
    webhookPath,
    port,
    host: value(env, "HOST"),
    apiUrl: readApiUrl(env),
    webUrl: readWebUrl(env),
    logLevel,
    logFormat,
    plugins,
    redisUrl,
    webhookProxyUrl,
    consoleToken,
    tokenRefreshMarginS: readInteger(env, "TOKEN_REFRESH_MARGIN_S", 300, 0, 3000),
    // At least 100: "10" meant as seconds would fail every call. At most 60 s, so one attempt
    // always fits in the retry budget.
    githubRequestTimeoutMs: readInteger(
      env,
      "GITHUB_REQUEST_TIMEOUT_MS",
      DEFAULT_REQUEST_LIMITS.timeoutMs,
      100,
      60_000,
    ),
    deadlineMs: readInteger(env, "WEBHOOK_DEADLINE_MS", 9000, 1, 600_000),
    redeliverIntervalMs,
    delivery: readDeliveryConfig(env),
    production,
    publicUrl: value(env, "PUBLIC_URL") && new URL(readUrl(env, "PUBLIC_URL", "")).origin,
    http: readHttpLimits(env),
    metrics: readMetricsConfig(env, port),
  };
}
