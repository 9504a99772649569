import { describe, expect, it } from "@jest/globals";
import { parseDuration } from "../../../src/config/parse-duration.js";

describe("parseDuration", () => {
  it.each([
    ["90s", 90_000],
    ["15m", 900_000],
    ["24h", 86_400_000],
    ["3d", 259_200_000],
    ["1s", 1000],
    ["120m", 7_200_000],
  ])("reads %s as %d ms", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("allows spaces around the text and between the number and its unit", () => {
    expect(parseDuration(" 24h ")).toBe(86_400_000);
    expect(parseDuration("15 m")).toBe(900_000);
  });

  it.each([
    "",
    "24",
    "h",
    "0s",
    "0d",
    "-5m",
    "1.5h",
    "1w",
    "24hours",
    "2h30m",
    "10ms",
    "abc",
    "h24",
  ])("rejects %j", (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
});
