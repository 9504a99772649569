import { readFileSync } from "node:fs";
import type { Env } from "../config/read-config.js";
import { toPem } from "../config/read-private-key.js";
import { Probot, type ProbotOptions } from "./probot.js";

export interface CreateProbotOptions {
  /** Options that win over the environment. */
  overrides?: ProbotOptions;
  /** Options the environment overrides. */
  defaults?: ProbotOptions;
  /** Probot's variables; the process's own when omitted (filled in by the entry, src/probot/index.ts). */
  env?: Env;
}

const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal"] as const;

function privateKeyOf(env: Env, readFile: (path: string) => string): string | undefined {
  if (env.PRIVATE_KEY) return toPem(env.PRIVATE_KEY);
  if (env.PRIVATE_KEY_PATH) return readFile(env.PRIVATE_KEY_PATH);
  return undefined;
}

/** The options Probot reads from its environment variables, with Probot's defaults. */
export function probotOptionsFromEnv(
  env: Env,
  readFile: (path: string) => string = (path) => readFileSync(path, "utf8"),
): ProbotOptions {
  const level = (env.LOG_LEVEL ?? "warn") as (typeof LOG_LEVELS)[number];
  const gheHost = env.GHE_HOST;
  return {
    appId: Number(env.APP_ID ?? ""),
    privateKey: privateKeyOf(env, readFile),
    secret: env.WEBHOOK_SECRET ?? "",
    webhookPath: env.WEBHOOK_PATH || "/api/github/webhooks",
    logLevel: LOG_LEVELS.includes(level) ? level : "warn",
    redisConfig: env.REDIS_URL || undefined,
    baseUrl: gheHost
      ? `${env.GHE_PROTOCOL || "https"}://${gheHost}/api/v3`
      : (env.GITHUB_API_URL ?? "https://api.github.com"),
  };
}

/**
 * A `Probot` configured from the environment as Probot's `createProbot` is (APP_ID,
 * PRIVATE_KEY or PRIVATE_KEY_PATH, WEBHOOK_SECRET, WEBHOOK_PATH, GHE_HOST, LOG_LEVEL),
 * `defaults` under it and `overrides` over it.
 *
 * @example
 * const probot = createProbot({ env: { APP_ID: "1", PRIVATE_KEY: pem }, overrides: { logLevel: "fatal" } });
 */
export function createProbot({
  overrides = {},
  defaults = {},
  env = {},
}: CreateProbotOptions = {}): Probot {
  return new Probot({ ...defaults, ...probotOptionsFromEnv(env), ...overrides });
}
