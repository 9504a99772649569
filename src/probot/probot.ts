import express, { type Express, type Router } from "express";
import type { Logger } from "pino";
import type { App, PluginOptions } from "../app/app.js";
import { appAlias } from "../app/app-alias.js";
import { createEventRouter, type EventRouter } from "../app/create-event-router.js";
import {
  PROBOT_API_VERSION,
  unsupported,
  withProbotOptions,
  type ReceivedEvent,
} from "../app/probot-members.js";
import type { CallableLogger } from "../context/callable-log.js";
import type { Octokit } from "../github/octokit.js";
import { createLogger } from "../logging/create-logger.js";
import { createProbotClients, NO_CREDENTIALS, type WithoutCredentials } from "./probot-clients.js";
import { isProbotOctokit, type ProbotOctokit } from "./probot-octokit.js";
import { createWebhookHandler, type NodeMiddleware } from "./webhook-handler.js";

/** Probot's constructor options (`Options` in Probot 11–14). */
export interface ProbotOptions {
  appId?: number | string;
  /** Probot 9's name for `appId`. */
  id?: number | string;
  privateKey?: string;
  /** Probot 9's name for `privateKey`. */
  cert?: string;
  /** A token GitHub issued elsewhere (a workflow's GITHUB_TOKEN): every client carries it. */
  githubToken?: string;
  secret?: string;
  webhookPath?: string;
  baseUrl?: string;
  /**
   * `ProbotOctokit` or a class made from it with `.defaults()` / `.plugin()`; or the app's own
   * class (another Probot's, a test's stub), whose instances are handed out as they are made.
   */
  Octokit?: typeof ProbotOctokit | (new (options?: never) => unknown);
  log?: Logger;
  logLevel?: "trace" | "debug" | "info" | "warn" | "error" | "fatal";
  /** Only `request.fetch` is read: every request goes through it. */
  request?: { fetch?: typeof fetch };
  /** Accepted for Probot's sake; Hookwright's shared stores are configured with REDIS_URL. */
  redisConfig?: unknown;
  port?: number;
  host?: string;
  logFormat?: "json" | "pretty";
  logLevelInString?: boolean;
  logMessageKey?: string;
  sentryDsn?: string;
  server?: unknown;
}

// Probot's defaults: https://probot.github.io/docs/configuration/
const DEFAULT_WEBHOOK_PATH = "/api/github/webhooks";
const DEFAULT_SECRET = "development";

/** Probot 9 called the app id `id` and the private key `cert`. */
function withProbot9Names({ id, cert, ...options }: ProbotOptions): ProbotOptions {
  return { ...options, appId: options.appId ?? id, privateKey: options.privateKey ?? cert };
}

function refuse(member: string, instead: string): never {
  throw unsupported(member, instead);
}

/**
 * Probot's `Probot` class, over Hookwright's event router and clients: an app and its
 * tests written for Probot run unchanged. The constructor does no I/O; `receive` runs the
 * handlers (no signature check, as in Probot), `getNodeMiddleware` serves signed deliveries.
 *
 * @example
 * const probot = new Probot({ appId: 1, privateKey, Octokit: ProbotOctokit.defaults({ retry: { enabled: false } }) });
 * await probot.load(myApp);
 * await probot.receive({ id: "1", name: "issues", payload });
 */
export class Probot {
  /** The Probot version whose API this follows. */
  static readonly version = PROBOT_API_VERSION;

  /**
   * A subclass whose constructor options default to `defaults`.
   * @example
   * const TestProbot = Probot.defaults({ appId: 1, privateKey });
   */
  static defaults<S extends new (options?: ProbotOptions) => Probot>(
    this: S,
    defaults: ProbotOptions,
  ): S {
    return class extends (this as new (options?: ProbotOptions) => Probot) {
      constructor(options: ProbotOptions = {}) {
        super({ ...defaults, ...options });
      }
    } as unknown as S;
  }

  readonly version = PROBOT_API_VERSION;
  readonly webhookPath: string;
  /** Probot ≤ 10: the options the instance was made with. */
  readonly options: ProbotOptions;
  readonly #app: App;
  readonly #router: EventRouter;
  readonly #routes: Express = express();
  readonly #options: PluginOptions;
  readonly #secret: string;
  readonly #logger: Logger;
  readonly #replaced = new Map<number | undefined, Octokit>();

  constructor(given: ProbotOptions = {}) {
    const options = withProbot9Names(given);
    // Probot's own messages, which apps' tests may assert. Probot's auth strategy checks
    // them when its Octokit is made; an app's own Octokit class may not authenticate at all.
    const checked = !options.Octokit || isProbotOctokit(options.Octokit);
    if (checked && !options.githubToken && !(options as WithoutCredentials)[NO_CREDENTIALS]) {
      if (!options.appId) throw new Error("appId option is required");
      if (!options.privateKey) throw new Error("privateKey option is required");
    }
    this.#logger = options.log ?? createLogger({ level: options.logLevel ?? "warn" });
    this.options = options;
    this.webhookPath = options.webhookPath ?? DEFAULT_WEBHOOK_PATH;
    this.#secret = options.secret ?? DEFAULT_SECRET;
    const made = createProbotClients(options, this.#logger);
    const invalidate = made.invalidate;
    // A test that replaced `probot.auth` (Probot ≤ 10's way to mock GitHub) expects its
    // client in the handlers' context too: receive() puts it here first.
    const clients: typeof made.clients = {
      forInstallation: (id, client) =>
        this.#replaced.get(id) ?? made.clients.forInstallation(id, client),
      forApp: (client) => this.#replaced.get(undefined) ?? made.clients.forApp(client),
    };
    this.#router = createEventRouter({ clients, logger: this.#logger, invalidate });
    this.#options = withProbotOptions({
      cwd: process.cwd(),
      getRouter: (path = "/") => {
        const router = express.Router();
        this.#routes.use(path, router);
        return router;
      },
    });
    this.#app = this.#router.appFor("probot", this.#options);
  }

  /** The logger; calling it logs at info (Probot ≤ 12). */
  get log(): CallableLogger {
    return this.#app.log;
  }

  /** @deprecated Probot 10's name for `log`. */
  get logger(): CallableLogger {
    return this.#app.log;
  }

  on: App["on"] = (name, handler) => this.#app.on(name, handler);
  onAny: App["onAny"] = (handler) => this.#app.onAny(handler);
  onError: App["onError"] = (handler) => this.#app.onError(handler);

  get webhooks(): App["webhooks"] {
    return this.#app.webhooks;
  }

  /**
   * Probot 11 betas' `{ app }` (probot/dco's app function reads it): this instance. Calling
   * it, as Probot 9's JWT function, refuses and names `app.auth()`.
   */
  get app(): this {
    return appAlias(this);
  }

  /** @deprecated Probot 10's name for `webhooks`. */
  get webhook(): App["webhooks"] {
    return this.#app.webhooks;
  }

  /** A client for the installation, or with no id one authenticated as the app. */
  auth(installationId?: number): Promise<Octokit> {
    return this.#app.auth(installationId);
  }

  /** Calls each app function with this instance, as Probot does. */
  async load(fns: unknown, options?: PluginOptions): Promise<void> {
    for (const fn of Array.isArray(fns) ? fns : [fns]) {
      if (typeof fn !== "function") {
        refuse("probot.load(path)", "import the app function and pass it");
      }
      await (fn as (app: unknown, options: PluginOptions) => unknown)(
        this,
        options ?? this.#options,
      );
    }
  }

  /** Runs the handlers for an event, without a signature check; rejects when one failed. */
  async receive(event: ReceivedEvent): Promise<void> {
    this.#logger.debug({ event: event.name ?? event.event, id: event.id }, "Webhook received");
    if (Object.hasOwn(this, "auth")) {
      const id = (event.payload as { installation?: { id?: number } }).installation?.id;
      this.#replaced.set(id, await this.auth(id));
    }
    return this.#app.receive(event);
  }

  async ready(): Promise<this> {
    return this;
  }

  /** Probot ≤ 10: an Express router mounted at `path` of this instance's middleware. */
  route(path?: string): Router {
    return this.#options.getRouter(path);
  }

  /**
   * A Node handler: signed deliveries POSTed to `path` run the handlers (signature checked
   * under `secret`, duplicates skipped); routes the apps added come first.
   */
  async getNodeMiddleware({ path }: { log?: Logger; path?: string } = {}): Promise<NodeMiddleware> {
    return createWebhookHandler({
      path: path ?? this.webhookPath,
      secret: this.#secret,
      logger: this.#logger,
      routes: this.#routes,
      dispatch: (delivery) => this.#router.dispatch(delivery),
    });
  }

  /** @deprecated Probot ≤ 10: start a server with `npx hookwright run` instead. */
  start(): never {
    return refuse("probot.start()", "start the server with `npx hookwright run <plugin>`");
  }

  /** @deprecated Probot ≤ 10. */
  stop(): never {
    return refuse(
      "probot.stop()",
      "the server `npx hookwright run` starts drains itself on SIGTERM",
    );
  }

  /** @deprecated Probot ≤ 10. */
  setup(): never {
    return refuse("probot.setup()", "load each app function with probot.load(fn)");
  }

  /** @deprecated Probot ≤ 10's Express app. */
  get server(): never {
    return refuse("probot.server", "use probot.getNodeMiddleware() or options.getRouter(path)");
  }

  /** @deprecated Probot ≤ 10. */
  get httpServer(): never {
    return refuse(
      "probot.httpServer",
      "use createNodeMiddleware(app, { probot }) in your own server",
    );
  }

  /** @deprecated Probot ≤ 10. */
  get throttleOptions(): never {
    return refuse(
      "probot.throttleOptions",
      "Hookwright's request policy waits out rate limits per installation",
    );
  }

  /** @deprecated Probot ≤ 10. */
  errorHandler(): never {
    return refuse("probot.errorHandler()", "use probot.onError(handler)");
  }

  /** @deprecated Probot ≤ 10. */
  static run(): never {
    return refuse("Probot.run()", "use `npx hookwright run <plugin>`");
  }
}
