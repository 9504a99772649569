// A Probot app as Probot 9–12's template wrote it: CommonJS, `context.github`.
module.exports = (app) => {
  app.on("issues.opened", async (context) => {
    await context.github.issues.createComment(context.issue({ body: "Thanks" }));
  });
};
