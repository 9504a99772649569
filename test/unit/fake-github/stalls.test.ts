import { afterEach, describe, expect, it } from "@jest/globals";
import { createFakeGitHub, type FakeGitHub } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { settledWithin } from "../../helpers/wait.js";

const API = "https://api.github.test";
// An undocumented route: its answer needs no credentials and has a body to trickle.
const NOPE = "/nope";
const NOT_FOUND_BODY = JSON.stringify({
  message: "Not Found",
  documentation_url: "https://docs.github.com/rest",
});

let github: FakeGitHub;

function fake(): FakeGitHub {
  github = createFakeGitHub({ appId: 1, publicKey: testKeys().publicKey });
  return github;
}

const timers = () => process.getActiveResourcesInfo().filter((name) => name === "Timeout").length;

afterEach(async () => {
  await github?.close();
});

describe("fake GitHub: hangNext", () => {
  it("never answers until the fetch is aborted, records the call, then answers again", async () => {
    const github = fake();
    github.hangNext({ method: "GET", path: NOPE });
    const started = performance.now();
    const hung = github.fetch(`${API}${NOPE}`, { signal: AbortSignal.timeout(150) });
    await expect(hung).rejects.toMatchObject({ name: "TimeoutError" });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
    expect(github.callsTo("GET", NOPE).map((call) => call.status)).toEqual([0]);
    const next = await github.fetch(`${API}${NOPE}`);
    expect(next.status).toBe(404);
  });

  it("hangs only the matching requests, as many times as asked", async () => {
    const github = fake();
    github.hangNext({ method: "POST", path: NOPE }, 2);
    expect((await github.fetch(`${API}${NOPE}`)).status).toBe(404);
    const first = github.fetch(`${API}${NOPE}`, { method: "POST" });
    const second = github.fetch(`${API}${NOPE}`, { method: "POST" });
    expect(await settledWithin(100, Promise.race([first, second]))).toBe("pending");
    expect((await github.fetch(`${API}${NOPE}`, { method: "POST" })).status).toBe(404);
    await github.close();
    await expect(first).rejects.toThrow(/closed/);
    await expect(second).rejects.toThrow(/closed/);
  });

  it("ends a hung request over a real port when the client gives up, and closes promptly", async () => {
    const github = fake();
    const base = await github.listen();
    github.hangNext({ path: NOPE }, 2);
    const aborted = fetch(`${base}${NOPE}`, { signal: AbortSignal.timeout(150) });
    await expect(aborted).rejects.toMatchObject({ name: "TimeoutError" });
    const forever = fetch(`${base}${NOPE}`);
    expect(await settledWithin(100, forever)).toBe("pending");
    const closing = github.close();
    expect(await settledWithin(2000, closing)).toBe("resolved");
    await expect(forever).rejects.toThrow();
    expect(github.callsTo("GET", NOPE)).toHaveLength(2);
  });
});

describe("fake GitHub: trickleNext", () => {
  it("sends the usual answer's headers at once and its body slowly", async () => {
    const github = fake();
    github.trickleNext({ path: NOPE }, { bytesPerChunk: 20, intervalMs: 40 });
    const started = performance.now();
    const response = await github.fetch(`${API}${NOPE}`);
    const headersAfter = performance.now() - started;
    expect(response.status).toBe(404);
    expect(response.headers.get("content-length")).toBe(String(NOT_FOUND_BODY.length));
    expect(await response.text()).toBe(NOT_FOUND_BODY);
    const bodyAfter = performance.now() - started;
    expect(headersAfter).toBeLessThan(40);
    // 71 bytes in chunks of 20: four intervals.
    expect(bodyAfter).toBeGreaterThanOrEqual(150);
  });

  it("stops the body when the reader's signal aborts", async () => {
    const github = fake();
    github.trickleNext({ path: NOPE }, { bytesPerChunk: 1, intervalMs: 20 });
    const response = await github.fetch(`${API}${NOPE}`, { signal: AbortSignal.timeout(150) });
    await expect(response.text()).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("trickles over a real port, and a client timeout covers the body", async () => {
    const github = fake();
    const base = await github.listen();
    github.trickleNext({ path: NOPE }, { bytesPerChunk: 10, intervalMs: 30 }, 2);
    const started = performance.now();
    const whole = await fetch(`${base}${NOPE}`);
    expect(performance.now() - started).toBeLessThan(100);
    expect(await whole.text()).toBe(NOT_FOUND_BODY);
    expect(performance.now() - started).toBeGreaterThanOrEqual(200);
    const cut = await fetch(`${base}${NOPE}`, { signal: AbortSignal.timeout(100) });
    await expect(cut.text()).rejects.toMatchObject({ name: "TimeoutError" });
  });

  it("leaves no timer behind when the fake closes mid-body", async () => {
    const github = fake();
    github.trickleNext({ path: NOPE }, { bytesPerChunk: 1, intervalMs: 1000 });
    const response = await github.fetch(`${API}${NOPE}`);
    const reading = response.text();
    expect(await settledWithin(50, reading)).toBe("pending");
    // Jest keeps timers of its own, so this counts down from the stall's, not to zero.
    const during = timers();
    await github.close();
    await expect(reading).rejects.toThrow(/closed/);
    expect(timers()).toBeLessThan(during);
  });
});
