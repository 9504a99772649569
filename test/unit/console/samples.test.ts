import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { findFixturesDir, listSamples, readSample } from "../../../src/console/samples.js";

const FIXTURES = fileURLToPath(new URL("../../../fixtures/webhooks/", import.meta.url));
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hookwright-samples-"));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe("samples", () => {
  it("lists the fixtures by name with the event each is sent as", () => {
    const samples = listSamples(FIXTURES);
    expect(samples).toContainEqual({ name: "issues.opened", event: "issues" });
    expect(samples).toContainEqual({ name: "push", event: "push" });
    expect(samples.map((sample) => sample.name)).toEqual(samples.map((s) => s.name).sort());
  });

  it("reads a sample byte for byte, or with the sandbox installation put in", () => {
    const exact = readSample(FIXTURES, "issues.opened");
    expect(exact).toBe(readFileSync(join(FIXTURES, "issues.opened.json"), "utf8"));
    const sandboxed = JSON.parse(readSample(FIXTURES, "issues.opened", 1));
    expect(sandboxed.installation).toEqual({ id: 1 });
    expect(sandboxed.issue).toEqual(JSON.parse(exact).issue);
    const replaced = JSON.parse(readSample(FIXTURES, "installation.created", 1));
    expect(replaced.installation.id).toBe(1);
    expect(replaced.installation.account).toBeDefined();
  });

  it("refuses names that are not samples, such as a path out of the directory", () => {
    writeFileSync(join(dir, "ok.json"), "{}");
    expect(() => readSample(dir, "../secrets")).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    expect(() => readSample(dir, "missing")).toThrow(
      expect.objectContaining({ code: "NOT_FOUND" }),
    );
    expect(readSample(dir, "ok")).toBe("{}");
  });

  it("finds the working directory's fixtures first, else the package's own", () => {
    expect(findFixturesDir(join(FIXTURES, "../.."))).toBe(
      join(FIXTURES, "../../fixtures/webhooks"),
    );
    expect(listSamples(findFixturesDir(dir)).length).toBeGreaterThan(5);
  });
});
