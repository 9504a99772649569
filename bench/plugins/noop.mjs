// Receive-only: a handler that does nothing, so only receiving and dispatch are measured.
export default (app) => {
  app.on("issues.opened", async () => {});
};
