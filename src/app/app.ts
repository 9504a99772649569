import type { EmitterWebhookEventName } from "@octokit/webhooks";
import type { Router } from "express";
import type { Logger } from "pino";
import type { TokenScope } from "../auth/create-app-auth.js";
import type { CommandApi } from "../commands/command-types.js";
import type { Context } from "../context/context.js";
import type { Octokit } from "../github/octokit.js";
import type { ScheduleApi } from "../schedules/schedule-types.js";

export type EventName = EmitterWebhookEventName;

/** A handler for one event; it may return a promise, which the delivery waits for. */
export type Handler<E extends EventName = EventName> = (context: Context<E>) => unknown;

/** The error given to `app.onError`: every handler failure of one delivery, with its event. */
export interface DeliveryError extends AggregateError {
  event: { id: string; name: string; payload: unknown };
}

/**
 * What a plugin receives: subscribe to events, log, and get clients.
 *
 * @example
 * export default (app: App) => {
 *   app.on(["issues.opened", "pull_request.opened"], async (context) => {
 *     context.log.info("opened");
 *   });
 * };
 */
export interface App extends CommandApi, ScheduleApi {
  /**
   * Runs `handler` for the named events: `"issues"` for every action, `"issues.opened"` for one.
   * @example
   * app.on("issues.opened", async (context) => {
   *   await context.octokit.rest.issues.createComment(context.issue({ body: "Thanks!" }));
   * });
   */
  on<E extends EventName>(name: E | E[], handler: Handler<E>): void;
  /**
   * Runs `handler` for every event.
   * @example
   * app.onAny(async (context) => context.log.info({ event: context.name }, "received"));
   */
  onAny(handler: Handler): void;
  /**
   * Runs after a delivery in which any handler (of any plugin) failed.
   * @example
   * app.onError(async (error) => app.log.warn({ delivery: error.event.id }, "delivery failed"));
   */
  onError(handler: (error: DeliveryError) => unknown): void;
  /** The plugin's logger. @example app.log.info("loaded") */
  readonly log: Logger;
  /**
   * A client for an installation (optionally narrowed to some repositories or permissions),
   * or, with no id, authenticated as the app itself.
   * @example
   * const appClient = await app.auth();
   * const { data } = await appClient.rest.apps.listInstallations();
   * const octokit = await app.auth(data[0].id, { permissions: { issues: "read" } });
   */
  auth(installationId?: number, scope?: TokenScope): Promise<Octokit>;
}

export interface PluginOptions {
  /** The directory the server was started in. */
  cwd: string;
  /**
   * An Express router mounted at `path` on the server, for a plugin's own HTTP routes.
   * @example
   * options.getRouter("/my-plugin").get("/status", (_req, res) => res.json({ ok: true }));
   */
  getRouter(path?: string): Router;
}

/** A plugin: the default export of `plugins/<name>/index.ts` (Probot's signature). */
export type Plugin = (app: App, options: PluginOptions) => void | Promise<void>;
