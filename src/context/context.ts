import type { EmitterWebhookEvent, EmitterWebhookEventName } from "@octokit/webhooks";
import type { Logger } from "pino";
import type { Octokit } from "../github/octokit.js";
import { mergeConfig, type ConfigObject } from "./merge-config.js";
import { readRepoConfig } from "./read-repo-config.js";

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
  config?: (file: string, repo: RepoRef) => Promise<ConfigObject | null>;
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
  #log: Logger | undefined;
  #makeLog: () => Logger;
  #octokit: () => Octokit;
  #config: (file: string, repo: RepoRef) => Promise<ConfigObject | null>;

  constructor({ event, octokit, log, config }: ContextOptions<E>) {
    this.name = event.name as NameOf<E>;
    this.id = event.id;
    this.payload = event.payload as PayloadOf<E>;
    // A pino child costs an allocation and its bindings' serialisation; most handlers never log.
    this.#makeLog = typeof log === "function" ? log : () => log;
    this.#octokit = octokit;
    this.#config =
      config ??
      (async (file, repo) => (await readRepoConfig({ octokit: octokit(), ...repo, file })).value);
  }

  /**
   * Logger bound to `deliveryId`, `event`, `action`, `installationId`, `repo` and `plugin`.
   * @example
   * context.log.info({ labels: 2 }, "labelled");
   */
  get log(): Logger {
    return (this.#log ??= this.#makeLog());
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
   * The repository's `.github/<file>` as an object, from its default branch; when the
   * repository has none, the owner's `.github` repository's `.github/<file>`. `_extends:
   * [owner/]repo[:path]` layers the file over another one. The result is merged over
   * `defaults` (mappings key by key, lists replaced). Without a file: `defaults`, or null.
   * Files are cached per installation, repository and file until a push to the default
   * branch changes them. A file that is not YAML fails with `CONFIG_FILE_INVALID`.
   * @example
   * const config = await context.config("labeler.yml", { labels: {} });
   */
  async config<T extends object>(file: string, defaults: T): Promise<T>;
  async config<T extends object = ConfigObject>(file: string): Promise<T | null>;
  async config(file: string, defaults?: object): Promise<object | null> {
    const value = await this.#config(file, this.repo());
    if (value === null) return defaults === undefined ? null : mergeConfig({}, { ...defaults });
    return mergeConfig((defaults ?? {}) as ConfigObject, value);
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
