import { describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { createFakeGitHub, type TokenFormat } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { createManualClock } from "../../helpers/manual-clock.js";

const APP_ID = 4242;
const BASE = "https://api.github.com";
const CLASSIC = /^ghs_[A-Za-z0-9]{36}$/;
const STATELESS = /^ghs_[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

function setup(tokenFormat?: TokenFormat) {
  const clock = createManualClock();
  const fake = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock,
    ...(tokenFormat && { tokenFormat }),
    installations: [{ id: 11, account: { login: "octo-org" }, repositories: ["octo-org/hello"] }],
  });
  const now = Math.floor(clock.now() / 1000);
  const appJwt = jwt.sign(
    { iat: now - 60, exp: now + 540, iss: APP_ID },
    testKeys().privateKeyPem,
    {
      algorithm: "RS256",
    },
  );
  async function exchange(headers: Record<string, string> = {}): Promise<string> {
    const response = await fake.fetch(`${BASE}/app/installations/11/access_tokens`, {
      method: "POST",
      headers: { authorization: `Bearer ${appJwt}`, ...headers },
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { token: string }).token;
  }
  async function comment(token: string): Promise<number> {
    const response = await fake.fetch(`${BASE}/repos/octo-org/hello/issues/1/comments`, {
      method: "POST",
      headers: { authorization: `token ${token}` },
      body: JSON.stringify({ body: "hi" }),
    });
    return response.status;
  }
  return { fake, exchange, comment };
}

describe("installation token formats", () => {
  it("issues classic tokens when asked for classic", async () => {
    const { exchange } = setup("classic");
    expect(await exchange()).toMatch(CLASSIC);
  });

  it("issues GitHub's long stateless tokens, a JWT naming the installation after ghs_", async () => {
    const { exchange, fake } = setup("stateless");
    const token = await exchange();
    expect(token).toMatch(STATELESS);
    expect(token.length).toBeGreaterThanOrEqual(500);
    const claims = jwt.decode(token.slice("ghs_".length), { json: true });
    expect(claims).toMatchObject({
      sub: "installation:11",
      exp: fake.issuedTokens[0]!.expiresAt / 1000,
    });
  });

  it("accepts a stateless token as an installation token, not as a malformed app JWT", async () => {
    const { exchange, comment, fake } = setup("stateless");
    const token = await exchange();
    expect(await comment(token)).toBe(201);
    expect(fake.calls.at(-1)?.auth).toEqual({ kind: "token", installationId: 11, token });
  });

  it("refuses a revoked or expired stateless token, and one it never issued", async () => {
    const { exchange, comment, fake } = setup("stateless");
    const revoked = await exchange();
    fake.revoke(revoked);
    expect(await comment(revoked)).toBe(401);
    const expired = await exchange();
    fake.expireAll();
    expect(await comment(expired)).toBe(401);
    const forged = `${expired.slice(0, -8)}AAAAAAAA`;
    expect(await comment(forged)).toBe(401);
  });

  it.each<[TokenFormat, string, RegExp]>([
    ["classic", "true", STATELESS],
    ["stateless", "false", CLASSIC],
  ])("a %s fake follows X-GitHub-Stateless-S2S-Token: %s", async (tokenFormat, header, shape) => {
    const { exchange, comment } = setup(tokenFormat);
    const token = await exchange({ "X-GitHub-Stateless-S2S-Token": header });
    expect(token).toMatch(shape);
    expect(await comment(token)).toBe(201);
  });
});
