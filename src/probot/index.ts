// `hookwright/probot`: what apps and their tests import from "probot".
import type { PluginOptions } from "../app/app.js";
import { processEnv } from "../cli/process-env.js";
import {
  createNodeMiddleware as createMiddlewareFor,
  type AwaitableMiddleware,
  type MiddlewareOptions,
} from "./create-node-middleware.js";
import { createProbot as createProbotFrom, type CreateProbotOptions } from "./create-probot.js";
import type { Probot } from "./probot.js";

export { Probot, type ProbotOptions, type ProbotOptions as Options } from "./probot.js";
// Probot 9 called it `Octokit`; Probot 11 betas exported `ProbotOctokitCore` beside it.
export {
  ProbotOctokit,
  ProbotOctokit as Octokit,
  ProbotOctokit as ProbotOctokitCore,
} from "./probot-octokit.js";
export { Application, type ApplicationOptions } from "./application.js";
export { run, Server } from "./unsupported.js";
export { Context } from "../context/context.js";
export type { PluginOptions as ApplicationFunctionOptions } from "../app/app.js";
export type { Logger } from "pino";
export type { AwaitableMiddleware, CreateProbotOptions, MiddlewareOptions };

/** Probot's `ApplicationFunction`: an app as Probot declares it. */
export type ApplicationFunction = (app: Probot, options: PluginOptions) => void | Promise<void>;

/**
 * Probot's `createProbot`: the environment is the process's unless `env` is given.
 * @example
 * const probot = createProbot({ overrides: { logLevel: "fatal" } });
 */
export function createProbot(options: CreateProbotOptions = {}): Probot {
  return createProbotFrom({ ...options, env: options.env ?? processEnv() });
}

/**
 * Probot's `createNodeMiddleware`: without `probot`, one made by `createProbot()`.
 * @example
 * export default await createNodeMiddleware(app, { probot: createProbot() });
 */
export function createNodeMiddleware(
  appFn: ApplicationFunction,
  options: Partial<MiddlewareOptions> = {},
): AwaitableMiddleware {
  return createMiddlewareFor(appFn as never, {
    ...options,
    probot: options.probot ?? createProbot(),
  });
}
