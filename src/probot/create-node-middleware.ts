import type { PluginOptions } from "../app/app.js";
import type { Probot } from "./probot.js";
import type { NodeMiddleware } from "./webhook-handler.js";

export interface MiddlewareOptions {
  probot: Probot;
  /** The webhook path; the Probot's `webhookPath` when omitted. */
  webhooksPath?: string;
}

/** A middleware that is also awaitable: Probot ≤ 12 returned it at once, Probot 13+ a promise of it. */
export type AwaitableMiddleware = NodeMiddleware & PromiseLike<NodeMiddleware>;

type AppFunction = (app: Probot, options: PluginOptions) => unknown;

/**
 * Loads `appFn` into `probot` and gives a Node handler for its routes and its webhook path,
 * for serverless hosts and existing HTTP servers. It can be awaited (Probot 13+) or used
 * as it is (Probot 11–12); requests wait until the app is loaded.
 *
 * @example
 * const middleware = await createNodeMiddleware(app, { probot: createProbot() });
 * http.createServer(middleware).listen(3000);
 */
export function createNodeMiddleware(
  appFn: AppFunction,
  { probot, webhooksPath }: MiddlewareOptions,
): AwaitableMiddleware {
  const ready = (async () => {
    await probot.load(appFn);
    return probot.getNodeMiddleware({ path: webhooksPath });
  })();
  // Without a listener here, a failing app function would be an unhandled rejection until
  // the first request; the failure still reaches every caller that awaits or serves.
  ready.catch(() => {});
  const middleware: NodeMiddleware = async (req, res, next) => (await ready)(req, res, next);
  // A plain function is handed to `then`'s callback, so awaiting does not recurse.
  const plain: NodeMiddleware = (req, res, next) => middleware(req, res, next);
  return Object.assign(middleware, {
    then<A = NodeMiddleware, B = never>(
      onFulfilled?: ((value: NodeMiddleware) => A | PromiseLike<A>) | null,
      onRejected?: ((reason: unknown) => B | PromiseLike<B>) | null,
    ): PromiseLike<A | B> {
      return ready.then(() => plain).then(onFulfilled, onRejected);
    },
  });
}
