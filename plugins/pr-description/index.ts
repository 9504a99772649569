import type { App } from "../../src/index.js";
import { CONFIG_FILE, DEFAULTS, readSettings, writtenLength } from "./settings.js";

/**
 * Asks for a description on pull requests opened with an empty one (or one that is only the
 * template's comments): one comment, and a label that comes off once the description is written.
 * Configured by `.github/pr-description.yml`; works without it.
 */
export default (app: App) => {
  app.on(
    ["pull_request.opened", "pull_request.reopened", "pull_request.ready_for_review"],
    async (context) => {
      if (context.isBot) return;
      const settings = readSettings(await context.config(CONFIG_FILE, DEFAULTS));
      const pull = context.payload.pull_request;
      if (settings.skipDrafts && pull.draft) return;
      if (writtenLength(pull.body) >= settings.minLength) return;
      // Already asked (the label is on): a reopen or "ready for review" should not ask twice.
      if (settings.label !== "" && pull.labels.some((label) => label.name === settings.label)) {
        return;
      }
      const body = settings.comment.replaceAll("{author}", pull.user.login);
      await context.octokit.rest.issues.createComment(context.issue({ body }));
      if (settings.label !== "") {
        await context.octokit.rest.issues.addLabels(context.issue({ labels: [settings.label] }));
      }
      context.log.info({ pull: pull.number }, "asked for a description");
    },
  );

  app.on("pull_request.edited", async (context) => {
    const settings = readSettings(await context.config(CONFIG_FILE, DEFAULTS));
    const pull = context.payload.pull_request;
    if (settings.label === "" || writtenLength(pull.body) < settings.minLength) return;
    if (!pull.labels.some((label) => label.name === settings.label)) return;
    await context.octokit.rest.issues.removeLabel(context.issue({ name: settings.label }));
    context.log.info({ pull: pull.number }, "description written; label removed");
  });
};
