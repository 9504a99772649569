import { describe, expect, it } from "@jest/globals";
import {
  createRestTable,
  shippedRestTable,
  type RestRouteRow,
} from "../../../src/fake-github/rest-table.js";

const ROWS: RestRouteRow[] = [
  ["GET", "/repos/{owner}/{repo}/issues/{issue_number}", 200, [], { n: 1 }, null],
  ["GET", "/repos/{owner}/{repo}/issues/comments", 200, [], [], null],
  ["GET", "/repos/{owner}/{repo}/contents/{path}", 200, [], {}, null],
  ["GET", "/repos/{owner}/{repo}/git/ref/{ref}", 200, [], {}, null],
  ["POST", "/repos/{owner}/{repo}/issues", 201, ["title"], {}, "https://docs.github.com/x"],
];

describe("REST route table", () => {
  const table = createRestTable(ROWS);

  it("prefers literal segments over placeholders, whatever the order rows came in", () => {
    expect(table.match("GET", "/repos/o/r/issues/comments")?.route.template).toBe(
      "/repos/{owner}/{repo}/issues/comments",
    );
    expect(table.match("GET", "/repos/o/r/issues/12")).toMatchObject({
      route: { template: "/repos/{owner}/{repo}/issues/{issue_number}" },
      params: { owner: "o", repo: "r", issue_number: "12" },
    });
  });

  it("lets a final {path} or {ref} span slashes, and decodes placeholders", () => {
    expect(table.match("GET", "/repos/o/r/contents/docs/a%20b.md")?.params.path).toBe(
      "docs/a b.md",
    );
    expect(table.match("GET", "/repos/o/r/git/ref/heads/feature/x")?.params.ref).toBe(
      "heads/feature/x",
    );
  });

  it("matches an empty placeholder (so a missing path parameter can be named) and nothing undocumented", () => {
    expect(table.match("GET", "/repos//r/issues/3")?.params.owner).toBe("");
    expect(table.match("GET", "/repos/o/r/wikis")).toBeUndefined();
    expect(table.match("DELETE", "/repos/o/r/issues")).toBeUndefined();
    expect(table.match("post", "/repos/o/r/issues")?.route).toMatchObject({
      status: 201,
      requiredBody: ["title"],
      documentationUrl: "https://docs.github.com/x",
    });
  });

  it("ships GitHub's published description, read once", () => {
    const shipped = shippedRestTable();
    expect(shipped).toBe(shippedRestTable());
    expect(shipped.size).toBeGreaterThan(1000);
    expect(shipped.source).toMatch(/@octokit\/openapi@\d+/);
    expect(shipped.match("POST", "/repos/o/r/check-runs")?.route).toMatchObject({
      status: 201,
      requiredBody: ["name", "head_sha"],
    });
    expect(shipped.match("GET", "/repos/o/r/branches")?.route.example).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: expect.any(String) })]),
    );
  });
});
