import type { Octokit as Core } from "@octokit/core";
import { RENAMED_METHODS } from "./renamed-methods-data.js";

// Octokit renamed many methods between @octokit/rest 16 and plugin-rest-endpoint-methods 5
// (which dropped the old names); apps written for Probot 7–10 still call them. The table is
// Octokit's own rename data (see scripts/generate-renamed-methods.mjs).
const RENAMED = RENAMED_METHODS;

/** Marks an alias, so code that prefers a test's own `repos.getContents` can tell them apart. */
export const RENAMED_ALIAS = Symbol("renamed method alias");

// Once per process, as for context.github: an app calling an old name on every delivery
// would otherwise log the same line each time.
const warned = new Set<string>();

type Scope = Record<string | symbol, unknown>;
type Method = ((...args: unknown[]) => unknown) & { endpoint?: unknown };

function aliasFor(octokit: Core, oldName: string, newName: string): Method {
  const [newScope, newMethod] = newName.split(".") as [string, string];
  const target = () =>
    (octokit as unknown as Record<string, Scope>)[newScope]?.[newMethod] as Method;
  const alias: Method = (...args) => {
    if (!warned.has(oldName)) {
      warned.add(oldName);
      octokit.log.warn(
        `octokit.${oldName}() is deprecated, use octokit.${newName}() (Octokit renamed it)`,
      );
    }
    return target()(...args);
  };
  Object.defineProperty(alias, "endpoint", { get: () => target().endpoint });
  Object.defineProperty(alias, RENAMED_ALIAS, { value: newName });
  return alias;
}

/**
 * An Octokit plugin adding each old method name beside the new one, on `octokit.x` and
 * `octokit.rest.x` (the same objects). Each is a plain writable property, so a test can spy
 * on it; calling it warns once per name per process and calls the new method (looked up at
 * call time, so a spy on the new name sees the call too).
 */
export function renamedMethods(octokit: Core): Record<string, never> {
  const client = octokit as unknown as Record<string, Scope | undefined>;
  for (const [oldName, newName] of Object.entries(RENAMED)) {
    const [scopeName, method] = oldName.split(".") as [string, string];
    const scope = client[scopeName];
    if (!scope || method in scope) continue;
    Object.defineProperty(scope, method, {
      value: aliasFor(octokit, oldName, newName),
      writable: true,
      configurable: true,
      enumerable: false,
    });
  }
  return {};
}
