import { describe, expect, it } from "@jest/globals";
import { readMetricsConfig } from "../../../src/config/read-metrics-config.js";

const attempt = (env: Record<string, string>) => {
  try {
    readMetricsConfig(env, 3000);
    return undefined;
  } catch (error) {
    return error;
  }
};

describe("readMetricsConfig", () => {
  it("serves /metrics on the webhook port, without a token, labelling 20 installations, by default", () => {
    expect(readMetricsConfig({}, 3000)).toEqual({
      port: undefined,
      token: undefined,
      topInstallations: 20,
    });
  });

  it("reads METRICS_PORT, METRICS_TOKEN and METRICS_TOP_INSTALLATIONS", () => {
    expect(
      readMetricsConfig(
        {
          METRICS_PORT: "9464",
          METRICS_TOKEN: "a-token-of-16-chars",
          METRICS_TOP_INSTALLATIONS: "0",
        },
        3000,
      ),
    ).toEqual({ port: 9464, token: "a-token-of-16-chars", topInstallations: 0 });
  });

  it("refuses a METRICS_PORT equal to PORT or not a port, a short token, and too many labels", () => {
    expect(attempt({ METRICS_PORT: "3000" })).toMatchObject({ variable: "METRICS_PORT" });
    expect(attempt({ METRICS_PORT: "0x50" })).toMatchObject({ variable: "METRICS_PORT" });
    expect(attempt({ METRICS_PORT: "70000" })).toMatchObject({ variable: "METRICS_PORT" });
    expect(attempt({ METRICS_TOKEN: "short" })).toMatchObject({ variable: "METRICS_TOKEN" });
    expect(attempt({ METRICS_TOP_INSTALLATIONS: "5000" })).toMatchObject({
      variable: "METRICS_TOP_INSTALLATIONS",
    });
    // The error names the variable, never the token's value.
    expect(String((attempt({ METRICS_TOKEN: "short" }) as Error).message)).not.toContain("short");
  });
});
