import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { RequestHandler } from "express";
import { pageSecurityHeaders } from "./security-headers.js";

// The page is a static file kept in src/ (no front-end build); compiled code runs from
// dist/src/console/, so it looks beside itself first, then in the package's src/.
const PLACES = ["./", "../../../src/console/"];

function readAsset(name: string): string {
  for (const place of PLACES) {
    const path = fileURLToPath(new URL(`${place}${name}`, import.meta.url));
    if (existsSync(path)) return readFileSync(path, "utf8");
  }
  throw new Error(`${name} is missing from the package`);
}

/** The page's script, at `/console/console.js`: loaded by the page under its nonce. */
export function serveConsoleScript(): RequestHandler {
  const script = readAsset("console.js");
  return (_req, res) => {
    res.set({ "x-content-type-options": "nosniff", "cache-control": "no-store" });
    res.type("text/javascript").send(script);
  };
}

/**
 * Serves the console page with a per-response script nonce: only its own inline script runs,
 * so even a payload that slipped past the page's escaping could not execute.
 */
export function serveConsolePage(webUrl: string): RequestHandler {
  const template = readAsset("console.html");
  const github = new URL(webUrl).origin;
  return (_req, res) => {
    const nonce = randomBytes(16).toString("base64");
    res.set(pageSecurityHeaders({ scriptNonce: nonce, formAction: ["'self'", github] }));
    res.type("html").send(template.replaceAll("__NONCE__", nonce));
  };
}
