import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { createServer } from "node:net";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import type { CliIo } from "../../../src/cli/io.js";
import { main } from "../../../src/cli/main.js";
import type { Env } from "../../../src/config/read-config.js";
import { OPENSSH_PRIVATE_KEY, testKeys } from "../../helpers/keys.js";

interface Run {
  code: number;
  stdout: string;
  stderr: string;
  /** stderr split into lines, without the trailing empty one. */
  errLines: string[];
}

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), "hookwright-cli-"));
});
afterEach(() => {
  rmSync(cwd, { recursive: true, force: true });
});

async function run(argv: string[], env: Env = {}): Promise<Run> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    env,
    cwd,
    stdout: (text) => void (stdout += text),
    stderr: (text) => void (stderr += text),
    isTty: false,
    onShutdown: () => {
      throw new Error("the command should have failed before serving");
    },
  };
  const code = await main(argv, io);
  return { code, stdout, stderr, errLines: stderr.split("\n").filter(Boolean) };
}

const APP: Env = {
  APP_ID: "4242",
  PRIVATE_KEY: testKeys().privateKeyPem,
  WEBHOOK_SECRET: "cli-secret",
};

describe("main", () => {
  it("exits 2 on an unknown command, saying so on stderr", async () => {
    const result = await run(["bogus"]);
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([
      'hookwright: unknown command "bogus" (see hookwright --help)',
    ]);
  });

  it("exits 2 on an unknown option, in one line pointing at the command's help", async () => {
    const result = await run(["receive", "--bogus"]);
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([
      'hookwright: unknown option "--bogus" (see hookwright receive --help)',
    ]);
  });

  it("exits 2 on a missing option argument, in the same form", async () => {
    const result = await run(["receive", "-e"]);
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([
      expect.stringMatching(
        /^hookwright: option .*argument missing \(see hookwright receive --help\)$/,
      ),
    ]);
  });

  it("prints package.json's version with --version", async () => {
    const { version } = JSON.parse(
      readFileSync(new URL("../../../package.json", import.meta.url), "utf8"),
    ) as { version: string };
    const result = await run(["--version"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${version}\n`);
  });

  it("exits 2 without a command, showing the usage on stderr", async () => {
    const result = await run([]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^Usage: hookwright/);
    expect(result.stdout).toBe("");
  });

  it("exits 0 with --help, listing the run command on stdout", async () => {
    const result = await run(["--help"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/\brun\b/);
  });

  it("starts the sandbox on `run` without configuration instead of exiting 2", async () => {
    let stdout = "";
    let stderr = "";
    let served = false;
    const io: CliIo = {
      env: { PORT: "0", LOG_LEVEL: "silent" },
      cwd,
      stdout: (text) => void (stdout += text),
      stderr: (text) => void (stderr += text),
      isTty: false,
      // Asked for once the server is up: stop it at once.
      onShutdown: (stop) => {
        served = true;
        stop();
      },
    };
    expect(await main(["run"], io)).toBe(0);
    expect(served).toBe(true);
    expect(stderr).toBe("");
    expect(stdout).toBe("");
  });

  it("exits 2 on a CONSOLE_TOKEN too short to protect the console, naming it and not echoing it", async () => {
    const result = await run(["run"], { ...APP, CONSOLE_TOKEN: "short-token" });
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([expect.stringMatching(/^hookwright: CONSOLE_TOKEN /)]);
    expect(result.stderr).not.toContain("short-token");
  });

  it("exits 2 on a bad PRIVATE_KEY, with one line naming it and no stack or key text", async () => {
    const result = await run(["run"], { ...APP, PRIVATE_KEY: OPENSSH_PRIVATE_KEY });
    expect(result.code).toBe(2);
    expect(result.errLines).toHaveLength(1);
    expect(result.errLines[0]).toMatch(/^hookwright: PRIVATE_KEY: .*OpenSSH/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain(OPENSSH_PRIVATE_KEY.split("\n")[1]);
  });

  it("exits 2 on a bad variable, naming it", async () => {
    const result = await run(["run"], { ...APP, PORT: "eighty" });
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([expect.stringMatching(/^hookwright: PORT /)]);
  });

  it("reads .env from the working directory, the environment winning", async () => {
    writeFileSync(join(cwd, ".env"), "APP_ID=4242\nWEBHOOK_SECRET=s\nPORT=eighty\n");
    const fromFile = await run(["run"]);
    expect(fromFile.errLines).toEqual([expect.stringMatching(/^hookwright: PRIVATE_KEY /)]);
    const overridden = await run(["run"], { PRIVATE_KEY: APP.PRIVATE_KEY });
    expect(overridden.errLines).toEqual([expect.stringMatching(/^hookwright: PORT /)]);
  });

  it("exits 2 when a named plugin does not exist, naming it", async () => {
    const result = await run(["run", "no-such-plugin"], { ...APP, LOG_LEVEL: "silent" });
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([
      expect.stringMatching(/^hookwright: plugin "no-such-plugin" not found/),
    ]);
  });

  it("exits 2 when a plugin's module does not export a function", async () => {
    writeFileSync(join(cwd, "odd.mjs"), "export default 42;\n");
    const result = await run(["run"], { ...APP, LOG_LEVEL: "silent", PLUGINS: "./odd.mjs" });
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([expect.stringMatching(/must export a function/)]);
  });

  it("exits 2 in production without APP_ID instead of starting the sandbox", async () => {
    const result = await run(["run"], { NODE_ENV: "production", PORT: "0" });
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([
      "hookwright: APP_ID is required when NODE_ENV=production (the sandbox never runs there)",
    ]);
  });

  it("exits 2 in production on a webhook secret shorter than 16 characters, not echoing it", async () => {
    const result = await run(["run"], { ...APP, NODE_ENV: "production", PORT: "0" });
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([
      "hookwright: WEBHOOK_SECRET must be at least 16 characters when NODE_ENV=production",
    ]);
    expect(result.stderr).not.toContain(APP.WEBHOOK_SECRET);
  });

  it("exits 2 naming PORT when the port is taken, closing what it opened", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    writeFileSync(join(cwd, "noop.mjs"), "export default () => {};\n");
    try {
      const result = await run(["run"], {
        ...APP,
        PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        PLUGINS: "./noop.mjs",
      });
      expect(result.code).toBe(2);
      expect(result.errLines).toEqual([
        `hookwright: PORT ${port} is already in use on 127.0.0.1: stop what is using it, or set PORT to a free port`,
      ]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("exits 2 naming METRICS_PORT when the metrics port is taken", async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, "127.0.0.1", resolve));
    const port = (taken.address() as { port: number }).port;
    writeFileSync(join(cwd, "noop.mjs"), "export default () => {};\n");
    try {
      const result = await run(["run"], {
        ...APP,
        PORT: "0",
        METRICS_PORT: String(port),
        HOST: "127.0.0.1",
        LOG_LEVEL: "silent",
        PLUGINS: "./noop.mjs",
      });
      expect(result.code).toBe(2);
      expect(result.errLines).toEqual([
        `hookwright: METRICS_PORT ${port} is already in use on 127.0.0.1: stop what is using it, or set METRICS_PORT to a free port`,
      ]);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it("exits 2 with one line on an HTTP limit that cannot work", async () => {
    const result = await run(["run"], {
      ...APP,
      HTTP_HEADERS_TIMEOUT_MS: "90000",
      HTTP_REQUEST_TIMEOUT_MS: "60000",
    });
    expect(result.code).toBe(2);
    expect(result.errLines).toEqual([
      expect.stringMatching(/^hookwright: HTTP_HEADERS_TIMEOUT_MS /),
    ]);
  });
});
