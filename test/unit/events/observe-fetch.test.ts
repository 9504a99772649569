import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "@jest/globals";
import { createDeliveryEvents, type DeliveryEvent } from "../../../src/events/delivery-events.js";
import { observeFetch } from "../../../src/events/observe-fetch.js";

const answering =
  (status: number): typeof fetch =>
  async () =>
    new Response("{}", { status });

describe("observeFetch", () => {
  it("emits an api-call under the x-github-delivery header, with the path below the API URL", async () => {
    const events = createDeliveryEvents();
    const seen: DeliveryEvent[] = [];
    events.subscribe((event) => seen.push(event), ["api-call"]);
    const fetch = observeFetch(
      answering(201),
      "https://ghe.example/api/v3",
      new AsyncLocalStorage(),
      events,
    );
    await fetch("https://ghe.example/api/v3/repos/o/r/issues/1/comments?x=1", {
      method: "post",
      headers: { "x-github-delivery": "d1" },
    });
    expect(seen).toEqual([
      {
        type: "api-call",
        id: "d1",
        call: {
          method: "POST",
          path: "/repos/o/r/issues/1/comments?x=1",
          status: 201,
          seconds: expect.any(Number),
        },
      },
    ]);
  });

  it("attributes a call without the header to the delivery running, and a network failure to status 0", async () => {
    const events = createDeliveryEvents();
    const seen: DeliveryEvent[] = [];
    events.subscribe((event) => seen.push(event), ["api-call"]);
    const current = new AsyncLocalStorage<string>();
    const failing: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const fetch = observeFetch(failing, "https://api.github.com", current, events);
    await expect(
      current.run("d2", () => fetch("https://api.github.com/app/installations/1/access_tokens")),
    ).rejects.toThrow("fetch failed");
    expect(seen).toEqual([
      {
        type: "api-call",
        id: "d2",
        call: {
          method: "GET",
          path: "/app/installations/1/access_tokens",
          status: 0,
          seconds: expect.any(Number),
        },
      },
    ]);
  });

  it("emits nothing and passes the call through when nobody listens", async () => {
    const events = createDeliveryEvents();
    let calls = 0;
    const fetch = observeFetch(
      async () => {
        calls += 1;
        return new Response(null, { status: 204 });
      },
      "https://api.github.com",
      new AsyncLocalStorage(),
      events,
    );
    const response = await fetch("https://api.github.com/x", {
      headers: { "x-github-delivery": "d" },
    });
    expect(response.status).toBe(204);
    expect(calls).toBe(1);
  });
});
