import { mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { tokenCommand } from "../../../../src/cli/commands/token.js";
import { exitCodeFor } from "../../../../src/cli/exit-code.js";
import { createFakeGitHub } from "../../../helpers/fake-github/index.js";
import { testKeys } from "../../../helpers/keys.js";
import { createManualClock } from "../../../helpers/manual-clock.js";
import { rejectionOf } from "../../../helpers/rejection.js";
import { APP_ID, appEnv, captureIo } from "./capture-io.js";

function setup() {
  const clock = createManualClock();
  const github = createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock,
    installations: [
      { id: 12, account: { login: "mona", type: "User" }, repositories: ["mona/dotfiles"] },
    ],
  });
  const cache = mkdtempSync(join(tmpdir(), "hookwright-cache-"));
  return { github, clock, cache, deps: { fetch: github.fetch, clock } };
}

const accepted = async (github: ReturnType<typeof setup>["github"], token: string) =>
  (
    await github.fetch("https://api.github.test/installation/repositories", {
      headers: { authorization: `token ${token}` },
    })
  ).status;

describe("token --revoke", () => {
  it("revokes the token piped in, bare or as `token` printed it (DELETE /installation/token)", async () => {
    const { github, deps } = setup();
    const printed = captureIo(appEnv());
    await tokenCommand({}, printed, deps);
    const { token } = JSON.parse(printed.out()) as { token: string };
    expect(await accepted(github, token)).toBe(200);

    const io = captureIo(appEnv(), printed.out());
    await tokenCommand({ revoke: true }, io, deps);
    expect(io.err()).toBe("hookwright: token revoked\n");
    expect(io.out()).toBe("");
    expect(github.callsTo("DELETE", "/installation/token")).toHaveLength(1);
    expect(await accepted(github, token)).toBe(401);
  });

  it("revokes the last token printed when nothing is piped in; that file holds no token in clear", async () => {
    const { github, deps, cache } = setup();
    const env = appEnv(undefined, { XDG_CACHE_HOME: cache });
    const printed = captureIo(env);
    await tokenCommand({}, printed, deps);
    const { token } = JSON.parse(printed.out()) as { token: string };
    const dir = join(cache, "hookwright", "tokens");
    const files = readdirSync(dir);
    expect(files).toEqual(["last-token"]);
    expect(readFileSync(join(dir, "last-token"), "utf8")).not.toContain(token);
    expect(statSync(join(dir, "last-token")).mode & 0o777).toBe(0o600);

    const io = captureIo(env);
    await tokenCommand({ revoke: true }, io, deps);
    expect(io.err()).toBe("hookwright: token revoked\n");
    expect(await accepted(github, token)).toBe(401);
    // Forgotten once revoked: a second --revoke has nothing left to end.
    const again = await rejectionOf(tokenCommand({ revoke: true }, captureIo(env), deps));
    expect(exitCodeFor(again)).toBe(2);
    expect((again as Error).message).toMatch(/^no token to revoke/);
  });

  it("is not an error for a token that already expired: it says so and exits 0", async () => {
    const { github, deps, clock } = setup();
    const printed = captureIo(appEnv());
    await tokenCommand({}, printed, deps);
    clock.advance(2 * 60 * 60 * 1000);
    const io = captureIo(appEnv(), printed.out());
    await tokenCommand({ revoke: true }, io, deps);
    expect(io.err()).toBe("hookwright: the token had already expired or been revoked\n");
    expect(github.callsTo("DELETE", "/installation/token")).toHaveLength(1);
  });

  it("exits 2 on standard input that holds no token, without calling GitHub", async () => {
    const { github, deps } = setup();
    const error = await rejectionOf(
      tokenCommand({ revoke: true }, captureIo(appEnv(), "{ nope"), deps),
    );
    expect(exitCodeFor(error)).toBe(2);
    expect(github.calls).toHaveLength(0);
  });
});
