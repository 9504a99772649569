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
