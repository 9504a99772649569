import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { exitCodeFor } from "../../../../src/cli/exit-code.js";
import {
  gitCredentialCommand,
  isForGitHub,
  parseCredentialRequest,
  repoFromPath,
  tokenCacheDir,
} from "../../../../src/cli/commands/git-credential.js";
import type { HookwrightError } from "../../../../src/errors.js";
import {
  createFakeGitHub,
  type FakeGitHub,
  type TokenFormat,
} from "../../../helpers/fake-github/index.js";
import { testKeys } from "../../../helpers/keys.js";
import { createManualClock } from "../../../helpers/manual-clock.js";
import { APP_ID, appEnv, captureIo } from "./capture-io.js";

const WEB_URL = "https://github.example";

let home: string;
let github: FakeGitHub;
const clock = createManualClock();
function fakeGitHub(tokenFormat?: TokenFormat): FakeGitHub {
  return createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    clock,
    ...(tokenFormat && { tokenFormat }),
    installations: [
      { id: 31, account: { login: "octo" }, repositories: ["octo/hello", "octo/world"] },
    ],
  });
}
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), "hookwright-home-"));
  github = fakeGitHub();
});
afterEach(() => {
  rmSync(home, { recursive: true, force: true });
});

function request(fields: Record<string, string>): string {
  return `${Object.entries(fields)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")}\n\n`;
}

async function helper(
  operation: string,
  fields: Record<string, string>,
  options: { cache?: boolean } = {},
) {
  const io = captureIo(appEnv(undefined, { GITHUB_URL: WEB_URL, HOME: home }), request(fields));
  const outcome = await gitCredentialCommand(operation, options, io, {
    fetch: github.fetch,
    clock,
  }).then(
    () => undefined,
    (error: unknown) => error as HookwrightError,
  );
  const answer = parseCredentialRequest(io.out());
  return { io, outcome, answer };
}

const HELLO = { protocol: "https", host: "github.example", path: "octo/hello.git" };

describe("git credential protocol pieces", () => {
  it("reads key=value lines up to the blank line, values keeping their own '='", () => {
    const fields = parseCredentialRequest(
      "protocol=https\r\nhost=h\npassword=a=b\n\nafter=ignored\n",
    );
    expect(Object.fromEntries(fields)).toEqual({ protocol: "https", host: "h", password: "a=b" });
  });

  it("answers only for GITHUB_URL's protocol and host (with its port)", () => {
    const fields = (protocol: string, host: string) => new Map(Object.entries({ protocol, host }));
    expect(isForGitHub("https://github.com", fields("https", "GitHub.com"))).toBe(true);
    expect(isForGitHub("https://github.com", fields("http", "github.com"))).toBe(false);
    expect(isForGitHub("https://github.com", fields("https", "gitlab.com"))).toBe(false);
    expect(isForGitHub("https://ghe.test:8443", fields("https", "ghe.test:8443"))).toBe(true);
    expect(isForGitHub("https://ghe.test:8443", fields("https", "ghe.test"))).toBe(false);
  });

  it.each([
    ["octo/hello.git", { owner: "octo", name: "hello" }],
    ["octo/hello", { owner: "octo", name: "hello" }],
    ["/octo/hello/", { owner: "octo", name: "hello" }],
    ["octo/hello/info/refs", undefined],
    ["octo", undefined],
    ["octo/../x", undefined],
    ["../hello", undefined],
  ])("finds the repository in path %s", (path, repo) => {
    expect(repoFromPath("https://github.com", path)).toEqual(repo);
  });

  it("strips GITHUB_URL's own path before reading owner/name", () => {
    expect(repoFromPath("https://git.corp/github", "github/octo/hello.git")).toEqual({
      owner: "octo",
      name: "hello",
    });
    expect(repoFromPath("https://git.corp/github", "octo/hello.git")).toBeUndefined();
  });

  it("keeps tokens in XDG_CACHE_HOME, else ~/.cache, else LOCALAPPDATA, else nowhere", () => {
    expect(tokenCacheDir({ XDG_CACHE_HOME: "/x", HOME: "/h" })).toBe("/x/hookwright/tokens");
    expect(tokenCacheDir({ XDG_CACHE_HOME: " ", HOME: "/h" })).toBe("/h/.cache/hookwright/tokens");
    expect(tokenCacheDir({ LOCALAPPDATA: "/l" })).toBe("/l/hookwright/tokens");
    expect(tokenCacheDir({})).toBeUndefined();
  });
});

describe.each<TokenFormat>(["classic", "stateless"])(
  "gitCredentialCommand, %s tokens",
  (format) => {
    beforeEach(() => {
      github = fakeGitHub(format);
    });

    it("answers get with x-access-token and a token narrowed to the repository in path", async () => {
      const { answer, io, outcome } = await helper("get", HELLO);
      expect(outcome).toBeUndefined();
      expect(answer.get("username")).toBe("x-access-token");
      const record = github.issuedTokens.find((token) => token.token === answer.get("password"));
      expect(record).toMatchObject({ installationId: 31, repositories: ["octo/hello"] });
      expect(io.out()).toContain(`\npassword=${record!.token}\n`);
      expect(record!.token.length).toBe(format === "stateless" ? 520 + 4 : 40);
      expect(Number(answer.get("password_expiry_utc")) * 1000).toBe(record?.expiresAt);
      expect(github.callsTo("GET", "/repos/octo/hello/installation")).toHaveLength(1);
      expect(io.err()).toBe("");
    });

    it("says nothing about another host, and never asks GitHub", async () => {
      const { io, outcome } = await helper("get", { ...HELLO, host: "gitlab.example" });
      expect(outcome).toBeUndefined();
      expect(io.out()).toBe("");
      expect(io.err()).toBe("");
      expect(github.calls).toHaveLength(0);
    });

    it("without a path (useHttpPath off) answers nothing and says how to turn it on", async () => {
      const { io } = await helper("get", { protocol: "https", host: "github.example" });
      expect(io.out()).toBe("");
      expect(io.err()).toMatch(/credential\.useHttpPath true/);
      expect(github.calls).toHaveLength(0);
    });

    it("serves the cached token on the next call, from a mode-600 file that does not name it", async () => {
      const first = await helper("get", HELLO);
      const second = await helper("get", HELLO);
      expect(second.answer.get("password")).toBe(first.answer.get("password"));
      expect(github.issuedTokens).toHaveLength(1);

      const dir = join(home, ".cache", "hookwright", "tokens");
      const [file] = readdirSync(dir);
      expect(file).not.toContain(first.answer.get("password"));
      expect(readFileSync(join(dir, file!), "utf8")).toContain(first.answer.get("password"));
      expect(statSync(join(dir, file!)).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
    });

    it("mints a new token once the cached one is inside its refresh margin", async () => {
      const first = await helper("get", HELLO);
      clock.advance(56 * 60_000);
      const later = await helper("get", HELLO);
      expect(later.answer.get("password")).not.toBe(first.answer.get("password"));
      expect(github.issuedTokens).toHaveLength(2);
    });

    it("mints on every call with --no-cache, writing nothing to disk", async () => {
      await helper("get", HELLO, { cache: false });
      await helper("get", HELLO, { cache: false });
      expect(github.issuedTokens).toHaveLength(2);
      expect(() => readdirSync(join(home, ".cache"))).toThrow();
    });

    it("drops the cached token on erase, so the next get mints another", async () => {
      const first = await helper("get", HELLO);
      const erased = await helper("erase", {
        ...HELLO,
        username: "x-access-token",
        password: first.answer.get("password")!,
      });
      expect(erased.io.out()).toBe("");
      const next = await helper("get", HELLO);
      expect(next.answer.get("password")).not.toBe(first.answer.get("password"));
    });

    it.each(["store", "something-new"])("accepts %s silently", async (operation) => {
      const { io, outcome } = await helper(operation, { ...HELLO, password: "x" });
      expect(outcome).toBeUndefined();
      expect(io.out()).toBe("");
      expect(github.calls).toHaveLength(0);
    });

    it("exits 2 saying the app is not installed on a repository it cannot see", async () => {
      const { io, outcome } = await helper("get", { ...HELLO, path: "octo/private.git" });
      expect(outcome?.message).toBe("the app is not installed on octo/private");
      expect(exitCodeFor(outcome)).toBe(2);
      expect(io.out()).toBe("");
    });
  },
);
