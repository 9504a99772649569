import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import type { Command } from "commander";
import { HookwrightError } from "../../errors.js";
import * as templates from "../init-templates.js";
import type { CliIo } from "../io.js";
import { hookwrightVersion } from "../version.js";

type PackageJson = Record<string, unknown> & {
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
};

function readPackage(path: string): PackageJson {
  if (!existsSync(path)) return {};
  try {
    return JSON.parse(readFileSync(path, "utf8")) as PackageJson;
  } catch {
    throw new HookwrightError(
      "USAGE",
      "package.json is not valid JSON: fix it, then run init again",
    );
  }
}

/** package.json with what a bot needs added; what the author set is kept. */
function withBotNeeds(pkg: PackageJson, name: string, hookwright: string): PackageJson {
  return {
    name,
    version: "0.1.0",
    private: true,
    ...pkg,
    type: pkg.type ?? "module",
    scripts: {
      start: "hookwright run",
      test: "node --import tsx --test test/hello.test.ts",
      ...pkg.scripts,
    },
    dependencies: { ...pkg.dependencies, hookwright: pkg.dependencies?.hookwright ?? hookwright },
    devDependencies: { ...pkg.devDependencies, tsx: pkg.devDependencies?.tsx ?? "^4.20.0" },
  };
}

export interface InitOptions {
  /** What package.json names as hookwright's version (a range, or a tarball path in tests). */
  hookwright?: string;
}

/**
 * `hookwright init`: what a bot needs, in an empty or existing repository. A file that is
 * already there is left alone (package.json gains only what is missing; README a section).
 */
export async function initCommand(options: InitOptions, io: CliIo): Promise<void> {
  const at = (path: string) => join(io.cwd, path);
  const written: string[] = [];
  const kept: string[] = [];
  const create = (path: string, text: string) => {
    if (existsSync(at(path))) return void kept.push(path);
    mkdirSync(dirname(at(path)), { recursive: true });
    writeFileSync(at(path), text);
    written.push(path);
  };
  const pkgPath = at("package.json");
  const name =
    io.cwd
      .split(/[\\/]/)
      .pop()!
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, "-") || "bot";
  const pkg = withBotNeeds(
    readPackage(pkgPath),
    name,
    options.hookwright ?? `^${hookwrightVersion()}`,
  );
  writeFileSync(pkgPath, `${JSON.stringify(pkg, null, 2)}\n`);
  written.push("package.json");
  create("plugins/hello/index.ts", templates.PLUGIN);
  create("test/hello.test.ts", templates.PLUGIN_TEST);
  create("app.yml", templates.APP_YML);
  create(".env.example", templates.ENV_EXAMPLE);
  create("Dockerfile", templates.DOCKERFILE);
  const readme = existsSync(at("README.md")) ? readFileSync(at("README.md"), "utf8") : "";
  if (!readme.includes(templates.README_MARKER)) {
    writeFileSync(at("README.md"), `${readme || `# ${name}\n`}${templates.README_SECTION}`);
    written.push("README.md");
  }
  const ignore = existsSync(at(".gitignore")) ? readFileSync(at(".gitignore"), "utf8") : "";
  const missing = ["node_modules/", ".env", ".hookwright/"].filter(
    (line) => !ignore.split("\n").includes(line),
  );
  if (missing.length > 0) {
    const separator = ignore === "" || ignore.endsWith("\n") ? "" : "\n";
    writeFileSync(at(".gitignore"), `${ignore}${separator}${missing.join("\n")}\n`);
    written.push(".gitignore");
  }
  io.stdout(`wrote ${written.join(", ")}\n`);
  if (kept.length > 0) io.stdout(`kept as they were: ${kept.join(", ")}\n`);
  io.stdout("next: npm install && npm test, then npm start\n");
}

export function addInitCommand(program: Command, io: CliIo): void {
  program
    .command("init")
    .description(
      "create what a bot needs here: package.json, plugins/, a test, app.yml, .env.example, Dockerfile",
    )
    .action(() => initCommand({}, io));
}
