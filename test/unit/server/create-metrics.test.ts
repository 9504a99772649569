import { describe, expect, it } from "@jest/globals";
import { createDeliveryEvents, type DeliverySummary } from "../../../src/events/delivery-events.js";
import { createMetrics } from "../../../src/server/create-metrics.js";

/** The value of one sample line, e.g. `name{a="b"} 3`, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

const delivery = (name: string): DeliverySummary => ({ id: `d-${name}`, name, event: name });

function setup(inFlight: () => number = () => 0) {
  const events = createDeliveryEvents();
  const metrics = createMetrics({ events, inFlight });
  return {
    events,
    metrics,
    answered(name: string | undefined, status: number) {
      events.emit({
        type: "answered",
        request: {
          headers: {},
          body: Buffer.alloc(0),
          status,
          answer: {},
          ...(name !== undefined && { delivery: delivery(name) }),
        },
      });
    },
    finished(name: string, outcome: "completed" | "failed" | "handed-back", seconds: number) {
      events.emit({ type: "finished", delivery: delivery(name), outcome, seconds });
    },
  };
}

describe("createMetrics", () => {
  it("counts answered events by event and status, verified or not, across scrapes", async () => {
    const { metrics, answered } = setup();
    answered("issues", 200);
    answered("issues", 200);
    answered(undefined, 401);
    const first = (await metrics.render()).text;
    expect(sample(first, 'hookwright_deliveries_total{event="issues",status="200"}')).toBe(2);
    expect(sample(first, 'hookwright_deliveries_total{event="unverified",status="401"}')).toBe(1);
    answered("issues", 200);
    const second = (await metrics.render()).text;
    expect(sample(second, 'hookwright_deliveries_total{event="issues",status="200"}')).toBe(3);
    expect(sample(second, 'hookwright_deliveries_total{event="unverified",status="401"}')).toBe(1);
  });

  it("keeps handler times finished before the first scrape, in buckets by event and outcome", async () => {
    const { metrics, finished } = setup();
    finished("push", "completed", 0.07);
    finished("push", "completed", 3);
    finished("push", "failed", 0.2);
    finished("push", "handed-back", 8);
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
    expect(
      sample(text, 'hookwright_handler_duration_seconds_count{event="push",outcome="handed-back"}'),
    ).toBe(1);
  });

  it("counts dead deliveries", async () => {
    const { metrics, events } = setup();
    expect(sample((await metrics.render()).text, "hookwright_deliveries_dead_total")).toBe(0);
    events.emit({ type: "dead", delivery: delivery("issues"), attempts: 5, error: "broke" });
    events.emit({ type: "dead", delivery: delivery("push"), attempts: 5 });
    expect(sample((await metrics.render()).text, "hookwright_deliveries_dead_total")).toBe(2);
  });

  it("reports the deliveries in flight when scraped, and the process's own metrics", async () => {
    let running = 4;
    const { metrics } = setup(() => running);
    expect(sample((await metrics.render()).text, "hookwright_deliveries_in_flight")).toBe(4);
    running = 1;
    const { text, contentType } = await metrics.render();
    expect(sample(text, "hookwright_deliveries_in_flight")).toBe(1);
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(contentType).toMatch(/^text\/plain/);
  });

  it("stops counting once closed, and listens only to the events it counts", async () => {
    const { metrics, events, answered, finished } = setup();
    expect(events.wants("answered")).toBe(true);
    expect(events.wants("finished")).toBe(true);
    expect(events.wants("dead")).toBe(true);
    expect(events.wants("api-call")).toBe(false);
    answered("issues", 200);
    metrics.close();
    expect(events.wants("answered")).toBe(false);
    answered("issues", 200);
    finished("issues", "completed", 1);
    const { text } = await metrics.render();
    expect(sample(text, 'hookwright_deliveries_total{event="issues",status="200"}')).toBe(1);
    expect(
      sample(text, 'hookwright_handler_duration_seconds_count{event="issues",outcome="completed"}'),
    ).toBeUndefined();
  });
});
