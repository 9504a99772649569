import { describe, expect, it } from "@jest/globals";
import { fakeWithClient } from "../../helpers/fake-github-client.js";

describe("fake GitHub: GraphQL", () => {
  it("answers with what the handler returns, given the query and variables", async () => {
    const { github, octokit } = fakeWithClient();
    const seen: unknown[] = [];
    github.graphql((request) => {
      seen.push(request);
      return { repository: { name: request.variables.name } };
    });
    const data = await octokit.graphql(
      "query ($name: String!) { repository(name: $name) { name } }",
      {
        name: "hello",
      },
    );
    expect(data).toEqual({ repository: { name: "hello" } });
    expect(seen).toEqual([
      { query: expect.stringContaining("repository"), variables: { name: "hello" } },
    ]);
    github.expectCall("POST /graphql", { variables: { name: "hello" } });
  });

  it("answers GraphQL errors for a thrown error or returned errors", async () => {
    const { github, octokit } = fakeWithClient();
    github.graphql(() => {
      throw new Error("Could not resolve to a Repository");
    });
    await expect(octokit.graphql("{ viewer { login } }")).rejects.toMatchObject({
      name: "GraphqlResponseError",
      errors: [{ message: "Could not resolve to a Repository" }],
    });
    github.graphql(() => ({
      data: { viewer: null },
      errors: [{ type: "FORBIDDEN", message: "no" }],
    }));
    await expect(octokit.graphql("{ viewer { login } }")).rejects.toMatchObject({
      errors: [{ type: "FORBIDDEN" }],
      data: { viewer: null },
    });
  });

  it("says how to answer when no handler is set, and wants credentials", async () => {
    const { github, octokit } = fakeWithClient();
    await expect(octokit.graphql("{ viewer { login } }")).rejects.toMatchObject({
      message: expect.stringContaining("github.graphql("),
    });
    const anonymous = await github.fetch("http://x/graphql", {
      method: "POST",
      body: JSON.stringify({ query: "{ viewer { login } }" }),
    });
    expect(anonymous.status).toBe(401);
  });

  it("serves GitHub Enterprise Server's /api/graphql", async () => {
    const { github, octokit } = fakeWithClient({ apiUrl: "https://ghe.test/api/v3" });
    github.graphql(() => ({ ok: true }));
    expect(await octokit.graphql("{ ok }")).toEqual({ ok: true });
    expect(github.calls.at(-1)?.path).toBe("/api/graphql");
  });
});
