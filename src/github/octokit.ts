import { Octokit as Core, type OctokitOptions } from "@octokit/core";
import { paginateRest, type PaginateInterface } from "@octokit/plugin-paginate-rest";
import { legacyRestEndpointMethods, type Api } from "@octokit/plugin-rest-endpoint-methods";
import { retry, type RetryPlugin } from "@octokit/plugin-retry";
import { throttling } from "@octokit/plugin-throttling";

/** The client's instance type, spelled out so declaration files can name it. */
export type Octokit = Core & Api["rest"] & Api & { paginate: PaginateInterface } & RetryPlugin;

/**
 * The client plugins receive: @octokit/core with `.rest.*` (and, as in Probot, the same
 * methods without `.rest`, so Probot plugins run unchanged), `.paginate`, retries of 5xx and
 * rate-limit handling. `.graphql` and `.request` come with the core.
 */
export const Octokit: new (options?: OctokitOptions) => Octokit = Core.plugin(
  legacyRestEndpointMethods,
  paginateRest,
  retry,
  throttling,
);
