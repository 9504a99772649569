import type { Credentials } from "./auth.js";
import { errorResult, type RouteResult } from "./http.js";
import type { GraphqlHandler } from "./types-records.js";

export const NO_GRAPHQL_HANDLER =
  "fake GitHub: no GraphQL handler is set; answer queries with github.graphql(({ query, variables }) => data)";

/** `POST /graphql` (and GitHub Enterprise Server's `/api/graphql`). */
export function isGraphqlCall(method: string, pathname: string): boolean {
  return method === "POST" && (pathname === "/graphql" || pathname === "/api/graphql");
}

function errorsOf(answer: unknown): unknown[] | undefined {
  if (typeof answer !== "object" || answer === null) return undefined;
  const errors = (answer as { errors?: unknown }).errors;
  return Array.isArray(errors) ? errors : undefined;
}

/**
 * GraphQL answers 200 with `{ data }` or `{ errors }`, as GitHub does; a handler's errors
 * (returned or thrown) become GraphQL errors so Octokit raises its GraphqlResponseError.
 * https://docs.github.com/en/graphql/guides/forming-calls-with-graphql
 */
export async function answerGraphql(
  handler: GraphqlHandler | undefined,
  body: unknown,
  credentials: Credentials,
): Promise<RouteResult> {
  if (credentials.kind === "none") {
    return errorResult(401, "This endpoint requires you to be authenticated.");
  }
  if (credentials.kind === "invalid") return errorResult(401, "Bad credentials");
  const request = (typeof body === "object" && body !== null ? body : {}) as {
    query?: unknown;
    variables?: unknown;
  };
  if (typeof request.query !== "string") {
    return {
      status: 200,
      body: { errors: [{ message: "A query attribute must be specified and must be a string." }] },
    };
  }
  if (handler === undefined) {
    return {
      status: 200,
      body: { errors: [{ type: "NOT_IMPLEMENTED", message: NO_GRAPHQL_HANDLER }] },
    };
  }
  const variables = (request.variables ?? {}) as Record<string, unknown>;
  try {
    const answer = await handler({ query: request.query, variables });
    const errors = errorsOf(answer);
    if (errors !== undefined) return { status: 200, body: answer };
    return { status: 200, body: { data: answer ?? null } };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { status: 200, body: { data: null, errors: [{ message }] } };
  }
}
