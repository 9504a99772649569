import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import { isAbsolute, join, resolve } from "node:path";
import { HookwrightError } from "../errors.js";

export interface PluginRef {
  name: string;
  /** Absolute file path, or a package specifier resolved from the project. */
  path: string;
}

export interface FindPluginsOptions {
  /**
   * true in production: a plugin's compiled twin in `dist/plugins/` (what `npm run build`
   * emits) is loaded instead of its source, so no TypeScript tooling runs. Otherwise the
   * source wins, so an edit takes effect without a build; either is used when it is the only one.
   */
  preferCompiled?: boolean;
}

const EXTENSIONS = [".ts", ".mts", ".cts", ".js", ".mjs", ".cjs"];
const COMPILED = [".js", ".mjs", ".cjs"];
const SKIP = /\.(test|spec|d)\.[cm]?[jt]s$/;

function firstExisting(candidates: string[]): string | undefined {
  return candidates.find((file) => existsSync(file) && statSync(file).isFile());
}

function inDir(dir: string, name: string, extensions: string[]): string | undefined {
  return firstExisting([
    ...extensions.map((ext) => join(dir, name, `index${ext}`)),
    ...extensions.map((ext) => join(dir, `${name}${ext}`)),
  ]);
}

/** Where plugins live: their sources, and what the build compiled them to. */
interface PluginDirs {
  source: string;
  compiled: string;
  preferCompiled: boolean;
}

function inPluginsDir(dirs: PluginDirs, name: string): string | undefined {
  const source = inDir(dirs.source, name, EXTENSIONS);
  const compiled = inDir(dirs.compiled, name, COMPILED);
  return dirs.preferCompiled ? (compiled ?? source) : (source ?? compiled);
}

function stripExtension(file: string): string {
  const ext = EXTENSIONS.find((candidate) => file.endsWith(candidate));
  return ext ? file.slice(0, -ext.length) : file;
}

/** The plugin names in one directory: `<name>/index.*` and `<name>.*`. */
function namesIn(dir: string, extensions: string[]): string[] {
  if (!existsSync(dir)) return [];
  const names: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory() && inDir(dir, entry.name, extensions)) names.push(entry.name);
    else if (
      entry.isFile() &&
      !SKIP.test(entry.name) &&
      extensions.some((ext) => entry.name.endsWith(ext))
    ) {
      names.push(stripExtension(entry.name));
    }
  }
  return names;
}

/** Every plugin in `plugins/` (or only compiled, in `dist/plugins/`), by name. */
function everyPlugin(dirs: PluginDirs): PluginRef[] {
  const names = new Set([...namesIn(dirs.source, EXTENSIONS), ...namesIn(dirs.compiled, COMPILED)]);
  return [...names].sort().map((name) => ({ name, path: inPluginsDir(dirs, name)! }));
}

function notFound(name: string, where: string): HookwrightError {
  return new HookwrightError("PLUGIN_LOAD_FAILED", `plugin "${name}" not found (${where})`, {
    variable: "PLUGINS",
  });
}

function named(cwd: string, dirs: PluginDirs, name: string): PluginRef {
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
  const local = inPluginsDir(dirs, name);
  if (local) return { name, path: local };
  try {
    return { name, path: createRequire(join(cwd, "package.json")).resolve(name) };
  } catch {
    throw notFound(name, `looked in ${dirs.source}, ${dirs.compiled} and node_modules`);
  }
}

/** The plugins to load: those named (PLUGINS or the command line), else every one in `plugins/`. */
export function findPlugins(
  cwd: string,
  names?: readonly string[],
  options: FindPluginsOptions = {},
): PluginRef[] {
  const dirs: PluginDirs = {
    source: join(cwd, "plugins"),
    compiled: join(cwd, "dist", "plugins"),
    preferCompiled: options.preferCompiled === true,
  };
  return names && names.length > 0
    ? names.map((name) => named(cwd, dirs, name))
    : everyPlugin(dirs);
}
