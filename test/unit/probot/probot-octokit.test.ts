import { describe, expect, it } from "@jest/globals";
import { ProbotOctokit } from "hookwright/probot";

/** A fetch that answers from a list and records what was asked. */
function answers(...responses: (() => Response)[]) {
  const calls: string[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push(
      `${init?.method ?? "GET"} ${String(input)} ${new Headers(init?.headers).get("accept")}`,
    );
    const next = responses.shift();
    if (!next) throw new Error("no answer left");
    return next();
  };
  return { fetch: fetch as typeof globalThis.fetch, calls };
}

const json = (status: number, body: unknown) => () =>
  Response.json(body, { status, headers: { "content-type": "application/json; charset=utf-8" } });
const raw = (text: string) => () =>
  new Response(text, { headers: { "content-type": "application/vnd.github.raw; charset=utf-8" } });

describe("ProbotOctokit", () => {
  it("has .rest, the methods without .rest, paginate, graphql and request", () => {
    const octokit = new ProbotOctokit();
    expect(typeof octokit.rest.issues.createComment).toBe("function");
    expect(typeof octokit.issues.createComment).toBe("function");
    expect(typeof octokit.paginate).toBe("function");
    expect(typeof octokit.graphql).toBe("function");
    expect(typeof octokit.request).toBe("function");
  });

  it("defaults() and plugin() make subclasses, as @octokit/core's do", () => {
    const WithPlugin = ProbotOctokit.plugin(() => ({ hello: () => "hi" })).defaults({
      userAgent: "my-app",
    });
    const octokit = new WithPlugin() as ProbotOctokit & { hello(): string };
    expect(octokit).toBeInstanceOf(ProbotOctokit);
    expect(octokit.hello()).toBe("hi");
  });

  it("config.get() reads a file as @probot/octokit-plugin-config does, defaults merged shallowly", async () => {
    const { fetch, calls } = answers(raw("a: 1\nnested: { x: 1 }\n"));
    const octokit = new ProbotOctokit({ request: { fetch } });
    const { config, files } = await octokit.config.get({
      owner: "octo",
      repo: "hello",
      path: ".github/app.yml",
      defaults: { b: 2, nested: { y: 2 } },
    });
    expect(config).toEqual({ a: 1, b: 2, nested: { x: 1 } });
    expect(files).toEqual([
      {
        owner: "octo",
        repo: "hello",
        path: ".github/app.yml",
        url: "https://api.github.com/repos/octo/hello/contents/.github%2Fapp.yml",
        config: { a: 1, nested: { x: 1 } },
      },
    ]);
    expect(calls).toEqual([
      "GET https://api.github.com/repos/octo/hello/contents/.github%2Fapp.yml application/vnd.github.v3.raw",
    ]);
  });

  it("config.get() hands every file's object to a defaults function, furthest _extends first", async () => {
    const { fetch } = answers(raw("_extends: base\nown: 1\n"), raw("base: 1\n"));
    const octokit = new ProbotOctokit({ request: { fetch } });
    const { config } = await octokit.config.get({
      owner: "octo",
      repo: "hello",
      path: ".github/app.yml",
      branch: "dev",
      defaults: (configs) => ({ configs }),
    });
    expect(config).toEqual({ configs: [{ base: 1 }, { own: 1 }] });
  });

  it("retries a 5xx answer, unless retry is turned off as Probot's tests do", async () => {
    const retrying = answers(json(502, { message: "bad gateway" }), json(200, { ok: true }));
    const octokit = new ProbotOctokit({ request: { fetch: retrying.fetch } });
    // The request policy that retries is the client builder's; a bare client has none,
    // so what is checked here is what reaches it: `request.retries`.
    const Off = ProbotOctokit.defaults({ retry: { enabled: false }, throttle: { enabled: false } });
    const off = new Off({ request: { fetch: retrying.fetch } });
    const seen: unknown[] = [];
    off.hook.wrap("request", (send, options) => {
      seen.push((options as { request?: { retries?: number } }).request?.retries);
      return send(options);
    });
    octokit.hook.wrap("request", (send, options) => {
      seen.push((options as { request?: { retries?: number } }).request?.retries);
      return send(options);
    });
    await expect(off.request("GET /zen")).rejects.toMatchObject({ status: 502 });
    await octokit.request("GET /zen");
    expect(seen).toEqual([0, undefined]);
  });
});
