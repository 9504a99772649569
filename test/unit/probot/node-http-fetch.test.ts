// nock 13 patches only node:http/https: what it intercepts went through nodeHttpFetch.
import { afterAll, afterEach, describe, expect, it } from "@jest/globals";
import { gzipSync } from "node:zlib";
import nock from "nock13";
import { nodeHttpFetch } from "../../../src/probot/node-http-fetch.js";

const API = "https://api.github.com";

afterEach(() => nock.cleanAll());
afterAll(() => nock.restore());

describe("nodeHttpFetch", () => {
  it("sends method, headers and body, and answers status, headers and body", async () => {
    nock(API, { reqheaders: { authorization: "token t", "content-type": "application/json" } })
      .post("/repos/o/r/issues/1/comments", { body: "Thanks" })
      .reply(201, { id: 7 }, { "x-ratelimit-remaining": "4999" });
    const response = await nodeHttpFetch(`${API}/repos/o/r/issues/1/comments`, {
      method: "POST",
      headers: { authorization: "token t", "content-type": "application/json" },
      body: JSON.stringify({ body: "Thanks" }),
    });
    expect(response.status).toBe(201);
    expect(response.url).toBe(`${API}/repos/o/r/issues/1/comments`);
    expect(response.headers.get("x-ratelimit-remaining")).toBe("4999");
    expect(await response.json()).toEqual({ id: 7 });
  });

  it("takes a Request as input", async () => {
    nock(API).put("/x", "bytes").reply(204);
    const response = await nodeHttpFetch(new Request(`${API}/x`, { method: "PUT", body: "bytes" }));
    expect(response.status).toBe(204);
    expect(response.body).toBeNull();
  });

  it("decompresses a gzip body", async () => {
    nock(API)
      .get("/zen")
      .reply(200, gzipSync("Keep it logically awesome."), { "content-encoding": "gzip" });
    expect(await (await nodeHttpFetch(`${API}/zen`)).text()).toBe("Keep it logically awesome.");
  });

  it("follows a redirect as fetch does (a renamed repository), keeping the method of a 307", async () => {
    nock(API)
      .get("/repos/o/old")
      .reply(301, "", { location: `${API}/repositories/1` })
      .get("/repositories/1")
      .reply(200, { name: "new" })
      .post("/a")
      .reply(307, "", { location: "/b" })
      .post("/b", "kept")
      .reply(200, "ok");
    const moved = await nodeHttpFetch(`${API}/repos/o/old`);
    expect(moved.redirected).toBe(true);
    expect(await moved.json()).toEqual({ name: "new" });
    expect(await (await nodeHttpFetch(`${API}/a`, { method: "POST", body: "kept" })).text()).toBe(
      "ok",
    );
  });

  it("hands a redirect back with redirect: manual, and drops authorization across origins", async () => {
    nock(API).get("/a").reply(302, "", { location: "https://elsewhere.example/b" });
    const manual = await nodeHttpFetch(`${API}/a`, { redirect: "manual" });
    expect(manual.status).toBe(302);

    nock(API).get("/a").reply(302, "", { location: "https://elsewhere.example/b" });
    nock("https://elsewhere.example", { badheaders: ["authorization"] })
      .get("/b")
      .reply(200, "no token");
    const followed = await nodeHttpFetch(`${API}/a`, { headers: { authorization: "token t" } });
    expect(await followed.text()).toBe("no token");
  });

  it("rejects with the signal's reason when aborted, and with fetch's TypeError on a network error", async () => {
    nock(API).get("/slow").delay(5_000).reply(200);
    const controller = new AbortController();
    const pending = nodeHttpFetch(`${API}/slow`, { signal: controller.signal });
    controller.abort(new Error("timed out"));
    await expect(pending).rejects.toThrow("timed out");

    nock(API).get("/down").replyWithError("ECONNRESET");
    await expect(nodeHttpFetch(`${API}/down`)).rejects.toThrow(TypeError);
  });

  it("looks node:http's request up at each call (nock activated after the import intercepts)", async () => {
    nock.restore();
    nock.activate();
    nock(API).get("/late").reply(200, "intercepted");
    expect(await (await nodeHttpFetch(`${API}/late`)).text()).toBe("intercepted");
  });
});
