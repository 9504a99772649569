import { describe, expect, it } from "@jest/globals";
import { fakeTokenFormat } from "../../../src/config/fake-token-format.js";

describe("fakeTokenFormat", () => {
  it("is classic unless HOOKWRIGHT_FAKE_TOKEN_FORMAT says stateless", () => {
    expect(fakeTokenFormat({})).toBe("classic");
    expect(fakeTokenFormat({ HOOKWRIGHT_FAKE_TOKEN_FORMAT: "" })).toBe("classic");
    expect(fakeTokenFormat({ HOOKWRIGHT_FAKE_TOKEN_FORMAT: "classic" })).toBe("classic");
    expect(fakeTokenFormat({ HOOKWRIGHT_FAKE_TOKEN_FORMAT: "stateless" })).toBe("stateless");
  });

  it("refuses any other value, naming the variable", () => {
    expect(() => fakeTokenFormat({ HOOKWRIGHT_FAKE_TOKEN_FORMAT: "long" })).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringContaining("HOOKWRIGHT_FAKE_TOKEN_FORMAT"),
      }),
    );
  });
});
