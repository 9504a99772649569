import { beforeEach, describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { fakeTokenFormat } from "../../src/config/fake-token-format.js";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { otherRsaKeyPem, testKeys } from "../helpers/keys.js";
import { createManualClock, type ManualClock } from "../helpers/manual-clock.js";

const APP_ID = 4242;
const BASE = "https://api.github.com";
const NOW_S = Date.UTC(2026, 0, 1) / 1000;
const EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future";
const IAT_IN_PAST = "'Issued at' claim ('iat') must be an Integer representing a time in the past";
const EXP_INVALID =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires";

// HOOKWRIGHT_FAKE_TOKEN_FORMAT=stateless runs this whole file with the long tokens.
const TOKEN_SHAPE =
  fakeTokenFormat() === "stateless"
    ? /^ghs_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86,}$/
    : /^ghs_[A-Za-z0-9]{36}$/;

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
        id: 11,
        account: { login: "octo-org" },
        repositories: ["octo-org/hello", "octo-org/world"],
      },
      {
        id: 12,
        account: { login: "mona", type: "User" },
        repositories: ["mona/x"],
        suspended: true,
      },
    ],
  });
});

function appJwt(claims: Record<string, unknown> = {}, key = testKeys().privateKeyPem): string {
  const now = Math.floor(clock.now() / 1000);
  return jwt.sign({ iat: now - 60, exp: now + 540, iss: APP_ID, ...claims }, key, {
    algorithm: "RS256",
  });
}

async function api(method: string, path: string, authorization?: string, body?: unknown) {
  const headers: Record<string, string> = { accept: "application/vnd.github+json" };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fake.fetch(`${BASE}${path}`, {
    method,
    headers,
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

async function exchange(body?: unknown, installationId = 11): Promise<string> {
  const response = await api(
    "POST",
    `/app/installations/${installationId}/access_tokens`,
    `Bearer ${appJwt()}`,
    body,
  );
  expect(response.status).toBe(201);
  return response.body.token as string;
}

describe("app JWTs", () => {
  it("exchanges a valid JWT for a token that can comment on an issue", async () => {
    const created = await api("POST", "/app/installations/11/access_tokens", `Bearer ${appJwt()}`);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      token: expect.stringMatching(TOKEN_SHAPE),
      expires_at: "2026-01-01T01:00:00Z",
      permissions: { issues: "write", pull_requests: "write", contents: "read", metadata: "read" },
      repository_selection: "selected",
    });
    expect(created.headers.get("date")).toBe("Thu, 01 Jan 2026 00:00:00 GMT");
    expect(created.headers.get("content-type")).toBe("application/json; charset=utf-8");

    const token = created.body.token as string;
    const comment = await api("POST", "/repos/octo-org/hello/issues/5/comments", `token ${token}`, {
      body: "Thanks!",
    });
    expect(comment.status).toBe(201);
    expect(comment.body).toMatchObject({
      body: "Thanks!",
      user: { login: "hookwright-test[bot]", type: "Bot" },
      html_url: expect.stringMatching(
        /^https:\/\/github\.com\/octo-org\/hello\/issues\/5#issuecomment-\d+$/,
      ),
    });
    expect(fake.comments).toEqual([
      expect.objectContaining({
        repo: "octo-org/hello",
        issueNumber: 5,
        body: "Thanks!",
        installationId: 11,
      }),
    ]);
    expect(fake.issuedTokens).toEqual([
      expect.objectContaining({ token, installationId: 11, expiresAt: Date.UTC(2026, 0, 1, 1) }),
    ]);
    expect(fake.calls.map((call) => [call.method, call.path, call.status, call.auth])).toEqual([
      ["POST", "/app/installations/11/access_tokens", 201, { kind: "jwt" }],
      [
        "POST",
        "/repos/octo-org/hello/issues/5/comments",
        201,
        { kind: "token", installationId: 11, token },
      ],
    ]);
  });

  it.each([
    ["exp - iat over 600 s", { iat: NOW_S - 60, exp: NOW_S + 541 }, EXP_TOO_FAR],
    ["iat in the future", { iat: NOW_S + 1, exp: NOW_S + 500 }, IAT_IN_PAST],
    ["exp in the past", { iat: NOW_S - 700, exp: NOW_S - 100 }, EXP_INVALID],
    ["exp equal to now", { iat: NOW_S - 600, exp: NOW_S }, EXP_INVALID],
    ["a wrong iss", { iss: APP_ID + 1 }, "Integration not found"],
    ["no iss", { iss: undefined }, "Integration not found"],
  ])("rejects a JWT with %s", async (_name, claims, message) => {
    const response = await api("GET", "/app", `Bearer ${appJwt(claims)}`);
    expect(response.status).toBe(401);
    expect(response.body).toEqual({ message, documentation_url: "https://docs.github.com/rest" });
    expect(fake.calls[0]?.auth).toEqual({ kind: "invalid" });
  });

  it("accepts iss as a numeric string and exp - iat of exactly 600 s", async () => {
    const now = Math.floor(clock.now() / 1000);
    const response = await api(
      "GET",
      "/app",
      `Bearer ${appJwt({ iss: String(APP_ID), iat: now, exp: now + 600 })}`,
    );
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: APP_ID,
      slug: "hookwright-test",
      owner: { login: "hookwright" },
    });
  });

  it("checks times against the fake clock, not the system clock", async () => {
    const token = appJwt();
    clock.advance(541_000);
    expect((await api("GET", "/app", `Bearer ${token}`)).status).toBe(401);
  });

  it("rejects a JWT signed by another key, with another algorithm, or not a JWT", async () => {
    const otherKey = await api("GET", "/app", `Bearer ${appJwt({}, otherRsaKeyPem())}`);
    expect(otherKey.body.message).toBe("A JSON web token could not be decoded");
    const now = Math.floor(clock.now() / 1000);
    const hs256 = jwt.sign({ iat: now - 60, exp: now + 540, iss: APP_ID }, "secret");
    expect((await api("GET", "/app", `Bearer ${hs256}`)).body.message).toBe(
      "A JSON web token could not be decoded",
    );
    expect((await api("GET", "/app", "Bearer not.a.jwt")).status).toBe(401);
    expect(fake.calls.map((call) => call.status)).toEqual([401, 401, 401]);
  });

  it("refuses a token on a JWT route, a JWT on a token route, and no credentials", async () => {
    const token = await exchange();
    const tokenOnJwtRoute = await api("GET", "/app/installations", `token ${token}`);
    expect(tokenOnJwtRoute).toMatchObject({
      status: 401,
      body: { message: "A JSON web token could not be decoded" },
    });
    const jwtOnTokenRoute = await api("GET", "/installation/repositories", `Bearer ${appJwt()}`);
    expect(jwtOnTokenRoute).toMatchObject({ status: 401, body: { message: "Bad credentials" } });
    const anonymous = await api("GET", "/app");
    expect(anonymous).toMatchObject({ status: 401, body: { message: "Requires authentication" } });
    expect(fake.calls.at(-1)?.auth).toEqual({ kind: "none" });
  });
});

describe("installation tokens", () => {
  it("expire by the fake clock after tokenLifetimeS", async () => {
    const token = await exchange();
    clock.advance(3599_000);
    expect((await api("GET", "/installation/repositories", `token ${token}`)).status).toBe(200);
    clock.advance(1_000);
    const expired = await api("GET", "/installation/repositories", `Bearer ${token}`);
    expect(expired).toMatchObject({ status: 401, body: { message: "Bad credentials" } });
    expect(fake.calls.at(-1)?.auth).toEqual({ kind: "invalid", token, installationId: 11 });
  });

  it("honour a custom lifetime and expireAll", async () => {
    fake = createFakeGitHub({
      appId: APP_ID,
      publicKey: testKeys().publicKeyPem,
      clock,
      tokenLifetimeS: 60,
      installations: [{ id: 11, account: { login: "octo-org" }, repositories: ["octo-org/hello"] }],
    });
    const created = await api("POST", "/app/installations/11/access_tokens", `Bearer ${appJwt()}`);
    expect(created.body.expires_at).toBe("2026-01-01T00:01:00Z");
    const token = await exchange();
    fake.expireAll();
    expect((await api("GET", "/repos/octo-org/hello", `token ${token}`)).status).toBe(401);
  });

  it("stop working once revoked, by the fake or by DELETE /installation/token", async () => {
    const first = await exchange();
    fake.revoke(first);
    expect((await api("GET", "/repos/octo-org/hello", `token ${first}`)).status).toBe(401);
    const second = await exchange();
    expect((await api("DELETE", "/installation/token", `token ${second}`)).status).toBe(204);
    expect((await api("GET", "/repos/octo-org/hello", `token ${second}`)).status).toBe(401);
  });

  it("are unknown unless the fake issued them", async () => {
    const forged = await api("GET", "/repos/octo-org/hello", `token ghs_${"a".repeat(36)}`);
    expect(forged).toMatchObject({ status: 401, body: { message: "Bad credentials" } });
  });

  it("scoped to repositories cannot touch another repository", async () => {
    const created = await api("POST", "/app/installations/11/access_tokens", `Bearer ${appJwt()}`, {
      repositories: ["hello"],
    });
    expect(created.body).toMatchObject({
      repository_selection: "selected",
      repositories: [
        { id: fake.repositoryId("octo-org/hello"), name: "hello", full_name: "octo-org/hello" },
      ],
    });
    const token = created.body.token as string;
    expect(fake.issuedTokens[0]?.repositories).toEqual(["octo-org/hello"]);
    const allowed = await api("POST", "/repos/octo-org/hello/issues/1/comments", `token ${token}`, {
      body: "ok",
    });
    expect(allowed.status).toBe(201);
    const denied = await api("POST", "/repos/octo-org/world/issues/1/comments", `token ${token}`, {
      body: "no",
    });
    expect(denied).toMatchObject({
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    const outside = await api("GET", "/repos/someone/else", `token ${token}`);
    expect(outside.status).toBe(404);
    const listed = await api("GET", "/installation/repositories", `token ${token}`);
    expect(listed.body).toMatchObject({
      total_count: 1,
      repositories: [{ full_name: "octo-org/hello" }],
    });
  });

  it("scoped by repository_ids work the same way", async () => {
    const token = await exchange({ repository_ids: [fake.repositoryId("octo-org/world")] });
    expect((await api("GET", "/repos/octo-org/world", `token ${token}`)).status).toBe(200);
    expect((await api("GET", "/repos/octo-org/hello", `token ${token}`)).status).toBe(403);
  });

  it("scoped to fewer permissions cannot do more", async () => {
    const token = await exchange({ permissions: { issues: "read" } });
    expect(fake.issuedTokens[0]?.permissions).toEqual({ issues: "read" });
    const read = await api("GET", "/repos/octo-org/hello/issues/1/comments", `token ${token}`);
    expect(read.status).toBe(200);
    const write = await api("POST", "/repos/octo-org/hello/issues/1/comments", `token ${token}`, {
      body: "x",
    });
    expect(write).toMatchObject({
      status: 403,
      body: { message: "Resource not accessible by integration" },
    });
    expect(fake.comments).toEqual([]);
  });

  it.each([
    ["a repository outside the installation", { repositories: ["elsewhere"] }],
    ["an unknown repository id", { repository_ids: [1] }],
    ["a permission level beyond the installation's", { permissions: { contents: "write" } }],
    ["a permission the installation lacks", { permissions: { administration: "read" } }],
  ])("are refused with 422 for %s", async (_name, body) => {
    const response = await api(
      "POST",
      "/app/installations/11/access_tokens",
      `Bearer ${appJwt()}`,
      body,
    );
    expect(response.status).toBe(422);
    expect(fake.issuedTokens).toEqual([]);
  });

  it("are not issued for an unknown or suspended installation", async () => {
    const unknown = await api("POST", "/app/installations/99/access_tokens", `Bearer ${appJwt()}`);
    expect(unknown).toMatchObject({ status: 404, body: { message: "Not Found" } });
    const suspended = await api(
      "POST",
      "/app/installations/12/access_tokens",
      `Bearer ${appJwt()}`,
    );
    expect(suspended).toMatchObject({
      status: 403,
      body: { message: "This installation has been suspended" },
    });
  });

  it("stop working when their installation is suspended later", async () => {
    const token = await exchange();
    fake.addInstallation({
      id: 11,
      account: { login: "octo-org" },
      repositories: ["octo-org/hello"],
      suspended: true,
    });
    expect((await api("GET", "/repos/octo-org/hello", `token ${token}`)).status).toBe(403);
  });
});
