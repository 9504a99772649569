import type { MetricsConfig } from "./config.js";
import { bad, readInteger, value, type Env } from "./env-values.js";

const MIN_METRICS_TOKEN = 16;
/** Mirrors DEFAULT_TOP_INSTALLATIONS in server/create-metrics.ts (config does not import server). */
const DEFAULT_TOP_INSTALLATIONS = 20;

/** Where `/metrics` is served, who may read it, and how many installations get a label. */
export function readMetricsConfig(env: Env, webhookPort: number): MetricsConfig {
  const port =
    value(env, "METRICS_PORT") === undefined
      ? undefined
      : readInteger(env, "METRICS_PORT", 0, 1, 65535);
  if (port !== undefined && port === webhookPort) {
    throw bad("METRICS_PORT", `must differ from PORT (${webhookPort}), or be unset`);
  }
  const token = value(env, "METRICS_TOKEN");
  if (token !== undefined && token.length < MIN_METRICS_TOKEN) {
    throw bad("METRICS_TOKEN", `must be at least ${MIN_METRICS_TOKEN} characters`);
  }
  return {
    port,
    token,
    topInstallations: readInteger(
      env,
      "METRICS_TOP_INSTALLATIONS",
      DEFAULT_TOP_INSTALLATIONS,
      0,
      1000,
    ),
  };
}
