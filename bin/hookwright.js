#!/usr/bin/env node
// The bundled CLI when built (npm install builds it: scripts/build-start.mjs, a few files to
// read at start instead of hundreds), else the compiled modules, else the TypeScript source
// through tsx.
import { existsSync } from "node:fs";
import module from "node:module";

// Node 22.1+ keeps V8's compiled code on disk between starts (NODE_COMPILE_CACHE names the
// folder, else the system's temporary one); a folder it cannot write only costs the saving.
module.enableCompileCache?.();

const candidates = ["../dist/start/cli/main.js", "../dist/src/cli/main.js"];
let entry = candidates.map((path) => new URL(path, import.meta.url)).find(existsSync);
if (entry === undefined) {
  const { register } = await import("tsx/esm/api");
  register();
  entry = new URL("../src/cli/main.ts", import.meta.url);
}
const { main } = await import(entry.href);
process.exit(await main(process.argv.slice(2)));
