import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import type * as Dotenv from "dotenv";
import type { Env } from "./read-config.js";

// dotenv is loaded only when there is a `.env` to read: importing it cost 20 ms of CPU at
// every start, and production sets its variables in the environment.
const require = createRequire(import.meta.url);

/** The environment with `.env` underneath it: a variable already set in the environment wins. */
export function withDotenv(env: Env, path: string): Env {
  if (!existsSync(path)) return env;
  const { parse } = require("dotenv") as typeof Dotenv;
  return { ...parse(readFileSync(path)), ...env };
}
