import { AsyncLocalStorage } from "node:async_hooks";
import { describe, expect, it } from "@jest/globals";
import { createDeliveryEvents, type DeliveryEvent } from "../../../src/events/delivery-events.js";
import { OBSERVED_BODY_CHARS, observeFetch } from "../../../src/events/observe-fetch.js";

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

  it.each([
    "/repos/o/r/issues/1/comments",
    "/repos/o/r/contents/.github%2Flabeler.yml?ref=main",
    "/repos/o/r/contents/a/../b",
    "/repos/o/r/contents/%2E%2e/b?x=1",
    "/repos/o/r/contents/a/.",
    "/search/issues?q=label:'bug' is:open",
    "/repos/o/r/contents/caf\u00e9",
    "/repos/o/r/issues?",
    "/repos/o/r/issues#top",
    "/repos/o/r\\issues",
  ])("reports %s as a URL parser reads it, with or without a base path", async (target) => {
    for (const apiUrl of ["https://api.github.test", "https://ghe.example/api/v3/"]) {
      const events = createDeliveryEvents();
      const paths: string[] = [];
      events.subscribe(
        (event) => {
          if (event.type === "api-call") paths.push(event.call.path);
        },
        ["api-call"],
      );
      const fetch = observeFetch(answering(200), apiUrl, new AsyncLocalStorage(), events);
      const href = `${apiUrl.replace(/\/$/, "")}${target}`;
      await fetch(href, { headers: { "X-GitHub-Delivery": "d1" } });
      const url = new URL(href);
      const basePath = new URL(apiUrl).pathname.replace(/\/$/, "");
      const below = url.pathname.startsWith(`${basePath}/`)
        ? url.pathname.slice(basePath.length)
        : url.pathname;
      expect(paths).toEqual([`${below}${url.search}`]);
    }
  });

  it("names the plugin whose handler made a call, keeps bounded bodies, and neither for a token exchange", async () => {
    const events = createDeliveryEvents();
    const seen: DeliveryEvent[] = [];
    // Bodies only for a listener that asks for them (the console): reading them costs a copy.
    events.subscribe((event) => seen.push(event), ["api-call"], { bodies: true });
    const plugins = new AsyncLocalStorage<string>();
    const long = "x".repeat(OBSERVED_BODY_CHARS + 10);
    const answer: typeof fetch = async (input) =>
      new Response(String(input).includes("/app/") ? '{"token":"ghs_abc"}' : long, {
        status: 201,
        headers: { "content-type": "application/json" },
      });
    const fetch = observeFetch(answer, "https://api.github.test", new AsyncLocalStorage(), events, {
      pluginScope: plugins,
    });
    const headers = { "x-github-delivery": "d1" };
    const response = await plugins.run("greeter", () =>
      fetch("https://api.github.test/repos/o/r/issues/1/comments", {
        method: "POST",
        headers,
        body: '{"body":"hi"}',
      }),
    );
    // The caller still reads the whole answer.
    expect(await response.text()).toBe(long);
    await plugins.run("greeter", () =>
      fetch("https://api.github.test/app/installations/1/access_tokens", {
        method: "POST",
        headers,
      }),
    );
    const calls = seen.map((event) => (event.type === "api-call" ? event.call : undefined));
    expect(calls[0]).toEqual({
      method: "POST",
      path: "/repos/o/r/issues/1/comments",
      status: 201,
      seconds: expect.any(Number),
      plugin: "greeter",
      requestBody: '{"body":"hi"}',
      responseBody: `${long.slice(0, OBSERVED_BODY_CHARS)}…`,
    });
    expect(calls[1]).toEqual({
      method: "POST",
      path: "/app/installations/1/access_tokens",
      status: 201,
      seconds: expect.any(Number),
    });
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
