import { describe, expect, it } from "@jest/globals";
import { createFakeGitHub } from "hookwright/testing";
import { createPrivateKey } from "node:crypto";
import { createAppAuth } from "../../../src/auth/create-app-auth.js";
import { createClientFactory } from "../../../src/github/create-client-factory.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { testKeys } from "../../helpers/keys.js";

function setup() {
  const github = createFakeGitHub({
    appId: 3,
    publicKey: testKeys().publicKey,
    installations: [{ id: 1, account: { login: "octo" }, repositories: ["octo/hello"] }],
  });
  const appAuth = createAppAuth({
    appId: "3",
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl: "https://api.github.test",
    fetch: github.fetch,
  });
  const clients = createClientFactory({
    appAuth,
    logger: captureLogs().logger,
    fetch: github.fetch,
  });
  return { github, octokit: clients.forInstallation(1) };
}

describe("fake GitHub: labels, pull request files, default branches", () => {
  it("adds and removes labels, and 404s removing one that is not there", async () => {
    const { github, octokit } = setup();
    const issue = { owner: "octo", repo: "hello", issue_number: 4 };
    await octokit.rest.issues.addLabels({ ...issue, labels: ["bug", "needs info"] });
    const { data } = await octokit.rest.issues.removeLabel({ ...issue, name: "needs info" });
    expect(data.map((label) => label.name)).toEqual(["bug"]);
    expect(github.issueLabels("octo/hello", 4)).toEqual(["bug"]);
    await expect(octokit.rest.issues.removeLabel({ ...issue, name: "gone" })).rejects.toMatchObject(
      {
        status: 404,
      },
    );
  });

  it("lists a pull request's files, paginated", async () => {
    const { github, octokit } = setup();
    const paths = Array.from({ length: 130 }, (_, i) => `src/file-${i}.ts`);
    github.setPullRequestFiles("octo/hello", 9, paths);
    const files = await octokit.paginate(octokit.rest.pulls.listFiles, {
      owner: "octo",
      repo: "hello",
      pull_number: 9,
      per_page: 100,
    });
    expect(files.map((file) => file.filename)).toEqual(paths);
  });

  it("reads contents from the repository's default branch unless a ref is given", async () => {
    const { github, octokit } = setup();
    github.setDefaultBranch("octo/hello", "trunk");
    github.setFile("octo/hello", "a.txt", "on trunk");
    github.setFile("octo/hello", "a.txt", "on main", "main");
    const read = async (ref?: string) => {
      const { data } = await octokit.rest.repos.getContent({
        owner: "octo",
        repo: "hello",
        path: "a.txt",
        ref,
      });
      return Buffer.from((data as { content: string }).content, "base64").toString();
    };
    expect(await read()).toBe("on trunk");
    expect(await read("main")).toBe("on main");
    const { data: repo } = await octokit.rest.repos.get({ owner: "octo", repo: "hello" });
    expect(repo.default_branch).toBe("trunk");
  });
});
