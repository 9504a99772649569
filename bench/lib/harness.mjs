// What every scenario shares: the fake GitHub process, the app's key and secret, settings.
import { fork } from "node:child_process";
import { generateKeyPairSync, randomBytes } from "node:crypto";
import { setTimeout } from "node:timers";
import { fileURLToPath } from "node:url";

/** A fresh RSA key per run (PKCS#1, as GitHub hands them out); never written to disk. */
export function makeKeys() {
  const { privateKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  return { privateKey, secret: randomBytes(20).toString("hex") };
}

export async function startFake() {
  const child = fork(fileURLToPath(new URL("./fake-github.mjs", import.meta.url)), {
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { PATH: process.env.PATH },
  });
  const port = await new Promise((resolve, reject) => {
    child.once("message", (message) => resolve(message.port));
    child.once("exit", () => reject(new Error("the fake GitHub exited")));
  });
  const call = async (path) => (await globalThis.fetch(`http://127.0.0.1:${port}${path}`)).json();
  return {
    port,
    pid: child.pid,
    reset: () => call("/_bench/reset"),
    stats: () => call("/_bench/stats"),
    /** Resolves with the stats once `comments` comments exist, or at the timeout. */
    waitForComments: (comments, timeoutMs) =>
      call(`/_bench/wait?comments=${comments}&timeoutMs=${Math.ceil(timeoutMs)}`),
    close: () => child.kill(),
  };
}

export function envNumber(name, fallback) {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new Error(`${name} must be a number (got "${raw}")`);
  return n;
}

export const median = (values) => {
  const sorted = values.filter((v) => Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
