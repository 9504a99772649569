import { describe, expect, it } from "@jest/globals";
import { createManualClock } from "hookwright/testing";
import { createProbotFetch } from "../../../src/probot/probot-fetch.js";

const TOKENS = "https://api.github.com/app/installations/2/access_tokens";

describe("createProbotFetch", () => {
  it("completes a Probot test's `200 { token }` token answer into GitHub's 201 with expires_at", async () => {
    const clock = createManualClock(Date.parse("2026-01-01T00:00:00Z"));
    const send = createProbotFetch({
      fetch: async () => Response.json({ token: "test" }, { status: 200, headers: { date: "x" } }),
      clock,
    });
    const response = await send(TOKENS, { method: "POST" });
    expect(response.status).toBe(201);
    expect(response.headers.get("date")).toBe("x");
    expect(await response.json()).toEqual({
      token: "test",
      expires_at: "2026-01-01T01:00:00.000Z",
    });
  });

  it("leaves GitHub's own answers, failures and other calls as they are", async () => {
    const real = { token: "t", expires_at: "2026-01-01T00:10:00Z" };
    const answers = [
      Response.json(real, { status: 201 }),
      Response.json({ message: "nope" }, { status: 404 }),
      Response.json({ token: "not a token call" }, { status: 200 }),
    ];
    const send = createProbotFetch({ fetch: async () => answers.shift()! });
    expect(await (await send(TOKENS, { method: "POST" })).json()).toEqual(real);
    expect((await send(TOKENS, { method: "POST" })).status).toBe(404);
    expect((await send("https://api.github.com/zen", { method: "POST" })).status).toBe(200);
  });

  it("looks the global fetch up at each call, so one patched later (nock) is used", async () => {
    const send = createProbotFetch();
    const original = globalThis.fetch;
    globalThis.fetch = async () => new Response("patched");
    try {
      expect(await (await send("https://api.github.com/zen")).text()).toBe("patched");
    } finally {
      globalThis.fetch = original;
    }
  });
});
