// The CommonJS build: dist/cjs/, for apps that `require("hookwright")` (or "probot" aliased to
// it) where ES modules cannot be required, as in jest's CommonJS mode. One bundle holds every
// entry, so `require("hookwright/probot").Context` and `require("hookwright").Context` are the
// same class; the entry files only pick their part of it.
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
const out = `${root}dist/cjs/`;
// Bundled: the @octokit packages (ES modules only) and the dependencies a Probot app's test
// loads (express, pino, yaml, ...): several of those require `node:` specifiers, which jest ≤
// 26 cannot resolve, and the bundle rewrites them. Left to be required at run time: what only
// a server, a queue or a tunnel loads (bullmq, ioredis, prom-client, smee-client) and what is
// required lazily by path anyway (pino-pretty, jsonwebtoken, dotenv through createRequire).
const external = [
  "bullmq",
  "ioredis",
  "prom-client",
  "smee-client",
  "pino-pretty",
  "jsonwebtoken",
  "dotenv",
  "tsx",
  "tsx/*",
];

const entries = {
  hookwright: "../src/index.ts",
  probot: "../src/probot/index.ts",
  testing: "../src/testing/index.ts",
};
// Probot ≤ 9's deep paths: lib/github.js, lib/context.js, lib/application.js pick from these.
const parts = {
  ...entries,
  libGithub: "../src/probot/lib/github.ts",
  libContext: "../src/probot/lib/context.ts",
  libApplication: "../src/probot/lib/application.ts",
};

// jest ≤ 26's resolver does not know `node:` specifiers ("Cannot find module 'node:url'"), and
// every builtin the bundle uses has a bare name too.
const withoutNodePrefix = {
  name: "without-node-prefix",
  setup(esbuild) {
    esbuild.onResolve({ filter: /^node:/ }, ({ path }) => ({
      path: path.slice(5),
      external: true,
    }));
  },
};

await build({
  stdin: {
    contents: Object.entries(parts)
      .map(([name, path]) => `export * as ${name} from ${JSON.stringify(path)};`)
      .join("\n"),
    resolveDir: `${root}scripts`,
    loader: "ts",
  },
  outfile: `${out}bundle.cjs`,
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  external,
  // jest's CommonJS mode cannot run import(): the lazy imports of yaml and prom-client become
  // requires, still made only when first needed.
  supported: { "dynamic-import": false },
  // Modules find package.json, fixtures/ and their lazily required packages relative to
  // import.meta.url, written for dist/src/<dir>/. The bundle gives them a URL at that depth.
  define: { "import.meta.url": "__hookwright_module_url" },
  banner: {
    js: 'const __hookwright_module_url = require("url").pathToFileURL(require("path").join(__dirname, "../src/cjs/bundle.cjs")).href;',
  },
  inject: [`${root}scripts/cjs-globals.mjs`],
  plugins: [withoutNodePrefix],
  logLevel: "warning",
});

mkdirSync(out, { recursive: true });
for (const name of Object.keys(entries)) {
  writeFileSync(
    `${out}${name}.cjs`,
    `"use strict";\nmodule.exports = require("./bundle.cjs").${name};\n`,
  );
}
