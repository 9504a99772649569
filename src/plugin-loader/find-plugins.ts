import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { HookwrightError } from "../errors.js";

export interface PluginRef {
  name: string;
  /** Absolute file path, or a package specifier resolved from the project. */
  path: string;
}

const EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];
const SKIP = /\.(test|spec|d)\.[cm]?[jt]s$/;

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

function inPluginsDir(dir: string, name: string): string | undefined {
  return firstExisting([
    ...EXTENSIONS.map((ext) => join(dir, name, `index${ext}`)),
    ...EXTENSIONS.map((ext) => join(dir, `${name}${ext}`)),
  ]);
}

function stripExtension(file: string): string {
  const ext = EXTENSIONS.find((candidate) => file.endsWith(candidate));
  return ext ? file.slice(0, -ext.length) : file;
}

/** Every plugin in `plugins/`: `plugins/<name>/index.*` and `plugins/<name>.*`, by name. */
function everyPlugin(dir: string): PluginRef[] {
  if (!existsSync(dir)) return [];
  const names = new Set<string>();
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && inPluginsDir(dir, entry.name)) names.add(entry.name);
    else if (
      entry.isFile() &&
      !SKIP.test(entry.name) &&
      EXTENSIONS.some((ext) => entry.name.endsWith(ext))
    ) {
      names.add(stripExtension(entry.name));
    }
  }
  return [...names].sort().map((name) => ({ name, path: inPluginsDir(dir, name)! }));
}

function notFound(name: string, where: string): HookwrightError {
  return new HookwrightError("PLUGIN_LOAD_FAILED", `plugin "${name}" not found (${where})`, {
    variable: "PLUGINS",
  });
}

function named(cwd: string, dir: string, name: string): PluginRef {
  if (name.startsWith(".") || isAbsolute(name)) {
    const path = resolve(cwd, name);
    const file = firstExisting([
      path,
      ...EXTENSIONS.map((ext) => path + ext),
      ...EXTENSIONS.map((ext) => join(path, `index${ext}`)),
    ]);
    if (file) return { name, path: file };
    throw notFound(name, `no module at ${path}`);
  }
  const local = inPluginsDir(dir, name);
  if (local) return { name, path: local };
  try {
    return { name, path: createRequire(join(cwd, "package.json")).resolve(name) };
  } catch {
    throw notFound(name, `looked in ${dir} and node_modules`);
  }
}

/** The plugins to load: those named (PLUGINS or the command line), else every one in `plugins/`. */
export function findPlugins(cwd: string, names?: readonly string[]): PluginRef[] {
  const dir = join(cwd, "plugins");
  return names && names.length > 0 ? names.map((name) => named(cwd, dir, name)) : everyPlugin(dir);
}
