import type { App } from "../../src/index.js";
import { CONFIG_FILE, matchLabels, readRules } from "./rules.js";

interface Labelled {
  title: string;
  body: string | null;
  labels?: { name: string }[];
}

/**
 * Labels issues and pull requests from `.github/labeler.yml`: a label applies when one of its
 * keywords is in the title or description, or (pull requests) one of its path globs matches
 * a changed file. Labels are only added, never removed: a maintainer's choice stands.
 */
export default (app: App) => {
  app.on(["issues.opened", "issues.edited", "pull_request"], async (context) => {
    if (context.isBot) return;
    const payload = context.payload as {
      action?: string;
      issue?: Labelled;
      pull_request?: Labelled;
    };
    const isPull = context.name === "pull_request";
    if (isPull && !["opened", "edited", "reopened", "synchronize"].includes(payload.action ?? "")) {
      return;
    }
    const config = await context.config(CONFIG_FILE);
    if (config === null) return;
    const rules = readRules(config);
    const item = (payload.pull_request ?? payload.issue)!;
    const wantsFiles = isPull && rules.some((rule) => rule.paths.length > 0);
    const files = wantsFiles
      ? (
          await context.octokit.paginate(context.octokit.rest.pulls.listFiles, {
            ...context.pullRequest(),
            per_page: 100,
          })
        ).map((file) => file.filename)
      : [];
    const present = new Set((item.labels ?? []).map((label) => label.name));
    const labels = matchLabels(rules, `${item.title}\n${item.body ?? ""}`, files).filter(
      (label) => !present.has(label),
    );
    if (labels.length === 0) return;
    await context.octokit.rest.issues.addLabels(context.issue({ labels }));
    context.log.info({ labels }, "labelled");
  });
};
