import type { HttpLimits } from "../server/server-limits.js";
import type { PrivateKey } from "./read-private-key.js";

export type LogFormat = "json" | "pretty";

/** Everything Hookwright reads from the environment, checked and typed. */
export interface Config {
  /** Absent in sandbox mode (no APP_ID). */
  app: AppCredentials | undefined;
  webhookPath: string;
  port: number;
  host: string | undefined;
  apiUrl: string;
  webUrl: string;
  logLevel: string;
  logFormat: LogFormat;
  plugins: string[] | undefined;
  redisUrl: string | undefined;
  webhookProxyUrl: string | undefined;
  /** Opens the delivery console outside sandbox mode; every console request must carry it. */
  consoleToken: string | undefined;
  tokenRefreshMarginS: number;
  /** Every call to GitHub (token exchange, API) is cut after this, its whole answer included. */
  githubRequestTimeoutMs: number;
  deadlineMs: number;
  /** How often the server asks GitHub to redeliver failed deliveries; off when undefined. */
  redeliverIntervalMs: number | undefined;
  /** NODE_ENV=production: never the sandbox, and no short webhook secret. */
  production: boolean;
  /**
   * PUBLIC_URL: where browsers reach this server. Its host is the one Host, besides loopback
   * names, the console and /setup answer; https makes the console cookie Secure.
   */
  publicUrl: string | undefined;
  http: HttpLimits;
  delivery: DeliveryConfig;
  metrics: MetricsConfig;
}

/** `/metrics`: its own port or the webhook port, an optional bearer token, the label bound. */
export interface MetricsConfig {
  /** METRICS_PORT: served there (on HOST) instead of the webhook port. */
  port: number | undefined;
  /** METRICS_TOKEN: every scrape sends `Authorization: Bearer <token>`. */
  token: string | undefined;
  /** METRICS_TOP_INSTALLATIONS: installations labelled on the rate-limit gauge. */
  topInstallations: number;
}

/** Queue, workers, leases and the local journal. */
export interface DeliveryConfig {
  /** Local journal of deliveries handed back at shutdown (no Redis), git credential cache. */
  dataDir: string;
  /** Queue workers `hookwright run` hosts with REDIS_URL (0: receive only). */
  workers: number;
  /** Jobs one worker runs at once. */
  workerConcurrency: number;
  /** Runs of a queued delivery before it waits in the failed set. */
  attempts: number;
  /** Waiting jobs past which deliveries are answered 503; unbounded when undefined. */
  maxWaiting: number | undefined;
  /** A running delivery's lease: after a crash it is run again within this. */
  leaseMs: number;
  /** Prefix of every Redis key; `{hookwright}` hash-tags them for a Redis Cluster. */
  redisPrefix: string;
  /** With REDIS_URL: queue deliveries for workers (true), or run them inline (false). */
  queue: boolean;
  /** How long a shutdown lets running deliveries finish before handing them back. */
  drainMs: number;
}

export interface AppCredentials {
  appId: string;
  privateKey: PrivateKey;
  webhookSecrets: string[];
}
