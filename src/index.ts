export { createApp, type CreateAppOptions, type Hookwright } from "./app/create-app.js";
export type { App, DeliveryError, EventName, Handler, Plugin, PluginOptions } from "./app/app.js";
export { Context } from "./context/context.js";
export { Octokit } from "./github/octokit.js";
export type { TokenScope } from "./auth/create-app-auth.js";
export type { InstallationToken, TokenStore } from "./auth/token-store.js";
export type { DeliveryRecords } from "./webhooks/delivery-records.js";
export type { Delivery } from "./webhooks/parse-delivery.js";
export { ERROR_CODES, HookwrightError, isHookwrightError, type ErrorCode } from "./errors.js";
export type { Clock } from "./clock.js";
export type { Logger } from "pino";
// Probot's exports too, so `"probot": "npm:hookwright@…"` in an app's package.json is the
// whole switch: its `import { Probot } from "probot"` then loads this file.
// `Octokit` stays Hookwright's client (Probot 9's `Octokit` was ProbotOctokit, which extends it).
export {
  Probot,
  ProbotOctokit,
  ProbotOctokitCore,
  Application,
  createProbot,
  createNodeMiddleware,
  run,
  Server,
  type ApplicationFunction,
  type ApplicationFunctionOptions,
  type ApplicationOptions,
  type AwaitableMiddleware,
  type CreateProbotOptions,
  type MiddlewareOptions,
  type Options,
  type ProbotOptions,
} from "./probot/index.js";
export type {
  CommandContext,
  CommandHandler,
  CommandInvocation,
  CommandRefusal,
  CommandSpec,
} from "./commands/command-types.js";
export type { CommandArgs } from "./commands/command-args.js";
export type { CommandPermission } from "./commands/check-permission.js";
export { ScheduleContext } from "./schedules/schedule-context.js";
export type {
  ScheduleHandler,
  ScheduleOptions,
  ScheduleSpec,
  ScheduleStatus,
  ScheduleTiming,
} from "./schedules/schedule-types.js";
export type { Timers } from "./schedules/timers.js";
