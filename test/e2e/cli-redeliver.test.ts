import { afterEach, describe, expect, it } from "@jest/globals";
import { createFakeGitHub, type FakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { APP_ID, appEnv, killChildren, runCli } from "./cli-helpers.js";

const minutesAgo = (minutes: number) => new Date(Date.now() - minutes * 60_000).toISOString();

describe("hookwright redeliver (built CLI)", () => {
  let github: FakeGitHub | undefined;
  afterEach(async () => {
    killChildren();
    await github?.close();
    github = undefined;
  });

  it("asks GitHub again for the deliveries that failed, as the app, and for nothing else", async () => {
    github = createFakeGitHub({ appId: APP_ID, publicKey: testKeys().publicKey });
    const apiUrl = await github.listen();
    github.hookDeliveries.push(
      {
        id: 1,
        guid: "g-failed",
        deliveredAt: minutesAgo(50),
        statusCode: 500,
        event: "issues",
        action: "opened",
      },
      { id: 2, guid: "g-ok", deliveredAt: minutesAgo(40), statusCode: 200, event: "push" },
      { id: 3, guid: "g-fixed", deliveredAt: minutesAgo(30), statusCode: 503, event: "issues" },
      { id: 4, guid: "g-fixed", deliveredAt: minutesAgo(20), statusCode: 200, event: "issues" },
      { id: 5, guid: "g-old", deliveredAt: minutesAgo(300), statusCode: 500, event: "issues" },
    );

    const dry = await runCli(["redeliver", "--since", "2h", "--dry-run"], appEnv(apiUrl));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toBe(
      "would redeliver g-failed issues.opened (answered 500, 1 failed attempt)\n",
    );
    expect(github.redeliveryRequests).toEqual([]);

    const real = await runCli(["redeliver", "--since", "2h"], appEnv(apiUrl));
    expect(real.code).toBe(0);
    expect(real.stdout).toBe(
      "redelivered g-failed issues.opened (answered 500, 1 failed attempt)\n",
    );
    expect(real.stderr).toBe("1 redelivered, 0 given up on, in the last 2h\n");
    expect(github.redeliveryRequests).toEqual([1]);
    const [request] = github.callsTo("POST", "/app/hook/deliveries/1/attempts");
    expect(request?.auth.kind).toBe("jwt");
  });

  it("exits 2 with one line for a --since that is not a duration", async () => {
    const result = await runCli(
      ["redeliver", "--since", "yesterday"],
      appEnv("http://127.0.0.1:1"),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^hookwright: --since takes a duration .*"yesterday"\n$/);
  });
});
