import { execFile, spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";
import { offlineLockfile } from "../helpers/offline-lockfile.js";
import { until } from "../helpers/wait.js";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

interface BotManifest {
  name: string;
  version: string;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

const ping = (port: number) =>
  fetch(`http://127.0.0.1:${port}/ping`).then(
    (response) => response.text(),
    () => undefined,
  );

describe("hookwright init in a new repository", () => {
  it("creates a bot where npm install (from the packed tarball), npm test and npm start work", async () => {
    const work = mkdtempSync(join(tmpdir(), "hookwright-init-"));
    // npm test has just built dist/: pack it as published, without building twice.
    const packed = await run("npm", ["pack", "--ignore-scripts", "--pack-destination", work], {
      cwd: ROOT,
    });
    const tarball = join(work, packed.stdout.trim().split("\n").pop()!);
    const bot = join(work, "bot");
    mkdirSync(bot);
    const init = await run(process.execPath, [join(ROOT, "bin/hookwright.js"), "init"], {
      cwd: bot,
    });
    expect(init.stdout).toMatch(
      /^wrote package\.json, plugins\/hello\/index\.ts, test\/hello\.test\.ts, app\.yml, \.env\.example, Dockerfile, README\.md, \.gitignore\n/,
    );

    // `npm install <tarball>` for real, with the registry out of reach (tests stay on loopback):
    // a lockfile made of this repository's own entries lets npm take every dependency of the
    // tarball (and the bot's tsx) from its cache, filled when this repository was installed.
    const manifest = JSON.parse(readFileSync(join(bot, "package.json"), "utf8")) as BotManifest;
    const own = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as BotManifest;
    const needs = [
      ...Object.keys(own.dependencies ?? {}),
      ...Object.keys(manifest.devDependencies ?? {}),
    ];
    writeFileSync(
      join(bot, "package-lock.json"),
      offlineLockfile(join(ROOT, "package-lock.json"), { ...manifest, dependencies: {} }, needs),
    );
    await run("npm", ["install", "--offline", "--no-audit", "--no-fund", tarball], {
      cwd: bot,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    expect(existsSync(join(bot, "node_modules/hookwright/dist/src/testing/index.js"))).toBe(true);
    expect(
      (JSON.parse(readFileSync(join(bot, "package.json"), "utf8")) as BotManifest).dependencies,
    ).toEqual({ hookwright: `file:../${basename(tarball)}` });

    const tested = await run("npm", ["test"], {
      cwd: bot,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    // node --test reports as TAP ("# pass 1") or, on newer Node, as spec ("ℹ pass 1").
    expect(tested.stdout).toMatch(/^\S+ pass 1\n\S+ fail 0$/m);

    // npm start: with no configuration, outside production, the sandbox.
    const port = await freePort();
    const started = spawn("npm", ["start"], {
      cwd: bot,
      env: { ...process.env, NODE_OPTIONS: "", NODE_ENV: "development", PORT: String(port) },
      stdio: "ignore",
      detached: true,
    });
    try {
      await until(60_000, "the bot to answer /ping", async () => (await ping(port)) === "PONG");
    } finally {
      process.kill(-started.pid!, "SIGTERM");
    }
  }, 120_000);
});
