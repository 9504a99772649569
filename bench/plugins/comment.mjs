// The bench plugin: one comment per opened issue. The same file runs under Hookwright and
// Probot (both pass a context with `octokit.rest` and `issue()`).
export default (app) => {
  app.on("issues.opened", async (context) => {
    await context.octokit.rest.issues.createComment(
      context.issue({ body: "Thanks for opening this issue!" }),
    );
  });
};
