import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import express from "express";
import request from "supertest";
import { serveConsolePage, serveConsoleScript } from "../../../src/console/console-page.js";

const PAGE = readFileSync(new URL("../../../src/console/console.html", import.meta.url), "utf8");
const SCRIPT = readFileSync(new URL("../../../src/console/console.js", import.meta.url), "utf8");

describe("serveConsolePage", () => {
  it("serves the page with a fresh script nonce that the CSP requires", async () => {
    const app = express().get("/", serveConsolePage("https://github.com"));
    const [one, two] = [await request(app).get("/"), await request(app).get("/")];
    const nonce = /<script nonce="([^"]+)" src="\/console\/console.js"><\/script>/.exec(
      one.text,
    )![1]!;
    expect(nonce).not.toBe("__NONCE__");
    expect(two.text).not.toContain(nonce);
    const csp = one.headers["content-security-policy"];
    expect(csp).toContain(`script-src 'nonce-${nonce}'`);
    expect(csp).toContain("form-action 'self' https://github.com");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(one.headers["content-type"]).toMatch(/text\/html/);
  });

  it("builds every row from text nodes: the page script never assigns HTML", () => {
    for (const text of [PAGE, SCRIPT]) {
      expect(text).not.toMatch(/innerHTML|outerHTML|insertAdjacentHTML|document\.write/);
    }
    expect(SCRIPT).toContain("textContent");
  });

  it("serves the page's script as JavaScript, unsniffed and uncached", async () => {
    const app = express().get("/console.js", serveConsoleScript());
    const response = await request(app).get("/console.js");
    expect(response.headers["content-type"]).toMatch(/^text\/javascript/);
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
    expect(response.text).toBe(SCRIPT);
  });
});
