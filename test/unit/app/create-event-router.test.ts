import { describe, expect, it } from "@jest/globals";
import { createPrivateKey } from "node:crypto";
import { setImmediate as tick } from "node:timers/promises";
import type { DeliveryError } from "../../../src/app/app.js";
import { createAppAuth } from "../../../src/auth/create-app-auth.js";
import { HookwrightError } from "../../../src/errors.js";
import {
  createDeliveryEvents,
  type DeliveryEvent,
  type DeliveryEvents,
} from "../../../src/events/delivery-events.js";
import {
  createClientFactory,
  type ClientFactory,
} from "../../../src/github/create-client-factory.js";
import { createEventRouter } from "../../../src/app/create-event-router.js";
import type { Delivery } from "../../../src/webhooks/parse-delivery.js";
import { captureLogs } from "../../helpers/capture-logs.js";
import { createFakeGitHub } from "../../helpers/fake-github/index.js";
import { testKeys } from "../../helpers/keys.js";
import { loadFixture } from "../../helpers/signed-delivery.js";
import { gate } from "../../helpers/wait.js";

const REPO = "Codertocat/Hello-World";

function setup(deliveryEvents?: DeliveryEvents) {
  const keys = testKeys();
  const github = createFakeGitHub({
    appId: 7,
    publicKey: keys.publicKey,
    installations: [{ id: 1, account: { login: "Codertocat" }, repositories: [REPO] }],
  });
  const logs = captureLogs();
  const appAuth = createAppAuth({
    appId: "7",
    privateKey: createPrivateKey(keys.privateKeyPem),
    apiUrl: "https://api.github.test",
    fetch: github.fetch,
  });
  const real = createClientFactory({ appAuth, logger: logs.logger, fetch: github.fetch });
  const events: string[] = [];
  // Counts the clients the router asks for, and hands out real ones.
  const clients: ClientFactory = {
    forInstallation(id, options) {
      events.push(`client:installation:${id}`);
      return real.forInstallation(id, options);
    },
    forApp(options) {
      events.push("client:app");
      return real.forApp(options);
    },
  };
  const router = createEventRouter({
    clients,
    logger: logs.logger,
    invalidate: async (id) => void events.push(`invalidate:${id}`),
    events: deliveryEvents,
  });
  return { github, logs, router, events };
}

function fixture(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { ...JSON.parse(loadFixture(name).toString("utf8")), ...extra };
}

function delivery(name: string, payload: Record<string, unknown>, id = "delivery-1"): Delivery {
  return { id, name, payload };
}

const issuesOpened = (extra: Record<string, unknown> = { installation: { id: 1 } }) =>
  delivery("issues", fixture("issues.opened", extra));

describe("createEventRouter", () => {
  it("runs handlers for the event, the event.action and any event, and no others", async () => {
    const { router } = setup();
    const app = router.appFor("p");
    const ran: string[] = [];
    app.on("issues", async () => void ran.push("issues"));
    app.on("issues.opened", async () => void ran.push("issues.opened"));
    app.on(["issues.closed", "pull_request"], async () => void ran.push("other"));
    app.onAny(async (context) => void ran.push(`any:${context.name}`));
    await router.dispatch(issuesOpened());
    expect(ran.sort()).toEqual(["any:issues", "issues", "issues.opened"]);
  });

  it("runs the handlers of one delivery concurrently", async () => {
    const { router } = setup();
    const app = router.appFor("p");
    let started = 0;
    let release!: () => void;
    const allStarted = new Promise<void>((resolve) => (release = resolve));
    // Each handler waits until all three have started: run one after another, none would finish.
    const handler = async () => {
      if (++started === 3) release();
      await allStarted;
    };
    app.on("issues", handler);
    app.on("issues.opened", handler);
    app.onAny(handler);
    const dispatched = router.dispatch(issuesOpened());
    await tick();
    expect(started).toBe(3);
    await dispatched;
  });

  it("emits each handler's start and end as plugin events, failed when it threw", async () => {
    const deliveryEvents = createDeliveryEvents();
    const seen: DeliveryEvent[] = [];
    deliveryEvents.subscribe((event) => seen.push(event), ["plugin"]);
    const { router } = setup(deliveryEvents);
    const gated = gate();
    router.appFor("slow").on("issues.opened", () => gated.opened);
    router.appFor("failing").onAny(async () => {
      throw new Error("broke");
    });
    const dispatched = router.dispatch(issuesOpened()).catch(() => undefined);
    await tick();
    expect(seen).toEqual([
      { type: "plugin", id: "delivery-1", plugin: "slow", outcome: "started" },
      { type: "plugin", id: "delivery-1", plugin: "failing", outcome: "started" },
      { type: "plugin", id: "delivery-1", plugin: "failing", outcome: "failed", error: "broke" },
    ]);
    gated.open();
    await dispatched;
    expect(seen.at(-1)).toEqual({
      type: "plugin",
      id: "delivery-1",
      plugin: "slow",
      outcome: "completed",
    });
  });

  it("runs every plugin's handlers when one fails, and logs each failure with delivery and plugin", async () => {
    const { router, logs } = setup();
    let otherRan = false;
    router.appFor("broken").on("issues.opened", async () => {
      throw new Error("broken plugin failed");
    });
    router.appFor("second-broken").onAny(async () => {
      throw new Error("second plugin failed");
    });
    router.appFor("healthy").on("issues.opened", async () => {
      await tick();
      otherRan = true;
    });
    const failure = await router.dispatch(issuesOpened()).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AggregateError);
    expect(otherRan).toBe(true);
    const errors = logs.records().filter((record) => record.level === 50);
    expect(errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ deliveryId: "delivery-1", plugin: "broken" }),
        expect.objectContaining({ deliveryId: "delivery-1", plugin: "second-broken" }),
      ]),
    );
    expect(errors).toHaveLength(2);
    expect(logs.text()).toContain("broken plugin failed");
  });

  it("waits for the other handlers even when one throws something that is not an Error", async () => {
    const { router } = setup();
    let release!: () => void;
    const slow = new Promise<void>((resolve) => (release = resolve));
    router.appFor("odd").on("issues.opened", async () => {
      throw undefined;
    });
    router.appFor("slow").on("issues.opened", () => slow);
    let settled = false;
    const dispatched = router.dispatch(issuesOpened()).then(
      () => (settled = true),
      () => (settled = true),
    );
    await tick();
    await tick();
    expect(settled).toBe(false);
    release();
    await dispatched;
  });

  it("gives app.onError one AggregateError with every failure and the event", async () => {
    const { router } = setup();
    const app = router.appFor("p");
    const seen: DeliveryError[] = [];
    app.onError((error) => void seen.push(error));
    app.on("issues", async () => {
      throw new Error("first");
    });
    app.on("issues.opened", async () => {
      throw new Error("second");
    });
    const payload = fixture("issues.opened", { installation: { id: 1 } });
    await expect(router.dispatch(delivery("issues", payload))).rejects.toBeInstanceOf(
      AggregateError,
    );
    expect(seen).toHaveLength(1);
    expect(seen[0]).toBeInstanceOf(AggregateError);
    expect(seen[0]!.event).toMatchObject({ id: "delivery-1", name: "issues", payload });
    expect(seen[0]!.errors.map((error: Error) => error.message).sort()).toEqual([
      "first",
      "second",
    ]);
  });

  it("logs a failing app.onError handler with its plugin and delivery", async () => {
    const { router, logs } = setup();
    const app = router.appFor("reporter");
    app.onError(async () => {
      throw new Error("reporting failed");
    });
    app.on("issues.opened", async () => {
      throw new Error("handler failed");
    });
    await expect(router.dispatch(issuesOpened())).rejects.toBeInstanceOf(AggregateError);
    await tick();
    const line = logs.records().find((record) => record.msg === "onError handler failed");
    expect(line).toMatchObject({ plugin: "reporter", deliveryId: "delivery-1" });
    expect(JSON.stringify(line)).toContain("reporting failed");
  });

  it("does not call app.onError when every handler succeeds", async () => {
    const { router } = setup();
    const app = router.appFor("p");
    let called = false;
    app.onError(() => void (called = true));
    app.on("issues.opened", async () => {});
    await router.dispatch(issuesOpened());
    expect(called).toBe(false);
  });

  it("delivers an event without an installation, with a client authenticated as the app", async () => {
    const { router, events, github } = setup();
    let failure: unknown;
    router.appFor("p").on("issues.opened", async (context) => {
      const { data } = await context.octokit.rest.apps.getAuthenticated();
      expect(data).toMatchObject({ id: 7 });
      failure = await context.octokit.rest.issues
        .createComment(context.issue({ body: "hi" }))
        .catch((error: unknown) => error);
    });
    await router.dispatch(issuesOpened({}));
    expect(events).toEqual(["client:app"]);
    expect(failure).toBeInstanceOf(HookwrightError);
    expect((failure as HookwrightError).code).toBe("NO_INSTALLATION");
    expect(github.comments).toHaveLength(0);
    expect(github.callsTo("GET", "/app")[0]!.auth.kind).toBe("jwt");
  });

  it("builds no client unless a handler touches context.octokit, then one per delivery", async () => {
    const { router, events } = setup();
    let touch = false;
    const handler = async (context: { octokit: unknown }) => {
      if (touch) expect(context.octokit).toBeDefined();
    };
    router.appFor("a").on("issues.opened", handler);
    router.appFor("b").on("issues.opened", handler);
    await router.dispatch(issuesOpened());
    expect(events).toEqual([]);
    touch = true;
    await router.dispatch(issuesOpened());
    expect(events).toEqual(["client:installation:1"]);
  });

  it("gives context.octokit the delivery's installation and stamps x-github-delivery", async () => {
    const { router, github } = setup();
    router.appFor("p").on("issues.opened", async (context) => {
      await context.octokit.rest.issues.createComment(context.issue({ body: "Thanks!" }));
    });
    await router.dispatch(issuesOpened());
    expect(github.comments).toMatchObject([{ repo: REPO, issueNumber: 1, installationId: 1 }]);
    const call = github.callsTo("POST", /\/comments$/)[0]!;
    expect(call.headers["x-github-delivery"]).toBe("delivery-1");
    expect(call.auth).toMatchObject({ kind: "token", installationId: 1 });
  });

  it.each([
    ["installation", "installation.deleted"],
    ["installation", "installation.suspend"],
    ["installation", "installation.new_permissions_accepted"],
    ["installation_repositories", "installation_repositories.added"],
    ["installation_repositories", "installation_repositories.removed"],
  ])("drops the installation's tokens on %s (%s) before handlers run", async (name, file) => {
    const { router, events } = setup();
    router.appFor("p").onAny(async () => void events.push("handler"));
    const payload = fixture(file);
    await router.dispatch(delivery(name, payload));
    const id = (payload.installation as { id: number }).id;
    expect(events).toEqual([`invalidate:${id}`, "handler"]);
  });

  it.each([
    ["issues", "issues.opened"],
    ["installation", "installation.created"],
    ["installation", "installation.unsuspend"],
  ])("keeps the tokens on %s (%s)", async (name, file) => {
    const { router, events } = setup();
    router.appFor("p").onAny(async () => void events.push("handler"));
    await router.dispatch(delivery(name, fixture(file, { installation: { id: 1 } })));
    expect(events).toEqual(["handler"]);
  });

  it("binds delivery, event, installation, repo and plugin to context.log, made on first use", async () => {
    const { router, logs } = setup();
    const app = router.appFor("labeler");
    let children = 0;
    // pino children inherit `child` from their parent, so this counts the plugins' too.
    const child = logs.logger.child;
    logs.logger.child = function (this: unknown, ...args: unknown[]) {
      return (children++, child.apply(this, args as never));
    } as never;
    let speak = false;
    app.on("issues.opened", async (context) => {
      await context.octokit.rest.issues.createComment(context.issue({ body: "hi" }));
      if (speak) context.log.info("one");
    });
    app.onAny(async (context) => void (speak && context.log.info("two")));
    await router.dispatch(issuesOpened());
    expect(children).toBe(0);
    speak = true;
    await router.dispatch(issuesOpened());
    expect(children).toBe(3); // one for the delivery, shared; one per handler that logged
    const bound = expect.objectContaining({
      deliveryId: "delivery-1",
      event: "issues.opened",
      action: "opened",
      installationId: 1,
      repo: REPO,
      plugin: "labeler",
    });
    expect(logs.records().filter((r) => r.msg === "one" || r.msg === "two")).toEqual([
      bound,
      bound,
    ]);
  });

  it("gives each plugin app.log bound to its name and app.auth for app and installation clients", async () => {
    const { router, events, logs } = setup();
    const app = router.appFor("scheduler");
    app.log.info("loaded");
    expect(logs.records().find((record) => record.msg === "loaded")).toMatchObject({
      plugin: "scheduler",
    });
    const asApp = await app.auth();
    const { data } = await asApp.rest.apps.getAuthenticated();
    expect(data).toMatchObject({ id: 7 });
    const asInstallation = await app.auth(1);
    const repo = await asInstallation.rest.repos.get({ owner: "Codertocat", repo: "Hello-World" });
    expect(repo.status).toBe(200);
    expect(events).toEqual(["client:app", "client:installation:1"]);
  });
});
