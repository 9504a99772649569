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
}

export interface AppCredentials {
  appId: string;
  privateKey: PrivateKey;
  webhookSecrets: string[];
}
