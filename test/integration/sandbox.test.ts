import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "@jest/globals";
import type { CliIo } from "../../src/cli/io.js";
import { runCommand } from "../../src/cli/run-command.js";

// Jest cannot register tsx's loader, so the bot here is a JavaScript plugin that greets as
// plugins/greeter does (the e2e test runs the real one through the built CLI).
const PLUGIN = `export default (app) => {
  app.on("issues.opened", async (context) => {
    await context.octokit.rest.issues.createComment(
      context.issue({ body: "Hello @" + context.payload.sender.login }),
    );
  });
};
`;

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let cwd: string;
let stop: (() => void) | undefined;
let finished: Promise<void> | undefined;
afterEach(async () => {
  stop?.();
  await finished?.catch(() => {});
  stop = undefined;
  finished = undefined;
  rmSync(cwd, { recursive: true, force: true });
});

async function waitForConsole(base: string): Promise<Response> {
  for (;;) {
    try {
      return await fetch(`${base}/console/api/info`);
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

describe("hookwright run without configuration (sandbox)", () => {
  it("serves the console on loopback and a plugin answers a sample through the simulated GitHub", async () => {
    cwd = mkdtempSync(join(tmpdir(), "hookwright-sandbox-"));
    mkdirSync(join(cwd, "plugins"));
    writeFileSync(join(cwd, "plugins", "hello.mjs"), PLUGIN);
    const port = await freePort();
    const io: CliIo = {
      // Blank values: no APP_ID, and nothing from a developer's environment.
      env: { PORT: String(port), LOG_LEVEL: "silent", APP_ID: "", HOST: "" },
      cwd,
      stdout: () => {},
      stderr: () => {},
      isTty: false,
      onShutdown: (handler) => void (stop = handler),
    };
    finished = runCommand([], io);
    const base = `http://127.0.0.1:${port}`;
    // A start that fails ends the wait with its error instead of polling forever.
    const info = await Promise.race([
      waitForConsole(base),
      finished.then(() => Promise.reject(new Error("run ended before serving"))),
    ]);
    expect(await info.json()).toEqual({
      sandbox: true,
      registration: true,
      queue: false,
      webhookProxyUrl: null,
    });
    const sample = (await (await fetch(`${base}/console/api/samples/issues.opened`)).json()) as {
      event: string;
      payload: string;
    };
    const sent = await fetch(`${base}/console/api/send`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(sample),
    });
    expect(((await sent.json()) as { status: number }).status).toBe(200);
    const list = (await (await fetch(`${base}/console/api/deliveries`)).json()) as {
      deliveries: { plugins: string[]; changes: { kind: string; body: string }[] }[];
    };
    expect(list.deliveries[0]!.plugins).toEqual(["hello"]);
    expect(list.deliveries[0]!.changes[0]).toMatchObject({
      kind: "comment",
      body: "Hello @Codertocat",
    });
    // The webhook path is the real one: an unsigned request is refused as in production.
    const unsigned = await fetch(`${base}/api/github/webhooks`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "x-github-event": "issues",
        "x-github-delivery": "x",
      },
      body: "{}",
    });
    expect(unsigned.status).toBe(400);
    stop!();
    await finished;
  });
});
