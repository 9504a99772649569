import { createPrivateKey } from "node:crypto";
import { describe, expect, it } from "@jest/globals";
import { createAppAuth, type TokenObservation } from "../../../src/auth/create-app-auth.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { testKeys } from "../../helpers/keys.js";
import { rejectionOf } from "../../helpers/rejection.js";

function setup() {
  const clock = createManualClock();
  const fake = createFakeGitHub({
    appId: 4242,
    publicKey: testKeys().publicKey,
    clock,
    installations: [{ id: 1, account: { login: "octo" }, repositories: ["octo/hello"] }],
  });
  const seen: TokenObservation[] = [];
  const auth = createAppAuth({
    appId: "4242",
    privateKey: createPrivateKey(testKeys().privateKeyPem),
    apiUrl: "https://api.github.test",
    fetch: fake.fetch,
    clock,
    sleep: async () => {},
    observe: (observation) => seen.push(observation),
  });
  return { auth, seen, clock };
}

describe("createAppAuth's observation hook", () => {
  it("tells of a miss and its exchange, then hits while the token is fresh, then a miss again", async () => {
    const { auth, seen, clock } = setup();
    await auth.installationToken(1);
    await auth.installationToken(1);
    expect(seen).toEqual([
      { kind: "cache", installation: 1, hit: false },
      { kind: "exchange", installation: 1, outcome: "success" },
      { kind: "cache", installation: 1, hit: true },
    ]);
    seen.length = 0;
    clock.advance(56 * 60_000); // past expires_at − the 5-minute margin
    await auth.installationToken(1);
    expect(seen).toEqual([
      { kind: "cache", installation: 1, hit: false },
      { kind: "exchange", installation: 1, outcome: "success" },
    ]);
  });

  it("counts every caller sharing one exchange as a miss, and the exchange once", async () => {
    const { auth, seen } = setup();
    await Promise.all([1, 2, 3].map(() => auth.installationToken(1)));
    expect(seen.filter((each) => each.kind === "cache")).toEqual(
      Array(3).fill({ kind: "cache", installation: 1, hit: false }),
    );
    expect(seen.filter((each) => each.kind === "exchange")).toHaveLength(1);
  });

  it("tells of a failed exchange by its error code", async () => {
    const { auth, seen } = setup();
    const failure = await rejectionOf(auth.installationToken(99));
    expect(failure).toMatchObject({ code: "INSTALLATION_NOT_FOUND" });
    expect(seen).toEqual([
      { kind: "cache", installation: 99, hit: false },
      { kind: "exchange", installation: 99, outcome: "INSTALLATION_NOT_FOUND" },
    ]);
  });
});
