import { existsSync, mkdirSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { chromium, type Browser } from "playwright-core";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  chromiumAvailable,
  OUTPUT,
  sampleLoaded,
  startSandboxCli,
  type SandboxCli,
} from "./browser-helpers.js";

const available = chromiumAvailable;
const suite = available ? describe : describe.skip;

if (!available) {
  // Said once, plainly, so a skipped run is never mistaken for a pass (.ci/run installs it).
  console.warn(
    `browser console test skipped: ${CHROMIUM} is not installed (apt-get install -y chromium)`,
  );
}

suite("delivery console in a real browser (chromium)", () => {
  let browser: Browser;
  let cli: SandboxCli;

  beforeAll(async () => {
    cli = await startSandboxCli();
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: CHROMIUM_ARGS,
      headless: true,
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    cli?.child.kill("SIGKILL");
  });

  it("sends a simulated issues.opened and shows the delivery row, the comment call and the comment", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(cli.url);
    // The sample is loaded with the sandbox's installation put in.
    await sampleLoaded(page);
    expect(await page.getByTestId("sample").inputValue()).toBe("issues.opened");
    await page.getByTestId("send").click();
    const row = page.locator('[data-testid="delivery-row"][data-event="issues.opened"]');
    await row.waitFor();
    await row.getByText("greeter").waitFor();
    expect(await row.textContent()).toContain("Codertocat/Hello-World");
    await row.click();
    const calls = page.getByTestId("calls");
    await calls.getByText("POST /repos/Codertocat/Hello-World/issues/1/comments → 201").waitFor();
    await page
      .getByTestId("changes")
      .getByText(/Thanks for opening this issue, @Codertocat/)
      .waitFor();
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}browser-console.png`, fullPage: true });
    expect(existsSync(`${OUTPUT}browser-console.png`)).toBe(true);
    expect(errors).toEqual([]);
  }, 60_000);

  it("shows markup from a payload as text: nothing in it runs", async () => {
    const page = await browser.newPage();
    await page.goto(cli.url);
    await sampleLoaded(page);
    const evil = '<img src=x onerror="window.__xss=1">';
    await page.getByTestId("event").fill("star");
    await page.getByTestId("payload").fill(
      JSON.stringify({
        action: "created",
        installation: { id: 1 },
        repository: { full_name: evil },
      }),
    );
    await page.getByTestId("send").click();
    const row = page.locator('[data-testid="delivery-row"][data-event="star.created"]');
    await row.waitFor();
    expect(await row.locator("td").nth(3).textContent()).toBe(evil);
    expect(await row.locator("img").count()).toBe(0);
    expect(
      await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss),
    ).toBeUndefined();
  }, 60_000);
});
