import { readFileSync } from "node:fs";

type LockEntry = Record<string, unknown> & {
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};
type LockPackages = Record<string, LockEntry>;

/** The lockfile path Node would load `name` from, starting at the package installed at `from`. */
function resolveIn(packages: LockPackages, from: string, name: string): string | undefined {
  let dir = from;
  for (;;) {
    const candidate = `${dir === "" ? "" : `${dir}/`}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (dir === "") return undefined;
    const parent = dir.lastIndexOf("/node_modules/");
    dir = parent < 0 ? "" : dir.slice(0, parent);
  }
}

/**
 * A package-lock.json for a new project depending on `needs` (names → ranges), made of the
 * entries this repository's lockfile already holds: with it, `npm install --offline` in that
 * project takes every package from npm's cache (filled when this repository was installed)
 * and asks the registry for nothing. `rootLockPath` is this repository's package-lock.json.
 */
export function offlineLockfile(
  rootLockPath: string,
  project: { name: string; version: string; dependencies?: Record<string, string> },
  needs: readonly string[],
): string {
  const lock = JSON.parse(readFileSync(rootLockPath, "utf8")) as { packages: LockPackages };
  const packages: LockPackages = { "": { ...project } };
  const pending: [string, string][] = needs.map((name) => ["", name]);
  for (let next = pending.pop(); next !== undefined; next = pending.pop()) {
    const [from, name] = next;
    const path = resolveIn(lock.packages, from, name);
    if (path === undefined || packages[path]) continue;
    const { dev: _dev, devOptional: _devOptional, ...entry } = lock.packages[path]!;
    packages[path] = entry;
    const wanted = {
      ...entry.dependencies,
      ...entry.optionalDependencies,
      ...entry.peerDependencies,
    };
    for (const dependency of Object.keys(wanted)) pending.push([path, dependency]);
  }
  return `${JSON.stringify({ name: project.name, version: project.version, lockfileVersion: 3, requires: true, packages }, null, 2)}\n`;
}
