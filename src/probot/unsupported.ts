import { unsupported } from "../app/probot-members.js";

/**
 * Probot's `run(appFn)`: Hookwright's server is started by its CLI, which reads the same
 * variables (APP_ID, PRIVATE_KEY, WEBHOOK_SECRET…) and loads the app as a plugin.
 *
 * @example
 * // package.json: "start": "hookwright run ./index.js"
 */
export async function run(): Promise<never> {
  throw unsupported(
    "run()",
    "start the app with `npx hookwright run ./index.js` (it reads the same environment variables)",
  );
}

/**
 * Probot's `Server`: use `npx hookwright run`, or `createNodeMiddleware` in a server of your own.
 *
 * @example
 * http.createServer(await createNodeMiddleware(app, { probot })).listen(3000);
 */
export class Server {
  constructor() {
    throw unsupported(
      "new Server()",
      "use `npx hookwright run`, or createNodeMiddleware(app, { probot }) in your own server",
    );
  }
}
