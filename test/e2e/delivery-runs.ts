import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createFakeGitHub } from "../helpers/fake-github/index.js";
import { testKeys } from "../helpers/keys.js";
import { createSignedDelivery, loadFixture } from "../helpers/signed-delivery.js";
import { APP_ID, appEnv } from "./cli-helpers.js";

/** What the count-runs plugin wrote: every run's start and end, by delivery id and process. */
export interface Runs {
  starts: Map<string, number[]>;
  ends: Map<string, number[]>;
}

export const COUNT_PLUGIN = new URL("../fixtures/plugins/count-runs.mjs", import.meta.url).pathname;

export function readRuns(file: string): Runs {
  const runs: Runs = { starts: new Map(), ends: new Map() };
  if (!existsSync(file)) return runs;
  for (const line of readFileSync(file, "utf8").split("\n")) {
    const [kind, pid, id] = line.split(" ");
    if (!id) continue;
    const into = kind === "start" ? runs.starts : runs.ends;
    into.set(id, [...(into.get(id) ?? []), Number(pid)]);
  }
  return runs;
}

/** A signed `issues.opened` for installation `installation`, on its own repository. */
export function issueOpened(secret: string, installation: number) {
  const payload = JSON.parse(loadFixture("issues.opened").toString("utf8")) as {
    installation?: { id: number };
    repository: { full_name: string; name: string; owner: { login: string } };
  };
  payload.installation = { id: installation };
  payload.repository.full_name = `org${installation}/repo`;
  payload.repository.name = "repo";
  payload.repository.owner.login = `org${installation}`;
  return createSignedDelivery({ secret, event: "issues", payload });
}

export function post(port: unknown, delivery: ReturnType<typeof issueOpened>) {
  return fetch(`http://127.0.0.1:${String(port)}/api/github/webhooks`, {
    method: "POST",
    headers: delivery.headers,
    body: delivery.body,
  });
}

/** Sends every delivery, `concurrency` at a time; returns each one's HTTP status by id. */
export async function sendAll(
  deliveries: ReturnType<typeof issueOpened>[],
  target: (index: number) => unknown,
  concurrency = 20,
): Promise<Map<string, number>> {
  const statuses = new Map<string, number>();
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < deliveries.length) {
        const index = next++;
        const delivery = deliveries[index]!;
        const response = await post(target(index), delivery).catch(() => undefined);
        await response?.arrayBuffer();
        statuses.set(delivery.id, response?.status ?? 0);
      }
    }),
  );
  return statuses;
}

/** A fake GitHub with installation 1 on org1/repo, for tests of one delivery at a time. */
export function oneInstallationGitHub() {
  return createFakeGitHub({
    appId: APP_ID,
    publicKey: testKeys().publicKey,
    installations: [{ id: 1, account: { login: "org1" }, repositories: ["org1/repo"] }],
  });
}

/** What `hookwright run`/`worker` need to serve the count-runs plugin, writing under `dir`. */
export function countingEnv(
  apiUrl: string,
  secret: string,
  dir: string,
  extra: Record<string, string> = {},
): Record<string, string> & { RUNS_FILE: string; DATA_DIR: string } {
  return {
    DATA_DIR: join(dir, "data"),
    ...appEnv(apiUrl),
    WEBHOOK_SECRET: secret,
    PORT: "0",
    HOST: "127.0.0.1",
    PLUGINS: COUNT_PLUGIN,
    RUNS_FILE: join(dir, "runs.log"),
    ...extra,
  };
}
