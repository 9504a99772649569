import { describe, expect, it } from "@jest/globals";
import { Probot } from "hookwright/probot";
import { testKeys } from "../../helpers/keys.js";

// Probot 9's `app.log.addStream(...)`: lines also go to the app's stream, from its level.
describe("log.addStream", () => {
  it("tees scrubbed lines from the level given, as JSON lines or raw records", () => {
    const probot = new Probot({ appId: 1, privateKey: testKeys().privateKeyPem, logLevel: "info" });
    const lines: string[] = [];
    const records: { msg?: string }[] = [];
    probot.log.addStream({
      level: "warn",
      stream: { write: (line) => void lines.push(String(line)) },
    });
    probot.log.addStream({
      type: "raw",
      stream: { write: (record) => void records.push(record as { msg?: string }) },
    });
    probot.log.info("only raw");
    probot.log.child({ name: "child" }).warn("token ghs_abcdefghijklmnopqrstuvwxyz0123");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("[REDACTED]");
    expect(lines[0]).not.toContain("ghs_abcdef");
    expect(records.map((record) => record.msg)).toEqual(["only raw", "token [REDACTED]"]);
  });
});
