import type { App } from "../../src/index.js";

/**
 * Greets whoever opens an issue or a pull request, unless a bot opened it (a bot greeting
 * a bot's issue is noise, and two such apps would answer each other forever).
 */
export default (app: App) => {
  app.on(["issues.opened", "pull_request.opened"], async (context) => {
    if (context.isBot) return;
    const author = context.payload.sender.login;
    const kind = context.name === "issues" ? "issue" : "pull request";
    await context.octokit.rest.issues.createComment(
      context.issue({
        body: `Thanks for opening this ${kind}, @${author}! A maintainer will take a look soon.`,
      }),
    );
    context.log.info({ author }, "greeted");
  });
};
