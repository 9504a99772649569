import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import jwt from "jsonwebtoken";
import { createAppJwt } from "../../../src/auth/create-app-jwt.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { createManualClock, type ManualClock } from "../../helpers/manual-clock.js";
import { testKeys } from "../../helpers/keys.js";

const START = Date.UTC(2026, 0, 1);

function setup(appId = "4242") {
  const clock = createManualClock(START);
  const appJwt = createAppJwt({
    appId,
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    clock,
  });
  return { clock, appJwt };
}

/** The claims of a JWT, checked against the public key (RS256 only) at the clock's time. */
function claims(token: string, clock: ManualClock): jwt.JwtPayload {
  const verified = jwt.verify(token, testKeys().publicKey, {
    algorithms: ["RS256"],
    clockTimestamp: Math.floor(clock.now() / 1000),
  });
  if (typeof verified === "string") throw new Error("expected an object payload");
  return verified;
}

describe("createAppJwt", () => {
  it("signs RS256 with iat 60 s back, a 600 s lifetime and the numeric app id as iss", () => {
    const { clock, appJwt } = setup();
    const token = appJwt.get();
    expect(jwt.decode(token, { complete: true })?.header.alg).toBe("RS256");
    const { iat, exp, iss } = claims(token, clock);
    expect(iat).toBe(START / 1000 - 60);
    expect(exp! - iat!).toBe(600);
    expect(iss).toBe(4242);
  });

  it("keeps a non-numeric app id (a client id) as a string iss", () => {
    const { clock, appJwt } = setup("Iv23liAbCdEf");
    expect(claims(appJwt.get(), clock).iss).toBe("Iv23liAbCdEf");
  });

  it("is accepted by the fake GitHub", async () => {
    const { clock, appJwt } = setup();
    const fake = createFakeGitHub({ appId: 4242, publicKey: testKeys().publicKey, clock });
    const response = await fake.fetch("https://api.github.test/app", {
      headers: { authorization: `Bearer ${appJwt.get()}` },
    });
    expect(response.status).toBe(200);
  });

  it("reuses the JWT while more than a minute of it remains, then signs a new one", () => {
    const { clock, appJwt } = setup();
    const first = appJwt.get();
    // exp is 540 s after now, so the JWT is good for reuse until 480 s from now.
    clock.advance(480_000 - 1);
    expect(appJwt.get()).toBe(first);
    clock.advance(1);
    const second = appJwt.get();
    expect(second).not.toBe(first);
    expect(claims(second, clock).iat).toBe(START / 1000 + 480 - 60);
  });

  it("re-dates the next JWT by GitHub's Date when it is 5 minutes ahead", () => {
    const { appJwt } = setup();
    const before = appJwt.get();
    const github = new Date(START + 300_000).toUTCString();
    expect(appJwt.observeServerDate(github)).toBe(true);
    expect(appJwt.serverNow()).toBe(START + 300_000);
    const after = appJwt.get();
    expect(after).not.toBe(before);
    expect(claims(after, createManualClock(START + 300_000)).iat).toBe(START / 1000 + 300 - 60);
    // The same skew seen again is already accounted for.
    expect(appJwt.observeServerDate(github)).toBe(false);
    expect(appJwt.get()).toBe(after);
  });

  it("re-dates the next JWT when GitHub's clock is behind ours", () => {
    const { appJwt } = setup();
    expect(appJwt.observeServerDate(new Date(START - 600_000).toUTCString())).toBe(true);
    const { iat, exp } = jwt.decode(appJwt.get(), { json: true })!;
    expect(iat).toBe(START / 1000 - 600 - 60);
    expect(exp).toBe(START / 1000 - 600 + 540);
  });

  it("reuses a re-dated JWT by the local clock, not GitHub's", () => {
    const { clock, appJwt } = setup();
    appJwt.observeServerDate(new Date(START + 300_000).toUTCString());
    const token = appJwt.get();
    clock.advance(480_000 - 1);
    expect(appJwt.get()).toBe(token);
    clock.advance(1);
    expect(appJwt.get()).not.toBe(token);
  });

  it("ignores a difference under 10 s", () => {
    const { appJwt } = setup();
    const token = appJwt.get();
    expect(appJwt.observeServerDate(new Date(START + 9_000).toUTCString())).toBe(false);
    expect(appJwt.observeServerDate(new Date(START - 9_000).toUTCString())).toBe(false);
    expect(appJwt.get()).toBe(token);
  });

  it.each([null, undefined, "", "not a date", "Thu, 99 Foo 2026 99:99:99 GMT"])(
    "ignores the Date header %p",
    (date) => {
      const { clock, appJwt } = setup();
      const token = appJwt.get();
      expect(appJwt.observeServerDate(date)).toBe(false);
      expect(appJwt.get()).toBe(token);
      expect(claims(token, clock).iat).toBe(START / 1000 - 60);
    },
  );

  it("reads a key given as a function on the first signature, not before", () => {
    let reads = 0;
    const appJwt = createAppJwt({
      appId: "1",
      privateKey: () => {
        reads += 1;
        return createPrivateKey(testKeys().privateKeyPem);
      },
      clock: createManualClock(START),
    });
    expect(reads).toBe(0);
    appJwt.get();
    appJwt.get();
    expect(reads).toBe(1);
  });
});
