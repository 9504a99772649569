import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { testKeys } from "../helpers/keys.js";

export const ROOT = fileURLToPath(new URL("../../", import.meta.url));
export const BIN = `${ROOT}bin/hookwright.js`;
export const APP_ID = 4343;

// Blank values win over a developer's .env (blank means unset), so nothing local leaks in.
const NEUTRAL = Object.fromEntries(
  [
    "PRIVATE_KEY_PATH",
    "WEBHOOK_SECRET",
    "WEBHOOK_SECRET_PREVIOUS",
    "GHE_HOST",
    "GITHUB_URL",
    "GITHUB_TOKEN",
    "GITHUB_EVENT_NAME",
    "GITHUB_EVENT_PATH",
    "REDIS_URL",
    "PLUGINS",
    "TOKEN_REFRESH_MARGIN_S",
    "XDG_CACHE_HOME",
    "WEBHOOK_PATH",
    "WEBHOOK_PROXY_URL",
    "LOG_LEVEL",
    "WORKERS",
    "DATA_DIR",
    "DELIVERY_QUEUE",
  ].map((name) => [name, ""]),
);

/** The app's credentials the way an operator exports them: the PEM with escaped newlines. */
export function appEnv(apiUrl: string): Record<string, string> {
  return {
    APP_ID: String(APP_ID),
    PRIVATE_KEY: testKeys().privateKeyPem.trim().replace(/\n/g, "\\n"),
    GITHUB_API_URL: apiUrl,
    LOG_FORMAT: "json",
  };
}

export interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

const children: ChildProcess[] = [];

/** Kills whatever is still running; call from afterEach. */
export function killChildren(): void {
  for (const child of children.splice(0)) {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  }
}

/** Runs a program to its end with only the given environment (plus PATH), feeding `stdin`. */
export function runProcess(
  command: string,
  args: string[],
  options: { env: Record<string, string>; cwd?: string; stdin?: string },
): Promise<Finished> {
  const child = spawn(command, args, {
    cwd: options.cwd ?? ROOT,
    env: { PATH: process.env.PATH ?? "", ...NEUTRAL, ...options.env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  children.push(child);
  let stdout = "";
  let stderr = "";
  child.stdout!.on("data", (chunk: Buffer) => (stdout += chunk.toString("utf8")));
  child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString("utf8")));
  child.stdin!.end(options.stdin ?? "");
  return new Promise((resolve) => {
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

/** The built CLI: `node bin/hookwright.js …args`. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  options: { cwd?: string; stdin?: string } = {},
): Promise<Finished> {
  return runProcess(process.execPath, [BIN, ...args], { env, ...options });
}

/** A long-running `hookwright run`, its output collected line by line. */
export interface RunningCli {
  child: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Resolves with the first stdout JSON record that `match` accepts; rejects if the CLI exits first. */
  waitFor(match: (record: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
}

/** Starts `node bin/hookwright.js run` (or `args`) with only the given environment (plus PATH). */
export function startCli(env: Record<string, string>, args: string[] = ["run"]): RunningCli {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? "", ...NEUTRAL, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const stdout: string[] = [];
  const stderr: string[] = [];
  const waiters: (() => void)[] = [];
  const collect = (lines: string[]) => {
    let partial = "";
    return (chunk: Buffer) => {
      const parts = (partial + chunk.toString("utf8")).split("\n");
      partial = parts.pop()!;
      lines.push(...parts.filter(Boolean));
      for (const wake of waiters) wake();
    };
  };
  child.stdout!.on("data", collect(stdout));
  child.stderr!.on("data", collect(stderr));
  const exited = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      for (const wake of waiters) wake();
      resolve(code);
    });
  });
  const records = () =>
    stdout.flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  function waitFor(match: (record: Record<string, unknown>) => boolean) {
    return new Promise<Record<string, unknown>>((resolve, reject) => {
      const check = () => {
        const found = records().find(match);
        if (found) resolve(found);
        else if (child.exitCode !== null || child.signalCode !== null) {
          reject(new Error(`CLI exited early:\n${[...stdout, ...stderr].join("\n")}`));
        }
      };
      waiters.push(check);
      check();
    });
  }
  return { child, stdout, stderr, exited, waitFor };
}
