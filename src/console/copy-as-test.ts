import type { DeliveryEntry, LoggedCall } from "./delivery-log.js";

const CONTENTS = /^\/repos\/([^/]+\/[^/]+)\/contents\/([^?]+)/;

function decoded(path: string): string {
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

/** The repository files the delivery's handlers read, from the contents API's answers. */
function filesRead(calls: LoggedCall[]): Record<string, Record<string, string>> {
  const files: Record<string, Record<string, string>> = {};
  for (const call of calls) {
    const match = CONTENTS.exec(call.path);
    if (call.method !== "GET" || call.status !== 200 || !match || !call.responseBody) continue;
    let answer: { content?: unknown; encoding?: unknown };
    try {
      answer = JSON.parse(call.responseBody) as typeof answer;
    } catch {
      continue; // Cut at the bound: not a file this test can hold.
    }
    if (typeof answer.content !== "string" || answer.encoding !== "base64") continue;
    const repo = match[1]!;
    (files[repo] ??= {})[decoded(match[2]!)] = Buffer.from(answer.content, "base64").toString();
  }
  return files;
}

function writesOf(calls: LoggedCall[]) {
  return calls.filter(
    (call) =>
      call.method !== "GET" &&
      call.method !== "HEAD" &&
      call.status > 0 &&
      call.status < 300 &&
      !call.path.startsWith("/app/"),
  );
}

function bodyOf(call: LoggedCall): unknown {
  if (call.requestBody === undefined || call.requestBody.endsWith("…")) return undefined;
  try {
    return JSON.parse(call.requestBody);
  } catch {
    return undefined;
  }
}

/** How a test in `test/plugins/` imports a plugin the console knows by name or module path. */
function importPath(plugin: string): string {
  if (plugin.startsWith("./")) return `../../${plugin.slice(2)}`;
  if (plugin.startsWith("/")) return plugin;
  return `../../plugins/${plugin}/index.js`;
}

const json = (value: unknown) => JSON.stringify(value, null, 2);

/**
 * A `hookwright/testing` test that replays one delivery as the console saw it: its payload as
 * the fixture, the repository files its handlers read, and one `expectCall` per write they made.
 */
export function renderDeliveryTest(entry: DeliveryEntry, payload: string): string {
  const parsed = JSON.parse(payload) as { installation?: { id?: unknown } };
  const installationId = typeof parsed.installation?.id === "number" ? parsed.installation.id : 1;
  const plugins = entry.plugins.map((plugin, i) => ({ plugin, name: `plugin${i}` }));
  const imports = plugins
    .map(({ plugin, name }) => `import ${name} from ${JSON.stringify(importPath(plugin))};`)
    .join("\n");
  const expectations = writesOf(entry.calls).map((call) => {
    const route = JSON.stringify(`${call.method} ${decoded(call.path.split("?")[0]!)}`);
    const body = bodyOf(call);
    return body === undefined
      ? `  app.github.expectCall(${route});`
      : `  app.github.expectCall(${route}, ${json(body).replaceAll("\n", "\n  ")});`;
  });
  const files = filesRead(entry.calls);
  return `// Copied from the Hookwright console: delivery ${entry.id} (${entry.event}).
// Save it as test/plugins/<name>.test.ts and run it with npm test.
import { afterEach, it } from "@jest/globals";
import { createTestApp, type TestApp } from "hookwright/testing";
${imports}

const payload = ${json(parsed)};

// The repository files the handlers read while this delivery ran.
const files: Record<string, Record<string, string>> = ${json(files)};

let app: TestApp;
afterEach(() => app.close());

it(${JSON.stringify(`handles ${entry.event} as delivery ${entry.id} did`)}, async () => {
  app = await createTestApp([${plugins.map(({ name }) => name).join(", ")}], {
    installationId: ${installationId},
    files,
  });
  await app.receive(${JSON.stringify(entry.event)}, payload);
${expectations.length > 0 ? expectations.join("\n") : '  // It wrote nothing to GitHub.\n  app.github.expectNoCall("POST /repos/{owner}/{repo}/issues/{issue_number}/comments");'}
});
`;
}
