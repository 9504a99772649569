import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Octokit } from "@octokit/core";
import { paginateRest } from "@octokit/plugin-paginate-rest";
import jwt from "jsonwebtoken";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createManualClock, type ManualClock } from "../helpers/manual-clock.js";

const APP_ID = 7;

let clock: ManualClock;
let fake: FakeGitHub;

beforeEach(() => {
  clock = createManualClock();
  fake = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock,
    installations: [
      {
        id: 1,
        account: { login: "octo-org" },
        repositories: ["octo-org/hello", "octo-org/.github"],
      },
      { id: 2, account: { login: "mona", type: "User" }, repositories: ["mona/dotfiles"] },
    ],
  });
});

afterEach(async () => {
  await fake.close();
});

function appJwt(): string {
  const now = Math.floor(clock.now() / 1000);
  return jwt.sign({ iat: now - 60, exp: now + 540, iss: APP_ID }, testKeys().privateKeyPem, {
    algorithm: "RS256",
  });
}

async function call(url: string, authorization: string, init: RequestInit = {}) {
  const response = await fake.fetch(url, {
    ...init,
    headers: { authorization, "content-type": "application/json" },
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

async function installationToken(base = "https://api.github.com"): Promise<string> {
  const created = await call(`${base}/app/installations/1/access_tokens`, `Bearer ${appJwt()}`, {
    method: "POST",
  });
  return created.body.token as string;
}

describe("app routes", () => {
  it("paginates installations with a Link header on the caller's origin", async () => {
    for (let id = 3; id <= 5; id++) {
      fake.addInstallation({ id, account: { login: `org-${id}` }, repositories: [] });
    }
    const base = "https://ghe.example/api/v3";
    const first = await call(`${base}/app/installations?per_page=2`, `Bearer ${appJwt()}`);
    expect(first.body.map((installation: { id: number }) => installation.id)).toEqual([1, 2]);
    expect(first.body[1]).toMatchObject({
      account: { login: "mona", type: "User", id: expect.any(Number) },
      repository_selection: "selected",
      target_type: "User",
      suspended_at: null,
      permissions: { issues: "write" },
      events: [],
    });
    expect(first.headers.get("link")).toBe(
      `<${base}/app/installations?per_page=2&page=2>; rel="next", ` +
        `<${base}/app/installations?per_page=2&page=3>; rel="last"`,
    );
    const last = await call(`${base}/app/installations?per_page=2&page=3`, `Bearer ${appJwt()}`);
    expect(last.body.map((installation: { id: number }) => installation.id)).toEqual([5]);
    expect(last.headers.get("link")).not.toContain('rel="next"');
    expect(last.headers.get("link")).toContain('rel="first"');
    expect(fake.calls.map((recorded) => recorded.path)).toEqual([
      "/app/installations?per_page=2",
      "/app/installations?per_page=2&page=3",
    ]);
  });

  it("caps per_page at 100 and defaults to 30", async () => {
    for (let id = 3; id <= 40; id++) {
      fake.addInstallation({ id, account: { login: `org-${id}` }, repositories: [] });
    }
    const base = "https://api.github.com";
    expect((await call(`${base}/app/installations`, `Bearer ${appJwt()}`)).body).toHaveLength(30);
    const all = await call(`${base}/app/installations?per_page=500`, `Bearer ${appJwt()}`);
    expect(all.body).toHaveLength(40);
    expect(all.headers.get("link")).toBeNull();
  });

  it("finds installations by id, repository, organization and user", async () => {
    const base = "http://localhost";
    const auth = `Bearer ${appJwt()}`;
    expect((await call(`${base}/app/installations/2`, auth)).body.id).toBe(2);
    expect((await call(`${base}/repos/Octo-Org/Hello/installation`, auth)).body.id).toBe(1);
    expect((await call(`${base}/orgs/octo-org/installation`, auth)).body.id).toBe(1);
    expect((await call(`${base}/users/mona/installation`, auth)).body.id).toBe(2);
    expect((await call(`${base}/app/installations/3`, auth)).status).toBe(404);
    expect((await call(`${base}/repos/octo-org/nope/installation`, auth)).status).toBe(404);
    expect((await call(`${base}/users/nobody/installation`, auth)).status).toBe(404);
  });

  it("answers unknown routes with 404 Not Found", async () => {
    const response = await call("http://x/nothing/here", `Bearer ${appJwt()}`);
    expect(response).toMatchObject({ status: 404, body: { message: "Not Found" } });
  });
});

describe("installation routes", () => {
  it("adds labels and records them", async () => {
    const token = await installationToken();
    const url = "http://x/repos/octo-org/hello/issues/3/labels";
    await call(url, `token ${token}`, {
      method: "POST",
      body: JSON.stringify({ labels: ["bug"] }),
    });
    const second = await call(url, `token ${token}`, {
      method: "POST",
      body: JSON.stringify({ labels: ["bug", "triage"] }),
    });
    expect(second.status).toBe(200);
    expect(second.body.map((label: { name: string }) => label.name)).toEqual(["bug", "triage"]);
    expect(fake.labels).toEqual([
      { repo: "octo-org/hello", issueNumber: 3, labels: ["bug"], installationId: 1 },
      { repo: "octo-org/hello", issueNumber: 3, labels: ["bug", "triage"], installationId: 1 },
    ]);
  });

  it("lists an issue's comments and rejects a comment without a body", async () => {
    const token = await installationToken();
    const url = "http://x/repos/octo-org/hello/issues/9/comments";
    const missing = await call(url, `token ${token}`, { method: "POST", body: "{}" });
    expect(missing.status).toBe(422);
    const broken = await call(url, `token ${token}`, { method: "POST", body: "{not json" });
    expect(broken).toMatchObject({ status: 400, body: { message: "Problems parsing JSON" } });
    await call(url, `token ${token}`, { method: "POST", body: JSON.stringify({ body: "one" }) });
    const listed = await call(url, `token ${token}`);
    expect(listed.body).toEqual([
      expect.objectContaining({ body: "one", created_at: "2026-01-01T00:00:00Z" }),
    ]);
  });

  it("serves files from the contents API, by ref, base64-encoded", async () => {
    fake.setFile("octo-org/.github", ".github/hookwright.yml", "greeting: hi\n");
    fake.setFile("octo-org/.github", ".github/hookwright.yml", "greeting: dev\n", "dev");
    const token = await installationToken();
    const base = "http://x/repos/octo-org/.github/contents";
    const file = await call(`${base}/.github/hookwright.yml`, `token ${token}`);
    expect(file.body).toMatchObject({
      type: "file",
      encoding: "base64",
      path: ".github/hookwright.yml",
      name: "hookwright.yml",
      sha: expect.stringMatching(/^[0-9a-f]{40}$/),
    });
    expect(Buffer.from(file.body.content, "base64").toString()).toBe("greeting: hi\n");
    const dev = await call(`${base}/.github/hookwright.yml?ref=dev`, `token ${token}`);
    expect(Buffer.from(dev.body.content, "base64").toString()).toBe("greeting: dev\n");
    const listing = await call(`${base}/.github`, `token ${token}`);
    expect(listing.body).toEqual([
      expect.objectContaining({ type: "file", name: "hookwright.yml" }),
    ]);
    expect((await call(`${base}/missing.yml`, `token ${token}`)).status).toBe(404);
  });

  it("gives a file the blob sha git would", async () => {
    fake.setFile("octo-org/hello", "README.md", "hello\n");
    const token = await installationToken();
    const file = await call("http://x/repos/octo-org/hello/contents/README.md", `token ${token}`);
    // `printf 'hello\n' | git hash-object --stdin`
    expect(file.body.sha).toBe("ce013625030ba8dba906f756967f9e9ca394464a");
  });
});

describe("failure injection", () => {
  it("answers the next matching request with the injected response, before auth", async () => {
    fake.failNext({ method: "GET", path: "/app" }, { status: 502 });
    const failed = await call("http://x/app", "Bearer nonsense");
    expect(failed).toMatchObject({ status: 502, body: { message: "Server Error" } });
    expect(failed.headers.get("date")).toBe("Thu, 01 Jan 2026 00:00:00 GMT");
    expect((await call("http://x/app", `Bearer ${appJwt()}`)).status).toBe(200);
    expect(fake.callsTo("GET", "/app").map((recorded) => recorded.status)).toEqual([502, 200]);
  });

  it("matches by RegExp, repeats `times`, and sends the given headers and body", async () => {
    const token = await installationToken();
    const limited = { message: "You have exceeded a secondary rate limit." };
    fake.failNext(
      { path: /\/issues\/\d+\/comments$/ },
      { status: 403, body: limited, headers: { "retry-after": "3" } },
      2,
    );
    const url = "http://x/repos/octo-org/hello/issues/1/comments";
    const post = { method: "POST", body: JSON.stringify({ body: "hi" }) };
    const first = await call(url, `token ${token}`, post);
    expect(first).toMatchObject({ status: 403, body: limited });
    expect(first.headers.get("retry-after")).toBe("3");
    expect((await call(url, `token ${token}`, post)).status).toBe(403);
    expect((await call(url, `token ${token}`, post)).status).toBe(201);
    expect(fake.comments).toHaveLength(1);
  });

  it("leaves other requests alone and reset clears the record only", async () => {
    fake.failNext({ method: "POST", path: "/app/installations/1/access_tokens" }, { status: 500 });
    expect((await call("http://x/app", `Bearer ${appJwt()}`)).status).toBe(200);
    fake.reset();
    expect(fake.calls).toEqual([]);
    const failed = await call("http://x/app/installations/1/access_tokens", `Bearer ${appJwt()}`, {
      method: "POST",
    });
    expect(failed.status).toBe(500);
  });
});

describe("on a real loopback port", () => {
  it("serves the same API over HTTP", async () => {
    const base = await fake.listen();
    expect(base).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const jwtHeaders = { authorization: `Bearer ${appJwt()}` };
    const created = await fetch(`${base}/app/installations/1/access_tokens`, {
      method: "POST",
      headers: jwtHeaders,
      body: JSON.stringify({ repositories: ["hello"] }),
    });
    expect(created.status).toBe(201);
    const { token } = (await created.json()) as { token: string };
    const comment = await fetch(`${base}/api/v3/repos/octo-org/hello/issues/2/comments`, {
      method: "POST",
      headers: { authorization: `token ${token}`, "x-github-delivery": "d-42" },
      body: JSON.stringify({ body: "over the wire" }),
    });
    expect(comment.status).toBe(201);
    expect(comment.headers.get("date")).toBe("Thu, 01 Jan 2026 00:00:00 GMT");
    const other = await fetch(`${base}/repos/octo-org/.github`, {
      headers: { authorization: `token ${token}` },
    });
    expect(other.status).toBe(403);
    const recorded = fake.callsTo("POST", /comments$/)[0];
    expect(recorded).toMatchObject({
      path: "/repos/octo-org/hello/issues/2/comments",
      headers: { "x-github-delivery": "d-42" },
      body: { body: "over the wire" },
      auth: { kind: "token", installationId: 1, token },
    });
    fake.addInstallation({ id: 3, account: { login: "third" }, repositories: [] });
    const page = await fetch(`${base}/app/installations?per_page=1`, { headers: jwtHeaders });
    expect(page.headers.get("link")).toContain(
      `<${base}/app/installations?per_page=1&page=2>; rel="next"`,
    );
  });
});

describe("with Octokit", () => {
  it("works as an injected fetch, including pagination", async () => {
    for (let id = 3; id <= 5; id++) {
      fake.addInstallation({ id, account: { login: `org-${id}` }, repositories: [] });
    }
    const PaginatingOctokit = Octokit.plugin(paginateRest);
    const app = new PaginatingOctokit({
      auth: appJwt(),
      baseUrl: "https://ghe.example/api/v3",
      request: { fetch: fake.fetch },
    });
    const installations = await app.paginate("GET /app/installations", { per_page: 2 });
    expect(installations.map((installation) => installation.id)).toEqual([1, 2, 3, 4, 5]);
    const { data } = await app.request("POST /app/installations/{installation_id}/access_tokens", {
      installation_id: 1,
    });
    const installation = new Octokit({ auth: data.token, request: { fetch: fake.fetch } });
    await installation.request("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", {
      owner: "octo-org",
      repo: "hello",
      issue_number: 1,
      body: "from octokit",
    });
    expect(fake.comments.map((comment) => comment.body)).toEqual(["from octokit"]);
    await expect(
      installation.request("GET /repos/{owner}/{repo}", { owner: "mona", repo: "dotfiles" }),
    ).rejects.toMatchObject({ status: 404 });
  });
});

describe("latency", () => {
  it("delays responses by the configured real time", async () => {
    fake.setLatency(30);
    const started = performance.now();
    await call("http://x/app", `Bearer ${appJwt()}`);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
  });
});
