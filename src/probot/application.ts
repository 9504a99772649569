import { NO_CREDENTIALS } from "./probot-clients.js";
import { Probot, type ProbotOptions } from "./probot.js";

/** Probot 9–10's options: the app id was `id`, the key `cert` (both read by `Probot` too). */
export type ApplicationOptions = ProbotOptions;

/**
 * Probot ≤ 10's `Application`: a `Probot` whose app id may be given as `id`. As in Probot 9,
 * it can be made without credentials (apps' tests then replace `app.auth`); a client asked
 * of it then fails, naming the options it lacks.
 *
 * @deprecated use `Probot`
 * @example
 * const app = new Application();
 * app.auth = async () => mockedOctokit;
 */
export class Application extends Probot {
  constructor(options: ApplicationOptions = {}) {
    super({ ...options, [NO_CREDENTIALS]: true } as ProbotOptions);
  }
}
