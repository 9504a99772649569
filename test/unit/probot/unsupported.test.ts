import { describe, expect, it } from "@jest/globals";
import { run, Server } from "hookwright/probot";

describe("Probot exports Hookwright replaces", () => {
  it("run() refuses, naming `npx hookwright run`", async () => {
    await expect(run()).rejects.toMatchObject({
      code: "PROBOT_API_UNSUPPORTED",
      message: expect.stringMatching(
        /run\(\) is not supported by Hookwright; .*npx hookwright run/,
      ),
    });
  });

  it("new Server() refuses, naming `npx hookwright run` and createNodeMiddleware", () => {
    expect(() => new Server()).toThrow(/npx hookwright run.*createNodeMiddleware/);
  });
});
