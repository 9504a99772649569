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

// Old names by scope, read once: `repos` → `getContents` → `repos.getContent`.
const RENAMED_BY_SCOPE = new Map<string, Map<string, string>>();
for (const [oldName, newName] of Object.entries(RENAMED)) {
  const [scopeName, method] = oldName.split(".") as [string, string];
  let names = RENAMED_BY_SCOPE.get(scopeName);
  if (names === undefined) RENAMED_BY_SCOPE.set(scopeName, (names = new Map()));
  names.set(method, newName);
}

/**
 * An Octokit plugin giving each scope that lost names (`octokit.repos`, …, and the same objects
 * on `octokit.rest`) its old method names. A scope is wrapped, and an old name becomes a method
 * the first time it is read, so a client costs a few wrappers rather than 168 definitions (made
 * for every delivery's client, those were 0.4 ms of CPU per delivery). The alias is then kept
 * in the scope as a plain writable method, so a test can spy on it or replace it; calling it
 * warns once per name per process and calls the new method (looked up at call time, so a spy
 * on the new name sees the call too).
 */
export function renamedMethods(octokit: Core): Record<string, never> {
  const client = octokit as unknown as Record<string, Scope | undefined>;
  const rest = client.rest as Record<string, Scope | undefined> | undefined;
  for (const [scopeName, names] of RENAMED_BY_SCOPE) {
    const scope = client[scopeName];
    if (!scope) continue;
    const wrapped = new Proxy(scope, {
      get(target, property) {
        const value = Reflect.get(target, property) as unknown;
        if (value !== undefined || typeof property !== "string") return value;
        const newName = names.get(property);
        if (newName === undefined) return undefined;
        const alias = aliasFor(octokit, `${scopeName}.${property}`, newName);
        Reflect.set(target, property, alias);
        return alias;
      },
      has(target, property) {
        return (
          Reflect.has(target, property) || (typeof property === "string" && names.has(property))
        );
      },
    });
    client[scopeName] = wrapped;
    if (rest?.[scopeName] === scope) rest[scopeName] = wrapped;
  }
  return {};
}
