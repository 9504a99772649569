import { afterEach, describe, expect, it } from "@jest/globals";
import greeter from "../../plugins/greeter/index.js";
import { createTestApp, type TestApp } from "../../src/testing/index.js";

const COMMENTS = /^\/repos\/[^/]+\/[^/]+\/issues\/\d+\/comments$/;
const TOKENS = /^\/app\/installations\/\d+\/access_tokens$/;

let app: TestApp | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

/** How a delivery ended: its answer's status, or the status named in the rejection. */
async function answerOf(receiving: Promise<{ status: number }>): Promise<number> {
  try {
    return (await receiving).status;
  } catch (error) {
    const status = /answered (\d+)/.exec(String(error))?.[1];
    if (status === undefined) throw error;
    return Number(status);
  }
}

describe("a GitHub that hangs, end to end", () => {
  it("fails a delivery whose API call hangs within the timeout, then runs its redelivery", async () => {
    app = await createTestApp(greeter, { requestTimeoutMs: 100 });
    const { github, hookwright } = app;
    // The policy's four attempts: the first and its three retries.
    github.hangNext({ method: "POST", path: COMMENTS }, 4);
    const id = "72d3162e-cc78-11e3-81ab-4c9367dc0958";
    const started = performance.now();
    expect(await answerOf(app.receive("issues.opened", undefined, { id }))).toBe(500);
    expect(performance.now() - started).toBeLessThan(3000);
    expect(hookwright.scheduler.inFlight()).toBe(0);
    expect(github.callsTo("POST", COMMENTS).map((call) => call.status)).toEqual([0, 0, 0, 0]);
    expect(github.comments).toHaveLength(0);

    const again = await app.receive("issues.opened", undefined, { id });
    expect(again).toMatchObject({ status: 200, id });
    expect(github.comments).toHaveLength(1);
    expect(hookwright.scheduler.inFlight()).toBe(0);
  });

  it("fails a delivery stuck behind a hung token exchange, and its redelivery gets a fresh one", async () => {
    app = await createTestApp(greeter, { requestTimeoutMs: 100 });
    const { github, hookwright } = app;
    // The exchange's three attempts (with its real 0.4 and 0.8 s backoff between them).
    github.hangNext({ method: "POST", path: TOKENS }, 3);
    const id = "0b989ba4-242f-11e5-81e1-c7b6f1e8a8d1";
    const started = performance.now();
    expect(await answerOf(app.receive("issues.opened", undefined, { id }))).toBe(500);
    expect(performance.now() - started).toBeLessThan(5000);
    expect(hookwright.scheduler.inFlight()).toBe(0);
    expect(github.callsTo("POST", COMMENTS)).toHaveLength(0);

    await app.receive("issues.opened", undefined, { id });
    expect(github.callsTo("POST", TOKENS).map((call) => call.status)).toEqual([0, 0, 0, 201]);
    expect(github.comments).toHaveLength(1);
  });

  it("rides out one hung exchange attempt inside the same delivery", async () => {
    app = await createTestApp(greeter, { requestTimeoutMs: 100 });
    const { github } = app;
    github.hangNext({ method: "POST", path: TOKENS });
    expect(await app.receive("issues.opened")).toMatchObject({ status: 200 });
    expect(github.callsTo("POST", TOKENS).map((call) => call.status)).toEqual([0, 201]);
    expect(github.callsTo("POST", COMMENTS).map((call) => call.status)).toEqual([201]);
  });

  it("logs the timeout with its code for the failed delivery", async () => {
    app = await createTestApp(greeter, { requestTimeoutMs: 100 });
    app.github.trickleNext({ method: "POST", path: COMMENTS }, { intervalMs: 50 }, 4);
    expect(await answerOf(app.receive("issues.opened"))).toBe(500);
    const logged = JSON.stringify(app.logs());
    expect(logged).toContain("GITHUB_TIMEOUT");
    expect(app.hookwright.scheduler.inFlight()).toBe(0);
  });
});
