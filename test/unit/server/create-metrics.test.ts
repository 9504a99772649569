import { describe, expect, it } from "@jest/globals";
import {
  createDeliveryEvents,
  type DeliveryEvent,
  type DeliverySummary,
} from "../../../src/events/delivery-events.js";
import { createBodyBudget } from "../../../src/server/body-budget.js";
import { createMetrics, type MetricsOptions } from "../../../src/server/create-metrics.js";

/** The value of one sample line, e.g. `name{a="b"} 3`, or undefined. */
function sample(text: string, line: string): number | undefined {
  const found = text.split("\n").find((candidate) => candidate.startsWith(`${line} `));
  return found === undefined ? undefined : Number(found.slice(line.length + 1));
}

const delivery = (name: string): DeliverySummary => ({ id: `d-${name}`, name, event: name });

function setup(inFlight: () => number = () => 0, options: Partial<MetricsOptions> = {}) {
  const events = createDeliveryEvents();
  const metrics = createMetrics({ events, inFlight, ...options });
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
    expect(events.wants("received")).toBe(false);
    expect(events.wants("plugin")).toBe(false);
    // API calls, tokens and refusals are counted where they happen: workers elsewhere are not
    // asked to relay them.
    expect(events.wants("api-call")).toBe(true);
    expect(events.wantsRelayed("api-call")).toBe(false);
    expect(events.wantsRelayed("token")).toBe(false);
    expect(events.wantsRelayed("finished")).toBe(true);
    answered("issues", 200);
    metrics.close();
    expect(events.wants("answered")).toBe(false);
    expect(events.wants("api-call")).toBe(false);
    answered("issues", 200);
    finished("issues", "completed", 1);
    const { text } = await metrics.render();
    expect(sample(text, 'hookwright_deliveries_total{event="issues",status="200"}')).toBe(1);
    expect(
      sample(text, 'hookwright_handler_duration_seconds_count{event="issues",outcome="completed"}'),
    ).toBeUndefined();
  });
});

const started = (id: string, installation?: number): DeliveryEvent => ({
  type: "started",
  delivery: { id, name: "issues", event: "issues.opened", action: "opened", installation },
  attempt: 1,
});
const call = (
  id: string | undefined,
  fields: { method?: string; path?: string; status: number; seconds?: number; remaining?: number },
): DeliveryEvent => ({
  type: "api-call",
  ...(id !== undefined && { id }),
  call: {
    method: fields.method ?? "GET",
    path: fields.path ?? "/repos/o/r",
    status: fields.status,
    seconds: fields.seconds ?? 0.1,
    ...(fields.remaining !== undefined && { rateLimitRemaining: fields.remaining }),
  },
});

describe("createMetrics: GitHub, tokens, refusals and levels", () => {
  it("counts token cache hits and misses, and exchanges by outcome", async () => {
    const { metrics, events } = setup();
    events.emit({ type: "token", installation: 1, cache: "miss" });
    events.emit({ type: "token", installation: 1, cache: "hit" });
    events.emit({ type: "token", installation: 2, cache: "hit" });
    events.emit({ type: "token-exchange", installation: 1, outcome: "success" });
    events.emit({ type: "token-exchange", installation: 3, outcome: "INSTALLATION_NOT_FOUND" });
    const { text } = await metrics.render();
    expect(sample(text, "hookwright_token_cache_hits_total")).toBe(2);
    expect(sample(text, "hookwright_token_cache_misses_total")).toBe(1);
    expect(sample(text, 'hookwright_token_exchanges_total{outcome="success"}')).toBe(1);
    expect(sample(text, 'hookwright_token_exchanges_total{outcome="INSTALLATION_NOT_FOUND"}')).toBe(
      1,
    );
    // An installation id is never a label of the token metrics.
    expect(text).not.toMatch(/hookwright_token_[a-z_]+\{[^}]*installation/);
  });

  it("counts GitHub calls by method and status class, no answer as error, and times them", async () => {
    const { metrics, events } = setup();
    events.emit(call("d", { method: "POST", status: 201, seconds: 0.2 }));
    events.emit(call("d", { method: "POST", status: 422, seconds: 0.04 }));
    events.emit(call(undefined, { status: 200, seconds: 0.03 }));
    events.emit(call("d", { status: 502, seconds: 1.5 }));
    events.emit(call("d", { status: 0, seconds: 10 }));
    events.emit(call("d", { method: "BREW", status: 418 }));
    const { text } = await metrics.render();
    const requests = (labels: string) =>
      sample(text, `hookwright_github_requests_total{${labels}}`);
    expect(requests('method="POST",status_class="2xx"')).toBe(1);
    expect(requests('method="POST",status_class="4xx"')).toBe(1);
    expect(requests('method="GET",status_class="2xx"')).toBe(1);
    expect(requests('method="GET",status_class="5xx"')).toBe(1);
    expect(requests('method="GET",status_class="error"')).toBe(1);
    expect(requests('method="OTHER",status_class="4xx"')).toBe(1);
    const duration = "hookwright_github_request_duration_seconds";
    expect(sample(text, `${duration}_bucket{le="0.25",method="POST",status_class="2xx"}`)).toBe(1);
    expect(sample(text, `${duration}_bucket{le="0.1",method="POST",status_class="2xx"}`)).toBe(0);
    expect(sample(text, `${duration}_sum{method="GET",status_class="error"}`)).toBe(10);
    expect(sample(text, `${duration}_count{method="GET",status_class="5xx"}`)).toBe(1);
  });

  it("reports the core rate limit remaining of each installation's last call, not the app's JWT calls' nor GraphQL's", async () => {
    const { metrics, events } = setup();
    events.emit(started("d1", 11));
    events.emit(started("d2", 22));
    events.emit(started("d3"));
    events.emit(call("d1", { status: 200, remaining: 4990 }));
    events.emit(call("d1", { status: 200, remaining: 4989 }));
    events.emit(call("d2", { status: 200, remaining: 120 }));
    events.emit(
      call("d2", { path: "/app/installations/22/access_tokens", status: 201, remaining: 7 }),
    );
    events.emit(call("d3", { status: 200, remaining: 60 }));
    events.emit({
      type: "api-call",
      id: "d2",
      call: {
        method: "POST",
        path: "/graphql",
        status: 200,
        seconds: 0.1,
        rateLimitRemaining: 3,
        rateLimitResource: "graphql",
      },
    });
    events.emit(call(undefined, { status: 200, remaining: 50 }));
    const { text } = await metrics.render();
    const gauge = "hookwright_github_rate_limit_remaining";
    expect(sample(text, `${gauge}{installation="11"}`)).toBe(4989);
    expect(sample(text, `${gauge}{installation="22"}`)).toBe(120);
    expect(text.split("\n").filter((line) => line.startsWith(`${gauge}{`))).toHaveLength(2);
  });

  it("labels only the N most active installations, the rest as other with their lowest remaining", async () => {
    const { metrics, events } = setup(() => 0, { topInstallations: 2 });
    const calls = { 1: 5, 2: 3, 3: 1 } as Record<number, number>;
    for (const [installation, count] of Object.entries(calls)) {
      events.emit(started(`d${installation}`, Number(installation)));
      for (let i = 0; i < count; i += 1) {
        events.emit(
          call(`d${installation}`, { status: 200, remaining: 1000 * Number(installation) - i }),
        );
      }
    }
    const { text } = await metrics.render();
    const lines = text
      .split("\n")
      .filter((line) => line.startsWith("hookwright_github_rate_limit_remaining{"));
    expect(lines.sort()).toEqual([
      'hookwright_github_rate_limit_remaining{installation="1"} 996',
      'hookwright_github_rate_limit_remaining{installation="2"} 1998',
      'hookwright_github_rate_limit_remaining{installation="other"} 3000',
    ]);
  });

  it("counts refused requests by reason", async () => {
    const { metrics, events } = setup();
    events.emit({ type: "refused", code: "SIGNATURE_MISMATCH", status: 401 });
    events.emit({ type: "refused", code: "SIGNATURE_MISMATCH", status: 401 });
    events.emit({ type: "refused", code: "SERVER_BUSY", status: 503 });
    const { text } = await metrics.render();
    expect(sample(text, 'hookwright_requests_refused_total{reason="SIGNATURE_MISMATCH"}')).toBe(2);
    expect(sample(text, 'hookwright_requests_refused_total{reason="SERVER_BUSY"}')).toBe(1);
  });

  it("counts API calls and tokens of this process only, but relayed handler times too", async () => {
    const { metrics, events } = setup();
    events.emit({ ...call("d", { status: 200 }), relayed: true });
    events.emit({ type: "token", installation: 1, cache: "hit", relayed: true });
    events.emit({
      type: "finished",
      delivery: delivery("push"),
      outcome: "completed",
      seconds: 1,
      relayed: true,
    });
    const { text } = await metrics.render();
    expect(text).not.toMatch(/^hookwright_github_requests_total\{/m);
    expect(sample(text, "hookwright_token_cache_hits_total")).toBe(0);
    expect(
      sample(text, 'hookwright_handler_duration_seconds_count{event="push",outcome="completed"}'),
    ).toBe(1);
  });

  it("reads the body bytes held and the budget when scraped", async () => {
    const budget = createBodyBudget(1000);
    const { metrics } = setup(() => 0, { bodyBudget: budget });
    const claim = budget.claim();
    claim.take(300);
    let text = (await metrics.render()).text;
    expect(sample(text, "hookwright_request_body_bytes_in_flight")).toBe(300);
    expect(sample(text, "hookwright_request_body_budget_bytes")).toBe(1000);
    claim.release();
    text = (await metrics.render()).text;
    expect(sample(text, "hookwright_request_body_bytes_in_flight")).toBe(0);
  });

  it("reads the queue once per scrape, and says when it could not", async () => {
    let reads = 0;
    let down = false;
    const { metrics } = setup(() => 0, {
      queueStats: async () => {
        reads += 1;
        if (down) throw new Error("redis went away");
        return { waiting: 4, active: 2, delayed: 1, failed: 3, oldestWaitingSeconds: 12.5 };
      },
    });
    expect(reads).toBe(0);
    let text = (await metrics.render()).text;
    expect(reads).toBe(1);
    expect(sample(text, 'hookwright_queue_jobs{state="waiting"}')).toBe(4);
    expect(sample(text, 'hookwright_queue_jobs{state="active"}')).toBe(2);
    expect(sample(text, 'hookwright_queue_jobs{state="delayed"}')).toBe(1);
    expect(sample(text, 'hookwright_queue_jobs{state="failed"}')).toBe(3);
    expect(sample(text, "hookwright_queue_oldest_waiting_age_seconds")).toBe(12.5);
    down = true;
    text = (await metrics.render()).text;
    expect(reads).toBe(2);
    expect(text).not.toMatch(/^hookwright_queue_jobs\{/m);
    expect(sample(text, "hookwright_queue_oldest_waiting_age_seconds")).toBeNaN();
  });

  it("has no queue or body metrics when there is no queue or budget to read", async () => {
    const { text } = await setup().metrics.render();
    expect(text).not.toContain("hookwright_queue_");
    expect(text).not.toContain("hookwright_request_body_");
  });
});
