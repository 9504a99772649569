import type { EmitterWebhookEventName } from "@octokit/webhooks";
import type { Router } from "express";
import type { TokenScope } from "../auth/create-app-auth.js";
import type { CommandApi } from "../commands/command-types.js";
import type { CallableLogger } from "../context/callable-log.js";
import type { Context } from "../context/context.js";
import type { Octokit } from "../github/octokit.js";
import type { ScheduleApi } from "../schedules/schedule-types.js";
import type { NodeHandler, ProbotWebhooks, ReceivedEvent } from "./probot-members.js";

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
   * app.onError(async (error) => app.log.warn({ deliveryId: error.event.id }, "delivery failed"));
   */
  onError(handler: (error: DeliveryError) => unknown): void;
  /** The plugin's logger; calling it logs at info (Probot ≤ 12). @example app.log.info("loaded") */
  readonly log: CallableLogger;
  /**
   * A client for an installation (optionally narrowed to some repositories or permissions),
   * or, with no id, authenticated as the app itself.
   * @example
   * const appClient = await app.auth();
   * const { data } = await appClient.rest.apps.listInstallations();
   * const octokit = await app.auth(data[0].id, { permissions: { issues: "read" } });
   */
  auth(installationId?: number, scope?: TokenScope): Promise<Octokit>;
  /**
   * Runs the handlers for an event as a delivery would, without a signature check (as in
   * Probot): for events an app makes up, and for tests. Rejects when a handler failed.
   * @example
   * await app.receive({ id: "1", name: "schedule", payload: { action: "repository", installation, repository } });
   */
  receive(event: ReceivedEvent): Promise<void>;
  /**
   * Calls more app functions (Probot's signature) with this app.
   * @example
   * await app.load([labels, greetings]);
   */
  load(fns: unknown, options?: PluginOptions): Promise<void>;
  /**
   * Probot ≤ 11: an Express router mounted at `path`; `options.getRouter` is the same.
   * @deprecated use `options.getRouter(path)`
   * @example
   * app.route("/my-app").get("/status", (_req, res) => res.json({ ok: true }));
   */
  route(path?: string): Router;
  /** Probot's Webhooks object: `on`, `onAny`, `onError`, `receive`. @example app.webhooks.on("push", handler) */
  readonly webhooks: ProbotWebhooks;
  /** The Probot version whose API this follows. @example app.log.info(app.version) */
  readonly version: string;
  /** Probot 12+: resolves with the app. @example await app.ready() */
  ready(): Promise<App>;
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
  /**
   * Probot 13+: a Node request handler asked first about every request; it answers true
   * when it handled one.
   * @example
   * options.addHandler((req, res) => req.url === "/hello" && (res.end("hi"), true));
   */
  addHandler(handler: NodeHandler): void;
}

/** A plugin: the default export of `plugins/<name>/index.ts` (Probot's signature). */
export type Plugin = (app: App, options: PluginOptions) => void | Promise<void>;
