import { createPrivateKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import type { Logger } from "pino";
import type { DeliveryError, Plugin } from "../app/app.js";
import { createApp, type CreateAppOptions, type Hookwright } from "../app/create-app.js";
import type { Clock } from "../clock.js";
import type { Timers } from "../schedules/timers.js";
import { createFakeGitHub } from "../fake-github/index.js";
import { TEST_KIT_PERMISSIONS } from "../fake-github/state.js";
import type {
  FakeGitHub,
  FakeInstallationInput,
  FakeRepositorySeed,
  Permissions,
} from "../fake-github/types.js";
import { readFixture } from "../fake-github/fixtures.js";
import { createMemoryLogger } from "./memory-logger.js";
import { createSignedDelivery } from "../fake-github/signed-delivery.js";

export interface TestAppOptions {
  /** The installation deliveries come from when their payload names none. Default 1. */
  installationId?: number;
  /**
   * Repositories the installation can reach besides those named by payloads and `files`: a
   * list of names, or what each holds (files, issues, pulls, commits, releases, labels, topics).
   * @example
   * { "octo/hello": { issues: [{ title: "Crash", labels: ["bug"] }], releases: [{ tagName: "v1.0.0" }] } }
   */
  repositories?: string[] | Record<string, FakeRepositorySeed>;
  /** Files per repository, e.g. `{ "octo/hello": { ".github/labeler.yml": "..." } }`. */
  files?: Record<string, Record<string, string>>;
  clock?: Clock;
  /** The timers `app.schedule` ticks fire from: `createManualTimers(clock)` to move time by hand. */
  timers?: Timers;
  /** What fires the ticks instead of `timers`, e.g. BullMQ job schedulers on a test Redis. */
  schedules?: CreateAppOptions["schedules"];
  /**
   * What the installation is granted. Defaults to write on issues, pull requests, contents,
   * checks, statuses and administration, and read on metadata.
   */
  permissions?: Permissions;
  /** Where logs go; by default they are kept in memory, readable through `logs()`. */
  logger?: Logger;
  /** GITHUB_REQUEST_TIMEOUT_MS: how long each call to the fake may take (default 10 s). */
  requestTimeoutMs?: number;
}

export interface ReceiveOptions {
  /** The `X-GitHub-Delivery` to send, e.g. an earlier one's, as GitHub's redelivery does. */
  id?: string;
}

export interface ReceiveResult {
  /** What the webhook endpoint answered: 200 once every handler finished. */
  status: number;
  body: unknown;
  /** The delivery id (`X-GitHub-Delivery`). */
  id: string;
}

/** A Hookwright with plugins loaded, wired to a fake GitHub, run entirely in-process. */
export interface TestApp {
  /** The fake GitHub the plugins talk to: seed files, then assert on recorded calls. */
  readonly github: FakeGitHub;
  readonly hookwright: Hookwright;
  /**
   * Signs `payload` as GitHub would and hands it to the real webhook receiver (signature
   * check, delivery records, router, handlers). `event` is "issues" or "issues.opened"; its
   * action is set on the payload, and the installation when the payload has none. Without a payload,
   * the shipped fixture named `event` is used. Rejects with the handlers' errors when one failed.
   */
  receive(event: string, payload?: object, options?: ReceiveOptions): Promise<ReceiveResult>;
  /**
   * Runs one tick of a plugin's `app.schedule` now, for every installation (or repository)
   * in turn, and waits for the runs; rejects with their errors. `schedule` is its name.
   * @example
   * await app.runSchedule("weekly-unlabelled");
   */
  runSchedule(schedule: string): Promise<void>;
  /** Log records so far (with the default in-memory logger). */
  logs(): Record<string, unknown>[];
  close(): Promise<void>;
}

const SECRET = "hookwright-test-secret";
const APP_ID = 1;

// RSA generation costs tens of milliseconds; the pair is immutable, so one per process is enough.
let appKey: KeyObject | undefined;
function privateKey(): KeyObject {
  appKey ??= createPrivateKey(
    generateKeyPairSync("rsa", { modulusLength: 2048 })
      .privateKey.export({ type: "pkcs1", format: "pem" })
      .toString(),
  );
  return appKey;
}

interface Payload {
  action?: unknown;
  installation?: { id?: unknown };
  repository?: { full_name?: unknown };
}

/**
 * Builds a test app: a fake GitHub with one installation, Hookwright with the plugins loaded.
 *
 * @example
 * const app = await createTestApp([greeter]);
 * await app.receive("issues.opened", readFixture("issues.opened"));
 * app.github.expectCall("POST /repos/{owner}/{repo}/issues/{issue_number}/comments", { body: /Thanks/ });
 * await app.close();
 */
export async function createTestApp(
  plugins: Plugin | Plugin[],
  options: TestAppOptions = {},
): Promise<TestApp> {
  const key = privateKey();
  const defaultInstallation = options.installationId ?? 1;
  const installations = new Map<number, FakeInstallationInput>();
  const fake = createFakeGitHub({ appId: APP_ID, publicKey: key, clock: options.clock });

  function reach(fullName: string, installationId = defaultInstallation): void {
    const current = installations.get(installationId) ?? {
      id: installationId,
      account: { login: fullName.split("/")[0] ?? "octo" },
      repositories: [],
      permissions: options.permissions ?? TEST_KIT_PERMISSIONS,
    };
    if (current.repositories.some((name) => name.toLowerCase() === fullName.toLowerCase())) return;
    current.repositories.push(fullName);
    installations.set(installationId, current);
    fake.addInstallation(current);
  }

  const github: FakeGitHub = {
    ...fake,
    setFile(repo, path, content, ref) {
      reach(repo);
      fake.setFile(repo, path, content, ref);
    },
    seed(repo, seed) {
      fake.seed(repo, seed);
      reach(repo);
    },
  };
  const repositories = options.repositories ?? [];
  if (Array.isArray(repositories)) {
    for (const repo of repositories) reach(repo);
  } else {
    for (const [repo, seed] of Object.entries(repositories)) github.seed(repo, seed);
  }
  for (const [repo, files] of Object.entries(options.files ?? {})) {
    for (const [path, content] of Object.entries(files)) github.setFile(repo, path, content);
  }

  const memory = createMemoryLogger([SECRET]);
  const hookwright = createApp({
    credentials: { appId: String(APP_ID), privateKey: key, webhookSecrets: [SECRET] },
    webhooks: { deadlineMs: 60_000 },
    schedules: options.schedules,
    github: {
      requestLimits:
        options.requestTimeoutMs === undefined
          ? undefined
          : { timeoutMs: options.requestTimeoutMs },
    },
    dependencies: {
      fetch: fake.fetch,
      clock: options.clock,
      timers: options.timers,
      logger: options.logger ?? memory.logger,
      retryBaseMs: 1,
    },
  });
  const failures = new Map<string, DeliveryError>();
  await hookwright.load(
    (app) => app.onError((error) => void failures.set(error.event.id, error)),
    "hookwright-test-kit",
  );
  const list = Array.isArray(plugins) ? plugins : [plugins];
  for (const [index, plugin] of list.entries()) {
    await hookwright.load(plugin, plugin.name || `plugin-${index + 1}`);
  }
  await hookwright.schedules.start();

  return {
    github,
    hookwright,
    async receive(event, given, { id } = {}) {
      const [name = event, action] = event.split(".");
      const payload = { ...(given ?? readFixture(event)) } as Payload & Record<string, unknown>;
      // The name given wins, so one fixture serves every action of its event.
      if (action !== undefined) payload.action = action;
      if (typeof payload.installation?.id !== "number") {
        payload.installation = { ...payload.installation, id: defaultInstallation };
      }
      const installationId = payload.installation.id as number;
      const repo = payload.repository?.full_name;
      if (typeof repo === "string") reach(repo, installationId);
      const delivery = createSignedDelivery({ secret: SECRET, event: name, payload, id });
      // A redelivery is judged by its own run, not by the failure of the one before it.
      failures.delete(delivery.id);
      const answer = await hookwright.receiver.receive(delivery.headers, delivery.body);
      const failure = failures.get(delivery.id);
      if (failure !== undefined || answer.status >= 400) {
        const reason = failure?.errors.map((error: unknown) => String(error)).join("; ");
        throw new Error(
          `delivery ${event} was answered ${answer.status}${reason ? `: ${reason}` : ""}`,
          { cause: failure ?? answer.body },
        );
      }
      return { status: answer.status, body: answer.body, id: delivery.id };
    },
    runSchedule: (schedule) => hookwright.schedules.run(schedule),
    logs: () => memory.records(),
    close: async () => void (await hookwright.close(1000)),
  };
}
