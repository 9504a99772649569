import { describe, expect, it } from "@jest/globals";
import { fakeWithClient, HELLO } from "../../helpers/fake-github-client.js";
import { parseRouteSpec } from "../../../src/fake-github/custom-routes.js";

describe("fake GitHub: routes added with route()", () => {
  it("parses a route spec, a final {path} spanning slashes", () => {
    const { method, names, pattern } = parseRouteSpec("get /repos/{owner}/{repo}/x/{path}");
    expect({ method, names }).toEqual({ method: "GET", names: ["owner", "repo", "path"] });
    expect(pattern.exec("/repos/o/r/x/a/b.txt")?.slice(1)).toEqual(["o", "r", "a/b.txt"]);
    expect(() => parseRouteSpec("/no/method")).toThrow(/METHOD \/path/);
  });

  it("adds a route, handed params, query, body, headers and the records", async () => {
    const { github, octokit } = fakeWithClient({
      repositories: { "octo/hello": { issues: [{ title: "seeded" }] } },
    });
    const seen: unknown[] = [];
    github.route("POST /repos/{owner}/{repo}/dispatches/{kind}", (request) => {
      seen.push(request);
      return {
        status: 201,
        body: { titles: request.state.issues.map((issue) => issue.title) },
        headers: { "x-answered": "yes" },
      };
    });
    const answer = await octokit.request("POST /repos/{owner}/{repo}/dispatches/{kind}?dry=1", {
      ...HELLO,
      kind: "a b",
      event_type: "go",
    });
    expect(answer).toMatchObject({
      status: 201,
      data: { titles: ["seeded"] },
      headers: { "x-answered": "yes" },
    });
    expect(seen).toEqual([
      expect.objectContaining({
        method: "POST",
        params: { owner: "octo", repo: "hello", kind: "a b" },
        query: { dry: "1" },
        body: { event_type: "go" },
        headers: expect.objectContaining({ authorization: expect.stringMatching(/^token ghs_/) }),
      }),
    ]);
    github.expectCall("POST /repos/{owner}/{repo}/dispatches/{kind}", { event_type: "go" });
  });

  it("overrides a built-in route, the last one added winning, and survives reset()", async () => {
    const { github, octokit } = fakeWithClient();
    github.route("GET /repos/{owner}/{repo}", () => ({ status: 200, body: { name: "first" } }));
    github.route("GET /repos/{owner}/{repo}", () => ({ status: 200, body: { name: "second" } }));
    github.reset();
    expect((await octokit.rest.repos.get(HELLO)).data.name).toBe("second");
  });

  it("answers 500 naming the route when its handler throws", async () => {
    const { github, octokit } = fakeWithClient();
    github.route("GET /broken", () => {
      throw new Error("boom");
    });
    await expect(octokit.request("GET /broken", { request: { retries: 0 } })).rejects.toMatchObject(
      {
        status: 500,
        message: expect.stringContaining("GET /broken failed: Error: boom"),
      },
    );
  });
});
