// Builds src/github/renamed-methods.json: Octokit method names that Probot 7–10 era apps call
// (`repos.getContents`, `apps.createInstallationToken`, …) mapped to today's names. The data
// is Octokit's own: @octokit/plugin-rest-endpoint-methods published, with each endpoint, the
// name it was renamed to (2.x: `deprecated: "… has been renamed to octokit.x.y() …"`; 3.x–4.x:
// `renamed: [scope, method]`), until 5.0 dropped the old names. Read here, never shipped:
//   for v in 2.4.0 3.17.0 4.15.1; do npm pack @octokit/plugin-rest-endpoint-methods@$v; done
//   for f in octokit-plugin-rest-endpoint-methods-*.tgz; do mkdir -p "${f%.tgz}" && tar xzf "$f" -C "${f%.tgz}"; done
//   node scripts/generate-renamed-methods.mjs octokit-plugin-rest-endpoint-methods-{2.4.0,3.17.0,4.15.1}
// A name is kept only when today's client lacks it; it points at the method the rename chain
// ends on, or else at today's only method with the same route.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const dirs = process.argv.slice(2);
if (dirs.length === 0) {
  console.error("usage: node scripts/generate-renamed-methods.mjs <unpacked package dir>...");
  process.exit(2);
}

const endpointsOf = async (dir) =>
  (await import(pathToFileURL(join(dir, "package/dist-src/generated/endpoints.js")).href)).default;

// "GET /repos/:owner/:repo" and "GET /repos/{owner}/{repo}" are one route.
const routeKey = (route) => route.replace(/:([a-z_]+)/g, "{$1}").replace(/\{[a-z_]+\}/g, "{}");

/** Each old name's route and the name it was renamed to, per published version. */
function renamesIn(endpoints) {
  const found = [];
  for (const [scope, methods] of Object.entries(endpoints)) {
    for (const [method, entry] of Object.entries(methods)) {
      if (Array.isArray(entry)) {
        const renamed = entry[2]?.renamed;
        if (renamed)
          found.push({ from: `${scope}.${method}`, to: renamed.join("."), route: entry[0] });
        continue;
      }
      const to = /has been renamed to octokit\.([A-Za-z]+\.[A-Za-z]+)\(\)/.exec(
        entry.deprecated ?? "",
      )?.[1];
      if (to) found.push({ from: `${scope}.${method}`, to, route: `${entry.method} ${entry.url}` });
    }
  }
  return found;
}

const current = await import(
  pathToFileURL(
    fileURLToPath(
      new URL(
        "../node_modules/@octokit/plugin-rest-endpoint-methods/dist-src/generated/endpoints.js",
        import.meta.url,
      ),
    ),
  ).href
).then((module) => module.default);
const today = new Map();
const byRoute = new Map();
for (const [scope, methods] of Object.entries(current)) {
  for (const [method, [route, , decorations]] of Object.entries(methods)) {
    if (decorations?.renamed) continue;
    today.set(`${scope}.${method}`, route);
    const key = routeKey(route);
    byRoute.set(key, [...(byRoute.get(key) ?? []), `${scope}.${method}`]);
  }
}

const renames = new Map();
const routes = new Map();
for (const dir of dirs) {
  for (const { from, to, route } of renamesIn(await endpointsOf(dir))) {
    renames.set(from, to);
    routes.set(from, route);
  }
}

const methods = {};
const dropped = [];
for (const [from] of [...renames].sort(([a], [b]) => a.localeCompare(b))) {
  if (today.has(from)) continue;
  let to = from;
  for (let hops = 0; renames.has(to) && !today.has(to) && hops < 10; hops++) to = renames.get(to);
  if (!today.has(to)) {
    const same = byRoute.get(routeKey(routes.get(from))) ?? [];
    to = same.length === 1 ? same[0] : undefined;
  }
  if (to) methods[from] = to;
  else dropped.push(from);
}

const out = fileURLToPath(new URL("../src/github/renamed-methods.json", import.meta.url));
const source = `@octokit/plugin-rest-endpoint-methods ${dirs.map((dir) => /(\d+\.\d+\.\d+)/.exec(dir)?.[1] ?? dir).join(", ")}`;
writeFileSync(out, `${JSON.stringify({ source, methods }, null, 2)}\n`);
console.log(
  `${Object.keys(methods).length} renamed methods written; dropped (no method today): ${dropped.join(", ") || "none"}`,
);
