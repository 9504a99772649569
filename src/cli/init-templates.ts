// What `hookwright init` writes. Kept small: a bot author reads and changes every line.

export const PLUGIN = `import type { App } from "hookwright";

/** Thanks the author of every new issue. */
export default (app: App) => {
  app.on("issues.opened", async (context) => {
    if (context.isBot) return;
    const login = context.payload.issue.user.login;
    await context.octokit.rest.issues.createComment(
      context.issue({ body: \`Thanks for opening this issue, @\${login}!\` }),
    );
  });
};
`;

export const PLUGIN_TEST = `import assert from "node:assert/strict";
import { afterEach, it } from "node:test";
import { createTestApp, readFixture, type TestApp } from "hookwright/testing";
import hello from "../plugins/hello/index.js";

let app: TestApp;
afterEach(() => app.close());

it("thanks the author of a new issue", async () => {
  app = await createTestApp(hello);
  await app.receive("issues.opened", readFixture("issues.opened"));
  const call = app.github.expectCall("POST /repos/Codertocat/Hello-World/issues/1/comments", {
    body: "Thanks for opening this issue, @Codertocat!",
  });
  assert.equal(call.auth.kind, "token");
});
`;

export const APP_YML = `# The GitHub App manifest: what the app asks for when it is registered.
# https://docs.github.com/en/apps/sharing-github-apps/registering-a-github-app-from-a-manifest
name: My Hookwright App
description: A GitHub App built with Hookwright.
url: https://github.com/apps/my-hookwright-app
public: false
default_events:
  - issues
default_permissions:
  metadata: read
  issues: write
`;

export const ENV_EXAMPLE = `# Copy to .env and fill in from your GitHub App's settings page.
# Without APP_ID, \`npm start\` runs in sandbox mode against a simulated GitHub.
APP_ID=
PRIVATE_KEY_PATH=
WEBHOOK_SECRET=
# PORT=3000
# LOG_LEVEL=info
`;

export const DOCKERFILE = `FROM node:22-bookworm-slim
ENV NODE_ENV=production LOG_FORMAT=json PORT=3000
WORKDIR /app
COPY package.json package-lock.json* ./
RUN npm install --no-audit --no-fund
COPY . .
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/ready').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"
CMD ["npx", "hookwright", "run"]
`;

export const README_SECTION = `
## Running the bot (Hookwright)

- \`npm install && npm start\`: without \`APP_ID\` it starts in sandbox mode; open the console it
  prints, send a sample \`issues.opened\` and watch \`plugins/hello\` answer.
- \`npm test\`: the plugins' tests, against a simulated GitHub (no network).
- Register the app from the console, or fill in \`.env\` from \`.env.example\`, then restart.
- \`npx hookwright receive --sandbox -e issues.opened -p payload.json\`: one payload, the calls printed.
`;

export const README_MARKER = "## Running the bot (Hookwright)";
