import { describe, expect, it } from "@jest/globals";
import { registerTypeScriptFor } from "../../../src/plugin-loader/register-typescript.js";

const JS = { name: "built", path: "/app/dist/plugins/built/index.js" };
const TS = { name: "greeter", path: "/app/plugins/greeter/index.ts" };

describe("registerTypeScriptFor", () => {
  it("never loads tsx when every plugin is JavaScript", async () => {
    let imported = 0;
    await registerTypeScriptFor([JS], async () => {
      imported++;
      return { register: () => undefined };
    });
    expect(imported).toBe(0);
  });

  it("registers tsx's loader once for TypeScript plugins", async () => {
    let registered = 0;
    await registerTypeScriptFor([JS, TS, { ...TS, name: "other" }], async () => ({
      register: () => registered++,
    }));
    expect(registered).toBe(1);
  });

  it("without tsx (a production install) fails naming the plugin and the build", async () => {
    const missing = Object.assign(new Error("Cannot find package 'tsx'"), {
      code: "ERR_MODULE_NOT_FOUND",
    });
    await expect(
      registerTypeScriptFor([JS, TS], async () => {
        throw missing;
      }),
    ).rejects.toMatchObject({
      code: "PLUGIN_LOAD_FAILED",
      message: expect.stringMatching(/"greeter".*npm run build/),
      cause: missing,
    });
  });
});
