import { Octokit as Core, type OctokitOptions } from "@octokit/core";
import { paginateRest, type PaginateInterface } from "@octokit/plugin-paginate-rest";
import { legacyRestEndpointMethods, type Api } from "@octokit/plugin-rest-endpoint-methods";
import { renamedMethods } from "./renamed-methods.js";

/** The client's instance type, spelled out so declaration files can name it. */
export type Octokit = Core & Api["rest"] & Api & { paginate: PaginateInterface };

/**
 * The client plugins receive: @octokit/core with `.rest.*` (and, as in Probot, the same
 * methods without `.rest`, so Probot plugins run unchanged) and `.paginate`. `.graphql` and
 * `.request` come with the core; the names Octokit renamed since Probot 7–10 still work, each
 * warning once; retries and rate limits are the request policy's.
 */
export const Octokit: new (options?: OctokitOptions) => Octokit = Core.plugin(
  legacyRestEndpointMethods,
  paginateRest,
  renamedMethods,
);
