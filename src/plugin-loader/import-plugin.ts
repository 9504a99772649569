import { pathToFileURL } from "node:url";
import { isAbsolute } from "node:path";
import type { Plugin } from "../app/app.js";
import { HookwrightError } from "../errors.js";
import { describeLoadFailure } from "./describe-load-failure.js";
import type { PluginRef } from "./find-plugins.js";

export type ImportModule = (specifier: string) => Promise<unknown>;

/** The plugin function from a module: its default export (ESM, or `module.exports` of CommonJS). */
function pluginOf(module: unknown): Plugin | undefined {
  let candidate = module;
  // `export default` compiled to CommonJS and imported from ESM arrives as default.default.
  for (let depth = 0; depth < 2 && typeof candidate !== "function"; depth++) {
    candidate = (candidate as { default?: unknown } | null)?.default;
  }
  return typeof candidate === "function" ? (candidate as Plugin) : undefined;
}

export async function importPlugin(ref: PluginRef, importModule: ImportModule): Promise<Plugin> {
  const specifier = isAbsolute(ref.path) ? pathToFileURL(ref.path).href : ref.path;
  let module: unknown;
  try {
    module = await importModule(specifier);
  } catch (cause) {
    throw new HookwrightError(
      "PLUGIN_LOAD_FAILED",
      `plugin "${ref.name}" failed to load: ${describeLoadFailure(cause, ref.path)}`,
      { cause },
    );
  }
  const plugin = pluginOf(module);
  if (!plugin) {
    throw new HookwrightError(
      "PLUGIN_LOAD_FAILED",
      `plugin "${ref.name}" (${ref.path}) must export a function (app, options) => void as its default export`,
    );
  }
  return plugin;
}
