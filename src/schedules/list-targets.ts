import type { Octokit } from "../github/octokit.js";
import type { RegisteredSchedule, ScheduleTarget } from "./schedule-types.js";

interface InstallationItem {
  id: number;
  account: { login?: string } | null;
  suspended_at?: string | null;
}

/** The app's installations, every page (app JWT); suspended ones are left out: they get no token. */
export async function listInstallations(appClient: Octokit): Promise<ScheduleTarget[]> {
  // https://docs.github.com/en/rest/apps/apps#list-installations-for-the-authenticated-app
  const all = (await appClient.paginate("GET /app/installations", {
    per_page: 100,
  })) as InstallationItem[];
  return all
    .filter((installation) => !installation.suspended_at)
    .map((installation) => ({
      installation: { id: installation.id, account: installation.account?.login ?? "" },
    }));
}

/** The repositories an installation reaches, every page (installation token). */
export async function listRepositories(
  installationClient: Octokit,
  installation: { id: number; account: string },
): Promise<ScheduleTarget[]> {
  // https://docs.github.com/en/rest/apps/installations#list-repositories-accessible-to-the-app-installation
  const repositories = (await installationClient.paginate("GET /installation/repositories", {
    per_page: 100,
  })) as { name: string; owner: { login: string }; archived?: boolean }[];
  return repositories
    .filter((repository) => repository.archived !== true)
    .map((repository) => ({
      installation,
      repository: { owner: repository.owner.login, repo: repository.name },
    }));
}

/** A run and when it starts, in milliseconds after the tick. */
export interface PlannedRun {
  target: ScheduleTarget;
  delayMs: number;
}

// Repository runs fill this share of the interval, so a tick's last runs end before the next
// tick's first start.
const SPREAD_SHARE = 0.8;

export interface PlanOptions {
  schedule: RegisteredSchedule;
  /** Until the next tick. */
  intervalMs: number;
  appClient: () => Octokit;
  installationClient: (id: number) => Octokit;
  random: () => number;
}

/**
 * Who a tick runs for, listed now (so installations added since the last tick are in, removed
 * ones out), and when: repositories of one installation spread over the interval, since
 * rate limits are per installation and a big one would otherwise burst; jitter on top.
 */
export async function planTick(options: PlanOptions): Promise<PlannedRun[]> {
  const { schedule } = options;
  const jitter = () => Math.floor(options.random() * schedule.jitterMs);
  if (schedule.per === "app") return [{ target: {}, delayMs: jitter() }];
  const installations = await listInstallations(options.appClient());
  if (schedule.per === "installation") {
    return installations.map((target) => ({ target, delayMs: jitter() }));
  }
  const runs: PlannedRun[] = [];
  for (const { installation } of installations) {
    const repositories = await listRepositories(
      options.installationClient(installation!.id),
      installation!,
    );
    const window = Math.min(schedule.spreadMs ?? Infinity, options.intervalMs * SPREAD_SHARE);
    const step = window / Math.max(1, repositories.length);
    repositories.forEach((target, index) =>
      runs.push({ target, delayMs: Math.floor(index * step) + jitter() }),
    );
  }
  return runs;
}

/** The run's id, the same on every attempt: `<schedule>:<tick>:<installation>[:<owner/repo>]`. */
export function runId(schedule: RegisteredSchedule, tick: number, target: ScheduleTarget): string {
  const parts = [schedule.id, String(tick)];
  if (target.installation) parts.push(String(target.installation.id));
  if (target.repository) parts.push(`${target.repository.owner}/${target.repository.repo}`);
  return parts.join(":");
}
