import { HookwrightError } from "../errors.js";
import type { PluginRef } from "./find-plugins.js";

const TYPESCRIPT = /\.[cm]?ts$/;

/**
 * Node cannot import .ts by itself: tsx's loader is registered only when a plugin to load is
 * TypeScript. tsx is a development tool (a production install has none), so a TypeScript
 * plugin there fails naming the build that makes its compiled twin.
 */
export async function registerTypeScriptFor(
  refs: readonly PluginRef[],
  importTsx: () => Promise<{ register: () => unknown }> = () => import("tsx/esm/api"),
): Promise<void> {
  const typescript = refs.filter((ref) => TYPESCRIPT.test(ref.path));
  if (typescript.length === 0) return;
  let register: () => unknown;
  try {
    ({ register } = await importTsx());
  } catch (cause) {
    const names = typescript.map((ref) => `"${ref.name}"`).join(", ");
    throw new HookwrightError(
      "PLUGIN_LOAD_FAILED",
      `plugin ${names} is TypeScript with no compiled output in dist/plugins/ and tsx is not installed: run npm run build (or install tsx)`,
      { cause, variable: "PLUGINS" },
    );
  }
  register();
}
