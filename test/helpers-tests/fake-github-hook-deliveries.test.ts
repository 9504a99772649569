import { beforeEach, describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import {
  createFakeGitHub,
  type FakeGitHub,
  type FakeHookDelivery,
} from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createManualClock, type ManualClock } from "../helpers/manual-clock.js";

const APP_ID = 7;
const BASE = "https://api.github.com";
const START = Date.UTC(2026, 5, 1, 12);

let clock: ManualClock;
let fake: FakeGitHub;

beforeEach(() => {
  clock = createManualClock(START);
  fake = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock,
    installations: [{ id: 1, account: { login: "octo-org" }, repositories: ["octo-org/hello"] }],
  });
});

function appJwt(): string {
  const now = Math.floor(clock.now() / 1000);
  return jwt.sign({ iat: now - 60, exp: now + 540, iss: APP_ID }, testKeys().privateKeyPem, {
    algorithm: "RS256",
  });
}

async function call(url: string, authorization?: string, init: RequestInit = {}) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (authorization !== undefined) headers.authorization = authorization;
  const response = await fake.fetch(url, { ...init, headers });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? JSON.parse(text) : undefined,
  };
}

/** An attempt `minutesAgo` minutes before START. */
function attempt(
  id: number,
  guid: string,
  minutesAgo: number,
  statusCode: number,
  extra: Partial<FakeHookDelivery> = {},
): FakeHookDelivery {
  return {
    id,
    guid,
    deliveredAt: new Date(START - minutesAgo * 60_000).toISOString(),
    statusCode,
    event: "issues",
    action: "opened",
    ...extra,
  };
}

const idsOf = (body: { id: number }[]) => body.map((item) => item.id);

describe("GET /app/hook/deliveries", () => {
  it("lists attempts newest first, however they were added, as GitHub renders them", async () => {
    fake.hookDeliveries.push(
      attempt(1, "a", 30, 500),
      attempt(3, "b", 10, 200, { event: "push", action: undefined, installationId: 1 }),
      attempt(2, "a", 20, 0),
    );
    const listed = await call(`${BASE}/app/hook/deliveries`, `Bearer ${appJwt()}`);
    expect(listed.status).toBe(200);
    expect(idsOf(listed.body)).toEqual([3, 2, 1]);
    expect(listed.body[0]).toEqual({
      id: 3,
      guid: "b",
      delivered_at: new Date(START - 10 * 60_000).toISOString(),
      redelivery: false,
      duration: expect.any(Number),
      status: "OK",
      status_code: 200,
      event: "push",
      action: null,
      installation_id: 1,
      repository_id: null,
    });
    expect(listed.body[1]).toMatchObject({
      guid: "a",
      status_code: 0,
      action: "opened",
      installation_id: null,
    });
    expect(listed.body[1].status).not.toBe("OK");
    expect(listed.body[2]).toMatchObject({
      status_code: 500,
      status: expect.stringMatching(/500/),
    });
  });

  it("orders attempts delivered at the same time by id, highest first", async () => {
    fake.hookDeliveries.push(attempt(4, "a", 5, 500), attempt(9, "b", 5, 500));
    const listed = await call(`${BASE}/app/hook/deliveries`, `Bearer ${appJwt()}`);
    expect(idsOf(listed.body)).toEqual([9, 4]);
  });

  it("paginates with Link headers: 30 per page by default, up to 100", async () => {
    for (let id = 1; id <= 130; id++)
      fake.hookDeliveries.push(attempt(id, `g${id}`, 200 - id, 200));
    const auth = `Bearer ${appJwt()}`;
    const first = await call(`${BASE}/app/hook/deliveries`, auth);
    expect(first.body).toHaveLength(30);
    expect(first.body[0].id).toBe(130);

    const page1 = await call(`${BASE}/app/hook/deliveries?per_page=100`, auth);
    expect(page1.body).toHaveLength(100);
    expect(page1.headers.get("link")).toBe(
      `<${BASE}/app/hook/deliveries?per_page=100&page=2>; rel="next", ` +
        `<${BASE}/app/hook/deliveries?per_page=100&page=2>; rel="last"`,
    );
    const page2 = await call(`${BASE}/app/hook/deliveries?per_page=100&page=2`, auth);
    expect(idsOf(page2.body)).toEqual(Array.from({ length: 30 }, (_, n) => 30 - n));
    expect(page2.headers.get("link")).not.toContain('rel="next"');
    expect(page2.headers.get("link")).toContain('rel="first"');
  });

  it("builds the Link header on the caller's base URL (GHES)", async () => {
    for (let id = 1; id <= 3; id++) fake.hookDeliveries.push(attempt(id, `g${id}`, 10 - id, 200));
    const base = "https://ghe.example/api/v3";
    const first = await call(`${base}/app/hook/deliveries?per_page=2`, `Bearer ${appJwt()}`);
    expect(idsOf(first.body)).toEqual([3, 2]);
    expect(first.headers.get("link")).toContain(
      `<${base}/app/hook/deliveries?per_page=2&page=2>; rel="next"`,
    );
  });

  it("answers an empty log with an empty list and no Link header", async () => {
    const listed = await call(`${BASE}/app/hook/deliveries`, `Bearer ${appJwt()}`);
    expect(listed).toMatchObject({ status: 200, body: [] });
    expect(listed.headers.get("link")).toBeNull();
  });

  it("takes the app's JWT only", async () => {
    fake.hookDeliveries.push(attempt(1, "a", 1, 500));
    const url = `${BASE}/app/hook/deliveries`;
    expect((await call(url)).status).toBe(401);
    const created = await call(`${BASE}/app/installations/1/access_tokens`, `Bearer ${appJwt()}`, {
      method: "POST",
    });
    const token = created.body.token as string;
    expect((await call(url, `token ${token}`)).status).toBe(401);
    expect((await call(url, "Bearer not.a.jwt")).status).toBe(401);
    expect(
      fake.callsTo("GET", url.replace(BASE, "")).map((recorded) => recorded.auth.kind),
    ).toEqual(["none", "token", "invalid"]);
  });
});

describe("POST /app/hook/deliveries/{id}/attempts", () => {
  it("records the request and adds an attempt answered 200, dated by the fake's clock", async () => {
    fake.hookDeliveries.push(
      attempt(4, "a", 30, 500, { event: "push", action: undefined, installationId: 1 }),
      attempt(9, "b", 20, 200),
    );
    clock.advance(5000);
    const asked = await call(`${BASE}/app/hook/deliveries/4/attempts`, `Bearer ${appJwt()}`, {
      method: "POST",
    });
    expect(asked.status).toBe(202);
    expect(fake.redeliveryRequests).toEqual([4]);
    expect(fake.hookDeliveries).toHaveLength(3);
    expect(fake.hookDeliveries[2]).toEqual({
      id: 10,
      guid: "a",
      deliveredAt: new Date(START + 5000).toISOString(),
      statusCode: 200,
      event: "push",
      action: undefined,
      installationId: 1,
      redelivery: true,
    });
    const listed = await call(`${BASE}/app/hook/deliveries`, `Bearer ${appJwt()}`);
    expect(listed.body[0]).toMatchObject({
      id: 10,
      guid: "a",
      redelivery: true,
      status: "OK",
      status_code: 200,
    });
  });

  it("records each request, in order, even for the same attempt", async () => {
    fake.hookDeliveries.push(attempt(1, "a", 30, 500), attempt(2, "b", 20, 502));
    const auth = `Bearer ${appJwt()}`;
    for (const id of [2, 1, 2]) {
      await call(`${BASE}/app/hook/deliveries/${id}/attempts`, auth, { method: "POST" });
    }
    expect(fake.redeliveryRequests).toEqual([2, 1, 2]);
    expect(fake.hookDeliveries.map((recorded) => recorded.id)).toEqual([1, 2, 3, 4, 5]);
  });

  it("answers 404 for an unknown attempt, recording nothing", async () => {
    fake.hookDeliveries.push(attempt(1, "a", 30, 500));
    const asked = await call(`${BASE}/app/hook/deliveries/99/attempts`, `Bearer ${appJwt()}`, {
      method: "POST",
    });
    expect(asked).toMatchObject({ status: 404, body: { message: "Not Found" } });
    expect(fake.redeliveryRequests).toEqual([]);
    expect(fake.hookDeliveries).toHaveLength(1);
  });

  it("takes the app's JWT only", async () => {
    fake.hookDeliveries.push(attempt(1, "a", 30, 500));
    const url = `${BASE}/app/hook/deliveries/1/attempts`;
    expect((await call(url, undefined, { method: "POST" })).status).toBe(401);
    expect((await call(url, "Bearer not.a.jwt", { method: "POST" })).status).toBe(401);
    expect(fake.redeliveryRequests).toEqual([]);
    expect(fake.hookDeliveries).toHaveLength(1);
  });
});
