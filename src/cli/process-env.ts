import type { Env } from "../config/read-config.js";

/**
 * The process's environment, for `hookwright/probot`'s `createProbot()` and
 * `createNodeMiddleware()`, which read it by default as Probot's do; this is the one place
 * outside the CLI's commands that touches `process.env`.
 */
export const processEnv = (): Env => process.env;
