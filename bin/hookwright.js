#!/usr/bin/env node
// The compiled CLI when built (npm install builds it); the TypeScript source through tsx otherwise.
import { existsSync } from "node:fs";

const built = new URL("../dist/src/cli/main.js", import.meta.url);
let entry = built;
if (!existsSync(built)) {
  const { register } = await import("tsx/esm/api");
  register();
  entry = new URL("../src/cli/main.ts", import.meta.url);
}
const { main } = await import(entry.href);
process.exit(await main(process.argv.slice(2)));
