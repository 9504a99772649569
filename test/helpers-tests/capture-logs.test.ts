import { describe, expect, it } from "@jest/globals";
import { captureLogs } from "../helpers/capture-logs.js";

describe("captureLogs", () => {
  it("captures JSON lines synchronously from level trace", () => {
    const logs = captureLogs();
    logs.logger.trace("first");
    logs.logger.child({ delivery: "d-1" }).info({ n: 2 }, "second");
    expect(logs.lines()).toHaveLength(2);
    expect(logs.records()).toEqual([
      expect.objectContaining({ level: 10, msg: "first" }),
      expect.objectContaining({ level: 30, msg: "second", n: 2, delivery: "d-1" }),
    ]);
    expect(logs.text()).toBe(logs.lines().join("\n"));
  });

  it("merges pino options such as redaction", () => {
    const logs = captureLogs({ redact: ["token"], base: { app: "test" } });
    logs.logger.info({ token: "ghs_secret" }, "exchanged");
    expect(logs.text()).not.toContain("ghs_secret");
    expect(logs.records()[0]).toMatchObject({ token: "[Redacted]", app: "test" });
  });
});
