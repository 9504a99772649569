import { describe, expect, it, jest } from "@jest/globals";
import { Octokit } from "../../../src/github/octokit.js";
import { RENAMED_METHODS } from "../../../src/github/renamed-methods-data.js";

// Old method names (Probot 7–10 era) on today's client, from Octokit's own rename data.
function setup() {
  const requests: string[] = [];
  const fetch = async (url: string | URL | Request, init?: RequestInit) => {
    requests.push(`${init?.method ?? "GET"} ${new URL(String(url)).pathname}`);
    const body = { name: "config.yml", content: Buffer.from("a: 1\n").toString("base64") };
    return new Response(JSON.stringify(body), {
      status: 200,
      headers: { "content-type": "application/json" },
    });
  };
  const warnings: string[] = [];
  const log = {
    debug() {},
    info() {},
    error() {},
    warn: (message: string) => void warnings.push(message),
  };
  const octokit = new Octokit({ baseUrl: "https://api.github.test", request: { fetch }, log });
  return { octokit, requests, warnings };
}

const methods = (octokit: object) => octokit as unknown as Record<string, Record<string, unknown>>;

describe("renamed Octokit methods", () => {
  it("repos.getContents returns what repos.getContent returns, through the same route", async () => {
    const { octokit, requests } = setup();
    const at = { owner: "octo", repo: "hello", path: ".github/config.yml" };
    const old = await (
      octokit.repos as unknown as { getContents: typeof octokit.repos.getContent }
    ).getContents(at);
    const current = await octokit.repos.getContent(at);
    expect(old.data).toEqual(current.data);
    expect(old.status).toBe(current.status);
    expect(requests).toEqual([
      "GET /repos/octo/hello/contents/.github%2Fconfig.yml",
      "GET /repos/octo/hello/contents/.github%2Fconfig.yml",
    ]);
  });

  it("warns once per old name, naming the new one", async () => {
    const { octokit, warnings } = setup();
    const issues = methods(octokit).issues as Record<string, (params: object) => Promise<unknown>>;
    const params = { owner: "octo", repo: "hello", issue_number: 1, labels: ["a"] };
    await issues.replaceAllLabels!(params);
    await issues.replaceAllLabels!(params);
    await setup().octokit.issues.setLabels(params);
    expect(warnings.filter((message) => message.includes("issues.replaceAllLabels"))).toEqual([
      "octokit.issues.replaceAllLabels() is deprecated, use octokit.issues.setLabels() (Octokit renamed it)",
    ]);
  });

  it("are on .rest too, can be spied on, and call the new method as it is at call time", async () => {
    const { octokit } = setup();
    expect(methods(octokit.rest).pulls!.createComment).toBe(methods(octokit).pulls!.createComment);
    const spy = jest.fn(async () => ({ data: "spied" }));
    methods(octokit).pulls!.createReviewComment = spy;
    const pulls = methods(octokit).pulls as Record<
      string,
      (params: object) => Promise<{ data: unknown }>
    >;
    await expect(pulls.createComment!({ owner: "o", repo: "r", pull_number: 1 })).resolves.toEqual({
      data: "spied",
    });
    const replaced = jest.fn(async () => ({ data: "mine" }));
    pulls.createComment = replaced;
    await expect(pulls.createComment({})).resolves.toEqual({ data: "mine" });
  });

  it("come from the data: every old name is on the client and leads to a method it has", () => {
    const { octokit } = setup();
    const entries = Object.entries(RENAMED_METHODS);
    expect(entries.length).toBeGreaterThan(100);
    expect(RENAMED_METHODS).toMatchObject({
      "repos.getContents": "repos.getContent",
      "issues.removeLabels": "issues.removeAllLabels",
      "apps.createInstallationToken": "apps.createInstallationAccessToken",
    });
    for (const [oldName, newName] of entries) {
      const [oldScope, oldMethod] = oldName.split(".") as [string, string];
      const [newScope, newMethod] = newName.split(".") as [string, string];
      expect(typeof methods(octokit)[newScope]?.[newMethod]).toBe("function");
      if (methods(octokit)[oldScope])
        expect(typeof methods(octokit)[oldScope]![oldMethod]).toBe("function");
    }
  });
});
