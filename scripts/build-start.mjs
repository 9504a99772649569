// Bundles what `hookwright` runs (dist/src/cli/main.js, after tsc) into dist/start/cli/: one
// file for the start path and a chunk per dynamic import, so a start reads a few files instead
// of ~250 (Hookwright's modules, Express's CommonJS tree, commander, Octokit). Resolving,
// reading and compiling those files was most of the CPU a start spent beyond the Express floor
// (bench/RESULTS.md, "Cold start"). bin/hookwright.js runs this bundle when it exists.
//
// Three levels deep on purpose, like dist/src/cli/: the paths the CLI finds beside itself
// (package.json, bin/, fixtures/, src/console/) are tried as "../../../…" from there.
import { build } from "esbuild";
import { rmSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";
import assert from "node:assert/strict";

const root = fileURLToPath(new URL("..", import.meta.url));
const outdir = `${root}dist/start/cli`;

// Loaded by the runtime, not bundled: what plugins import too (errors.js: a plugin's
// `new HookwrightError()` must be the class the CLI checks with instanceof), what runs
// TypeScript or workers from its own files, and what is needed only in some modes.
const external = [
  "tsx",
  "tsx/*",
  "pino-pretty",
  "bullmq",
  "ioredis",
  "smee-client",
  "prom-client",
  "jsonwebtoken",
  "dotenv",
  // Express's body parsers require it at start; its 540 KB of encodings load on first use.
  "iconv-lite",
];

const shareWithPlugins = {
  name: "share-with-plugins",
  setup(builder) {
    builder.onResolve({ filter: /(^|\/)errors\.js$/ }, (args) => {
      const path = fileURLToPath(new URL(args.path, `file://${args.importer}`));
      if (path !== `${root}dist/src/errors.js`) return undefined;
      return { path: "../../src/errors.js", external: true };
    });
  },
};

// A JSON file bundled as an object literal is compiled as code; as a string handed to
// JSON.parse it is scanned once and parsed by the faster JSON parser. mime-db's 230 KB
// (Express loads it at start) imports in 1-3 ms this way against 4-11 as a literal.
const jsonAsParse = {
  name: "json-as-parse",
  setup(builder) {
    builder.onLoad({ filter: /\.json$/ }, async (args) => {
      // Parsed here too: a broken file fails the build, not the start, and loses its spaces.
      const text = JSON.stringify(
        JSON.parse((await readFile(args.path, "utf8")).replace(/^\uFEFF/, "")),
      );
      return { contents: `module.exports = JSON.parse(${JSON.stringify(text)});`, loader: "js" };
    });
  },
};

// The same for Octokit's table of REST routes (97 KB of object literal that every start
// evaluates): its value is taken at build time and shipped as JSON, checked to be equal.
const routesAsParse = {
  name: "routes-as-parse",
  setup(builder) {
    const file = /plugin-rest-endpoint-methods[\\/]dist-src[\\/]generated[\\/]endpoints\.js$/;
    let found = false;
    // Octokit moving the file would quietly bring the object literal back: fail instead.
    builder.onEnd((result) => {
      if (found || result.errors.length > 0) return undefined;
      return { errors: [{ text: "Octokit's route table was not found: update routesAsParse" }] };
    });
    builder.onLoad({ filter: file }, async (args) => {
      found = true;
      const { default: routes } = await import(pathToFileURL(args.path).href);
      const text = JSON.stringify(routes);
      assert.deepStrictEqual(JSON.parse(text), routes);
      return { contents: `export default JSON.parse(${JSON.stringify(text)});`, loader: "js" };
    });
  },
};

// `--clean`: only remove it, so `npm run dev` (tsc --watch) never runs a stale bundle.
rmSync(`${root}dist/start`, { recursive: true, force: true });
if (process.argv.includes("--clean")) process.exit(0);
await build({
  entryPoints: [`${root}dist/src/cli/main.js`],
  outdir,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node22",
  external,
  plugins: [shareWithPlugins, jsonAsParse, routesAsParse],
  // Bundled CommonJS (Express) calls require() for node's own modules.
  banner: {
    js: 'import { createRequire as __hookwrightRequire } from "node:module"; const require = __hookwrightRequire(import.meta.url);',
  },
  // Names are kept; spaces and comments go (a start compiles 30 % fewer bytes, ≈ 4 ms here).
  // Positions in a stack trace map back with `node --enable-source-maps`; READABLE=1 keeps
  // the layout and the "// node_modules/…" module comments, for reading a profile by module.
  minifyWhitespace: process.env.READABLE !== "1",
  sourcemap: "linked",
  sourcesContent: false,
  logLevel: "warning",
});
