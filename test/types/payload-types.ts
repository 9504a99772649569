// Type test: checked by `npm run typecheck` and by payload-types.test.ts. Every line under an
// expect-error directive must be a type error; were the payload typing lost (say, to `any`),
// those lines would compile and the unused directives would fail the check.
import type { App } from "hookwright";

export default (app: App) => {
  app.on("issues.opened", async (context) => {
    const number: number = context.payload.issue.number;
    const action: "opened" = context.payload.action;
    // @ts-expect-error issues payloads have no pull_request
    void context.payload.pull_request;
    // @ts-expect-error an issue's number is a number, not a string
    const wrong: string = context.payload.issue.number;
    // @ts-expect-error no such field on an issue
    void context.payload.issue.numbr;
    void [number, action, wrong];
  });

  app.on(["pull_request.opened", "pull_request.synchronize"], async (context) => {
    const head: string = context.payload.pull_request.head.sha;
    const action: "opened" | "synchronize" = context.payload.action;
    // @ts-expect-error "closed" is not among the subscribed actions
    const closed: "closed" = context.payload.action;
    void [head, action, closed];
  });

  app.on("push", async (context) => {
    const ref: string = context.payload.ref;
    const name: "push" = context.name;
    // @ts-expect-error push payloads have no action
    void context.payload.action;
    void [ref, name];
  });

  app.on("issues.opened", async (context) => {
    const config = await context.config<{ labels: string[] }>("bot.yml", { labels: [] });
    const labels: string[] = config.labels;
    // @ts-expect-error without defaults the result may be null
    const maybe: { labels: string[] } = await context.config<{ labels: string[] }>("bot.yml");
    void [labels, maybe];
  });
};
