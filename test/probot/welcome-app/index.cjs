// A small app written the way Probot's documentation shows (CommonJS, Probot 10–14 style),
// used to check that an app and its own nock-based test run unchanged on hookwright/probot.
/* global module */
module.exports = (app) => {
  app.log("welcome app loaded");

  app.on("issues.opened", async (context) => {
    if (context.isBot) return;
    const config = await context.config("welcome.yml", {
      message: "Thanks for opening this issue!",
      labels: ["triage"],
    });
    await context.octokit.issues.createComment(context.issue({ body: config.message }));
    await context.github.issues.addLabels(context.issue({ labels: config.labels }));
  });

  // What probot-scheduler's apps listen to: an event the app sends itself with app.receive.
  app.on("schedule.repository", async (context) => {
    context.log.info("sweeping stale issues");
    const { data } = await context.octokit.issues.listForRepo(context.repo({ state: "open" }));
    for (const issue of data) {
      await context.octokit.issues.addLabels(
        context.repo({ issue_number: issue.number, labels: ["stale"] }),
      );
    }
  });
};
