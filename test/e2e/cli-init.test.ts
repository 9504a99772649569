import { execFile } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "@jest/globals";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const run = promisify(execFile);

describe("hookwright init in a new repository", () => {
  it("creates a bot whose own npm test passes against the packed hookwright", async () => {
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

    // What `npm install` does with the tarball, without the registry (tests stay on loopback):
    // the package unpacked, its dependencies (and tsx) taken from this repository's install.
    const modules = join(bot, "node_modules");
    mkdirSync(join(modules, "hookwright"), { recursive: true });
    await run("tar", ["-xzf", tarball, "-C", join(modules, "hookwright"), "--strip-components=1"]);
    expect(existsSync(join(modules, "hookwright/dist/src/testing/index.js"))).toBe(true);
    for (const name of readdirSync(join(ROOT, "node_modules"))) {
      if (!existsSync(join(modules, name))) {
        symlinkSync(join(ROOT, "node_modules", name), join(modules, name));
      }
    }
    const tested = await run("npm", ["test"], {
      cwd: bot,
      env: { ...process.env, NODE_OPTIONS: "" },
    });
    // node --test reports as TAP ("# pass 1") or, on newer Node, as spec ("ℹ pass 1").
    expect(tested.stdout).toMatch(/^\S+ pass 1\n\S+ fail 0$/m);
  }, 120_000);
});
