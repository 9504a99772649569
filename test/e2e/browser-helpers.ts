import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const OUTPUT = fileURLToPath(new URL("../../test-output/", import.meta.url));
export const CHROMIUM = "/usr/bin/chromium";
export const chromiumAvailable = existsSync(CHROMIUM);
// No network beyond loopback: nothing in the browser may try to phone home.
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export interface SandboxCli {
  child: ChildProcess;
  url: string;
  /** Everything the process wrote to stdout so far (JSON log lines). */
  output(): string;
}

/** Starts the built CLI unconfigured (sandbox) and resolves with the console URL it prints. */
export function startSandboxCli(plugins = "greeter", level = "info"): Promise<SandboxCli> {
  const blank = [
    "APP_ID",
    "PRIVATE_KEY",
    "PRIVATE_KEY_PATH",
    "WEBHOOK_SECRET",
    "CONSOLE_TOKEN",
    "HOST",
    "REDIS_URL",
    "WEBHOOK_PROXY_URL",
    "WEBHOOK_PATH",
  ];
  const child = spawn(process.execPath, ["bin/hookwright.js", "run"], {
    cwd: ROOT,
    env: {
      PATH: process.env.PATH ?? "",
      ...Object.fromEntries(blank.map((name) => [name, ""])),
      PORT: "0",
      LOG_FORMAT: "json",
      LOG_LEVEL: level,
      PLUGINS: plugins,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let buffered = "";
  return new Promise((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      buffered += chunk.toString("utf8");
      const match = /"console":"([^"]+)"/.exec(buffered);
      if (match) resolve({ child, url: match[1]!, output: () => buffered });
    });
    child.on("exit", (code) => reject(new Error(`the CLI exited (${code}) before serving`)));
  });
}

/**
 * The page fills in its first sample, then lists the deliveries so far: typing before the
 * first would be overwritten, and rows counted before the second would be missing.
 */
export async function sampleLoaded(page: Page): Promise<void> {
  await page.locator('[data-testid="deliveries"][data-loaded="true"]').waitFor({
    state: "attached",
  });
  await page.waitForFunction(() => {
    // Runs in the page; the test's TypeScript has no DOM types.
    const doc = (globalThis as unknown as { document: { querySelector(s: string): unknown } })
      .document;
    const payload = doc.querySelector('[data-testid="payload"]') as { value: string } | null;
    try {
      const parsed = JSON.parse(payload?.value ?? "") as { installation?: { id?: number } };
      return parsed.installation?.id === 1;
    } catch {
      return false;
    }
  });
}
