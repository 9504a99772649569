import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "@jest/globals";
import { initCommand } from "../../../../src/cli/commands/init.js";
import { captureIo } from "./capture-io.js";

const read = (cwd: string, path: string) => readFileSync(join(cwd, path), "utf8");

describe("initCommand", () => {
  it("creates what a bot needs in an empty folder", async () => {
    const io = captureIo({});
    await initCommand({ hookwright: "^9.9.9" }, io);
    const pkg = JSON.parse(read(io.cwd, "package.json")) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      type: "module",
      scripts: { start: "hookwright run", test: expect.stringContaining("test/hello.test.ts") },
      dependencies: { hookwright: "^9.9.9" },
    });
    expect(read(io.cwd, "plugins/hello/index.ts")).toContain('app.on("issues.opened"');
    expect(read(io.cwd, "test/hello.test.ts")).toContain('from "hookwright/testing"');
    expect(read(io.cwd, "app.yml")).toContain("default_permissions:");
    expect(read(io.cwd, ".env.example")).toContain("APP_ID=");
    expect(read(io.cwd, "Dockerfile")).toContain("hookwright");
    expect(read(io.cwd, "README.md")).toContain("## Running the bot (Hookwright)");
    expect(read(io.cwd, ".gitignore")).toBe("node_modules/\n.env\n.hookwright/\n");
    expect(io.out()).toMatch(/^wrote package\.json, plugins\/hello\/index\.ts, /);
  });

  it("keeps an existing repository's files and settings, adding only what is missing", async () => {
    const io = captureIo({});
    writeFileSync(
      join(io.cwd, "package.json"),
      JSON.stringify({ name: "mine", scripts: { test: "vitest" }, dependencies: { yaml: "^2" } }),
    );
    writeFileSync(join(io.cwd, "README.md"), "# Mine\n\nMy words.\n");
    writeFileSync(join(io.cwd, ".gitignore"), "dist/\n.env");
    writeFileSync(join(io.cwd, "app.yml"), "name: Mine\n");
    await initCommand({ hookwright: "^1.0.0" }, io);
    await initCommand({ hookwright: "^1.0.0" }, io);
    const pkg = JSON.parse(read(io.cwd, "package.json")) as Record<string, unknown>;
    expect(pkg).toMatchObject({
      name: "mine",
      scripts: { test: "vitest", start: "hookwright run" },
      dependencies: { yaml: "^2", hookwright: "^1.0.0" },
    });
    expect(read(io.cwd, "app.yml")).toBe("name: Mine\n");
    const readme = read(io.cwd, "README.md");
    expect(readme.startsWith("# Mine\n\nMy words.\n")).toBe(true);
    expect(readme.match(/## Running the bot/g)).toHaveLength(1);
    expect(read(io.cwd, ".gitignore")).toBe("dist/\n.env\nnode_modules/\n.hookwright/\n");
    expect(io.out()).toContain("kept as they were: app.yml");
  });
});
