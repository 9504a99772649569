import { afterEach, describe, expect, it, jest } from "@jest/globals";
import { createTestApp, readFixture, type TestApp } from "../../../src/testing/index.js";
import type { App } from "../../../src/app/app.js";
import type { CommandInvocation, CommandSpec } from "../../../src/commands/command-types.js";

const REPO = "Codertocat/Hello-World";
const COMMENTS = `POST /repos/${REPO}/issues/1/comments`;
const REACTIONS = "POST /repos/{owner}/{repo}/issues/comments/{comment_id}/reactions";

function comment(body: string, sender = "Codertocat", type = "User") {
  return readFixture("issue_comment.created", {
    comment: { body, user: { login: sender, type } },
    sender: { login: sender, type },
  });
}

function edited(from: string, body: string, sender = "Codertocat") {
  return { ...comment(body, sender), changes: { body: { from } } };
}

describe("app.command", () => {
  let app: TestApp;
  let runs: CommandInvocation[];
  afterEach(() => app.close());

  async function start(spec: Partial<CommandSpec> = {}, more?: (app: App) => void) {
    runs = [];
    const plugin = (bot: App) => {
      bot.command(
        "label",
        { description: "Add labels", args: "<labels...>", permission: "write", ...spec },
        async (context, command) => {
          runs.push(command);
          await context.octokit.rest.issues.addLabels(
            context.issue({ labels: command.args.labels as string[] }),
          );
        },
      );
      more?.(bot);
    };
    app = await createTestApp(plugin, {
      repositories: {
        [REPO]: { collaborators: { Codertocat: "write", reader: "read", boss: "admin" } },
      },
    });
  }

  it("runs each command line with its parsed arguments, after checking the permission", async () => {
    await start();
    await app.receive("issue_comment.created", comment("Triage:\n/label bug urgent\n/label docs"));
    expect(runs.map((run) => run.args)).toEqual([
      { labels: ["bug", "urgent"] },
      { labels: ["docs"] },
    ]);
    expect(app.github.issueLabels(REPO, 1)).toEqual(["bug", "urgent", "docs"]);
    // Both lines of one comment share one permission lookup.
    expect(
      app.github.findCalls("GET /repos/{owner}/{repo}/collaborators/{username}/permission"),
    ).toHaveLength(1);
    app.github.expectNoCall(REACTIONS);
  });

  it("lets a higher role run it, and refuses a lower one with a reaction and a reply", async () => {
    await start();
    await app.receive("issue_comment.created", comment("/label bug", "boss"));
    expect(runs).toHaveLength(1);
    await app.receive("issue_comment.created", comment("/label bug", "reader"));
    await app.receive("issue_comment.created", comment("/label bug", "stranger"));
    expect(runs).toHaveLength(1);
    app.github.expectCall(REACTIONS, { content: "-1" });
    app.github.expectCall(COMMENTS, {
      body: "@reader `/label` needs write permission on this repository (you have read).",
    });
    app.github.expectCall(COMMENTS, { body: /@stranger .*you have none/ });
  });

  it("answers words that do not fit the usage with a confused reaction and the usage", async () => {
    await start();
    await app.receive("issue_comment.created", comment("/label"));
    expect(runs).toEqual([]);
    app.github.expectCall(REACTIONS, { content: "confused" });
    app.github.expectCall(COMMENTS, {
      body: "@Codertocat `/label`: missing <labels...>. Usage: `/label <labels...>`",
    });
    // A usage error is answered before any permission lookup.
    expect(
      app.github.findCalls("GET /repos/{owner}/{repo}/collaborators/{username}/permission"),
    ).toEqual([]);
  });

  it("answers refusals the plugin's way when it chooses one", async () => {
    const refused = jest.fn();
    await start({ onRefused: (_context, refusal) => refused(refusal) });
    await app.receive("issue_comment.created", comment("/label bug", "reader"));
    expect(refused).toHaveBeenCalledWith(
      expect.objectContaining({ reason: "permission", command: "label", line: "/label bug" }),
    );
    expect(app.github.writes()).toEqual([]);
  });

  it("checks team membership for an @org/team permission", async () => {
    await start({ permission: "@Codertocat/maintainers" });
    await app.receive("issue_comment.created", comment("/label bug", "boss"));
    expect(runs).toEqual([]);
    app.github.expectCall(COMMENTS, {
      body: "@boss `/label` is for members of @Codertocat/maintainers.",
    });
    app.github.addTeamMember("Codertocat", "maintainers", "boss");
    await app.receive("issue_comment.created", comment("/label bug", "boss"));
    expect(runs).toHaveLength(1);
  });

  it("ignores commands in code, quotes and other bots' words", async () => {
    await start();
    await app.receive("issue_comment.created", comment("```\n/label bug\n```\n> /label bug"));
    await app.receive("issue_comment.created", comment("/label bug", "some-bot[bot]", "Bot"));
    expect(runs).toEqual([]);
    expect(app.github.writes()).toEqual([]);
  });

  it("runs a bot's command when the command allows bots", async () => {
    await start({ allowBots: true, permission: undefined });
    await app.receive("issue_comment.created", comment("/label bug", "some-bot[bot]", "Bot"));
    expect(runs).toHaveLength(1);
  });

  it("runs only the lines an edit adds, never one twice", async () => {
    await start();
    await app.receive("issue_comment.created", comment("/label bug"));
    await app.receive("issue_comment.edited", edited("/label bug", "/label bug\n/label docs"));
    await app.receive(
      "issue_comment.edited",
      edited("/label bug\n/label docs", "/label docs fixed typo"),
    );
    await app.receive("issue_comment.edited", { ...comment("/label bug"), changes: {} });
    expect(runs.map((run) => run.line)).toEqual([
      "/label bug",
      "/label docs",
      "/label docs fixed typo",
    ]);
  });

  it("ignores edits when the command says so", async () => {
    await start({ edited: false });
    await app.receive("issue_comment.edited", edited("", "/label bug"));
    expect(runs).toEqual([]);
  });

  it("lists every plugin's commands on /help, once", async () => {
    await start({}, (bot) =>
      bot.command("close", { description: "Close the issue" }, () => undefined),
    );
    await app.receive("issue_comment.created", comment("/help"));
    const replies = app.github.findCalls(COMMENTS);
    expect(replies).toHaveLength(1);
    expect((replies[0]!.body as { body: string }).body).toBe(
      "Commands:\n\n- `/label <labels...>`: Add labels (write)\n- `/close`: Close the issue",
    );
  });

  it("leaves unknown commands alone", async () => {
    await start();
    await app.receive("issue_comment.created", comment("/deploy now"));
    expect(app.github.writes()).toEqual([]);
  });

  it("refuses a malformed command when the plugin loads", async () => {
    await expect(
      createTestApp((bot: App) =>
        bot.command("x", { description: "", permission: "owner" as never }, () => undefined),
      ),
    ).rejects.toThrow(/permission "owner"/);
    app = await createTestApp([]);
  });
});
