import type { App } from "../../src/index.js";

/**
 * `/label bug "needs review"` and `/unlabel bug` in an issue or pull request comment, for
 * anyone with write permission on the repository (checked through the API); others get a
 * 👎 and a reply saying what they lack.
 */
export default (app: App) => {
  app.command(
    "label",
    {
      description: "Add labels to this issue or pull request",
      args: "<labels...>",
      permission: "write",
    },
    async (context, { args }) => {
      await context.octokit.rest.issues.addLabels(
        context.issue({ labels: args.labels as string[] }),
      );
    },
  );
  app.command(
    "unlabel",
    {
      description: "Remove labels from this issue or pull request",
      args: "<labels...>",
      permission: "write",
    },
    async (context, { args }) => {
      for (const name of args.labels as string[]) {
        try {
          await context.octokit.rest.issues.removeLabel(context.issue({ name }));
        } catch (error) {
          // A label the issue does not have: nothing to remove, and nothing to fail over.
          if ((error as { status?: number }).status !== 404) throw error;
        }
      }
    },
  );
};
