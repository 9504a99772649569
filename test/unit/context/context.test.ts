import { describe, expect, it } from "@jest/globals";
import { Context } from "../../../src/context/context.js";
import type { Octokit } from "../../../src/github/octokit.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { loadFixture } from "../../helpers/signed-delivery.js";

function contextFor(
  name: string,
  payload: Record<string, unknown>,
  octokit = () => ({}) as Octokit,
) {
  const { logger } = captureLogs();
  // One concrete event type for the compiler; the payloads at run time are of many events.
  return new Context<"issues.opened">({
    event: { id: "d-1", name, payload } as never,
    octokit,
    log: logger,
  });
}

function fromFixture(file: string) {
  const payload = JSON.parse(loadFixture(file).toString("utf8")) as Record<string, unknown>;
  return contextFor(file.split(".")[0]!, payload);
}

const HELLO = { owner: "Codertocat", repo: "Hello-World" };

describe("Context", () => {
  it("exposes the event name, delivery id and payload", () => {
    const context = fromFixture("issues.opened");
    expect(context.name).toBe("issues");
    expect(context.id).toBe("d-1");
    expect(context.payload).toMatchObject({ action: "opened", issue: { number: 1 } });
  });

  it.each(["issues.opened", "pull_request.opened", "issue_comment.created", "push"])(
    "repo() reads owner and repo from a %s payload",
    (file) => {
      expect(fromFixture(file).repo()).toEqual(HELLO);
    },
  );

  it("repo() merges the given object, which wins over the defaults", () => {
    const context = fromFixture("issues.opened");
    expect(context.repo({ path: "README.md" })).toEqual({ ...HELLO, path: "README.md" });
    expect(context.repo({ repo: "other" })).toEqual({ owner: "Codertocat", repo: "other" });
  });

  it("issue() takes the number from an issue", () => {
    expect(fromFixture("issues.opened").issue({ body: "Thanks!" })).toEqual({
      ...HELLO,
      issue_number: 1,
      body: "Thanks!",
    });
  });

  it("issue() takes the number from a comment's issue", () => {
    expect(fromFixture("issue_comment.created").issue()).toEqual({ ...HELLO, issue_number: 1 });
  });

  it("issue() and pullRequest() take the number from a pull request", () => {
    const context = fromFixture("pull_request.opened");
    expect(context.issue()).toEqual({ ...HELLO, issue_number: 2 });
    expect(context.pullRequest({ per_page: 100 })).toEqual({
      ...HELLO,
      pull_number: 2,
      per_page: 100,
    });
  });

  it("pullRequest() on a comment made on a pull request uses the issue number", () => {
    const payload = {
      issue: { number: 9, pull_request: { url: "https://api.github.com/repos/o/r/pulls/9" } },
      repository: { name: "r", owner: { login: "o" } },
    };
    expect(contextFor("issue_comment", payload).pullRequest()).toEqual({
      owner: "o",
      repo: "r",
      pull_number: 9,
    });
  });

  it("repo() on an event without a repository throws an error naming the event", () => {
    const context = fromFixture("installation.created");
    expect(() => context.repo()).toThrow(/repo\(\).*"installation".*no repository/);
    expect(() => context.issue()).toThrow(/no repository/);
  });

  it("issue() on an event without an issue or pull request says so", () => {
    expect(() => fromFixture("push").issue()).toThrow(/"push".*no issue or pull request number/);
  });

  it("isBot is true only for a Bot sender", () => {
    expect(fromFixture("issues.opened").isBot).toBe(false);
    const bot = contextFor("issues", { sender: { login: "hookwright[bot]", type: "Bot" } });
    expect(bot.isBot).toBe(true);
    expect(contextFor("issues", {}).isBot).toBe(false);
  });

  it("builds the client on first use of context.octokit only, and reuses the provider's answer", () => {
    let built = 0;
    const client = {} as Octokit;
    const context = contextFor("issues", {}, () => {
      built++;
      return client;
    });
    expect(built).toBe(0);
    expect(context.octokit).toBe(client);
    expect(built).toBe(1);
  });

  it("makes its logger on first use of context.log only, once", () => {
    const { logger } = captureLogs();
    let made = 0;
    const context = new Context<"issues.opened">({
      event: { id: "d-1", name: "issues", payload: {} } as never,
      octokit: () => ({}) as Octokit,
      log: () => (made++, logger.child({ plugin: "p" })),
    });
    expect(made).toBe(0);
    expect(context.log).toBe(context.log);
    expect(made).toBe(1);
    expect(context.log.bindings()).toEqual({ plugin: "p" });
  });
});
