import type { EmitterWebhookEvent, EmitterWebhookEventName } from "@octokit/webhooks";
import type { Logger } from "pino";
import type { Octokit } from "../github/octokit.js";
import { callableLog, type CallableLogger } from "./callable-log.js";
import type { ConfigLayers } from "./config-cache.js";
import { mergeConfigs, type ConfigObject, type MergeOptions } from "./merge-config.js";
import { foreignConfigGet, readForeignConfig } from "./foreign-config.js";
import { readRepoConfig } from "./read-repo-config.js";
import { warnOnce } from "./warn-once.js";

type EventName = EmitterWebhookEventName;
// Inferred rather than indexed: `EmitterWebhookEvent<E>["payload"]` is a union too large
// for the compiler once E is inferred from a handler's event name.
type PayloadOf<E extends EventName> =
  EmitterWebhookEvent<E> extends { payload: infer P } ? P : never;
type NameOf<E extends EventName> = EmitterWebhookEvent<E> extends { name: infer N } ? N : never;

type RepoRef = {
  owner: string;
  repo: string;
};

export interface ContextOptions<E extends EventName> {
  event: EmitterWebhookEvent<E>;
  /** Built on first use: a handler that never calls GitHub costs no client. */
  octokit: () => Octokit;
  /** A logger, or a function making one: called on the first use of `context.log` only. */
  log: Logger | (() => Logger);
  /**
   * Reads `.github/<file>` for the event's repository (null when absent); the event router
   * passes a cached reader. Without it every call reads from GitHub.
   */
  config?: (file: string, repo: RepoRef) => Promise<ConfigLayers>;
}

/**
 * What a handler receives for one delivery: the event, a client authenticated as the
 * delivery's installation, a logger bound to the delivery, and helpers that fill in the
 * repository and issue from the payload.
 *
 * @example
 * app.on("issues.opened", async (context) => {
 *   context.log.info("new issue");
 *   await context.octokit.rest.issues.createComment(context.issue({ body: "Thanks!" }));
 * });
 */
export class Context<E extends EventName = EventName> {
  /** The event name without its action, e.g. "issues" (X-GitHub-Event). */
  readonly name: NameOf<E>;
  /** The delivery id (X-GitHub-Delivery), the same on redeliveries. */
  readonly id: string;
  readonly payload: PayloadOf<E>;
  #log: CallableLogger | undefined;
  #makeLog: () => Logger;
  #octokit: () => Octokit;
  #config: (file: string, repo: RepoRef) => Promise<ConfigLayers>;

  constructor(options: ContextOptions<E>);
  /** Probot's form: `new Context(event, octokit, log)`, as apps' tests build one. */
  constructor(event: EmitterWebhookEvent<E>, octokit: Octokit, log: Logger);
  constructor(
    first: ContextOptions<E> | EmitterWebhookEvent<E>,
    client?: Octokit,
    logger?: Logger,
  ) {
    const { event, octokit, log, config }: ContextOptions<E> =
      client === undefined
        ? (first as ContextOptions<E>)
        : { event: first as EmitterWebhookEvent<E>, octokit: () => client, log: logger! };
    this.name = event.name as NameOf<E>;
    this.id = event.id;
    this.payload = event.payload as PayloadOf<E>;
    // A pino child costs an allocation and its bindings' serialisation; most handlers never log.
    // A callable logger (app.log) is a function too, but a logger: it has `info`.
    this.#makeLog = typeof log === "function" && !("info" in log) ? log : () => log as Logger;
    this.#octokit = octokit;
    this.#config =
      config ?? ((file, repo) => readRepoConfig({ octokit: octokit(), ...repo, file }));
  }

  /**
   * Logger bound to `deliveryId`, `event`, `action`, `installationId`, `repo` and `plugin`;
   * calling it logs at info, as in Probot ≤ 12.
   * @example
   * context.log.info({ labels: 2 }, "labelled");
   */
  get log(): CallableLogger {
    return (this.#log ??= callableLog(this.#makeLog()));
  }

  /**
   * Probot's name for `context.octokit` up to Probot 11; warns once per process.
   * @deprecated use `context.octokit`
   * @example
   * await context.github.issues.createComment(context.issue({ body: "Hi" }));
   */
  get github(): Octokit {
    warnOnce(this.#makeLog, "context.github", "context.github is deprecated, use context.octokit");
    return this.#octokit();
  }

  /**
   * Probot ≤ 10's name for `context.name`.
   * @deprecated use `context.name`
   * @example
   * if (context.event === "issues") context.log.info("an issue event");
   */
  get event(): NameOf<E> {
    return this.name;
  }

  /**
   * Octokit REST client authenticated as this delivery's installation (as the app when the
   * event has none); every call carries `x-github-delivery`.
   * @example
   * const { data } = await context.octokit.rest.repos.get(context.repo());
   */
  get octokit(): Octokit {
    return this.#octokit();
  }

  /** True when a bot (including this app) caused the event: skip it to avoid loops. */
  get isBot(): boolean {
    const sender = (this.payload as { sender?: { type?: string } }).sender;
    return sender?.type === "Bot";
  }

  /**
   * `{ owner, repo }` of the event's repository, merged with `object`.
   * @example
   * await context.octokit.rest.repos.createDispatchEvent(context.repo({ event_type: "build" }));
   */
  repo<T extends object = object>(object?: T): RepoRef & T {
    const repository = (this.payload as { repository?: { name: string; owner: { login: string } } })
      .repository;
    if (!repository) {
      throw new Error(
        `context.repo() is not supported for the "${this.name}" event: its payload has no repository`,
      );
    }
    return { owner: repository.owner.login, repo: repository.name, ...(object as T) };
  }

  /**
   * `{ owner, repo, issue_number }` for the event's issue or pull request, merged with `object`.
   * @example
   * await context.octokit.rest.issues.addLabels(context.issue({ labels: ["triage"] }));
   */
  issue<T extends object = object>(object?: T): RepoRef & { issue_number: number } & T {
    return { ...this.repo(), issue_number: this.#number(), ...(object as T) };
  }

  /**
   * `{ owner, repo, pull_number }` for the event's pull request, merged with `object`.
   * @example
   * const { data } = await context.octokit.rest.pulls.listFiles(context.pullRequest());
   */
  pullRequest<T extends object = object>(object?: T): RepoRef & { pull_number: number } & T {
    return { ...this.repo(), pull_number: this.#number(), ...(object as T) };
  }

  /**
   * The repository's `.github/<file>` as an object, read as Probot 14 reads it: from the
   * default branch; when the repository has none, from the owner's `.github` repository;
   * `_extends: [owner/]repo[:path]` layers the file over another one. Every file is merged
   * over `defaults` with deepmerge (mappings key by key, lists concatenated) and
   * `mergeOptions` (deepmerge's, e.g. `arrayMerge`). Without any file and without defaults:
   * null. Files are cached per installation, repository and file until a push to the
   * default branch changes them. A file that cannot be parsed fails with
   * `CONFIG_FILE_INVALID` and Probot's message. A client of the app's own Octokit class with
   * a `config.get` (Probot 11–14's plugin) is read through that, as Probot reads it.
   * @example
   * const config = await context.config("labeler.yml", { labels: [] });
   * const replaced = await context.config("labeler.yml", { labels: [] }, {
   *   arrayMerge: (_defaults, fromFile) => fromFile,
   * });
   */
  async config<T extends object>(
    file: string,
    defaults: T,
    mergeOptions?: MergeOptions,
  ): Promise<T>;
  async config<T extends object = ConfigObject>(file: string): Promise<T | null>;
  async config(
    file: string,
    defaults?: object | null,
    mergeOptions?: MergeOptions,
  ): Promise<object | null> {
    const foreign = foreignConfigGet(this.octokit);
    if (foreign)
      return readForeignConfig(foreign, { ...this.repo(), file }, defaults, mergeOptions);
    const { layers, found } = await this.#config(file, this.repo());
    // Probot tests the defaults for truth: `{}` counts as given, `null` does not.
    if (!defaults && !found) return null;
    return mergeConfigs(defaults, layers, mergeOptions);
  }

  #number(): number {
    const payload = this.payload as {
      issue?: { number: number };
      pull_request?: { number: number };
      number?: number;
    };
    const number = (payload.issue ?? payload.pull_request ?? payload).number;
    if (typeof number !== "number") {
      throw new Error(`the "${this.name}" event's payload has no issue or pull request number`);
    }
    return number;
  }
}
