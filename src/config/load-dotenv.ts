import { existsSync, readFileSync } from "node:fs";
import { parse } from "dotenv";
import type { Env } from "./read-config.js";

/** The environment with `.env` underneath it: a variable already set in the environment wins. */
export function withDotenv(env: Env, path: string): Env {
  if (!existsSync(path)) return env;
  return { ...parse(readFileSync(path)), ...env };
}
