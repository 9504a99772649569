import type { Logger } from "pino";
import { Context } from "../context/context.js";
import type { Octokit } from "../github/octokit.js";
import type { ScheduleTarget } from "./schedule-types.js";

export interface ScheduleContextOptions {
  /** The run's id: the same for every attempt of one tick's run for one target. */
  id: string;
  schedule: string;
  /** The tick this run belongs to (ms since the epoch). */
  tick: number;
  target: ScheduleTarget;
  octokit: () => Octokit;
  log: () => Logger;
}

/**
 * What a schedule's handler receives for one run: the installation (and repository) it runs
 * for, a client authenticated as that installation, and a logger naming the run.
 *
 * @example
 * app.schedule("tidy", { every: "1d", per: "repository" }, async (context) => {
 *   const { data } = await context.octokit.rest.issues.listForRepo(context.repo());
 *   context.log.info({ issues: data.length, at: context.tick }, "looked");
 * });
 */
export class ScheduleContext {
  /** Always "schedule", so code shared with event handlers can tell. */
  readonly name = "schedule";
  /** Stable across retries of this run: `<plugin>/<schedule>:<tick>:<installation>[:<repo>]`. */
  readonly id: string;
  /** The schedule's name, as the plugin gave it. */
  readonly schedule: string;
  /** The tick this run belongs to, in milliseconds since the epoch. */
  readonly tick: number;
  /** The installation this run is for; absent for `per: "app"`. */
  readonly installation?: { id: number; account: string };
  /** `{ owner, repo }` for `per: "repository"`. */
  readonly repository?: { owner: string; repo: string };
  #context: Context;
  #octokit: () => Octokit;
  #log: () => Logger;

  constructor(options: ScheduleContextOptions) {
    this.id = options.id;
    this.schedule = options.schedule;
    this.tick = options.tick;
    this.installation = options.target.installation;
    this.repository = options.target.repository;
    this.#octokit = options.octokit;
    this.#log = options.log;
    const { repository, installation } = options.target;
    // A Context over a payload shaped like an event's, so repo() and config() behave the same.
    const payload = {
      installation: installation && {
        id: installation.id,
        account: { login: installation.account },
      },
      repository: repository && {
        name: repository.repo,
        full_name: `${repository.owner}/${repository.repo}`,
        owner: { login: repository.owner },
      },
    };
    this.#context = new Context({
      event: { id: options.id, name: "schedule", payload } as never,
      octokit: options.octokit,
      log: options.log,
    });
  }

  /** Client authenticated as the run's installation (as the app for `per: "app"`). */
  get octokit(): Octokit {
    return this.#octokit();
  }

  /** Logger bound to the schedule, tick, installation, repository and plugin. */
  get log(): Logger {
    return this.#log();
  }

  /**
   * `{ owner, repo }` of the run's repository (`per: "repository"` only), merged with `object`.
   * @example
   * await context.octokit.rest.issues.create(context.repo({ title: "Weekly report" }));
   */
  repo<T extends object = object>(object?: T): { owner: string; repo: string } & T {
    if (this.repository === undefined) {
      throw new Error(`context.repo() needs a schedule with per: "repository"`);
    }
    return this.#context.repo(object);
  }

  /**
   * The repository's `.github/<file>` merged over `defaults`, as `context.config` reads it
   * for events (`per: "repository"` only); without defaults, null when there is no file.
   * @example
   * const { days } = await context.config("stale.yml", { days: 30 });
   */
  async config<T extends object>(file: string, defaults: T): Promise<T>;
  async config<T extends object = Record<string, unknown>>(file: string): Promise<T | null>;
  async config(file: string, defaults?: object): Promise<object | null> {
    this.repo();
    return defaults === undefined
      ? this.#context.config(file)
      : this.#context.config(file, defaults);
  }
}
