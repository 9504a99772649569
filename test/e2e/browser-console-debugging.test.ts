import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { chromium, type Browser, type Page } from "playwright-core";
import { until } from "../helpers/wait.js";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  chromiumAvailable,
  OUTPUT,
  sampleLoaded,
  startSandboxCli,
  type SandboxCli,
} from "./browser-helpers.js";

// Makes a call, then fails: the console must name it, not the plugins that ran beside it.
const BREAKER = `export default (app) => {
  app.on("issues.opened", async (context) => {
    await context.octokit.rest.repos.get(context.repo());
    throw new Error("breaker broke on purpose");
  });
};
`;
const PLUGIN_DIR = join(OUTPUT, "debugging-plugins");
// A plugin given by module path is named by that path.
const BREAKER_NAME = "./test-output/debugging-plugins/breaker.mjs";

const suite = chromiumAvailable ? describe : describe.skip;
if (!chromiumAvailable) {
  console.warn(`browser console test skipped: ${CHROMIUM} is not installed`);
}

/** The row of the delivery the console lists at `seq`. */
const row = (page: Page, seq: number) =>
  page.locator(`[data-testid="delivery-row"][data-seq="${seq}"]`);

async function send(page: Page, sample: string) {
  await page.getByTestId("sample").selectOption(sample);
  await sampleLoaded(page);
  await page.getByTestId("send").click();
}

suite("delivery console: debugging a bot in a real browser (chromium)", () => {
  let browser: Browser;
  let cli: SandboxCli;

  beforeAll(async () => {
    mkdirSync(PLUGIN_DIR, { recursive: true });
    writeFileSync(join(PLUGIN_DIR, "breaker.mjs"), BREAKER);
    cli = await startSandboxCli(`greeter,labeler,${BREAKER_NAME}`, "info");
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

  it("names the failing plugin in red with its error, and groups the API calls by plugin", async () => {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (error) => errors.push(error.message));
    await page.goto(cli.url);
    await sampleLoaded(page);
    await page.getByTestId("send").click();
    const first = row(page, 1);
    // The plugin's failure is shown as it happens, the answer once the delivery ends.
    await first.getByTestId("status").getByText(`500 failed in ${BREAKER_NAME}`).waitFor();
    const failed = first.getByTestId("failed-plugin");
    expect(await failed.textContent()).toBe(BREAKER_NAME);
    // Read again until set: the row is drawn anew when the delivery ends, and a node read just
    // as it is replaced has no computed colour ("").
    const colour = () =>
      failed.evaluate(
        (node) =>
          (
            globalThis as unknown as { getComputedStyle(node: unknown): { color: string } }
          ).getComputedStyle(node).color,
      );
    let red = "";
    await until(5000, "the failing plugin in red", async () => {
      red = await colour();
      return red === "rgb(207, 34, 46)";
    }).catch(() => undefined);
    expect(red).toBe("rgb(207, 34, 46)");
    // The plugins that completed are listed, not in red.
    expect(await first.getByTestId("plugin").allTextContents()).toEqual(["greeter", "labeler"]);
    expect(await first.getByTestId("error").textContent()).toBe(
      `${BREAKER_NAME}: breaker broke on purpose`,
    );

    await first.click();
    const group = (plugin: string) =>
      page.locator(`[data-testid="call-group"][data-plugin="${plugin}"]`);
    await group("greeter")
      .getByText("POST /repos/Codertocat/Hello-World/issues/1/comments → 201")
      .waitFor();
    await group(BREAKER_NAME).getByText("GET /repos/Codertocat/Hello-World → 200").waitFor();
    const lookups = group("labeler").locator("summary");
    expect(await lookups.count()).toBeGreaterThan(0);
    for (const text of await lookups.allTextContents()) {
      expect(text).toMatch(
        /^GET \/repos\/Codertocat\/[^ ]+\/contents\/\.github%2Flabeler\.yml → 404 \(expected: no such config file\)$/,
      );
    }
    expect(await group("hookwright (token exchange)").locator("summary").allTextContents()).toEqual(
      ["POST /app/installations/1/access_tokens → 201"],
    );
    // A call opens to its bodies; the token exchange's answer is never among them.
    const comment = group("greeter").locator("details").first();
    await comment.locator("summary").click();
    expect(await comment.locator("pre").first().textContent()).toContain(
      "Thanks for opening this issue",
    );
    expect(await page.content()).not.toMatch(/ghs_|"token"/);
    expect(errors).toEqual([]);
  }, 60_000);

  it("shows the payload formatted and says at which line and column it stops being JSON", async () => {
    const page = await browser.newPage();
    await page.goto(cli.url);
    await sampleLoaded(page);
    const payload = page.getByTestId("payload");
    expect((await payload.inputValue()).split("\n").length).toBeGreaterThan(20);
    await payload.fill('{\n  "action": "opened",\n  "x": }');
    await page.getByTestId("payload-error").getByText("Not JSON: line 3, column 8").waitFor();
    await page.getByTestId("send").click();
    await page
      .getByTestId("send-result")
      .getByText("the payload is not valid JSON (line 3, column 8)")
      .waitFor();
    await page.getByTestId("event").fill("made_up");
    await payload.fill("{}");
    await page.getByTestId("send").click();
    await page
      .getByTestId("send-result")
      .getByText(/^"made_up" is not an event GitHub sends; known events: .*issues/)
      .waitFor();
  }, 60_000);

  it("Redeliver answers a completed delivery as a duplicate; Run as new runs it again; both rows marked", async () => {
    const page = await browser.newPage();
    await page.goto(cli.url);
    await sampleLoaded(page);
    const before = await page.getByTestId("delivery-row").count();
    await send(page, "issues.labeled");
    const seq = before + 1;
    await row(page, seq).getByTestId("status").getByText("200 completed").waitFor();
    await row(page, seq).click();
    await page.getByTestId("redeliver").click();
    await page.getByTestId("send-result").getByText("Redeliver: answered 200 duplicate").waitFor();
    const redelivered = row(page, seq + 1);
    await redelivered.getByTestId("replay-mark").getByText(`redelivery of #${seq}`).waitFor();
    expect(await redelivered.getByTestId("status").textContent()).toBe("200 duplicate");
    await page.getByTestId("run-as-new").click();
    await page
      .getByTestId("send-result")
      .getByText("Run as new delivery: answered 200 completed")
      .waitFor();
    const again = row(page, seq + 2);
    await again.getByTestId("replay-mark").getByText(`run as new from #${seq}`).waitFor();
    await again.getByTestId("status").getByText("200 completed").waitFor();
  }, 60_000);

  it("fits a 420 px wide phone: no sideways scrolling, every cell labelled", async () => {
    const page = await browser.newPage({ viewport: { width: 420, height: 900 } });
    await page.goto(cli.url);
    await sampleLoaded(page);
    const seq = (await page.getByTestId("delivery-row").count()) + 1;
    await send(page, "issues.opened");
    await row(page, seq).getByTestId("failed-plugin").waitFor();
    await row(page, seq).click();
    await page.getByTestId("call-group").first().waitFor();
    const width = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollWidth: number } } })
          .document.documentElement.scrollWidth,
    );
    mkdirSync(OUTPUT, { recursive: true });
    await page.screenshot({ path: `${OUTPUT}browser-console-420.png`, fullPage: true });
    expect(width).toBeLessThanOrEqual(420);
  }, 60_000);

  it("writes no info line to the terminal for the console's own page, script and calls", () => {
    const requests = cli
      .output()
      .split("\n")
      .filter((line) => line.includes('"msg":"request"'));
    expect(requests).toEqual([]);
  });
});
