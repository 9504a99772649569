import { describe, expect, it } from "@jest/globals";
import { answerDocumented } from "../../../src/fake-github/documented-answer.js";
import { createRestTable } from "../../../src/fake-github/rest-table.js";

const table = createRestTable([
  [
    "GET",
    "/repos/{owner}/{repo}/branches",
    200,
    [],
    [{ name: "main", commit: { url: "https://api.github.com/repos/o/r/commits/abc" } }],
    null,
  ],
  ["POST", "/repos/{owner}/{repo}/forks", 202, [], { id: 1 }, null],
  [
    "PUT",
    "/repos/{owner}/{repo}/topics",
    200,
    ["names"],
    { names: [] },
    "https://docs.github.com/t",
  ],
  ["DELETE", "/repos/{owner}/{repo}/hooks/{hook_id}", 204, [], null, null],
]);
const base = { apiBase: "http://127.0.0.1:9/api/v3", body: undefined };

describe("answers from GitHub's description", () => {
  it("answers the documented status and example, its API URLs moved to the client's base", () => {
    const answer = answerDocumented(table, {
      ...base,
      method: "GET",
      pathname: "/repos/o/r/branches",
    });
    expect(answer).toEqual({
      status: 200,
      body: [{ name: "main", commit: { url: "http://127.0.0.1:9/api/v3/repos/o/r/commits/abc" } }],
    });
    expect(
      answerDocumented(table, { ...base, method: "POST", pathname: "/repos/o/r/forks" }),
    ).toEqual({ status: 202, body: { id: 1 } });
  });

  it("answers a 204 without a body", () => {
    const answer = answerDocumented(table, {
      ...base,
      method: "DELETE",
      pathname: "/repos/o/r/hooks/4",
    });
    expect(answer).toEqual({ status: 204 });
  });

  it("answers GitHub's 422 naming a missing required body field or path parameter", () => {
    const noNames = answerDocumented(table, {
      ...base,
      method: "PUT",
      pathname: "/repos/o/r/topics",
      body: { other: 1 },
    });
    expect(noNames).toEqual({
      status: 422,
      body: {
        message: 'Invalid request.\n\n"names" wasn\'t supplied.',
        documentation_url: "https://docs.github.com/t",
        status: "422",
      },
    });
    const noOwner = answerDocumented(table, {
      ...base,
      method: "GET",
      pathname: "/repos//r/branches",
    });
    expect(noOwner).toMatchObject({ status: 422, body: { message: /"owner" wasn't supplied/ } });
  });

  it("leaves an undocumented route unanswered", () => {
    expect(
      answerDocumented(table, { ...base, method: "GET", pathname: "/nothing" }),
    ).toBeUndefined();
  });
});
