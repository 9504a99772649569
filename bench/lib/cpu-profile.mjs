// Summarises a V8 .cpuprofile: self time by function and by module (npm package, node
// internals, or the framework's own directory).
import { readFileSync } from "node:fs";

function moduleOf(url, root) {
  if (!url) return "(native / V8)";
  if (url.startsWith("node:internal/deps/")) return `node:${url.slice(19).split("/")[0]}`;
  if (url.startsWith("node:internal/")) return `node:${url.slice(14).split("/")[0]}`;
  if (url.startsWith("node:")) return url;
  const path = url.replace(/^file:\/\//, "");
  const nm = path.lastIndexOf("/node_modules/");
  if (nm >= 0) {
    const rest = path.slice(nm + 14).split("/");
    return rest[0].startsWith("@") ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  if (root && path.startsWith(root)) {
    const rel = path.slice(root.length).replace(/^\/+/, "");
    return rel;
  }
  return path;
}

/** Framework files are grouped by directory in the module table. */
const moduleGroup = (name) =>
  name.startsWith("dist/src/") ? name.split("/").slice(0, 3).join("/") : name;

export function summarise(file, { root, top = 25 } = {}) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const counts = new Map();
  for (const id of profile.samples) counts.set(id, (counts.get(id) ?? 0) + 1);
  const totalUs = profile.endTime - profile.startTime;
  const usPerSample = totalUs / profile.samples.length;
  const fns = new Map();
  const modules = new Map();
  let idle = 0;
  for (const [id, n] of counts) {
    const { callFrame } = byId.get(id);
    const ms = (n * usPerSample) / 1000;
    if (callFrame.functionName === "(idle)") idle += ms;
    const where = callFrame.url
      ? `${callFrame.url.split("/").pop()}:${callFrame.lineNumber + 1}`
      : "";
    const key = `${callFrame.functionName || "(anonymous)"} ${where}`.trim();
    fns.set(key, (fns.get(key) ?? 0) + ms);
    const mod =
      callFrame.functionName === "(idle)"
        ? "(idle)"
        : callFrame.functionName === "(garbage collector)"
          ? "(gc)"
          : moduleGroup(moduleOf(callFrame.url, root));
    modules.set(mod, (modules.get(mod) ?? 0) + ms);
  }
  // Inclusive time of the framework's own functions (a function counted once per stack).
  const inclusive = new Map();
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  for (const [id, n] of counts) {
    const ms = (n * usPerSample) / 1000;
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const { callFrame } = byId.get(at);
      if (!root || !callFrame.url.includes(root) || callFrame.url.includes("/node_modules/"))
        continue;
      const key = `${callFrame.functionName || "(anonymous)"} ${moduleOf(callFrame.url, root)}:${callFrame.lineNumber + 1}`;
      // (dist/src/... paths name the file; the line is in the compiled JavaScript.)
      if (seen.has(key)) continue;
      seen.add(key);
      inclusive.set(key, (inclusive.get(key) ?? 0) + ms);
    }
  }
  const busy = totalUs / 1000 - idle;
  const sorted = (map) =>
    [...map]
      .filter(([k]) => k !== "(idle)")
      .sort((a, b) => b[1] - a[1])
      .slice(0, top);
  return {
    totalMs: totalUs / 1000,
    busyMs: busy,
    functions: sorted(fns),
    modules: sorted(modules),
    inclusive: sorted(inclusive),
  };
}

const EXPRESS_PARTS = new Set(
  (
    "express router body-parser raw-body finalhandler send serve-static content-type type-is " +
    "mime-types mime-db media-typer negotiator accepts qs parseurl path-to-regexp depd debug ms " +
    "http-errors statuses on-finished ee-first cookie cookie-signature content-disposition " +
    "encodeurl escape-html etag fresh merge-descriptors range-parser vary iconv-lite " +
    "safer-buffer bytes unpipe side-channel side-channel-list side-channel-map " +
    "side-channel-weakmap object-inspect get-intrinsic call-bind-apply-helpers call-bound " +
    "es-errors es-object-atoms function-bind get-proto gopd has-symbols hasown math-intrinsics " +
    "dunder-proto es-define-property proxy-addr forwarded ipaddr.js once wrappy inherits " +
    "setprototypeof toidentifier is-promise router"
  ).split(" "),
);
const OCTOKIT_PARTS = new Set([
  "before-after-hook",
  "json-with-bigint",
  "universal-user-agent",
  "fast-content-type-parse",
]);

/** Where a module's time belongs, in the categories of RESULTS.md's per-delivery table. */
function categoryOf(module, stack) {
  if (stack.some((url) => url.includes("node:internal/modules/"))) return "module loading";
  if (module === "(gc)") return "GC";
  if (module === "(native / V8)") return "V8 / native, not attributed";
  if (module === "node:undici" || module === "node:webstreams")
    return "fetch (undici, web streams)";
  if (module.startsWith("@octokit/") || OCTOKIT_PARTS.has(module)) return "Octokit";
  if (EXPRESS_PARTS.has(module)) return "Express and its helpers";
  if (module === "node:crypto") return "node:crypto (HMAC)";
  if (module.startsWith("dist/src/")) return `hookwright ${module.slice(9)}`;
  if (module.startsWith("bench/targets/")) return "the floor's own code";
  if (module === "pino" || module.startsWith("@pinojs/") || module === "sonic-boom") return "pino";
  if (module.startsWith("node:")) return "node http, net, streams, events, timers";
  return module;
}

/**
 * CPU of a profile by category, in ms per delivery: self time of each sample's function,
 * module loading apart (its stack runs through node's module loader).
 */
export function categorise(file, { root, deliveries }) {
  const profile = JSON.parse(readFileSync(file, "utf8"));
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes)
    for (const child of node.children ?? []) parent.set(child, node.id);
  const out = new Map();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const { callFrame } = byId.get(id);
    if (callFrame.functionName === "(idle)" || callFrame.functionName === "(program)") continue;
    const ms = (profile.timeDeltas[i] ?? 0) / 1000;
    const module =
      callFrame.functionName === "(garbage collector)"
        ? "(gc)"
        : moduleGroup(moduleOf(callFrame.url, root));
    const stack = [];
    for (let at = id; at !== undefined; at = parent.get(at)) stack.push(byId.get(at).callFrame.url);
    const category = categoryOf(module, stack);
    out.set(category, (out.get(category) ?? 0) + ms / deliveries);
  }
  return out;
}
