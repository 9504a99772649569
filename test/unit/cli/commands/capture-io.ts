import { afterAll } from "@jest/globals";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CliIo } from "../../../../src/cli/io.js";
import type { Env } from "../../../../src/config/read-config.js";
import { testKeys } from "../../../helpers/keys.js";

export interface CapturedIo extends CliIo {
  out(): string;
  err(): string;
}

// Each captured command gets its own fresh directory, all under one parent that this test file
// removes when it is done (the directories were left in the system's temporary folder).
let parent: string | undefined;
function freshDirectory(): string {
  if (parent === undefined) {
    parent = mkdtempSync(join(tmpdir(), "hookwright-cmd-"));
  }
  return mkdtempSync(join(parent, "cwd-"));
}
afterAll(() => {
  if (parent !== undefined) rmSync(parent, { recursive: true, force: true });
});

/** A CliIo over memory: env as given (no developer .env: cwd is a fresh directory). */
export function captureIo(env: Env, stdin = ""): CapturedIo {
  let stdout = "";
  let stderr = "";
  return {
    env,
    cwd: freshDirectory(),
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTty: false,
    onShutdown: () => {
      throw new Error("commands other than run never wait for a signal");
    },
    readStdin: async () => stdin,
    out: () => stdout,
    err: () => stderr,
  };
}

export const APP_ID = 4242;

/** The app's credentials as the CLI reads them; no WEBHOOK_SECRET, which these commands do not need. */
export function appEnv(apiUrl = "https://api.github.test", extra: Env = {}): Env {
  return {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: testKeys().privateKeyPem,
    GITHUB_API_URL: apiUrl,
    LOG_LEVEL: "warn",
    ...extra,
  };
}
