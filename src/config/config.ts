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
}

export interface AppCredentials {
  appId: string;
  privateKey: PrivateKey;
  webhookSecrets: string[];
}
