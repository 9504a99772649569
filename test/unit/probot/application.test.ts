import { describe, expect, it, jest } from "@jest/globals";
import { readFixture } from "hookwright/testing";
import { Application, ProbotOctokit } from "hookwright/probot";
import type { Context } from "../../../src/index.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { testKeys } from "../../helpers/keys.js";

// Probot ≤ 10's tests: `new Application()`, then `app.auth` replaced by a mock client.
const payload = readFixture("issues.opened", { installation: { id: 3 } });

describe("Application (Probot ≤ 10)", () => {
  it("takes the app id as `id`", () => {
    const app = new Application({ id: 5, privateKey: testKeys().privateKeyPem });
    expect(app.options).toMatchObject({ appId: 5 });
  });

  it("hands the handlers the client a test put in place of app.auth, config read through it", async () => {
    const app = new Application({ log: captureLogs().logger });
    const github = {
      issues: { createComment: jest.fn(async (_params: object) => ({ data: {} })) },
      repos: {
        getContents: jest.fn(async (_params: object) => ({
          data: { content: Buffer.from("message: from the mock\n").toString("base64") },
        })),
      },
    };
    app.auth = (async () => github) as never;
    await app.load((bot: Application) =>
      bot.on("issues.opened", async (context: Context<"issues.opened">) => {
        const config = await context.config<{ message: string }>("bot.yml");
        await context.github.issues.createComment(context.issue({ body: config!.message }));
      }),
    );
    await app.receive({ name: "issues", payload });
    expect(github.repos.getContents).toHaveBeenCalledWith(
      expect.objectContaining({ owner: "Codertocat", path: ".github/bot.yml" }),
    );
    expect(github.issues.createComment).toHaveBeenCalledWith(
      expect.objectContaining({ issue_number: 1, body: "from the mock" }),
    );
  });

  it("reads config through a real client's spied repos.getContents, as Probot 9's tests spied", async () => {
    const app = new Application({ log: captureLogs().logger });
    const github = new ProbotOctokit({
      request: { fetch: (async () => new Response("unexpected", { status: 599 })) as typeof fetch },
    });
    const getContents = jest.fn(async (_params: object) => ({
      data: { content: Buffer.from("greeting: spied\n").toString("base64") },
    }));
    Object.assign(github.repos, { getContents });
    const createComment = jest
      .spyOn(github.issues, "createComment")
      .mockResolvedValue({ data: {} } as never);
    app.auth = (async () => github) as never;
    app.on("issues.opened", async (context) => {
      const config = await context.config("bot.yml", { greeting: "default" });
      await context.octokit.issues.createComment(context.issue({ body: config.greeting }));
    });
    await app.receive({ event: "issues", payload });
    expect(getContents).toHaveBeenCalledTimes(1);
    expect(createComment).toHaveBeenCalledWith(expect.objectContaining({ body: "spied" }));
  });

  it("without credentials nor a replaced auth, a client is refused naming the options", async () => {
    const app = new Application({ log: captureLogs().logger });
    app.on("issues.opened", (context) => context.octokit.issues.get(context.issue()));
    await expect(app.receive({ name: "issues", payload })).rejects.toThrow(
      /without appId and privateKey|pass \{ appId, privateKey \}/,
    );
  });
});
