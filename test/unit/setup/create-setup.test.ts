import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { parse } from "dotenv";
import { createSetup, type SetupOptions } from "../../../src/setup/create-setup.js";
import { createManualClock } from "../../helpers/manual-clock.js";
import { testKeys } from "../../helpers/keys.js";

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "hookwright-setup-"));
  writeFileSync(join(dir, "app.yml"), "name: Bot\ndefault_events: [issues]\n");
  writeFileSync(join(dir, ".env"), "# keep me\nPORT=4000\n");
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const converted: string[] = [];
const conversions: typeof fetch = async (input) => {
  converted.push(String(input));
  return new Response(
    JSON.stringify({
      id: 7,
      slug: "bot",
      name: "Bot",
      html_url: "https://github.com/apps/bot",
      client_id: "Iv1.x",
      client_secret: "client-secret-1",
      webhook_secret: "hook-secret-1",
      pem: testKeys().privateKeyPem,
    }),
    { status: 201 },
  );
};

function setup(extra: Partial<SetupOptions> = {}) {
  return createSetup({
    webUrl: "http://github.test",
    apiUrl: "http://api.github.test",
    appYmlPath: join(dir, "app.yml"),
    envPath: join(dir, ".env"),
    fetch: conversions,
    ...extra,
  });
}

function stateOf(action: string): string {
  return new URL(action).searchParams.get("state")!;
}

describe("createSetup", () => {
  it("starts with a form for GitHub's new-app page and finishes by writing the credentials into .env", async () => {
    const flow = setup();
    const form = flow.start({ baseUrl: "http://localhost:3000", webhookUrl: "https://smee.io/c" });
    expect(form.action).toMatch(/^http:\/\/github\.test\/settings\/apps\/new\?state=[0-9a-f]{32}$/);
    expect(JSON.parse(form.manifest)).toMatchObject({
      name: "Bot",
      redirect_url: "http://localhost:3000/setup",
      hook_attributes: { url: "https://smee.io/c" },
    });
    const registered = await flow.finish("the-code", stateOf(form.action));
    expect(converted.at(-1)).toBe("http://api.github.test/app-manifests/the-code/conversions");
    expect(registered).toMatchObject({
      appId: 7,
      name: "Bot",
      htmlUrl: "https://github.com/apps/bot",
    });
    const text = readFileSync(join(dir, ".env"), "utf8");
    expect(text.startsWith("# keep me\nPORT=4000\n")).toBe(true);
    expect(parse(text)).toMatchObject({
      APP_ID: "7",
      PRIVATE_KEY: testKeys().privateKeyPem,
      WEBHOOK_SECRET: "hook-secret-1",
      GITHUB_CLIENT_ID: "Iv1.x",
      GITHUB_CLIENT_SECRET: "client-secret-1",
    });
  });

  it("uses WEBHOOK_PROXY_URL when no webhook URL is given, and an organization's page when named", () => {
    const form = setup({ webhookProxyUrl: "https://smee.io/proxy" }).start({
      baseUrl: "http://localhost:3000",
      organization: "acme",
    });
    expect(form.action).toMatch(
      /^http:\/\/github\.test\/organizations\/acme\/settings\/apps\/new\?/,
    );
    expect(JSON.parse(form.manifest).hook_attributes.url).toBe("https://smee.io/proxy");
  });

  it("refuses to start without a webhook URL, or with a malformed organization", () => {
    const flow = setup();
    expect(() => flow.start({ baseUrl: "http://localhost:3000" })).toThrow(
      expect.objectContaining({ code: "INVALID_REQUEST" }),
    );
    expect(() =>
      flow.start({ baseUrl: "http://l", webhookUrl: "https://smee.io/c", organization: "a/../b" }),
    ).toThrow(expect.objectContaining({ code: "INVALID_REQUEST" }));
  });

  it("finishes only a state it issued, once, within the hour; otherwise .env is untouched", async () => {
    const clock = createManualClock(1_000_000);
    const flow = setup({ clock });
    await expect(flow.finish("code", "made-up")).rejects.toMatchObject({
      code: "SETUP_STATE_INVALID",
    });
    const used = stateOf(
      flow.start({ baseUrl: "http://l", webhookUrl: "https://smee.io/c" }).action,
    );
    await flow.finish("code", used);
    await expect(flow.finish("code", used)).rejects.toMatchObject({ code: "SETUP_STATE_INVALID" });
    const late = stateOf(
      flow.start({ baseUrl: "http://l", webhookUrl: "https://smee.io/c" }).action,
    );
    clock.advance(60 * 60 * 1000);
    writeFileSync(join(dir, ".env"), "PORT=1\n");
    await expect(flow.finish("code", late)).rejects.toMatchObject({ code: "SETUP_STATE_INVALID" });
    expect(readFileSync(join(dir, ".env"), "utf8")).toBe("PORT=1\n");
  });
});
