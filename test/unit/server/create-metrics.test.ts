import { describe, expect, it } from "@jest/globals";
import { createMetrics } from "../../../src/server/create-metrics.js";

/** The value of one sample line, e.g. `name{a="b"} 3`, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

describe("createMetrics", () => {
  it("counts answers by event and status, verified or not, across scrapes", async () => {
    const metrics = createMetrics({ inFlight: () => 0 });
    metrics.answered("issues", 200);
    metrics.answered("issues", 200);
    metrics.answered(undefined, 401);
    const first = (await metrics.render()).text;
    expect(sample(first, 'hookwright_deliveries_total{event="issues",status="200"}')).toBe(2);
    expect(sample(first, 'hookwright_deliveries_total{event="unverified",status="401"}')).toBe(1);
    metrics.answered("issues", 200);
    const second = (await metrics.render()).text;
    expect(sample(second, 'hookwright_deliveries_total{event="issues",status="200"}')).toBe(3);
    expect(sample(second, 'hookwright_deliveries_total{event="unverified",status="401"}')).toBe(1);
  });

  it("keeps handler times taken before the first scrape, in buckets by event and outcome", async () => {
    const metrics = createMetrics({ inFlight: () => 0 });
    metrics.handled("push", "completed", 0.07);
    metrics.handled("push", "completed", 3);
    metrics.handled("push", "failed", 0.2);
    const { text } = await metrics.render();
    const completed = 'event="push",outcome="completed"';
    expect(sample(text, `hookwright_handler_duration_seconds_bucket{le="0.1",${completed}}`)).toBe(
      1,
    );
    expect(sample(text, `hookwright_handler_duration_seconds_bucket{le="5",${completed}}`)).toBe(2);
    expect(sample(text, `hookwright_handler_duration_seconds_count{${completed}}`)).toBe(2);
    expect(sample(text, `hookwright_handler_duration_seconds_sum{${completed}}`)).toBeCloseTo(3.07);
    expect(
      sample(text, 'hookwright_handler_duration_seconds_count{event="push",outcome="failed"}'),
    ).toBe(1);
  });

  it("reports the deliveries in flight when scraped, and the process's own metrics", async () => {
    let running = 4;
    const metrics = createMetrics({ inFlight: () => running });
    expect(sample((await metrics.render()).text, "hookwright_deliveries_in_flight")).toBe(4);
    running = 1;
    const { text, contentType } = await metrics.render();
    expect(sample(text, "hookwright_deliveries_in_flight")).toBe(1);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(contentType).toMatch(/^text\/plain/);
  });

  it("times a dispatch and records its outcome, passing a failure on", async () => {
    const metrics = createMetrics({ inFlight: () => 0 });
    await metrics.timed(async () => {})({ name: "issues" });
    const failing = metrics.timed(async () => {
      throw new Error("handler broke");
    });
    await expect(failing({ name: "issues" })).rejects.toThrow("handler broke");
    const { text } = await metrics.render();
    const count = (outcome: string) =>
      sample(
        text,
        `hookwright_handler_duration_seconds_count{event="issues",outcome="${outcome}"}`,
      );
    expect(count("completed")).toBe(1);
    expect(count("failed")).toBe(1);
  });
});
