// Replays a Dockerfile's steps on this machine, without a Docker engine: each stage gets its own
// folder as its filesystem root, COPY copies from the build context (minus .dockerignore) or an
// earlier stage, RUN runs in the stage's WORKDIR with its ENV and the Node its FROM names.
// Only the instructions the Dockerfile uses are known; any other one fails the replay, so the
// Dockerfile cannot drift into steps that CI does not replay.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve } from "node:path";

/** Instructions with continuations joined and comments dropped: `{ op, args, line }`. */
export function parseDockerfile(text) {
  const steps = [];
  let pending = "";
  let startLine = 0;
  text.split("\n").forEach((raw, index) => {
    const line = raw.trimEnd();
    if (pending === "" && (line.trim() === "" || line.trim().startsWith("#"))) return;
    if (pending === "") startLine = index + 1;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      return;
    }
    const whole = (pending + line).trim();
    pending = "";
    const [, op, args] = /^(\S+)\s*([\s\S]*)$/.exec(whole);
    steps.push({ op: op.toUpperCase(), args, line: startLine });
  });
  return steps;
}

/** The Node version a `FROM node:<version>-…` names, e.g. "24.22.3". */
export function nodeVersionOf(image) {
  const match = /^node:(\d+(?:\.\d+){0,2})(?:-|$)/.exec(image);
  if (!match) throw new Error(`FROM ${image}: the replay only knows node:<version> images`);
  return match[1];
}

const NETWORK = /^(https?_proxy|no_proxy|node_extra_ca_certs|ssl_cert_file|ssl_cert_dir)$/i;

function networkEnv() {
  return Object.fromEntries(Object.entries(process.env).filter(([name]) => NETWORK.test(name)));
}

function parseEnv(args) {
  const env = {};
  for (const match of args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|\S*)/g)) {
    env[match[1]] = match[2].replace(/^"|"$/g, "");
  }
  return env;
}

function readIgnore(context) {
  const file = join(context, ".dockerignore");
  if (!existsSync(file)) return [];
  const entries = readFileSync(file, "utf8")
    .split("\n")
    .map((entry) => entry.trim().replace(/^\/+|\/+$/g, ""))
    .filter((entry) => entry !== "" && !entry.startsWith("#"));
  for (const entry of entries) {
    if (/[*?[!]/.test(entry))
      throw new Error(`.dockerignore ${entry}: the replay knows plain paths only`);
  }
  return entries;
}

function copy(source, destination, ignored) {
  const filter = (path) => {
    if (!ignored) return true;
    const rel = relative(ignored.context, path);
    return !ignored.entries.some((entry) => rel === entry || rel.startsWith(`${entry}/`));
  };
  cpSync(source, destination, { recursive: true, filter });
}

/**
 * Runs the Dockerfile's stages under `root`; resolves to the last stage's folder, its WORKDIR,
 * ENV and the exec-form CMD and HEALTHCHECK command.
 */
export function replayDockerfile({ dockerfile, context, root, nodeBin, log = () => {} }) {
  const steps = parseDockerfile(readFileSync(dockerfile, "utf8"));
  const ignore = readIgnore(context);
  const stages = [];
  let stage;
  for (const { op, args, line } of steps) {
    const where = `Dockerfile:${line} ${op}`;
    if (op === "FROM") {
      const [image, as, name] = args.split(/\s+/);
      const fs = join(root, `stage-${stages.length}`);
      mkdirSync(fs, { recursive: true });
      stage = { name: as?.toUpperCase() === "AS" ? name : String(stages.length), image, fs };
      Object.assign(stage, { workdir: "/", env: {}, node: nodeBin(nodeVersionOf(image)) });
      stages.push(stage);
      log(`${where} ${image}`);
      continue;
    }
    if (!stage) throw new Error(`${where}: before any FROM`);
    const inStage = (path) => join(stage.fs, isAbsolute(path) ? path : join(stage.workdir, path));
    switch (op) {
      case "WORKDIR":
        stage.workdir = resolve(stage.workdir, args.trim());
        mkdirSync(inStage("."), { recursive: true });
        break;
      case "ENV":
        Object.assign(stage.env, parseEnv(args));
        break;
      case "COPY": {
        const words = args.split(/\s+/);
        const from = words[0].startsWith("--from=") ? words.shift().slice(7) : undefined;
        if (words.some((word) => word.startsWith("--"))) throw new Error(`${where}: unknown flag`);
        const target = words.pop();
        const origin = from && stages.find((candidate) => candidate.name === from);
        if (from && !origin) throw new Error(`${where}: no stage ${from}`);
        const intoDir = target.endsWith("/") || words.length > 1;
        for (const word of words) {
          const source = origin ? join(origin.fs, word) : join(context, word);
          if (!existsSync(source)) throw new Error(`${where}: ${word} does not exist`);
          const isDir = statSync(source).isDirectory();
          const destination =
            isDir || !intoDir ? inStage(target) : join(inStage(target), basename(word));
          mkdirSync(isDir ? destination : dirname(destination), { recursive: true });
          copy(source, destination, origin ? undefined : { context, entries: ignore });
        }
        break;
      }
      case "RUN":
        log(`${where} ${args}`);
        execFileSync("bash", ["-euo", "pipefail", "-c", args], {
          cwd: inStage("."),
          // As in an image build: none of this machine's environment or npm cache, except how
          // it reaches the registry (its proxy and certificate authorities).
          env: {
            ...networkEnv(),
            PATH: `${stage.node}:/usr/local/bin:/usr/bin:/bin`,
            HOME: join(root, "home"),
            npm_config_cache: join(root, "npm-cache"),
            ...stage.env,
          },
          stdio: ["ignore", "inherit", "inherit"],
        });
        break;
      case "CMD":
        stage.cmd = JSON.parse(args);
        break;
      case "HEALTHCHECK":
        stage.healthcheck = /\bCMD\s+([\s\S]*)$/.exec(args)?.[1];
        break;
      case "USER":
      case "EXPOSE":
        // Who runs it and which port it documents change nothing the replay can check.
        break;
      default:
        throw new Error(
          `${where}: the replay does not know ${op}; teach .ci/replay-dockerfile.mjs`,
        );
    }
  }
  if (!stage?.cmd) throw new Error("Dockerfile: the last stage has no exec-form CMD");
  return { ...stage, app: join(stage.fs, stage.workdir) };
}
