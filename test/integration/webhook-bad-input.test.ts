import { afterEach, describe, expect, it } from "@jest/globals";
import request from "supertest";
import type { App } from "../../src/app/app.js";
import { REFUSED_LINES_PER_SECOND } from "../../src/server/log-requests.js";
import { createTestApp, type TestApp } from "../../src/testing/create-test-app.js";

const PATH = "/api/github/webhooks";
const GUID = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

let current: TestApp | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

/** The real pipeline with a plugin that notes every handler and onError call it gets. */
async function start() {
  const seen: string[] = [];
  const plugin = (app: App) => {
    app.onAny(async () => void seen.push("any"));
    app.onError(async () => void seen.push("onError"));
  };
  current = await createTestApp([plugin]);
  return { app: current, seen };
}

function unsigned(app: TestApp, headers: Record<string, string>) {
  return request(app.hookwright.express)
    .post(PATH)
    .set("content-type", "application/json")
    .set(headers)
    .send("{}");
}

describe("bad input to the webhook path", () => {
  it.each([["__proto__"], ["constructor"], ["error"], ["toString"]])(
    "refuses the event name %s with 400 even when signed, running no handler and no onError",
    async (name) => {
      const { app, seen } = await start();
      await expect(app.receive(name, {})).rejects.toThrow(/answered 400/);
      expect(seen).toEqual([]);
      const res = await unsigned(app, {
        "x-github-event": name,
        "x-github-delivery": GUID,
        "x-hub-signature-256": `sha256=${"0".repeat(64)}`,
      });
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("INVALID_HEADER");
      const lines = app.logs().filter((record) => record.msg === "request");
      expect(lines.at(-1)).toMatchObject({ statusCode: 400, level: 40 });
      expect(app.logs().some((record) => (record.level as number) >= 50)).toBe(false);
    },
  );

  it("still runs handlers for GitHub's own event names", async () => {
    const { app, seen } = await start();
    expect((await app.receive("issues.opened")).status).toBe(200);
    expect(seen).toEqual(["any"]);
  });

  it("keeps the log small when strangers send many unsigned requests with 15 KB delivery ids", async () => {
    const { app } = await start();
    const before = JSON.stringify(app.logs()).length;
    const junk = "d".repeat(15_000);
    for (let i = 0; i < 200; i++) {
      const res = await unsigned(app, {
        "x-github-event": "issues",
        "x-github-delivery": junk,
        "x-hub-signature-256": "sha256=00",
      });
      expect(res.status).toBe(400);
    }
    const written = JSON.stringify(app.logs()).slice(before);
    expect(written).not.toContain("dddddddd");
    // At most the rate limit's lines (the 200 requests take well under its second), each short.
    const lines = app.logs().filter((record) => record.msg === "request");
    expect(lines.length).toBeLessThanOrEqual(REFUSED_LINES_PER_SECOND * 2);
    expect(written.length).toBeLessThan(20 * 1024);
  });
});
