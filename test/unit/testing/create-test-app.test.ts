import { afterEach, describe, expect, it } from "@jest/globals";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import type { App } from "../../../src/index.js";

describe("createTestApp", () => {
  let app: TestApp;
  afterEach(() => app.close());

  it("delivers through the real receiver: signed, recorded, dispatched to every plugin", async () => {
    const seen: string[] = [];
    const one = (bot: App) =>
      bot.on("issues.opened", (context) => {
        seen.push(`one:${context.id}`);
        context.log.info("seen");
      });
    const two = (bot: App) => bot.onAny((context) => void seen.push(`two:${context.name}`));
    app = await createTestApp([one, two]);
    const first = await app.receive("issues.opened");
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ status: "completed" });
    expect(seen.sort()).toEqual([`one:${first.id}`, "two:issues"]);
    expect(app.logs()).toContainEqual(
      expect.objectContaining({
        msg: "seen",
        plugin: "one",
        deliveryId: first.id,
        installationId: 1,
      }),
    );
  });

  it("sets the action from the event name and the test installation when the payload has none", async () => {
    let received: unknown;
    app = await createTestApp(
      (bot) => bot.on("issues.closed", (c) => void (received = c.payload)),
      {
        installationId: 42,
      },
    );
    await app.receive("issues.closed", { issue: { number: 3 }, repository: { full_name: "a/b" } });
    expect(received).toMatchObject({ action: "closed", installation: { id: 42 } });
  });

  it("gives plugins a client for the installation, reaching the payload's repository", async () => {
    app = await createTestApp((bot) =>
      bot.on("issues.opened", async (context) => {
        await context.octokit.rest.issues.createComment(context.issue({ body: "hi" }));
      }),
    );
    await app.receive("issues.opened", readFixture("issues.opened"));
    const call = app.github.expectCall("POST /repos/Codertocat/Hello-World/issues/1/comments");
    expect(call.auth).toMatchObject({ kind: "token", installationId: 1 });
    expect(app.github.comments).toHaveLength(1);
  });

  it("seeds files, making their repositories reachable", async () => {
    let config: unknown;
    app = await createTestApp(
      (bot) =>
        bot.on("issues.opened", async (context) => void (config = await context.config("x.yml"))),
      { files: { "Codertocat/.github": { ".github/x.yml": "from: org" } } },
    );
    await app.receive("issues.opened");
    expect(config).toEqual({ from: "org" });
  });

  it("rejects with the handler's error when a handler fails", async () => {
    app = await createTestApp((bot) =>
      bot.on("issues", async () => {
        throw new Error("boom in handler");
      }),
    );
    const failure = app.receive("issues.opened");
    await expect(failure).rejects.toThrow(
      "delivery issues.opened was answered 500: Error: boom in handler",
    );
  });
});
