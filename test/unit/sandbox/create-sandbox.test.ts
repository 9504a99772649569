import { afterEach, describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/core";
import jwt from "jsonwebtoken";
import { startSandbox, type Sandbox } from "../../../src/sandbox/create-sandbox.js";

let sandbox: Sandbox | undefined;
afterEach(async () => {
  await sandbox?.close();
  sandbox = undefined;
});

function appJwt(s: Sandbox): string {
  const now = Math.floor(Date.now() / 1000);
  return jwt.sign({ iat: now - 60, exp: now + 540, iss: s.appId }, s.privateKey, {
    algorithm: "RS256",
  });
}

describe("startSandbox", () => {
  it("serves a simulated GitHub on loopback that accepts the generated key, with one installation", async () => {
    sandbox = await startSandbox();
    expect(sandbox.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: appJwt(sandbox) });
    const { data } = await octokit.request("GET /app/installations");
    expect(data.map((installation) => installation.id)).toEqual([sandbox.installationId]);
    const token = await octokit.request("POST /app/installations/{id}/access_tokens", {
      id: sandbox.installationId,
    });
    const asInstallation = new Octokit({ baseUrl: sandbox.apiUrl, auth: token.data.token });
    const repo = await asInstallation.request("GET /repos/{owner}/{repo}", {
      owner: "Codertocat",
      repo: "Hello-World",
    });
    expect(repo.data.full_name).toBe(sandbox.repository);
  });

  it("refuses a JWT signed by another key, and makes a new key and secret each start", async () => {
    const first = await startSandbox();
    sandbox = await startSandbox();
    try {
      expect(first.webhookSecret).not.toBe(sandbox.webhookSecret);
      const octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: appJwt(first) });
      await expect(octokit.request("GET /app")).rejects.toMatchObject({ status: 401 });
    } finally {
      await first.close();
    }
  });

  it("reports what a delivery's calls changed, by their x-github-delivery header", async () => {
    sandbox = await startSandbox();
    const app = new Octokit({ baseUrl: sandbox.apiUrl, auth: appJwt(sandbox) });
    const { data } = await app.request("POST /app/installations/{id}/access_tokens", { id: 1 });
    const octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: data.token });
    await octokit.request("POST /repos/{owner}/{repo}/issues/{n}/comments", {
      owner: "Codertocat",
      repo: "Hello-World",
      n: 1,
      body: "Hi",
      headers: { "x-github-delivery": "abc" },
    });
    expect(sandbox.changesFor("abc")).toEqual([
      { kind: "comment", repository: "Codertocat/Hello-World", issue: 1, body: "Hi" },
    ]);
    expect(sandbox.changesFor("other")).toEqual([]);
  });

  it("answers documented routes over HTTP too: check runs kept, other routes their example, paginated lists absolute", async () => {
    sandbox = await startSandbox();
    const app = new Octokit({ baseUrl: sandbox.apiUrl, auth: appJwt(sandbox) });
    const { data } = await app.request("POST /app/installations/{id}/access_tokens", { id: 1 });
    const octokit = new Octokit({ baseUrl: sandbox.apiUrl, auth: data.token });
    const repo = { owner: "Codertocat", repo: "Hello-World" };
    const run = await octokit.request("POST /repos/{owner}/{repo}/check-runs", {
      ...repo,
      name: "lint",
      head_sha: "a".repeat(40),
    });
    expect(run.status).toBe(201);
    const branches = await octokit.request("GET /repos/{owner}/{repo}/branches", repo);
    expect(branches.data[0]?.commit.url.startsWith(`${sandbox.apiUrl}/repos/`)).toBe(true);
    await expect(octokit.request("GET /repos/{owner}/{repo}/nothing", repo)).rejects.toMatchObject({
      status: 404,
    });
    await octokit.request("POST /repos/{owner}/{repo}/labels", { ...repo, name: "a" });
    await octokit.request("POST /repos/{owner}/{repo}/labels", { ...repo, name: "b" });
    const page = await octokit.request("GET /repos/{owner}/{repo}/labels", {
      ...repo,
      per_page: 1,
    });
    expect(page.headers.link).toContain(`<${sandbox.apiUrl}/repos/Codertocat/Hello-World/labels?`);
  });
});
