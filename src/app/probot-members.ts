import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import type { Router } from "express";
import { HookwrightError } from "../errors.js";
import type { Delivery } from "../webhooks/parse-delivery.js";
import { appAlias } from "./app-alias.js";
import type { App, PluginOptions } from "./app.js";

/** The Probot release whose public API Hookwright follows (`app.version`, `Probot.version`). */
export const PROBOT_API_VERSION = "14.0.0";

/** An event as Probot's `receive` takes it; Probot ≤ 9 named it `event` rather than `name`. */
export interface ReceivedEvent {
  id?: string;
  name?: string;
  event?: string;
  payload: object;
}

/** A Node request handler as Probot 14's `addHandler` takes it: true when it answered. */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
) => boolean | void | Promise<boolean | void>;

/** The error every Probot member without a Hookwright counterpart throws. */
export function unsupported(member: string, instead: string): HookwrightError {
  return new HookwrightError(
    "PROBOT_API_UNSUPPORTED",
    `${member} is not supported by Hookwright; ${instead}`,
  );
}

/** The Webhooks object Probot exposes as `app.webhooks`: the parts an app may use. */
export interface ProbotWebhooks {
  on: App["on"];
  onAny: App["onAny"];
  onError: App["onError"];
  receive(event: ReceivedEvent): Promise<void>;
  verifyAndReceive(): never;
  removeListener(): never;
  sign(): never;
  verify(): never;
  middleware(): never;
}

/** Turns what an app hands `receive` into the delivery the router runs. */
export function toDelivery(event: ReceivedEvent): Delivery {
  const name = event.name ?? event.event;
  if (typeof name !== "string" || name === "") {
    throw new TypeError("receive({ id, name, payload }) needs the event's name");
  }
  // probot-scheduler and apps' tests often send no id; handlers still get one.
  return { id: event.id ?? randomUUID(), name, payload: event.payload as Delivery["payload"] };
}

/** Probot's `options.addHandler(handler)`, on an Express router. */
export function addHandlerVia(getRouter: (path?: string) => Router) {
  return (handler: NodeHandler): void => {
    getRouter("/").use((req, res, next) => {
      Promise.resolve(handler(req, res)).then((handled) => {
        if (handled !== true) next();
      }, next);
    });
  };
}

/** The options every plugin is called with: Hookwright's, and Probot 13+'s `addHandler`. */
export function withProbotOptions(options: Omit<PluginOptions, "addHandler">): PluginOptions {
  return { ...options, addHandler: addHandlerVia(options.getRouter) };
}

export interface ProbotMemberParts {
  app: App;
  options: PluginOptions | undefined;
  dispatch(delivery: Delivery): Promise<void>;
}

function noRouter(): never {
  throw unsupported(
    "app.route() outside a server",
    "load the plugin through `hookwright run` (or createNodeMiddleware), which mounts its routes",
  );
}

/**
 * Adds Probot's members to a plugin's App: `receive` runs the router's handlers for an
 * event without a signature check (as Probot's does), `load` calls more app functions
 * with the same app, `route` (Probot ≤ 11) is `options.getRouter`.
 */
export function addProbotMembers({ app, options, dispatch }: ProbotMemberParts): void {
  const receive = (event: ReceivedEvent) => dispatch(toDelivery(event));
  // `this` rather than `app`: a wrapper around the app (the delivery console's) is what the
  // plugin holds, and what the functions it loads and the handlers it adds must go through.
  async function load(this: App | undefined, fns: unknown, given?: PluginOptions): Promise<void> {
    for (const fn of Array.isArray(fns) ? fns : [fns]) {
      if (typeof fn !== "function") {
        throw unsupported("app.load(path)", "pass the app function itself, or list it in PLUGINS");
      }
      await (fn as (app: App, options: PluginOptions | undefined) => unknown)(
        this ?? app,
        given ?? options,
      );
    }
  }
  const route = (path?: string) => (options ? options.getRouter(path) : noRouter());
  const refuse = (member: string, instead: string) => () => {
    throw unsupported(member, instead);
  };
  const webhooksOf = (self: App): ProbotWebhooks => ({
    on: (name, handler) => self.on(name, handler),
    onAny: (handler) => self.onAny(handler),
    onError: (handler) => self.onError(handler),
    receive,
    verifyAndReceive: refuse("app.webhooks.verifyAndReceive", "POST to the webhook path"),
    removeListener: refuse("app.webhooks.removeListener", "check a condition in the handler"),
    sign: refuse("app.webhooks.sign", "use createSignedDelivery from hookwright/testing"),
    verify: refuse("app.webhooks.verify", "the server verifies every delivery"),
    middleware: refuse(
      "app.webhooks.middleware",
      "use createNodeMiddleware from hookwright/probot",
    ),
  });
  Object.assign(app, {
    receive,
    load,
    route,
    version: PROBOT_API_VERSION,
    ready: async () => app,
    getNodeMiddleware: refuse(
      "app.getNodeMiddleware",
      "use createNodeMiddleware from hookwright/probot, or the server `hookwright run` starts",
    ),
  });
  Object.defineProperties(app, {
    webhooks: {
      get(this: App | undefined) {
        return webhooksOf(this ?? app);
      },
      enumerable: false,
    },
    router: { get: route, enumerable: false },
    cache: { get: refuse("app.cache (Probot 9)", "keep state in the plugin"), enumerable: false },
    events: { get: refuse("app.events (Probot 9)", "use app.on"), enumerable: false },
    app: {
      get(this: App | undefined) {
        return appAlias(this ?? app);
      },
      enumerable: false,
    },
  });
}
