// `require("probot/lib/github")`, as Probot 7–9 apps and their tests wrote it.
import { ProbotOctokit, type ProbotOctokitOptions } from "../probot-octokit.js";

export { ProbotOctokit };

/**
 * Probot 7–9's `GitHubAPI`: a client made with or without `new`.
 * @example
 * const { GitHubAPI } = require("probot/lib/github");
 * const github = GitHubAPI({ auth: "token test" });
 */
export function GitHubAPI(options: ProbotOctokitOptions = {}): ProbotOctokit {
  return new ProbotOctokit(options);
}
