import { describe, expect, it, jest } from "@jest/globals";
import { readFixture } from "hookwright/testing";
import { Application, Probot, ProbotOctokitCore } from "hookwright/probot";
import { probotOnFakeGitHub, REPO } from "./probot-on-fake.js";

// The Probot calls four published apps and their own tests make, replayed in our words:
// behaviorbot/new-issue-welcome (Probot 9), probot/stale (Probot 7), probot/dco (Probot 11
// beta) and probot/settings (Probot 12). None of their code is here.
const issueOpened = () => ({
  name: "issues",
  payload: readFixture("issues.opened", { installation: { id: 3 } }),
});

describe("published Probot apps' calls", () => {
  it("new-issue-welcome: Application(), app.auth replaced, spies on repos.getContents for context.config", async () => {
    const app = new Application();
    const replies: string[] = [];
    app.on("issues.opened", async (context) => {
      const github = context.github as unknown as Client;
      const mine = await github.issues.listForRepo!(context.repo({ state: "all" }));
      if ((mine.data as unknown[]).length !== 1) return;
      const config = await context.config<{ welcome?: string }>("config.yml");
      if (config?.welcome) replies.push(config.welcome);
    });
    const reads: object[] = [];
    const github: Client = {
      issues: { listForRepo: async () => ({ data: [{ number: 1 }] }) },
      repos: {
        getContents: async (params: object) => {
          reads.push(params);
          return { data: { content: Buffer.from("welcome: hello there\n").toString("base64") } };
        },
      },
    };
    app.auth = (async () => github) as never;
    await app.receive(issueOpened());
    expect(reads).toEqual([
      { owner: "Codertocat", repo: "Hello-World", path: ".github/config.yml" },
    ]);
    expect(replies).toEqual(["hello there"]);
  });

  it("new-issue-welcome on a real client: repos.getContents returns what getContent does", async () => {
    const { probot, github } = withFakeGitHub();
    github.setFile(REPO, ".github/config.yml", "welcome: hi\n");
    let text = "";
    probot.on("issues.opened", async (context) => {
      const old = context.octokit.repos as unknown as Client["repos"];
      const { data } = await old.getContents!(context.repo({ path: ".github/config.yml" }));
      text = Buffer.from((data as { content: string }).content, "base64").toString();
    });
    await probot.receive(issueOpened());
    expect(text).toBe("welcome: hi\n");
  });

  it("stale: a Probot 7 Application with a hand-made client, old method names and app.log as logger", async () => {
    const app = new Application();
    const logs: string[] = [];
    app.log.addStream({
      type: "raw",
      stream: { write: (record) => void logs.push((record as { msg: string }).msg) },
    });
    const edit = jest.fn(async () => ({}));
    app.auth = (async () => ({ issues: { edit } })) as never;
    app.on(["issues", "pull_request", "integration_installation"] as never, async (context) => {
      app.log.warn("unmarking");
      await (context.github as unknown as { issues: { edit: typeof edit } }).issues.edit();
    });
    await app.receive(issueOpened());
    expect(edit).toHaveBeenCalledTimes(1);
    // A name @octokit/webhooks no longer lists is subscribed to without a warning.
    expect(logs).toEqual(["unmarking"]);
  });

  it("dco: `({ app }) => app.on(...)`, Probot({ githubToken, Octokit: ProbotOctokitCore }), load() not awaited", async () => {
    // As dco's own test: each expected request answered in turn (its nock scope), here by fetch.
    const answers: Record<string, [number, unknown]> = {
      "GET /repos/Codertocat/Hello-World/contents/.github%2Fdco.yml": [
        404,
        { message: "Not Found" },
      ],
      "GET /repos/Codertocat/.github/contents/.github%2Fdco.yml": [404, { message: "Not Found" }],
      "POST /repos/Codertocat/Hello-World/check-runs": [201, { id: 1 }],
    };
    const sent: { route: string; body: unknown; authorization: string | null }[] = [];
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      const route = `${init?.method ?? "GET"} ${new URL(String(url)).pathname}`;
      const headers = new Headers(init?.headers);
      sent.push({
        route,
        body: init?.body ? JSON.parse(String(init.body)) : undefined,
        authorization: headers.get("authorization"),
      });
      const [status, body] = answers[route] ?? [500, { message: `unexpected ${route}` }];
      return new Response(JSON.stringify(body), {
        status,
        headers: { "content-type": "application/json" },
      });
    };
    const probot = new Probot({
      appId: 1,
      githubToken: "test",
      Octokit: ProbotOctokitCore,
      request: { fetch },
    });
    const seen: unknown[] = [];
    void probot.load(({ app }: { app: Probot }) => {
      app.on("issues.opened", async (context) => {
        seen.push(await context.config("dco.yml", { require: { members: true } }));
        await context.octokit.checks.create(
          context.repo({ name: "DCO", head_sha: "a".repeat(40) }),
        );
      });
    });
    await probot.receive(issueOpened());
    expect(seen).toEqual([{ require: { members: true } }]);
    expect(sent.map((request) => request.route)).toEqual(Object.keys(answers));
    expect(sent[2]).toMatchObject({ body: { name: "DCO" }, authorization: "token test" });
    expect(() => (probot.app as unknown as () => unknown)()).toThrow(/app\.auth\(\)/);
  });

  it("settings: Probot({ secret, Octokit }) with the test's own class, whose config.get context.config reads", async () => {
    const get = jest.fn(async (_options: object) => ({
      config: { repository: { private: true } },
      files: [],
    }));
    class StubOctokit {
      static defaults() {
        return StubOctokit;
      }
      config = { get };
      auth() {
        return this;
      }
    }
    const probot = new Probot({ secret: "s", Octokit: StubOctokit });
    let config: unknown;
    await probot.load((app: Probot) => {
      app.on("push", async (context) => {
        config = await context.config(
          "settings.yml",
          {},
          { arrayMerge: (_a: unknown[], b: unknown[]) => b },
        );
        expect(context.octokit).toBeInstanceOf(StubOctokit);
      });
    });
    await probot.receive({
      name: "push",
      payload: readFixture("push", { installation: { id: 3 } }),
    });
    expect(config).toEqual({ repository: { private: true } });
    expect(get).toHaveBeenCalledWith(
      expect.objectContaining({
        owner: "Codertocat",
        repo: "Hello-World",
        path: ".github/settings.yml",
      }),
    );
  });
});

type Client = {
  issues: Record<string, (params?: object) => Promise<{ data: unknown }>>;
  repos: Record<string, ((params: object) => Promise<{ data: unknown }>) | undefined>;
};

const withFakeGitHub = () => probotOnFakeGitHub();
